/**
 * The offline plan after its arguments and stack file are read (scripts/plan.ts): the program under
 * the mock runtime, the policy packs (launched already) over the analyzer protocol, the provider's
 * rules, and the report. Loaded only once the packs are starting: it brings in the Pulumi SDK, the AWS
 * provider's SDK and the program, about a second of the plan's start-up.
 */
import * as fs from "node:fs";
import { ConfigError } from "../../config/issues";
import { notesOf } from "../../config/loader";
import { formatPolicies, PolicyConfigError } from "./analyzer";
import type { PackLaunch } from "./analyzerProcess";
import { formatForPath, renderTopology } from "./diagram";
import { planStack, PROJECT, type PlanInput } from "./planner";
import { analyzeWithPacks, mandatoryCount, openPacks, policiesJson, type PackRequest } from "./policyPacks";
import { displayName } from "../../provider/naming";
import { formatProviderViolations, providerViolationsJson } from "./providerReport";
import { checkProvider } from "../../provider/rules";
import { configEnvWarning } from "./configEnv";
import { RecordedResource } from "./record";
import { RequestCache } from "./requestCache";
import { ResourceFeed } from "./resourceFeed";
import { ImportFileError } from "./adopt/importFile";
import { AdoptFile, adoptWarnings, planImportFile, readAdoptFile } from "./adopt/planOptions";

/** The command's options, as scripts/plan.ts parsed them. */
export interface PlanArgs {
  readonly json: boolean;
  readonly diagram?: string;
  readonly "show-policy-remediations": boolean;
  readonly "import-file"?: string;
  readonly adopt?: string;
}

function shortType(type: string): string {
  return type.replace(/^aws:([a-z0-9]+)\/[a-zA-Z0-9]+:/, "aws:$1:");
}

/** The resource tree, parents before children, like `pulumi preview`'s plan. Linear in the resources. */
export function formatTree(stack: string, resources: readonly RecordedResource[]): string {
  const children = new Map<string, RecordedResource[]>();
  const roots: RecordedResource[] = [];
  const urns = new Set(resources.map((r) => r.urn));
  for (const r of resources) {
    if (r.parent && urns.has(r.parent)) {
      const list = children.get(r.parent) ?? [];
      list.push(r);
      children.set(r.parent, list);
    } else roots.push(r);
  }
  const lines: string[] = [
    `Previewing update (${stack}), offline:`,
    "",
    "     Type                                                   Name → name in AWS, where it differs",
  ];
  const walk = (r: RecordedResource, depth: number) => {
    const type = `${"    ".repeat(depth)}${depth > 0 ? "└─ " : ""}${shortType(r.type)}`;
    const physical = r.physicalName ? displayName(r.physicalName) : undefined;
    const label = physical !== undefined && physical !== r.name ? `${r.name} → ${physical}` : r.name;
    // As pulumi preview marks them: `+` create, `=` import (the resource's import option).
    const op = r.options.import !== undefined ? "=" : "+";
    lines.push(` ${op}   ${type.padEnd(54)} ${label}${op === "=" ? ` [id=${r.options.import}]` : ""}`);
    for (const c of children.get(r.urn) ?? []) walk(c, depth + 1);
  };
  for (const r of roots) walk(r, 0);
  return lines.join("\n");
}

export function summarize(resources: readonly RecordedResource[]): string {
  const counts = new Map<string, number>();
  for (const r of resources) if (r.custom) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const lines = [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([t, n]) => `    ${String(n).padStart(3)} ${shortType(t)}`);
  const custom = resources.filter((r) => r.custom).length;
  const imported = resources.filter((r) => r.options.import !== undefined).length;
  const ops =
    imported > 0
      ? `+ ${resources.length - imported} to create, = ${imported} to import`
      : `+ ${resources.length} to create`;
  return [
    `Resources: ${ops} (${custom} AWS resources, ${resources.length - custom} components)`,
    ...lines,
  ].join("\n");
}

/**
 * Plans `input` and writes the report; returns the exit code (0 planned, 1 a mandatory violation or
 * a value AWS would refuse, 2 bad input). `launches` are the packs' processes, one per request.
 */
