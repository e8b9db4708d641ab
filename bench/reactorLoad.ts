/**
 * The reactor under load and faults (issue 10's figures): 1,000 distinct launches at concurrency 50
 * through the real handler on dynalite, with duplicate deliveries (1-3 each), reordering, 10%
 * scale-in during bootstrap and 5% failing bootstraps; again with every SSM call throttled at 50%;
 * and (300 launches) with 3% of SendCommand, CompleteLifecycleAction and DynamoDB answers lost after
 * the call landed. Virtual time (test/reactor/support/virtualClock.ts): the figures are counts of
 * what must never happen, not timings, so they do not depend on the machine.
 *
 *   npm run bench -- --suite reactorLoad
 */
import { check, type BenchCheck, type BenchReport } from "./lib";
import { startDynalite } from "../test/reactor/support/dynalite";
import { ISSUE_10_LOAD, runLoad, type LoadFigures, type LoadOptions } from "../test/reactor/support/load";
import { generateKeys, makeCertificate } from "../test/reactor/support/signing";

const SCENARIOS: readonly [string, LoadOptions][] = [
  ["faults", ISSUE_10_LOAD],
  ["faults + SSM throttled 50%", { ...ISSUE_10_LOAD, ssmThrottle: 0.5 }],
  [
    "faults + SSM throttled 50% + 3% answers lost",
    { ...ISSUE_10_LOAD, launches: 300, ssmThrottle: 0.5, lostAnswers: 0.03 },
  ],
];

/** The figures that must be zero, and completions per action that must be exactly one. */
const ZERO: readonly (keyof LoadFigures)[] = [
  "lostLaunches",
  "duplicateBootstraps",
  "healthyAbandoned",
  "terminatedActiveAgain",
  "actionsNotEndedOnce",
  "inventoryMismatches",
  "deadLettered",
];

export async function run(): Promise<BenchReport> {
  const db = await startDynalite();
  const cert = makeCertificate({ keys: generateKeys() });
  const figures: Record<string, number> = {};
  const checks: BenchCheck[] = [];
  try {
    let n = 0;
    for (const [name, opts] of SCENARIOS) {
      const table = `load-${++n}`;
      await db.createTable(table);
      const f = await runLoad(db, cert, table, opts);
      for (const [k, v] of Object.entries(f)) figures[`${name}: ${k}`] = v;
      for (const k of ZERO) checks.push(check(`${name}: ${k}`, f[k], "<=", 0));
      checks.push(check(`${name}: completions per action (min)`, f.completionsPerActionMin, ">=", 1));
      checks.push(check(`${name}: completions per action (max)`, f.completionsPerActionMax, "<=", 1));
      checks.push(
        check(`${name}: failing bootstraps abandoned / failing`, f.failingAbandoned - f.failing, ">=", 0),
      );
    }
  } finally {
    await db.close();
  }
  return { suite: "reactorLoad", figures, checks };
}
