/**
 * `npm run plan` — the offline plan: no AWS account, no Pulumi CLI. Runs the program under Pulumi's
 * mock runtime in preview mode with a stack's config, prints the resource tree and a summary (or
 * one JSON document with --json). Exit 0 planned, 1 mandatory policy violation, 2 invalid config.
 */
import { parseArgs } from "node:util";
import { exitAfterFlush } from "./lib/exit";
import { launchPack } from "./lib/analyzerProcess";
import { formatForPath } from "./lib/diagram";
import { packRequests, PolicyArgsError, type PackRequest } from "./lib/packRequests";
import { loadPlanInput, PROJECT, PROJECT_ROOT } from "./lib/planInput";
import { StackFileError } from "./lib/stackFile";

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
  // The packs' processes start now, before the SDK and the program load (planRun.ts): a pack takes
  // about as long to start as the program to run, and each has a core of its own.
  const launches = packs.map((p) =>
    launchPack(p.dir, {
      project: PROJECT,
      stack: input.stack,
      dryRun: true,
      stackConfig: input.stackFile.config,
    }),
  );
  try {
    const { runPlan } = await import("./lib/planRun");
    performance.mark("pillar:plan loaded"); // for bench/planTimeline.ts
    return await runPlan(args, input, packs, launches);
  } finally {
    // Each session stops its pack; this stops any the plan ended without opening (idempotent).
    await Promise.all(launches.map((l) => l.dispose()));
  }
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
