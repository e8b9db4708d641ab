/**
 * What the offline plan keeps of one RegisterResource request, as the engine would see it: the URN
 * the engine makes, the aliases resolved, and the inputs as a preview shows them.
 */
import { createHash } from "node:crypto";
import { AutonamingModel } from "../../config/autonaming";
import { physicalName } from "../../provider/naming";
import { STACK_TYPE } from "../../provider/types";
import {
  KNOWN_AFTER_APPLY,
  RecordedResource,
  REDACTED_SECRET,
  RESOURCE_REF_SIG,
  SECRET_SIG,
  SIG_KEY,
  UNKNOWN_SENTINEL,
} from "./record";

const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";

/** Wire value → what a preview shows. */
export function displayValue(v: unknown): unknown {
  if (v === UNKNOWN_SENTINEL) return KNOWN_AFTER_APPLY;
  if (Array.isArray(v)) return v.map(displayValue);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const sig = o[SIG_KEY];
    if (sig === SECRET_SIG) return REDACTED_SECRET;
    if (sig === RESOURCE_REF_SIG) return o.urn;
    if (sig === ASSET_SIG) {
      const text = typeof o.text === "string" ? o.text : "";
      return `(asset: ${text.length} bytes, sha256 ${createHash("sha256").update(text).digest("hex").slice(0, 16)})`;
    }
    if (sig === ARCHIVE_SIG) {
      const assets = (o.assets ?? {}) as Record<string, unknown>;
      return { archive: Object.fromEntries(Object.entries(assets).map(([k, a]) => [k, displayValue(a)])) };
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, displayValue(x)]));
  }
  return v;
}

/** URNs as the engine makes them: the parent's full type chain, except for the root stack. */
export function engineUrn(
  stack: string,
  project: string,
  parent: string,
  type: string,
  name: string,
): string {
  let qualified = type;
  if (parent) {
    const parentType = parent.split("::")[2] ?? "";
    if (parentType !== STACK_TYPE) qualified = `${parentType}$${type}`;
  }
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/**
 * The URNs a RegisterResource request's aliases stand for: URNs as given, specs resolved the way the
 * engine resolves them (pkg/resource/deploy/source_eval.go, each part defaulting to the resource's own).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function aliasUrns(req: any, stack: string, project: string): string[] {
  const out: string[] = [...(req.getAliasurnsList?.() ?? [])];
  for (const a of req.getAliasesList?.() ?? []) {
    if (a.getUrn()) {
      out.push(a.getUrn());
      continue;
    }
    const spec = a.getSpec();
    if (!spec) continue;
    const parent = spec.getNoparent() ? "" : spec.getParenturn() || req.getParent();
    out.push(
      engineUrn(
        spec.getStack() || stack,
        spec.getProject() || project,
        parent,
        spec.getType() || req.getType(),
        spec.getName() || req.getName(),
      ),
    );
  }
  return [...new Set(out)];
}

/** Everything the offline plan keeps of one RegisterResource request, as the engine would see it. */
export function recordRegistration(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  req: any,
  ctx: { readonly stack: string; readonly project: string; readonly autonaming?: AutonamingModel },
): RecordedResource {
  const type: string = req.getType();
  const name: string = req.getName();
  const parent: string = req.getParent();
  const urn = engineUrn(ctx.stack, ctx.project, parent, type, name);
  const wireInputs = (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
  const propertyDependencies: Record<string, string[]> = {};
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
    propertyDependencies[key] = deps.getUrnsList();
  });
  const timeouts = req.getCustomtimeouts();
  const custom: boolean = req.getCustom();
  const physical = custom ? physicalName({ type, name, urn, wireInputs }, ctx.autonaming) : undefined;
  const importId: string = req.getImportid?.() ?? "";
  return {
    urn,
    type,
    name,
    custom,
    ...(parent ? { parent } : {}),
    ...(req.getProvider() ? { provider: req.getProvider() } : {}),
    inputs: displayValue(wireInputs) as Record<string, unknown>,
    wireInputs,
    dependencies: [...new Set<string>(req.getDependenciesList())],
    propertyDependencies,
    outputs: {},
    ...(physical ? { physicalName: physical } : {}),
    options: {
      protect: req.getProtect() ?? false,
      ignoreChanges: req.getIgnorechangesList(),
      deleteBeforeReplace: req.getDeletebeforereplace(),
      retainOnDelete: req.getRetainondelete?.() ?? false,
      ...(importId !== "" ? { import: importId } : {}),
      aliases: aliasUrns(req, ctx.stack, ctx.project),
      ...(timeouts
        ? {
            customTimeouts: {
              create: timeouts.getCreate(),
              update: timeouts.getUpdate(),
              delete: timeouts.getDelete(),
            },
          }
        : {}),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    },
  };
}