export async function runPlan(
  args: PlanArgs,
  input: PlanInput,
  packs: readonly PackRequest[],
  launches: readonly PackLaunch[],
): Promise<number> {
  let adopt: AdoptFile | undefined;
  if (args.adopt !== undefined) {
    try {
      adopt = readAdoptFile(args.adopt, input.stack, PROJECT);
    } catch (err) {
      if (!(err instanceof ImportFileError)) throw err;
      process.stderr.write(`error: ${err.message}\n\nNothing was planned.\n`);
      return 2;
    }
  }
  // The packs (started already) are configured, and check their config, while the program runs.
  const requests = new RequestCache(input.stackFile.config);
  const opening = openPacks(
    packs,
    {
      project: PROJECT,
      stack: input.stack,
      dryRun: true,
      stackConfig: requests.stackConfig,
      secretConfigKeys: input.stackFile.secretKeys,
      requests,
    },
    launches,
  );
  opening.catch(() => undefined); // settled below; never an unhandled rejection meanwhile
  // The policy packs, spoken to over the analyzer protocol exactly as `pulumi preview --policy-pack`
  // does, and as the engine does, each resource analyzed as it is registered (from when the packs are
  // configured, which may be after the program has begun).
  const feed = new ResourceFeed();
  // Until the packs listen and are configured, each resource's requests are encoded as it registers.
  // A request that cannot be encoded fails again when it is sent, and is reported there.
  if (packs.length > 0)
    requests.warm(feed, opening).then(
      // For test/planStartup.test.ts (and a profile): how many were encoded ahead.
      (n) => performance.mark("pillar:requests encoded ahead", { detail: n }),
      () => undefined,
    );
  const analysis = opening.then((sessions) => analyzeWithPacks(sessions, feed));
  analysis.catch(() => undefined); // as `opening`
  let planned;
  try {
    planned = await planStack(input, {
      ...(adopt ? { imports: adopt.imports } : {}),
      onRegister: (r) => feed.push(r),
    });
  } catch (err) {
    feed.end();
    await opening.then(
      (sessions) => Promise.all(sessions.map((s) => s.close())),
      () => undefined,
    );
    await analysis.catch(() => undefined);
    if (err instanceof ConfigError) {
      process.stderr.write(`error: ${err.message}\n\nNothing was planned.\n`);
      return 2;
    }
    throw err;
  }
  feed.end();
  performance.mark("pillar:program done"); // for bench/planTimeline.ts
  try {
    await opening;
  } catch (err) {
    if (!(err instanceof PolicyConfigError)) throw err;
    process.stderr.write(`error: ${err.message}\n\nNothing was planned.\n`);
    return 2;
  }
  const runs = await analysis;
  const resources = planned.resources;
  const mandatory = mandatoryCount(runs);
  // What the AWS provider would refuse at preview, or AWS at create: a deploy would fail either way.
  const rejected = checkProvider(resources, planned.model.autonaming);
  const exitCode = mandatory > 0 || rejected.length > 0 ? 1 : 0;
  const tooBig = configEnvWarning(input.stackFile.config);
  const notes = [
    ...(planned.model.notes ?? []),
    ...(tooBig !== undefined ? [tooBig] : []),
    ...(planned.model.autonaming?.warnings ?? []),
    // Where an ALB does differently from what its entry says for a classic ELB (config/sections/elb/application.ts).
    ...notesOf(planned.model).map((n) => `${n.path}: ${n.message}`),
    ...(adopt ? adoptWarnings(resources, adopt, planned.model) : []),
  ];
  if (args["import-file"] !== undefined) {
    const written = planImportFile(resources, planned.model);
    fs.writeFileSync(args["import-file"], written.text);
    notes.push(...written.warnings);
  }
  if (args.diagram !== undefined) {
    fs.writeFileSync(args.diagram, await renderTopology(resources, formatForPath(args.diagram)));
  }
  if (args.json) {
    const doc = {
      stack: input.stack,
      resources: resources.map((r) => ({
        urn: r.urn,
        type: r.type,
        name: r.name,
        parent: r.parent ?? null,
        physicalName:
          r.physicalName && r.physicalName.error === undefined ? displayName(r.physicalName) : null,
        inputs: r.inputs,
        dependencies: r.dependencies,
        options: {
          protect: r.options.protect,
          ignoreChanges: r.options.ignoreChanges,
          deleteBeforeReplace: r.options.deleteBeforeReplace,
          retainOnDelete: r.options.retainOnDelete,
          import: r.options.import ?? null,
          aliases: r.options.aliases,
        },
      })),
      policies: policiesJson(runs),
      provider: { violations: providerViolationsJson(rejected) },
    };
    // Exactly DESIGN.md's document on stdout; what the plan assumed goes to stderr, as in the tree form.
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    for (const n of notes) process.stderr.write(`warning: ${n}\n`);
    if (planned.assumptions.length > 0) {
      process.stderr.write(
        `Assumed lookups (fakes of the offline plan):\n${planned.assumptions.map((a) => `    ${a}\n`).join("")}`,
      );
    }
    return exitCode;
  }
  const out = [formatTree(input.stack, resources), "", summarize(resources)];
  if (planned.assumptions.length > 0) {
    out.push(
      "",
      "Assumed lookups (fakes of the offline plan, not facts about your account):",
      ...planned.assumptions.map((a) => `    ${a}`),
    );
  }
  out.push("", formatPolicies(runs, { showRemediations: args["show-policy-remediations"] }).trimEnd());
  out.push("", formatProviderViolations(rejected, resources.filter((r) => r.custom).length));
  for (const n of notes) out.push("", `warning: ${n}`);
  if (args.diagram !== undefined) out.push("", `Diagram: wrote ${args.diagram}`);
  if (args["import-file"] !== undefined)
    out.push("", `Import file: wrote ${args["import-file"]} (the resources this plan creates)`);
  if (mandatory > 0)
    out.push(
      "",
      `error: ${mandatory} mandatory policy violation(s): this stack must not be deployed as it is.`,
    );
  if (rejected.length > 0)
    out.push(
      "",
      `error: ${rejected.length} value(s) the AWS provider or AWS would reject: this stack cannot be deployed as it is.`,
    );
  process.stdout.write(`${out.join("\n")}\n`);
  return exitCode;
}
