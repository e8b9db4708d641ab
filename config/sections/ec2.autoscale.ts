/**
 * `pillar:ec2.autoscale`: the seed's reactor profiles (`ec2.autoscale.<name>`), which say what the
 * reactor does with a new instance of a group: the Salt bootstrap of `minion.startup_states` (the
 * stack's own SSM document, components/saltDocument.ts) or any SSM document with parameters.
 */
import { LIMITS, type BootstrapConfig } from "../../reactor/contract";
import { sub } from "../issues";
import type { Grains } from "../model";
import { grains, intSchema, mapOf, oneOf, Static, str, strOrList, Type } from "../schemaKit";
import { toGrains, toList } from "../values";
import { checkCloudProvider, Section } from "./context";

const reactorProfile = Type.Object(
  {
    provider: Type.Optional(str),
    ssh_interface: Type.Optional(oneOf(["private_ips", "public_ips"])),
    ssh_username: Type.Optional(str),
    minion: Type.Optional(
      Type.Object(
        { startup_states: Type.Optional(strOrList), master: Type.Optional(str) },
        { additionalProperties: false },
      ),
    ),
    grains: Type.Optional(grains),
    bootstrap: Type.Optional(
      Type.Object(
        {
          document: str,
          parameters: Type.Optional(mapOf(strOrList)),
          timeout_seconds: Type.Optional(
            intSchema(LIMITS.bootstrapTimeoutSeconds.min, LIMITS.bootstrapTimeoutSeconds.max, "seconds"),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const reactorProfilesSchema = mapOf(reactorProfile);
export type ReactorProfilesInput = Static<typeof reactorProfilesSchema>;

/**
 * The patterns the Salt bootstrap document gives its parameters (SSM refuses a value that does not
 * match, and none admits a quote, `$` or backtick): the document carries them as allowedPattern, and
 * the loader checks the values against them, so a value SSM would refuse is a config error.
 */
/** The first grain whose name or value the Salt bootstrap cannot carry, as `name: value`. */
function offendingGrain(g: unknown): string {
  const ok = /^[A-Za-z0-9_.:/ ,-]*$/;
  const bad = Object.entries(toGrains(g)).find(
    ([k, v]) => !ok.test(k) || (Array.isArray(v) ? v : [v]).some((x) => !ok.test(x)),
  );
  return bad ? `${bad[0]}: ${JSON.stringify(bad[1])}` : JSON.stringify(toGrains(g));
}

export const SALT_PARAMETER_PATTERNS = {
  Master: "^[A-Za-z0-9.-]{1,253}$",
  StartupStates: "^[A-Za-z0-9_.-]+( [A-Za-z0-9_.-]+)*$",
  Grains: '^[A-Za-z0-9_.:/ ,\\[\\]{}"-]{2,4096}$',
  SaltVersion: "^[0-9]{4}(\\.[0-9]+)?$",
  ExecutionTimeout: "^([1-9][0-9]{1,3}|[1-9])$",
} as const;

/** The seed's `minion.startup_states`: the stack's own Salt bootstrap document runs them. */
export interface SaltBootstrapModel {
  readonly kind: "salt";
  readonly startupStates: readonly string[];
  /** The master's address: the profile's `minion.master`, else the cloud provider's. */
  readonly master?: string;
  /** The minion's grains as one JSON document: the profile's grains and `pillar_stack`, which the master autosigns on. */
  readonly grains: string;
  readonly timeoutSeconds: number;
}

/** `bootstrap:`: an SSM command document of the user's, with parameters, as the reactor runs it. */
export interface DocumentBootstrapModel extends BootstrapConfig {
  readonly kind: "document";
}

/** How a reactor profile bootstraps a new instance: one SSM Run Command. */
export type BootstrapModel = SaltBootstrapModel | DocumentBootstrapModel;

export interface ReactorProfileModel {
  readonly name: string;
  readonly grains: Grains;
  readonly sshUsername?: string;
  readonly bootstrap?: BootstrapModel;
  readonly path: string;
}

/** How long the Salt bootstrap may run: its command's timeout and the document's ExecutionTimeout. */
const SALT_TIMEOUT_SECONDS = 600;

export function loadReactorProfiles(v: ReactorProfilesInput | undefined, s: Section): ReactorProfileModel[] {
  return Object.entries(v ?? {}).map(([name, p]) => {
    const path = sub("pillar:ec2.autoscale", name);
    checkCloudProvider(p.provider, path, s);
    const minion = p.minion ?? {};
    const b = p.bootstrap;
    if (b && minion.startup_states !== undefined) {
      s.issues.push({ path, message: "Only one of [minion.startup_states] or [bootstrap] can be specified" });
    }
    let bootstrap: BootstrapModel | undefined;
    if (b) {
      const parameters: Record<string, string[]> = {};
      for (const [k, pv] of Object.entries(b.parameters ?? {})) parameters[k] = toList(pv);
      bootstrap = {
        kind: "document",
        document: b.document,
        parameters,
        timeoutSeconds: b.timeout_seconds ?? 600,
      };
    } else if (minion.startup_states !== undefined) {
      const master = minion.master ?? s.cloud?.saltMaster;
      const startupStates = toList(minion.startup_states);
      const grainsJson = JSON.stringify({ ...toGrains(p.grains), pillar_stack: s.stack });
      bootstrap = {
        kind: "salt",
        startupStates,
        ...(master ? { master } : {}),
        grains: grainsJson,
        timeoutSeconds: SALT_TIMEOUT_SECONDS,
      };
      if (master === undefined && s.cloud !== undefined) {
        s.issues.push({
          path: sub(path, "minion"),
          message:
            "the Salt bootstrap needs the master's address: set minion.master here or in the cloud provider (the seed's provider file writes it as the template's {{ salt_master_domain }})",
        });
      } else if (master !== undefined && !new RegExp(SALT_PARAMETER_PATTERNS.Master).test(master)) {
        s.issues.push({
          path: sub(sub(path, "minion"), "master"),
          message: `expected a host name or IPv4 address, got "${master}"`,
        });
      }
      for (const st of startupStates) {
        if (!/^[A-Za-z0-9_.-]+$/.test(st)) {
          s.issues.push({
            path: sub(sub(path, "minion"), "startup_states"),
            message: `expected Salt state names ([A-Za-z0-9_.-]), got "${st}"`,
          });
        }
      }
      if (!new RegExp(SALT_PARAMETER_PATTERNS.Grains).test(grainsJson)) {
        s.issues.push({
          path: sub(path, "grains"),
          message: `grain names and values for the Salt bootstrap may use letters, digits, space and _ . : / , - only, got ${offendingGrain(p.grains)}`,
        });
      }
    }
    return {
      name,
      grains: toGrains(p.grains),
      ...(p.ssh_username !== undefined ? { sshUsername: p.ssh_username } : {}),
      ...(bootstrap ? { bootstrap } : {}),
      path,
    };
  });
}
