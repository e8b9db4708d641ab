/**
 * The plan's resource tree (scripts/lib/planRun.ts formatTree, issue 14 item 7) at N and 10N
 * resources, the security-group stacks of bench/analyzer.ts: children are looked up by parent in one
 * pass, so time(10N)/time(N) stays near 10 (checked ≤ 12; it was quadratic before, 100 ms at 12k).
 *
 * The check is on wall time, the formatting thread's own: 21 interleaved rounds, each after a
 * settled full collection (bench/lib.ts settledGc). CPU time is reported beside it, not checked: it
 * also counts V8's collector threads, which at 11,000 resources scavenge and mark in parallel, and
 * whose share swung the CPU ratio from 10.0 to 14.1 over nine runs on a quiet machine while the
 * wall ratio stayed within 7.7–9.5.
 */
import { formatTree } from "../scripts/lib/planRun";
import { securityGroupStack } from "./analyzer";
import { check, interleaved, settledGc, type BenchReport } from "./lib";

const N_RULES = 1_000;

export async function run(): Promise<BenchReport> {
  const small = securityGroupStack(N_RULES);
  const large = securityGroupStack(10 * N_RULES);
  const contenders = { n: () => formatTree("s", small), tenN: () => formatTree("s", large) };
  const opts = { rounds: 21, warmup: 3, beforeEach: () => settledGc() };
  const wall = await interleaved(contenders, opts);
  const cpu = await interleaved(contenders, { ...opts, clock: "cpu" });
  return {
    suite: "tree",
    figures: {
      resourcesN: small.length,
      resources10N: large.length,
      formatTreeNWallMs: wall.n,
      formatTree10NWallMs: wall.tenN,
      formatTreeNCpuMs: cpu.n,
      formatTree10NCpuMs: cpu.tenN,
      "10N/N cpu (GC threads included)": cpu.tenN / cpu.n,
    },
    checks: [check("time(formatTree 10N)/time(formatTree N), wall", wall.tenN / wall.n, "<=", 12)],
  };
}
