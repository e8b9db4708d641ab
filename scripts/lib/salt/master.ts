/**
 * The master config (`master`, `master.d/*.conf`, merged in that order as Salt includes them) →
 * `pillar:ec2.autoscale` and the reactor profiles the `reactor:` hooks use.
 *
 * The seed's reactor chooses the `ec2.autoscale` profile by the webhook's tag,
 * `tag.split('/')[-2]`: `salt/netapi/hook/autoscale/web/up` → `web`. `reactor:` is a list of
 * one-key maps, tag → list of reactor SLS files.
 */
import { sub } from "../../../config/issues";
import { deepMerge } from "./profiles";
import { ignoredReason, seedNote } from "./options";
import { asMap, kindOf, SaltFile, SaltInputError } from "./read";
import { OptionEntry, sectionSchema, walk } from "./walk";

export interface ReactorHook {
  readonly tag: string;
  readonly sls: readonly string[];
  /** The ec2.autoscale profile the seed's reactor picks for this tag. */
  readonly profile: string;
}

export interface MasterResult {
  readonly reactorProfiles?: Record<string, unknown>;
  readonly hooks: readonly ReactorHook[];
  /** Where `reactor:` came from, for the report. */
  readonly reactorFile?: string;
}

function isAutoscaleHook(tag: string, sls: readonly string[]): boolean {
  return tag.startsWith("salt/netapi/hook/") || sls.some((s) => /autoscale/i.test(s));
}

export function translateMaster(
  files: readonly SaltFile[],
  entries: OptionEntry[],
  problems: SaltInputError[],
): MasterResult {
  let merged: Record<string, unknown> = {};
  const origin = new Map<string, string>();
  for (const f of files) {
    const top = asMap(f.data);
    if (!top) {
      problems.push(
        new SaltInputError(
          f.path,
          undefined,
          `expected the master's settings (a map), got ${kindOf(f.data)}`,
        ),
      );
      continue;
    }
    merged = deepMerge(merged, top);
    for (const k of Object.keys(top)) origin.set(k, f.path);
  }
  const hooks: ReactorHook[] = [];
  let reactorProfiles: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(merged)) {
    const file = origin.get(k)!;
    if (k === "reactor") {
      if (!Array.isArray(v)) {
        problems.push(
          new SaltInputError(
            file,
            "reactor",
            `expected a list of {tag: [reactor SLS files]} maps, got ${kindOf(v)}`,
          ),
        );
        continue;
      }
      v.forEach((item, i) => {
        const m = asMap(item);
        const keys = m ? Object.keys(m) : [];
        if (!m || keys.length !== 1) {
          problems.push(
            new SaltInputError(
              file,
              sub("reactor", i),
              `expected one {tag: [reactor SLS files]} map, got ${kindOf(item)}`,
            ),
          );
          return;
        }
        const tag = keys[0]!;
        const slsValue = m[tag];
        const sls = (Array.isArray(slsValue) ? slsValue : [slsValue]).map(String);
        const option = `${sub("reactor", i)}["${tag}"]`;
        if (!isAutoscaleHook(tag, sls)) {
          entries.push({
            file,
            option,
            action: "ignored",
            note: "reacts to an event other than an autoscaling webhook: pillar's reactor handles autoscaling events only; keep it in Salt",
          });
          return;
        }
        const parts = tag.split("/");
        const profile = parts[parts.length - 2] ?? "";
        hooks.push({ tag, sls, profile });
        entries.push({
          file,
          option,
          action: "rewritten",
          pillar: "pillar:reactor",
          note: `${seedNote("reactor")}; this hook picks reactor profile "${profile}" (pillar:ec2.autoscale.${profile}); the SNS topics that posted to it: ${seedNote("salt-api")}`,
        });
      });
    } else if (k === "ec2.autoscale") {
      const m = asMap(v);
      if (!m) {
        problems.push(
          new SaltInputError(
            file,
            k,
            `expected a map of reactor profile names to their settings, got ${kindOf(v)}`,
          ),
        );
        continue;
      }
      reactorProfiles = walk(m, sectionSchema("ec2.autoscale"), "pillar:ec2.autoscale", k, {
        file,
        source: "master",
        entries,
      }) as Record<string, unknown>;
    } else entries.push({ file, option: k, action: "ignored", note: ignoredReason("master", k) });
  }
  const reactorFile = origin.get("reactor");
  return { ...(reactorProfiles ? { reactorProfiles } : {}), hooks, ...(reactorFile ? { reactorFile } : {}) };
}
