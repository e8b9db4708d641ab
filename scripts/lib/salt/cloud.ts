/**
 * salt-cloud's provider files → `pillar:cloud` (the profile files → `pillar:profiles` are in
 * profiles.ts).
 *
 * Sources (Salt 3006 docs, salt.cloud.clouds.ec2; saltstack/salt salt/cloud/__init__.py):
 * - a provider file maps an alias to its settings, `driver: ec2` (`provider: ec2` before 2015.8);
 *   the region is `location` (the seed writes `region`); `id`/`key` are the IAM keys, or
 *   `use-instance-role-credentials` for the instance's role.
 */
import { sub } from "../../../config/issues";
import { ignoredReason } from "./options";
import { asMap, kindOf, SaltFile, SaltInputError } from "./read";
import { OptionEntry, sectionSchema, walk } from "./walk";

const EC2_DRIVERS = new Set(["ec2", "aws"]);
/** Profile settings salt-cloud takes from the provider when a profile does not set them. */
export const INHERITED = ["size", "image", "subnetid", "securitygroup", "block_device_mappings"];
/** Provider keys that are credentials: never written. */
const CREDENTIALS = ["id", "key"];
const INSTANCE_ROLE = "use-instance-role-credentials";

export interface ProviderChoice {
  readonly alias: string;
  readonly file: string;
  readonly settings: Record<string, unknown>;
}

export interface Credential {
  readonly file: string;
  readonly option: string;
  /** Where it belongs as a secret: `pillar:cloud.aws_provider.id`. */
  readonly pillar: string;
}

function driverOf(settings: Record<string, unknown>): string | undefined {
  const d = settings.driver ?? settings.provider;
  return typeof d === "string" ? d : undefined;
}

/** The one EC2 provider of the provider files (or the one `--provider` names). */
export function chooseProvider(
  files: readonly SaltFile[],
  wanted: string | undefined,
  problems: SaltInputError[],
  entries: OptionEntry[],
): ProviderChoice | undefined {
  const seen = new Map<string, string>();
  const ec2: ProviderChoice[] = [];
  const others: string[] = [];
  for (const f of files) {
    const top = asMap(f.data);
    if (!top) {
      problems.push(
        new SaltInputError(
          f.path,
          undefined,
          `expected a map of provider aliases to their settings, got ${kindOf(f.data)}`,
        ),
      );
      continue;
    }
    for (const [alias, v] of Object.entries(top)) {
      const settings = asMap(v);
      if (!settings) {
        problems.push(
          new SaltInputError(f.path, alias, `expected the provider's settings (a map), got ${kindOf(v)}`),
        );
        continue;
      }
      const before = seen.get(alias);
      if (before !== undefined) {
        problems.push(
          new SaltInputError(
            f.path,
            alias,
            `the provider alias is defined twice (also in ${before}); salt-cloud refuses that`,
          ),
        );
        continue;
      }
      seen.set(alias, f.path);
      const driver = driverOf(settings);
      if (driver !== undefined && EC2_DRIVERS.has(driver)) ec2.push({ alias, file: f.path, settings });
      else {
        others.push(`${alias} (driver ${driver ?? "not set"})`);
        entries.push({
          file: f.path,
          option: alias,
          action: "ignored",
          note: `a provider of driver ${driver ?? "(none)"}: pillar builds on AWS (driver ec2) only`,
        });
      }
    }
  }
  if (wanted !== undefined) {
    const found = ec2.find((p) => p.alias === wanted);
    if (!found)
      problems.push(
        new SaltInputError(
          files.map((f) => f.path).join(", "),
          wanted,
          `--provider names no EC2 provider of these files; EC2 providers: ${ec2.map((p) => JSON.stringify(p.alias)).join(", ") || "(none)"}`,
        ),
      );
    for (const p of ec2)
      if (p !== found)
        entries.push({
          file: p.file,
          option: p.alias,
          action: "ignored",
          note: `another EC2 provider: --provider ${wanted} chose one`,
        });
    return found;
  }
  if (ec2.length > 1) {
    const [first, ...rest] = ec2;
    for (const p of rest)
      problems.push(
        new SaltInputError(
          p.file,
          p.alias,
          `a second EC2 provider (the first is "${first!.alias}" in ${first!.file}); a stack has one cloud provider: choose one with --provider ${ec2.map((x) => x.alias).join(" or --provider ")}`,
        ),
      );
    return undefined;
  }
  if (ec2.length === 0 && files.length > 0)
    problems.push(
      new SaltInputError(
        files.map((f) => f.path).join(", "),
        undefined,
        `no EC2 provider (driver: ec2) among the providers ${others.join(", ") || "(none)"}`,
      ),
    );
  return ec2[0];
}

