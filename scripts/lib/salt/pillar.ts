/**
 * The pillar as Salt renders it → `pillar:security_groups`, `pillar:elb`, `pillar:autoscale`,
 * `pillar:cloudwatch`.
 *
 * Shapes read (saltstack/salt salt/cli/caller.py: `salt-call` prints `{"local": <return>}`;
 * `salt-run pillar.show_pillar MINION` prints the pillar itself; `salt '*' pillar.items` prints one
 * `{minion: pillar}` per minion). The aws formula the seed uses reads its sections under `aws:`
 * (blarghmatey/aws-formula aws/security_groups.sls: `pillar.get('aws:security_groups')`, and
 * `aws:elb`, `aws:autoscale:groups`, `aws:cloudwatch:alarms`, `aws:region`, `aws:key`,
 * `aws:secret_key`); the seed's snippets are indented under it. Sections at the top are read too.
 */
import { sub } from "../../../config/issues";
import { Credential } from "./cloud";
import { deepMerge } from "./profiles";
import { ignoredReason } from "./options";
import { asMap, kindOf, SaltFile, SaltInputError } from "./read";
import { OptionEntry, sectionSchema, walk } from "./walk";

export const PILLAR_SECTIONS = ["security_groups", "elb", "autoscale", "cloudwatch"] as const;
export type PillarSection = (typeof PILLAR_SECTIONS)[number];

const isSection = (k: string): k is PillarSection => (PILLAR_SECTIONS as readonly string[]).includes(k);

export interface PillarResult {
  readonly sections: Partial<Record<PillarSection, unknown>>;
  readonly region?: { readonly value: string; readonly file: string; readonly option: string };
  readonly credentials: readonly Credential[];
}

/** The formula's credential keys → the provider's. */
const PILLAR_CREDENTIALS: Readonly<Record<string, string>> = { key: "id", keyid: "id", secret_key: "key" };

function hasSections(m: Record<string, unknown>): boolean {
  return (
    Object.keys(m).some(isSection) ||
    (asMap(m.aws) !== undefined && Object.keys(asMap(m.aws)!).some(isSection))
  );
}

/** The pillar itself, out of what `salt-call`/`salt` print around it. */
function unwrap(
  f: SaltFile,
  problems: SaltInputError[],
  entries: OptionEntry[],
): Record<string, unknown> | undefined {
  const top = asMap(f.data);
  if (!top) {
    problems.push(
      new SaltInputError(
        f.path,
        undefined,
        `expected the pillar (a map of pillar keys), got ${kindOf(f.data)}`,
      ),
    );
    return undefined;
  }
  if (hasSections(top)) return top;
  const wrapped = Object.entries(top).filter(([, v]) => asMap(v) !== undefined && hasSections(asMap(v)!));
  if (wrapped.length === 1 && Object.keys(top).length === 1) {
    const [minion] = wrapped[0]!;
    entries.push({
      file: f.path,
      option: minion,
      action: "rewritten",
      note: `the output of ${minion === "local" ? "salt-call --local pillar.items" : "salt pillar.items"} for minion "${minion}": its pillar is read`,
    });
    return asMap(wrapped[0]![1])!;
  }
  if (wrapped.length > 1) {
    problems.push(
      new SaltInputError(
        f.path,
        undefined,
        `holds the pillar of ${wrapped.length} minions (${wrapped.map(([m]) => JSON.stringify(m)).join(", ")}); a stack takes one: run pillar.items on one minion, or salt-run pillar.show_pillar MINION --out=json`,
      ),
    );
    return undefined;
  }
  // Inside a one-minion wrapper, say what the minion's pillar has.
  const only = Object.keys(top).length === 1 ? asMap(Object.values(top)[0]) : undefined;
  const found = only ? Object.keys(only) : Object.keys(top);
  const where = only ? ` (in the pillar of minion "${Object.keys(top)[0]}")` : "";
  problems.push(
    new SaltInputError(
      f.path,
      undefined,
      `no pillar section pillar recognises: expected ${PILLAR_SECTIONS.join(", ")} (at the top, or under aws: as the aws formula reads them); found ${found.length === 0 ? "no keys" : `the keys ${found.map((k) => JSON.stringify(k)).join(", ")}`}${where}`,
    ),
  );
  return undefined;
}

const SNS_ARN = /^arn:aws[a-z-]*:sns:/;

