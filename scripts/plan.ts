/**
 * `npm run plan` — the offline plan: no AWS account, no Pulumi CLI. Runs the program under Pulumi's
 * mock runtime in preview mode with a stack's config, prints the resource tree and a summary (or
 * one JSON document with --json). Exit 0 planned, 1 mandatory policy violation, 2 invalid config.
 */
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { exitAfterFlush } from "./lib/exit";
import { ConfigError } from "../config/issues";
import { notesOf } from "../config/loader";
import { formatPolicies, PolicyConfigError } from "./lib/analyzer";
import { formatForPath, renderTopology } from "./lib/diagram";
import { loadPlanInput, planStack, PROJECT, PROJECT_ROOT } from "./lib/planner";
import {
  analyzeWithPacks,
  mandatoryCount,
  openPacks,
  packRequests,
  PolicyArgsError,
  policiesJson,
  type PackRequest,
} from "./lib/policyPacks";
import { displayName } from "../provider/naming";
import { formatProviderViolations, providerViolationsJson } from "./lib/providerReport";
import { checkProvider } from "../provider/rules";
import { configEnvWarning } from "./lib/configEnv";
import { RecordedResource } from "./lib/record";
import { StackFileError } from "./lib/stackFile";
import { ImportFileError } from "./lib/adopt/importFile";
import { AdoptFile, adoptWarnings, planImportFile, readAdoptFile } from "./lib/adopt/planOptions";

const USAGE = `usage: npm run plan -- [--stack NAME | --stack-file PATH] [--json] [--diagram FILE]
                     [--policy-pack DIR]... [--policy-pack-config FILE]... [--policy-config FILE]
                     [--show-policy-remediations] [--import-file FILE] [--adopt FILE]

  --stack NAME       plan Pulumi.NAME.yaml (default: prod)
  --stack-file PATH  plan any stack config file
  --json             print one JSON document instead of the tree
  --diagram FILE     draw the topology to FILE (.svg, .dot/.gv, .mmd/.mermaid)
  --policy-pack DIR  run this policy pack (repeatable, as pulumi preview takes it; default: policies/)
  --policy-pack-config FILE  config of the --policy-pack in the same position (JSON, as pulumi takes it)
  --policy-config FILE  config of the pillar pack (policies/), wherever it runs
  --show-policy-remediations  list each remediation with its diff, not only a count per policy
  --import-file FILE  write the file pulumi import --file reads, for every resource the plan creates
                     (as pulumi preview --import-file does; ids it cannot know are <PLACEHOLDER>)
  --adopt FILE       plan with the resources of an import file (npm run adopt's) imported, not created
`;

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

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        stack: { type: "string" },
        "stack-file": { type: "string" },
        json: { type: "boolean", default: false },
        diagram: { type: "string" },
        "policy-config": { type: "string" },
        "policy-pack": { type: "string", multiple: true, default: [] },
        "policy-pack-config": { type: "string", multiple: true, default: [] },
        "show-policy-remediations": { type: "boolean", default: false },
        "import-file": { type: "string" },
        adopt: { type: "string" },
        help: { type: "boolean", default: false },
      },
      strict: true,
    }).values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.stack !== undefined && args["stack-file"] !== undefined) {
    process.stderr.write(`Only one of [--stack] or [--stack-file] can be specified\n${USAGE}`);
    return 2;
  }
  if (args.diagram !== undefined) {
    try {
      formatForPath(args.diagram);
    } catch (err) {
      process.stderr.write(`error: ${(err as Error).message}\n`);
      return 2;
    }
  }
  let packs: PackRequest[];
  try {
    packs = packRequests({
      packs: args["policy-pack"],
      packConfigs: args["policy-pack-config"],
      ...(args["policy-config"] !== undefined ? { policyConfig: args["policy-config"] } : {}),
      defaultDir: `${PROJECT_ROOT}/policies`,
      cwd: process.cwd(),
    });
  } catch (err) {
    if (!(err instanceof PolicyArgsError)) throw err;
    process.stderr.write(`error: ${err.message}\n`);
    return 2;
  }
  let planned;
  let input;
  try {
    input = loadPlanInput({ stack: args.stack, stackFile: args["stack-file"] });
  } catch (err) {
    if (err instanceof StackFileError) {
      process.stderr.write(`error: ${err.message}\n\nNothing was planned.\n`);
      return 2;
    }
    throw err;
  }
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
  // The packs start (and check their config) while the program runs: both take seconds.
  const opening = openPacks(packs, {
    project: PROJECT,
    stack: input.stack,
    dryRun: true,
    stackConfig: input.stackFile.config,
    secretConfigKeys: input.stackFile.secretKeys,
  });
  opening.catch(() => undefined); // settled below; never an unhandled rejection meanwhile
  try {
    planned = await planStack(input, adopt ? { imports: adopt.imports } : {});
  } catch (err) {
    await opening.then(
      (sessions) => Promise.all(sessions.map((s) => s.close())),
      () => undefined,
    );
    if (err instanceof ConfigError) {
      process.stderr.write(`error: ${err.message}\n\nNothing was planned.\n`);
      return 2;
    }
    throw err;
  }
  let sessions;
  try {
    sessions = await opening;
  } catch (err) {
    if (!(err instanceof PolicyConfigError)) throw err;
    process.stderr.write(`error: ${err.message}\n\nNothing was planned.\n`);
    return 2;
  }
  const resources = planned.resources;
  // The policy packs, spoken to over the analyzer protocol exactly as `pulumi preview --policy-pack` does.
  const runs = await analyzeWithPacks(sessions, resources);
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

/** Runs the command with these arguments and exits with its code (what `npm run plan` runs). */
export function cli(argv: string[]): void {
  main(argv).then(
    // Into a pipe stdout is asynchronous: exiting at once would cut a long --json document at 64 KiB.
    (code) => exitAfterFlush(code),
    (err: unknown) => {
      process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(3);
    },
  );
}

if (require.main === module) cli(process.argv.slice(2));
