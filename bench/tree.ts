/**
 * The plan's resource tree (scripts/lib/planRun.ts formatTree, issue 14 item 7) at N and 10N
 * resources, the security-group stacks of bench/analyzer.ts: children are looked up by parent in one
 * pass, so time(10N)/time(N) stays near 10 (checked ≤ 12; it was quadratic before, 100 ms at 12k).
 */
import { formatTree } from "../scripts/lib/planRun";
import { securityGroupStack } from "./analyzer";
import { check, interleaved, type BenchReport } from "./lib";

const N_RULES = 1_000;

export async function run(): Promise<BenchReport> {
  const small = securityGroupStack(N_RULES);
  const large = securityGroupStack(10 * N_RULES);
  const gc = () => (globalThis as { gc?: () => void }).gc?.();
  const medians = await interleaved(
    { n: () => formatTree("s", small), tenN: () => formatTree("s", large) },
    { rounds: 21, warmup: 3, clock: "cpu", beforeEach: gc },
  );
  return {
    suite: "tree",
    figures: {
      resourcesN: small.length,
      resources10N: large.length,
      formatTreeNMs: medians.n,
      formatTree10NMs: medians.tenN,
    },
    checks: [check("time(formatTree 10N)/time(formatTree N)", medians.tenN / medians.n, "<=", 12)],
  };
}
