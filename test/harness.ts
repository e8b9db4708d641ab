/**
 * Shared mock harness: runs the real program (what index.ts runs) under the recording mock runtime with a
 * stack config given as YAML text or a file, and returns every registered resource. Invokes
 * without a fake throw, naming the token. Later suites reuse it.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LookupFake } from "../scripts/lib/fakeAws";
import { PlanInput, planStack, PROJECT, PROJECT_ROOT } from "../scripts/lib/planner";
import { RecordedResource } from "../scripts/lib/record";
import { readStackFile } from "../scripts/lib/stackFile";

export interface Planned {
  readonly resources: RecordedResource[];
  readonly assumptions: string[];
  /** Resources of a type (full token), sorted by name (registration order is not part of the contract). */
  ofType(type: string): RecordedResource[];
  /** The one resource with this type and name; throws when there is not exactly one. */
  get(type: string, name: string): RecordedResource;
}

function wrap(resources: RecordedResource[], assumptions: string[]): Planned {
  return {
    resources,
    assumptions,
    ofType: (type) =>
      resources
        .filter((r) => r.type === type)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    get: (type, name) => {
      const found = resources.filter((r) => r.type === type && r.name === name);
      if (found.length !== 1)
        throw new Error(
          `expected one ${type} named ${name}, found ${found.length}: ${resources
            .filter((r) => r.type === type)
            .map((r) => r.name)
            .join(", ")}`,
        );
      return found[0]!;
    },
  };
}

/** Plans a stack file (default: the repo's prod stack). `preview: false` gives fake ids instead of unknowns. */
export interface PlanOptions {
  readonly stack?: string;
  readonly preview?: boolean;
  /** Lookup fakes that replace the defaults, by token. */
  readonly lookups?: Readonly<Record<string, LookupFake>>;
}

export async function planFile(
  file = path.join(PROJECT_ROOT, "Pulumi.prod.yaml"),
  opts: PlanOptions = {},
): Promise<Planned> {
  const input: PlanInput = { stack: opts.stack ?? "test", stackFile: readStackFile(file, PROJECT) };
  const result = await planStack(input, {
    preview: opts.preview ?? true,
    ...(opts.lookups ? { lookups: opts.lookups } : {}),
  });
  return wrap(result.resources, result.assumptions);
}

/** Plans a stack given as YAML text (the content of a Pulumi.<stack>.yaml). */
export async function planYaml(yamlText: string, opts: PlanOptions = {}): Promise<Planned> {
  const file = writeTemp(yamlText);
  return planFile(file, opts);
}

export function writeTemp(text: string, name = "Pulumi.test.yaml"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pillar-"));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** Runs `npm run plan -- ARGS` as a user does (without npm's banner), in its own process. */
export function runPlan(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  return runScript("plan.ts", args);
}

/** runPlan for a plan that may take longer than the default 180 s (a stack at scale). */
export function runPlanWithin(
  timeoutMs: number,
  ...args: string[]
): { code: number | null; stdout: string; stderr: string } {
  return runScript("plan.ts", args, timeoutMs);
}

/**
 * runPlan with a module preloaded (`node --require PRELOAD`) and more environment: for tests that
 * watch the plan's process from inside it (test/planStartup.test.ts).
 */
export function runPlanWith(
  o: { readonly preload?: string; readonly env?: NodeJS.ProcessEnv },
  ...args: string[]
): { code: number | null; stdout: string; stderr: string } {
  return runScript("plan.ts", args, 180_000, o);
}

/** Runs `npm run analyze -- ARGS` as a user does, in its own process. */
export function runAnalyze(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  return runScript("analyze.ts", args);
}

function runScript(
  script: string,
  args: readonly string[],
  timeoutMs = 180_000,
  o: { readonly preload?: string; readonly env?: NodeJS.ProcessEnv } = {},
): { code: number | null; stdout: string; stderr: string } {
  // The plan runs as `npm run plan` runs it: its cached build (scripts/launch.js), no tsx.
  const command =
    script === "plan.ts"
      ? [path.join(PROJECT_ROOT, "scripts", "launch.js"), "plan"]
      : ["--import", "tsx", path.join(PROJECT_ROOT, "scripts", script)];
  const preload = o.preload !== undefined ? ["--require", o.preload] : [];
  const r = spawnSync(process.execPath, [...preload, ...command, ...args], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    env: { ...process.env, PULUMI_CONFIG: undefined, AWS_PROFILE: undefined, ...o.env },
    timeout: timeoutMs,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
