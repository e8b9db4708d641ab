/**
 * `npm run analyze -- --file STATE.json`: runs policy packs over a deployed stack's state, as
 * `pulumi policy analyze --file` does (pulumi/pulumi pkg/cmd/pulumi/policy/policy_analyze.go): no
 * program run, no provider; each live resource's inputs to Analyze (remediations reported, not
 * applied), its outputs to AnalyzeStack. Exit 0: no mandatory violation; 1: mandatory violation(s);
 * 2: bad arguments, an unreadable state file or invalid policy config.
 */
import { parseArgs } from "node:util";
import { exitAfterFlush } from "./lib/exit";
import { formatPolicies, PolicyConfigError } from "./lib/analyzer";
import { PROJECT_ROOT } from "./lib/planner";
import {
  analyzeWithPacks,
  mandatoryCount,
  openPacks,
  packRequests,
  PolicyArgsError,
  policiesJson,
  type PackRequest,
} from "./lib/policyPacks";
import { readStateFile, StateFileError, type StateInput } from "./lib/stateFile";

const USAGE = `usage: npm run analyze -- --file STATE.json [--json]
                        [--policy-pack DIR]... [--policy-pack-config FILE]... [--policy-config FILE]

  --file STATE.json  a deployed stack's state, as \`pulumi stack export --file STATE.json\` writes it
  --json             print one JSON document instead of the policy section
  --policy-pack DIR  run this policy pack (repeatable, as pulumi policy analyze takes it; default: policies/)
  --policy-pack-config FILE  config of the --policy-pack in the same position (JSON, as pulumi takes it)
  --policy-config FILE  config of the pillar pack (policies/), wherever it runs
`;

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        file: { type: "string" },
        json: { type: "boolean", default: false },
        "policy-pack": { type: "string", multiple: true, default: [] },
        "policy-pack-config": { type: "string", multiple: true, default: [] },
        "policy-config": { type: "string" },
        help: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.file === undefined) {
    process.stderr.write(
      `error: --file is required: the state to analyze, from \`pulumi stack export\`\n${USAGE}`,
    );
    return 2;
  }
  let packs: PackRequest[];
  let state: StateInput;
  try {
    packs = packRequests({
      packs: args["policy-pack"],
      packConfigs: args["policy-pack-config"],
      ...(args["policy-config"] !== undefined ? { policyConfig: args["policy-config"] } : {}),
      defaultDir: `${PROJECT_ROOT}/policies`,
      cwd: process.cwd(),
    });
    state = readStateFile(args.file);
  } catch (err) {
    if (!(err instanceof PolicyArgsError || err instanceof StateFileError)) throw err;
    process.stderr.write(`error: ${err.message}\n`);
    return 2;
  }
  if (state.resources.length === 0) {
    process.stderr.write(`File ${args.file} has no resources; nothing to analyze.\n`);
    return 0;
  }
  if (state.redactedSecrets > 0) {
    process.stderr.write(
      `warning: could not decrypt secrets in ${args.file}; analyzing with secret values redacted\n`,
    );
  }
  let sessions;
  try {
    sessions = await openPacks(packs, {
      project: state.project,
      stack: state.stack,
      dryRun: false,
      stackConfig: {},
      remediations: "report",
      stackProperties: "outputs",
    });
  } catch (err) {
    if (!(err instanceof PolicyConfigError)) throw err;
    process.stderr.write(`error: ${err.message}\n`);
    return 2;
  }
  const runs = await analyzeWithPacks(sessions, state.resources);
  const mandatory = mandatoryCount(runs);
  if (args.json) {
    const doc = { file: args.file, project: state.project, stack: state.stack, policies: policiesJson(runs) };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return mandatory > 0 ? 1 : 0;
  }
  const out = [
    `Analyzing ${state.resources.length} resources of ${args.file} (stack ${state.stack}, project ${state.project}), offline:`,
    "",
    // `pulumi policy analyze` shows every remediation with its diff: nothing was changed.
    formatPolicies(runs, { showRemediations: true }).trimEnd(),
  ];
  if (mandatory > 0) {
    out.push("", `error: ${mandatory} mandatory policy violation(s) in the deployed stack.`);
  }
  process.stdout.write(`${out.join("\n")}\n`);
  return mandatory > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    // Into a pipe stdout is asynchronous: exiting at once would cut a long --json document at 64 KiB.
    (code) => exitAfterFlush(code),
    (err: unknown) => {
      process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(3);
    },
  );
}
