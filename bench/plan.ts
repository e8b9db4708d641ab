/**
 * The offline plan of the prod stack, split into its phases, each the median of a few runs in this
 * one process: the program under the mock runtime (config, components, bundle), the policy pack's
 * start-up (process, type-check, Configure) and the analysis (Remediate/Analyze per resource, then
 * AnalyzeStack). Figures only: the phases are reported as shares of the whole.
 */
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { runPolicyPack } from "../scripts/lib/analyzer";
import { loadPlanInput, PROJECT, PROJECT_ROOT, planStack } from "../scripts/lib/planner";
import { BenchReport, median } from "./lib";

const ROUNDS = 3;

export async function run(): Promise<BenchReport> {
  const program: number[] = [];
  const start: number[] = [];
  const analysis: number[] = [];
  let resources = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const input = loadPlanInput({ stack: "prod" });
    const t0 = performance.now();
    const planned = await planStack(input);
    program.push(performance.now() - t0);
    resources = planned.resources.length;
    const run = await runPolicyPack({
      packDir: path.join(PROJECT_ROOT, "policies"),
      project: PROJECT,
      stack: input.stack,
      dryRun: true,
      stackConfig: input.stackFile.config,
      secretConfigKeys: input.stackFile.secretKeys,
      resources: planned.resources,
    });
    start.push(run.timings.startMs + run.timings.configureMs);
    analysis.push(run.timings.analyzeMs + run.timings.analyzeStackMs);
  }
  const m = { program: median(program), start: median(start), analysis: median(analysis) };
  const total = m.program + m.start + m.analysis;
  const r = (x: number) => Math.round(x * 10) / 10;
  return {
    suite: "plan",
    figures: {
      "resources planned (prod)": resources,
      "program ms": r(m.program),
      "pack start-up + Configure ms": r(m.start),
      "analysis (Analyze + AnalyzeStack) ms": r(m.analysis),
      "total ms": r(total),
      "program share": r((100 * m.program) / total) / 100,
      "pack start-up share": r((100 * m.start) / total) / 100,
      "analysis share": r((100 * m.analysis) / total) / 100,
    },
    checks: [],
  };
}