/** The provider's settings as `pillar:cloud.<alias>`, with its credentials set aside. */
export function translateProvider(
  p: ProviderChoice,
  entries: OptionEntry[],
  problems: SaltInputError[],
): {
  settings: Record<string, unknown>;
  credentials: Credential[];
  region?: { value: string; file: string; option: string };
} {
  const s: Record<string, unknown> = {};
  const credentials: Credential[] = [];
  const base = `pillar:cloud`;
  let region: { value: string; file: string; option: string } | undefined;
  for (const [k, v] of Object.entries(p.settings)) {
    const option = sub(p.alias, k);
    if (k === "driver" || k === "provider") {
      s.provider = "ec2";
      entries.push({
        file: p.file,
        option,
        action: k === "provider" && v === "ec2" ? "mapped" : "rewritten",
        pillar: sub(sub(base, p.alias), "provider"),
        note: `accepted (must be ec2)${k === "driver" ? "; salt-cloud's driver: is pillar's provider:" : ""}${v === "aws" ? "; salt-cloud's old aws driver is ec2" : ""}`,
      });
    } else if (k === "location" || k === "region") {
      if (typeof v !== "string") {
        problems.push(
          new SaltInputError(p.file, option, `expected a region name like us-east-1, got ${kindOf(v)}`),
        );
        continue;
      }
      if (region && region.value !== v) {
        problems.push(
          new SaltInputError(
            p.file,
            option,
            `says ${v}, but ${region.option} says ${region.value}: a provider has one region`,
          ),
        );
        continue;
      }
      region = { value: v, file: p.file, option };
      s.region = v;
      entries.push({
        file: p.file,
        option,
        action: k === "region" ? "mapped" : "rewritten",
        pillar: sub(sub(base, p.alias), "region"),
        note: "the explicit aws.Provider's region, and aws:region",
      });
    } else if (CREDENTIALS.includes(k)) {
      if (v === INSTANCE_ROLE || v === undefined || v === null || v === "")
        entries.push({
          file: p.file,
          option,
          action: "ignored",
          note: "the instance role's credentials: pillar uses ambient credentials (the role, a profile or the environment) when no keys are given",
        });
      else {
        const pillar = sub(sub(base, p.alias), k);
        credentials.push({ file: p.file, option, pillar });
        entries.push({
          file: p.file,
          option,
          action: "credential",
          pillar,
          note: "not written: a credential belongs in a Pulumi secret (the commands are below), or leave it out for a profile or ambient credentials",
        });
      }
    } else if (k === "minion") {
      const m = asMap(v);
      if (!m) {
        problems.push(
          new SaltInputError(p.file, option, `expected the minion's settings (a map), got ${kindOf(v)}`),
        );
        continue;
      }
      const kept: Record<string, unknown> = {};
      for (const [mk, mv] of Object.entries(m)) {
        if (mk === "master") {
          kept.master = mv;
          entries.push({
            file: p.file,
            option: sub(option, mk),
            action: "mapped",
            pillar: sub(sub(sub(base, p.alias), "minion"), "master"),
            note: "the Salt master address passed to the bootstrap document",
          });
        } else
          entries.push({
            file: p.file,
            option: sub(option, mk),
            action: "ignored",
            note: "minion config beyond the master's address: pillar's bootstrap writes only the master and grains; keep the rest in your states",
          });
      }
      if (Object.keys(kept).length > 0) s.minion = kept;
    } else if (INHERITED.includes(k)) {
      entries.push({
        file: p.file,
        option,
        action: "rewritten",
        note: "a profile default: salt-cloud applies it to every profile of this provider that does not set it, and so does the import (under pillar:profiles)",
      });
    } else {
      const providerSchema = sectionSchema("cloud").additionalProperties as Record<string, unknown>;
      const child = (providerSchema.properties as Record<string, Record<string, unknown>>)[k];
      if (child)
        s[k] = walk(v, child, sub(sub(base, p.alias), k), option, {
          file: p.file,
          source: "cloud-providers",
          entries,
        });
      else
        entries.push({ file: p.file, option, action: "ignored", note: ignoredReason("cloud-providers", k) });
    }
  }
  return { settings: s, credentials, ...(region ? { region } : {}) };
}
