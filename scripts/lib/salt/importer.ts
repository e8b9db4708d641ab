/**
 * A Salt master's files → a stack's config, in the shapes the README documents, with a report of
 * every Salt option (mapped to what, rewritten how, ignored and why), the credentials it did not
 * write, and what the user must decide. Nothing is returned when any input is bad: every problem is
 * thrown together as SaltImportError, each naming its file and key.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { placeholderMessage, placeholders, sub } from "../../../config/issues";
import { configKeys } from "../../../config/schema";
import { chooseProvider, Credential, translateProvider } from "./cloud";
import { listedProfiles, translateProfiles } from "./profiles";
import { translateMaster } from "./master";
import { deriveNetwork } from "./network";
import { translatePillar } from "./pillar";
import { asMap, readSaltFile, SaltFile, SaltFileKind, SaltImportError, SaltInputError } from "./read";
import { OptionEntry } from "./walk";
import { TYPES } from "../../../provider/types";

export interface SaltInput {
  readonly kind: SaltFileKind;
  readonly path: string;
}

export interface ImportOptions {
  /** The stack the file is for: names the commands the report prints. */
  readonly stack: string;
  /** The EC2 provider alias to import when the provider files define several. */
  readonly provider?: string;
  /** `verbatim` (default): the seed's names, which adopting the live resources needs. */
  readonly autonaming?: "verbatim" | "default";
}

export interface ImportResult {
  /** Full config keys (`aws:region`, `pillar:cloud` …) to values, in the order a stack file lists them. */
  readonly config: Record<string, unknown>;
  readonly entries: readonly OptionEntry[];
  /** `pulumi config set --secret --path …` commands for the credentials the files held. */
  readonly secretCommands: readonly string[];
  readonly files: readonly string[];
  /** The cloud provider's name in pillar:cloud. */
  readonly providerName?: string;
}

/** The README's adoption config: the seed's types keep their names exactly. */
export const VERBATIM_AUTONAMING = {
  providers: {
    aws: {
      resources: {
        [TYPES.ec2.SecurityGroup]: { mode: "verbatim" },
        [TYPES.elb.LoadBalancer]: { mode: "verbatim" },
        [TYPES.autoscaling.Group]: { mode: "verbatim" },
        [TYPES.cloudwatch.MetricAlarm]: { mode: "verbatim" },
      },
    },
  },
};

/** The files of a Salt config directory (/etc/salt), as salt-master and salt-cloud include them. */
export function saltDirInputs(dir: string): SaltInput[] {
  const out: SaltInput[] = [];
  const one = (name: string, kind: SaltFileKind) => {
    const p = path.join(dir, name);
    if (fs.existsSync(p) && fs.statSync(p).isFile()) out.push({ kind, path: p });
  };
  const confs = (name: string, kind: SaltFileKind) => {
    const d = path.join(dir, name);
    if (!fs.existsSync(d) || !fs.statSync(d).isDirectory()) return;
    for (const f of fs
      .readdirSync(d)
      .filter((n) => n.endsWith(".conf"))
      .sort())
      out.push({ kind, path: path.join(d, f) });
  };
  one("cloud.providers", "cloud-providers");
  confs("cloud.providers.d", "cloud-providers");
  one("cloud.profiles", "cloud-profiles");
  confs("cloud.profiles.d", "cloud-profiles");
  one("master", "master");
  confs("master.d", "master");
  return out;
}

/** Values still holding an article's placeholder (`ami-<some_id>`): the user must fill them in. */
function placeholderEntries(v: unknown, at: string, out: OptionEntry[]): void {
  for (const p of placeholders(v, at))
    out.push({
      file: "",
      option: p.path,
      action: "decide",
      pillar: p.path,
      note: placeholderMessage(p.value),
    });
}

