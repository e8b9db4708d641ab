/**
 * The plan's resource tree (scripts/lib/planRun.ts formatTree, issue 14 item 7) at N and 10N
 * resources, the security-group stacks of bench/analyzer.ts: children are looked up by parent in one
 * pass, so time(10N)/time(N) stays near 10 (checked ≤ 12; it was quadratic before, 100 ms at 12k).
 * CPU time, after a settled full collection (bench/lib.ts settledGc); wall time is reported beside it.
 */
import { formatTree } from "../scripts/lib/planRun";
import { securityGroupStack } from "./analyzer";
import { check, interleaved, settledGc, type BenchReport } from "./lib";

const N_RULES = 1_000;

export async function run(): Promise<BenchReport> {
  const small = securityGroupStack(N_RULES);
  const large = securityGroupStack(10 * N_RULES);
  const contenders = { n: () => formatTree("s", small), tenN: () => formatTree("s", large) };
  const medians = await interleaved(contenders, {
    rounds: 21,
    warmup: 3,
    clock: "cpu",
    beforeEach: () => settledGc(),
  });
  const wall = await interleaved(contenders, { rounds: 21, warmup: 1, beforeEach: () => settledGc() });
  return {
    suite: "tree",
    figures: {
      resourcesN: small.length,
      resources10N: large.length,
      formatTreeNMs: medians.n,
      formatTree10NMs: medians.tenN,
      formatTreeNWallMs: wall.n,
      formatTree10NWallMs: wall.tenN,
      "10N/N wall": wall.tenN / wall.n,
    },
    checks: [check("time(formatTree 10N)/time(formatTree N)", medians.tenN / medians.n, "<=", 12)],
  };
}
