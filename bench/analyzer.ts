/**
 * The analyzer-protocol driver at scale: AnalyzeStack over synthetic security-group stacks of N and
 * 10N rules against the fixture pack, one pack process, timed calls interleaved. The cost should
 * grow linearly with the stack, so time(10N)/time(N) stays near 10 (checked ≤ 12).
 */
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { openPolicyPack } from "../scripts/lib/analyzer";
import type { RecordedResource } from "../scripts/lib/record";
import {
  PROJECT,
  STACK,
  component,
  group,
  providerResource,
  rule,
  stackResource,
} from "../test/analyzer/stacks";
import { check, interleaved, type BenchReport } from "./lib";

const FIXTURE_PACK = path.join(__dirname, "..", "test", "analyzer", "fixture-pack");
const N = 100;

/** `rules` ingress rules spread over rules/10 groups: a third SSH from the default group, the rest HTTPS from a CIDR. */
export function securityGroupStack(rules: number): RecordedResource[] {
  const comp = component("web-tier", { ruleCount: rules });
  const groups = Array.from({ length: Math.max(1, rules / 10) }, (_, i) =>
    group(i === 0 ? "default" : `g${i}`, comp),
  );
  const out: RecordedResource[] = [stackResource(), providerResource(), comp, ...groups];
  for (let i = 0; i < rules; i++) {
    const target = groups[i % groups.length]!;
    out.push(
      i % 3 === 0
        ? rule(`r${i}-ssh`, comp, target, 22, { group: groups[0]! })
        : rule(`r${i}-https`, comp, target, 443, { cidr: "10.0.0.0/8" }),
    );
  }
  return out;
}

export async function run(): Promise<BenchReport> {
  const small = securityGroupStack(N);
  const large = securityGroupStack(10 * N);
  const session = await openPolicyPack({
    packDir: FIXTURE_PACK,
    project: PROJECT,
    stack: STACK,
    dryRun: true,
    stackConfig: { "aws:region": "eu-west-1" },
    timeoutMs: 10 * 60_000,
  });
  try {
    const medians = await interleaved(
      { n: () => session.analyzeStack(small), tenN: () => session.analyzeStack(large) },
      // A full GC before each timed call (the entry runs suites with --expose-gc), so neither size pays for the other's garbage.
      { rounds: 21, warmup: 3, beforeEach: () => (globalThis as { gc?: () => void }).gc?.() },
    );
    // One pass of what precedes AnalyzeStack in a preview: Remediate and Analyze per resource.
    const t0 = performance.now();
    await session.analyze(large);
    const analyzeLargeMs = performance.now() - t0;
    return {
      suite: "analyzer",
      figures: {
        packStartMs: session.timings.startMs,
        configureMs: session.timings.configureMs,
        resourcesN: small.length,
        resources10N: large.length,
        analyzeStackNMs: medians.n,
        analyzeStack10NMs: medians.tenN,
        remediateAndAnalyze10NOnceMs: analyzeLargeMs,
      },
      checks: [check("time(AnalyzeStack 10N)/time(AnalyzeStack N)", medians.tenN / medians.n, "<=", 12)],
    };
  } finally {
    await session.close();
  }
}

if (require.main === module) {
  run().then(
    (report) => console.log(JSON.stringify(report, null, 2)),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