export function importSalt(inputs: readonly SaltInput[], opts: ImportOptions): ImportResult {
  const problems: SaltInputError[] = [];
  const entries: OptionEntry[] = [];
  if (inputs.length === 0)
    throw new SaltImportError([
      new SaltInputError("(no files)", undefined, "nothing to import: give the Salt files (see --help)"),
    ]);
  const files: SaltFile[] = [];
  for (const i of inputs) {
    try {
      files.push(readSaltFile(i.path, i.kind));
    } catch (err) {
      if (!(err instanceof SaltInputError)) throw err;
      problems.push(err);
    }
  }
  const of = (kind: SaltFileKind) => files.filter((f) => f.kind === kind);

  const choice = chooseProvider(of("cloud-providers"), opts.provider, problems, entries);
  const provider = choice ? translateProvider(choice, entries, problems) : undefined;
  const lists = of("list-profiles");
  if (lists.length > 1)
    problems.push(
      new SaltInputError(lists.map((l) => l.path).join(", "), undefined, "give one --list-profiles output"),
    );
  const listed = lists[0] ? listedProfiles(lists[0], problems) : undefined;
  const profileFiles = of("cloud-profiles");
  const profiles =
    profileFiles.length > 0 || listed
      ? translateProfiles(
          profileFiles,
          choice,
          listed ? { file: lists[0]!.path, names: listed } : undefined,
          entries,
          problems,
        )
      : undefined;
  const master = translateMaster(of("master"), entries, problems);
  const pillar = translatePillar(of("pillar"), entries, problems);

  // One region: the provider's, else the formula's aws:region, else a launch_config's.
  const launchRegions = (
    Array.isArray(asMap(pillar.sections.autoscale)?.groups)
      ? (asMap(pillar.sections.autoscale)!.groups as unknown[])
      : []
  )
    .flatMap((g) => (Array.isArray(asMap(g)?.launch_config) ? (asMap(g)!.launch_config as unknown[]) : []))
    .map((item) => asMap(item)?.region)
    .filter((r): r is string => typeof r === "string");
  const region = provider?.region?.value ?? pillar.region?.value ?? launchRegions[0];
  if (provider?.region && pillar.region && provider.region.value !== pillar.region.value)
    problems.push(
      new SaltInputError(
        pillar.region.file,
        pillar.region.option,
        `says ${pillar.region.value}, but the provider's ${provider.region.option} (${provider.region.file}) says ${provider.region.value}: a stack has one region`,
      ),
    );
  if (region === undefined)
    entries.push({
      file: "",
      option: "aws:region",
      action: "decide",
      pillar: "aws:region",
      note: "no file names a region (the provider's location, the pillar's aws:region, a launch_config's region): set aws:region",
    });

  // The cloud provider: the imported one, or a minimal one named as the profiles name it.
  let cloud: Record<string, unknown> | undefined;
  let providerName: string | undefined;
  if (choice && provider) {
    providerName = choice.alias;
    cloud = { [choice.alias]: provider.settings };
  } else if (of("cloud-providers").length === 0) {
    const refs = new Set<string>();
    for (const p of [...Object.values(profiles ?? {}), ...Object.values(master.reactorProfiles ?? {})]) {
      const ref = asMap(p)?.provider;
      if (typeof ref === "string") refs.add(ref);
    }
    providerName = refs.size === 1 ? [...refs][0]! : "aws_provider";
    cloud = { [providerName]: { provider: "ec2", ...(region ? { region } : {}) } };
    entries.push({
      file: "",
      option: "pillar:cloud",
      action: "derived",
      pillar: sub("pillar:cloud", providerName),
      note: `no salt-cloud provider file given: a provider named ${providerName} (as the profiles name it) in the stack's region, with ambient credentials`,
    });
  }

  const credentials: Credential[] = [
    ...(provider?.credentials ?? []),
    ...pillar.credentials.map((c) => ({
      ...c,
      pillar: c.pillar.replace("<provider>", providerName ?? "aws_provider"),
    })),
  ];
  const secretCommands = [...new Set(credentials.map((c) => c.pillar))].map(
    (p) => `pulumi config set --stack ${opts.stack} --secret --path '${p}'`,
  );

  // Which reactor profile handles each group: the seed chose it by webhook tag, which only the SNS
  // topics' subscriptions (made by hand) tied to a group.
  const reactorNames = Object.keys(master.reactorProfiles ?? {});
  for (const h of master.hooks)
    if (!reactorNames.includes(h.profile))
      entries.push({
        file: master.reactorFile ?? "",
        option: `reactor["${h.tag}"]`,
        action: "decide",
        note: `the tag picks reactor profile "${h.profile}", which ec2.autoscale does not define (the seed's reactor fails on it): add it, or drop the hook`,
      });
  const used = [...new Set(master.hooks.map((h) => h.profile).filter((p) => reactorNames.includes(p)))];
  const candidates = used.length > 0 ? used : reactorNames;
  const groups = asMap(pillar.sections.autoscale)?.groups;
  if (Array.isArray(groups)) {
    groups.forEach((g, i) => {
      const group = asMap(g);
      if (!group || group.reactor_profile !== undefined || candidates.length === 0) return;
      const at = `pillar:autoscale.groups[${i}].reactor_profile`;
      if (candidates.length === 1) {
        group.reactor_profile = candidates[0];
        entries.push({
          file: master.reactorFile ?? "",
          option: "reactor",
          action: "derived",
          pillar: at,
          note: `group ${String(group.name)} → reactor profile "${candidates[0]}", the only one ${used.length > 0 ? "the reactor: hooks use" : "ec2.autoscale defines"}`,
        });
      } else
        entries.push({
          file: "",
          option: at,
          action: "decide",
          pillar: at,
          note: `which reactor profile handles group ${String(group.name)}'s instances (${candidates.map((c) => JSON.stringify(c)).join(", ")}): the seed chose by the webhook its SNS topic posted to, which no Salt file records`,
        });
    });
  }

  // The bootstrap needs the Salt master's address, from the provider's minion.master or each reactor profile's.
  const providerMaster = asMap(asMap(cloud?.[providerName ?? ""])?.minion)?.master;
  if (providerMaster === undefined)
    for (const [name, p] of Object.entries(master.reactorProfiles ?? {}))
      if (asMap(asMap(p)?.minion)?.master === undefined)
        entries.push({
          file: "",
          option: `pillar:ec2.autoscale.${name}.minion.master`,
          action: "decide",
          pillar: sub(sub("pillar:cloud", providerName ?? "aws_provider"), "minion") + ".master",
          note: "the Salt master's address new minions connect to: no file given says it (the provider file's minion.master does); set it",
        });

  const network = deriveNetwork(pillar.sections, profiles, entries);
  if (problems.length > 0) throw new SaltImportError(problems);

  const pillarValues: Record<string, unknown> = {
    cloud,
    network,
    profiles: profiles && Object.keys(profiles).length > 0 ? profiles : undefined,
    ...pillar.sections,
    "ec2.autoscale": master.reactorProfiles,
  };
  const config: Record<string, unknown> = {};
  if (region !== undefined) config["aws:region"] = region;
  if ((opts.autonaming ?? "verbatim") === "verbatim") {
    config["pulumi:autonaming"] = VERBATIM_AUTONAMING;
    entries.push({
      file: "",
      option: "pulumi:autonaming",
      action: "derived",
      pillar: "pulumi:autonaming",
      note: "verbatim names for security groups, the ELB, autoscale groups and alarms: the live Salt-built resources keep their names, which npm run adopt and pulumi import need (--autonaming default to leave names to the provider)",
    });
  }
  for (const key of configKeys)
    if (pillarValues[key] !== undefined) config[`pillar:${key}`] = pillarValues[key];
  for (const [k, v] of Object.entries(config)) placeholderEntries(v, k, entries);
  return {
    config,
    entries,
    secretCommands,
    files: files.map((f) => f.path),
    ...(providerName !== undefined ? { providerName } : {}),
  };
}
