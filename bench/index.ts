/**
 * `npm run bench [-- --json] [-- --suite NAME]`: runs each benchmark suite in its own child process
 * (so one suite's heap and JIT state cannot disturb another's, and each suite's peak RSS is its
 * own), then prints a table per suite, or with `--json` one document `{ suites, ok }` on stdout.
 * Exits 1 when any check fails (or a suite does not complete), 2 on a usage error, 0 otherwise.
 *
 * Suites are modules beside this file exporting `run(): Promise<BenchReport>`; one whose file does
 * not exist yet is skipped.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs as parseCommandLine } from "node:util";
import { BenchReport, check } from "./lib";

/** The suites, in the order they run. */
export const SUITES = [
  "securityGroups",
  "reactor",
  "analyzer",
  "plan",
  "reactorLoad",
  "config",
  "tree",
] as const;

/**
 * A suite may take this long before it is stopped and reported as failed: 10 minutes, and 40 for
 * the plan suite, whose 2,000 security groups alone are a plan of about two minutes.
 */
export const suiteTimeoutMs = (name: string): number => (name === "plan" ? 40 : 10) * 60 * 1000;

/** The figure the entry adds to every suite's report: the suite process's peak resident set. */
export const PEAK_RSS_FIGURE = "peak RSS MB (suite process)";

export interface Options {
  readonly json: boolean;
  /** Run only this suite (`--suite NAME`). */
  readonly suite?: string;
  /** Internal: run this suite in this process and send its report to the parent (`--only NAME`). */
  readonly only?: string;
}

/**
 * Parses the command line with node:util's parseArgs (as scripts/plan.ts does); throws an Error with
 * a usage message on anything it does not know. Parsed leniently and checked token by token, so the
 * message names the argument in words (`unknown argument "--fast"`, `--suite needs a suite name`).
 */
export function parseArgs(argv: readonly string[]): Options {
  const options = {
    json: { type: "boolean" },
    suite: { type: "string" },
    only: { type: "string" },
  } as const;
  const { values, tokens } = parseCommandLine({ args: [...argv], options, strict: false, tokens: true });
  for (const t of tokens) {
    if (t.kind === "positional") throw new Error(`unknown argument "${t.value}"\n${usage()}`);
    if (t.kind !== "option") continue;
    const known = (options as Record<string, { type: "boolean" | "string" }>)[t.name];
    if (known === undefined) throw new Error(`unknown argument "${t.rawName}"\n${usage()}`);
    if (known.type === "boolean" && t.value !== undefined)
      throw new Error(`${t.rawName} takes no value\n${usage()}`);
    if (known.type === "string" && (t.value === undefined || t.value === "" || t.value.startsWith("--")))
      throw new Error(`${t.rawName} needs a suite name\n${usage()}`);
  }
  const suite = values.suite as string | undefined;
  const only = values.only as string | undefined;
  for (const name of [suite, only]) {
    if (name !== undefined && !(SUITES as readonly string[]).includes(name)) {
      throw new Error(`unknown suite "${name}"; suites: ${SUITES.join(", ")}`);
    }
  }
  return {
    json: values.json === true,
    ...(suite !== undefined ? { suite } : {}),
    ...(only !== undefined ? { only } : {}),
  };
}

function usage(): string {
  return `usage: npm run bench [-- --json] [-- --suite ${SUITES.join("|")}]`;
}

function suiteFile(name: string): string {
  return path.join(__dirname, `${name}.ts`);
}

/** The suites to run: the one asked for, or all whose files exist, in order. */
export function selectSuites(opts: Options, exists: (file: string) => boolean = fs.existsSync): string[] {
  return SUITES.filter((s) => (opts.suite === undefined || s === opts.suite) && exists(suiteFile(s)));
}

/** The `--json` document. */
export function summarize(suites: readonly BenchReport[]): { suites: readonly BenchReport[]; ok: boolean } {
  return { suites, ok: suites.every((s) => s.checks.every((c) => c.ok)) };
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Math.round(x * 1000) / 1000);
}

/** The readable form: per suite, its figures, then each check as `name  value  op bound  ok/FAIL`. */
export function renderTable(suites: readonly BenchReport[]): string {
  const lines: string[] = [];
  for (const s of suites) {
    lines.push(s.suite);
    const figures = Object.entries(s.figures);
    const w = Math.max(0, ...figures.map(([k]) => k.length), ...s.checks.map((c) => c.name.length));
    for (const [k, v] of figures) lines.push(`  ${k.padEnd(w)}  ${fmt(v)}`);
    const vw = Math.max(0, ...s.checks.map((c) => fmt(c.value).length));
    for (const c of s.checks) {
      lines.push(
        `  ${c.name.padEnd(w)}  ${fmt(c.value).padStart(vw)}  ${c.op} ${fmt(c.bound)}  ${c.ok ? "ok" : "FAIL"}`,
      );
    }
    lines.push("");
  }
  const { ok } = summarize(suites);
  lines.push(ok ? "all checks ok" : "some checks FAILED");
  return lines.join("\n");
}

/** A report for a suite that did not finish: a single failing check that says why. */
export function failedSuite(name: string, why: string): BenchReport {
  return { suite: name, figures: {}, checks: [check(`completed (${why})`, 0, ">=", 1)] };
}

/** Child side: runs one suite here and sends its report, with this process's peak RSS, to the parent. */
async function runHere(name: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(suiteFile(name)) as { run: () => Promise<BenchReport> };
  const report = await mod.run();
  const peak = Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
  const withPeak: BenchReport = { ...report, figures: { ...report.figures, [PEAK_RSS_FIGURE]: peak } };
  await new Promise<void>((resolve, reject) =>
    process.send!(withPeak, (err: Error | null) => (err ? reject(err) : resolve())),
  );
}

/**
 * Parent side: runs a suite in a child process. The child's stdout goes to our stderr, so anything
 * a suite prints cannot corrupt the `--json` document; its report comes back over IPC.
 */
function runInChild(name: string): Promise<BenchReport> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, "--expose-gc", __filename, "--only", name], {
      stdio: ["ignore", 2, "inherit", "ipc"],
    });
    let report: BenchReport | undefined;
    const timer = setTimeout(() => child.kill("SIGKILL"), suiteTimeoutMs(name));
    child.on("message", (m) => (report = m as BenchReport));
    child.on("error", (err) => {
      clearTimeout(timer);
      resolve(failedSuite(name, `could not start: ${err.message}`));
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (report && code === 0) resolve(report);
      else resolve(failedSuite(name, signal ? `killed by ${signal}` : `exit code ${code ?? "?"}`));
    });
  });
}

async function main(argv: readonly string[]): Promise<number> {
  let opts: Options;
  try {
    opts = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  if (opts.only !== undefined) {
    if (!process.send) {
      process.stderr.write("--only is internal: it runs one suite for a parent process\n");
      return 2;
    }
    await runHere(opts.only);
    process.disconnect();
    return 0;
  }
  const names = selectSuites(opts);
  if (names.length === 0) {
    process.stderr.write(`suite "${opts.suite ?? ""}" has no file (${suiteFile(opts.suite ?? "")}) yet\n`);
    return 2;
  }
  const reports: BenchReport[] = [];
  for (const name of names) {
    if (!opts.json) process.stderr.write(`running ${name}…\n`);
    reports.push(await runInChild(name));
  }
  const summary = summarize(reports);
  process.stdout.write(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : `${renderTable(reports)}\n`);
  return summary.ok ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