/** Salt-era shapes pillar takes in another form, rewritten before the schema walk. */
function rewrite(
  section: PillarSection,
  value: unknown,
  salt: string,
  file: string,
  entries: OptionEntry[],
): unknown {
  if (section === "security_groups" && Array.isArray(value)) {
    return value.map((g, i) => {
      const group = asMap(g);
      if (!group || !Array.isArray(group.rules)) return g;
      const rules = group.rules.map((r, j) => {
        const rule = asMap(r);
        if (!rule || rule.source_group_name === undefined || rule.cidr_ip !== undefined) return r;
        const { source_group_name, ...rest } = rule;
        entries.push({
          file,
          option: sub(sub(sub(sub(salt, i), "rules"), j), "source_group_name"),
          action: "rewritten",
          pillar: `pillar:security_groups[${i}].rules[${j}].cidr_ip`,
          note: "boto_secgroup's source_group_name: pillar writes a group's name in cidr_ip",
        });
        return { ...rest, cidr_ip: source_group_name };
      });
      return { ...group, rules };
    });
  }
  if (section === "cloudwatch") {
    const cw = asMap(value);
    if (!cw || !Array.isArray(cw.alarms)) return value;
    const alarms = cw.alarms.map((a, i) => {
      const alarm = asMap(a);
      const attrs = asMap(alarm?.attributes);
      if (!alarm || !attrs) return a;
      const out: Record<string, unknown> = { ...attrs };
      for (const kind of ["alarm_actions", "ok_actions", "insufficient_data_actions"]) {
        const list = attrs[kind];
        if (!Array.isArray(list)) continue;
        out[kind] = list.map((x, k) => {
          if (typeof x !== "string" || !SNS_ARN.test(x) || x.split(":").length !== 7) return x;
          const topic = x.split(":").slice(0, 6).join(":");
          entries.push({
            file,
            option: sub(sub(sub(sub(sub(salt, "alarms"), i), "attributes"), kind), k),
            action: "rewritten",
            pillar: `pillar:cloudwatch.alarms[${i}].attributes.${kind}[${k}]`,
            note: `an SNS subscription ARN: CloudWatch notifies topics, so its topic ${topic}`,
          });
          return topic;
        });
      }
      return { ...alarm, attributes: out };
    });
    return { ...cw, alarms };
  }
  if (section === "autoscale") {
    const as = asMap(value);
    if (!as || !Array.isArray(as.groups)) return value;
    const groups = as.groups.map((g, i) => {
      let group = asMap(g);
      // boto_asg takes launch_config as a list of one-key maps; some pillars write one map, with its name.
      const lc = asMap(group?.launch_config);
      if (group && lc) {
        const { name, ...settings } = lc;
        entries.push({
          file,
          option: sub(sub(sub(salt, "groups"), i), "launch_config"),
          action: "rewritten",
          pillar: `pillar:autoscale.groups[${i}].launch_config`,
          note: `a map: pillar takes boto_asg's list of one-key maps${name !== undefined && group.launch_config_name === undefined ? ", and its name as launch_config_name" : ""}`,
        });
        group = {
          ...group,
          ...(name !== undefined && group.launch_config_name === undefined
            ? { launch_config_name: name }
            : {}),
          launch_config: Object.entries(settings).map(([k, v]) => ({ [k]: v })),
        };
      }
      if (!group || !Array.isArray(group.tags)) return group ?? g;
      const tags: Record<string, unknown> = {};
      for (const t of group.tags) {
        const m = asMap(t);
        if (m && typeof m.key === "string") tags[m.key] = m.value;
      }
      entries.push({
        file,
        option: sub(sub(sub(salt, "groups"), i), "tags"),
        action: "rewritten",
        pillar: `pillar:autoscale.groups[${i}].tags`,
        note: "boto_asg's list of {key, value, propagate_at_launch}: pillar takes a map and propagates every group tag at launch",
      });
      return { ...group, tags };
    });
    return { ...as, groups };
  }
  return value;
}

export function translatePillar(
  files: readonly SaltFile[],
  entries: OptionEntry[],
  problems: SaltInputError[],
): PillarResult {
  const sections: Partial<Record<PillarSection, unknown>> = {};
  const credentials: Credential[] = [];
  let region: PillarResult["region"];
  // Salt merges pillar SLS recursively, later files over earlier ones (pillar_source_merging_strategy smart).
  const origin = new Map<string, { file: string; salt: string; value: unknown }>();
  let merged: Record<string, unknown> = {};
  for (const f of files) {
    const pillar = unwrap(f, problems, entries);
    if (!pillar) continue;
    merged = deepMerge(merged, pillar);
    for (const [k, v] of Object.entries(pillar)) {
      const aws = k === "aws" ? asMap(v) : undefined;
      if (aws)
        for (const ak of Object.keys(aws))
          origin.set(`aws.${ak}`, { file: f.path, salt: sub("aws", ak), value: undefined });
      else origin.set(k, { file: f.path, salt: k, value: undefined });
    }
  }
  const visit = (key: string, value: unknown, under: "" | "aws") => {
    const o = origin.get(under ? `aws.${key}` : key);
    if (!o) return;
    const file = o.file;
    const salt = o.salt;
    if (isSection(key)) {
      if (sections[key] !== undefined) {
        problems.push(
          new SaltInputError(file, salt, `pillar has ${key} both at the top and under aws:; keep one`),
        );
        return;
      }
      sections[key] = walk(
        rewrite(key, value, salt, file, entries),
        sectionSchema(key),
        `pillar:${key}`,
        salt,
        {
          file,
          source: "pillar",
          entries,
        },
      );
      return;
    }
    if (under === "aws" && key === "region") {
      if (typeof value === "string") {
        region = { value, file, option: salt };
        entries.push({
          file,
          option: salt,
          action: "mapped",
          pillar: "aws:region",
          note: "the stack's region (aws:region)",
        });
      } else
        problems.push(
          new SaltInputError(file, salt, `expected a region name like us-east-1, got ${kindOf(value)}`),
        );
      return;
    }
    if (under === "aws" && PILLAR_CREDENTIALS[key]) {
      credentials.push({ file, option: salt, pillar: `pillar:cloud.<provider>.${PILLAR_CREDENTIALS[key]}` });
      entries.push({
        file,
        option: salt,
        action: "credential",
        note: "not written: the aws formula's IAM key belongs in a Pulumi secret of the provider (the commands are below), or leave it out for a profile or ambient credentials",
      });
      return;
    }
    entries.push({
      file,
      option: salt,
      action: "ignored",
      note:
        under === "aws" ? ignoredReason("pillar", key) : "pillar data of other states: not part of the tier",
    });
  };
  for (const [k, v] of Object.entries(merged)) {
    const aws = k === "aws" ? asMap(v) : undefined;
    if (aws) for (const [ak, av] of Object.entries(aws)) visit(ak, av, "aws");
    else visit(k, v, "");
  }
  return { sections, credentials, ...(region ? { region } : {}) };
}
