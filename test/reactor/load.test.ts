/**
 * Issue 10's load scenario at a size the suite can afford (bench/reactorLoad.ts runs 1,000
 * launches): launches through the real handler on dynalite with duplicates, reordering, scale-in
 * during bootstrap, failing bootstraps, SSM throttling and lost answers, in virtual time. Every
 * count of what must never happen is zero; no timing is asserted.
 */
import assert from "node:assert/strict";
import { startDynalite, type LocalDynamo } from "./support/dynalite";
import { ISSUE_10_LOAD, runLoad, type LoadOptions } from "./support/load";
import { generateKeys, makeCertificate, type TestCertificate } from "./support/signing";

describe("reactor under load (dynalite, stateful fakes, virtual time)", function () {
  this.timeout(120_000);
  let db: LocalDynamo;
  let cert: TestCertificate;
  let n = 0;
  before(async () => {
    db = await startDynalite();
    cert = makeCertificate({ keys: generateKeys() });
  });
  after(async () => {
    await db.close();
  });

  const scenarios: [string, LoadOptions][] = [
    ["duplicates, reordering, 10% scale-in, 5% failing", { ...ISSUE_10_LOAD, launches: 60, seed: 3 }],
    [
      "the same with every SSM call throttled at 50% and 3% of answers lost",
      { ...ISSUE_10_LOAD, launches: 60, seed: 5, ssmThrottle: 0.5, lostAnswers: 0.03 },
    ],
  ];
  for (const [name, opts] of scenarios) {
    it(`loses nothing, bootstraps once, abandons no healthy instance: ${name}`, async () => {
      const table = `load-${++n}`;
      await db.createTable(table);
      const f = await runLoad(db, cert, table, opts);
      assert.deepEqual(
        {
          lostLaunches: f.lostLaunches,
          duplicateBootstraps: f.duplicateBootstraps,
          healthyAbandoned: f.healthyAbandoned,
          terminatedActiveAgain: f.terminatedActiveAgain,
          actionsNotEndedOnce: f.actionsNotEndedOnce,
          completionsPerAction: [f.completionsPerActionMin, f.completionsPerActionMax],
          inventoryMismatches: f.inventoryMismatches,
          deadLettered: f.deadLettered,
          failingNotAbandoned: f.failing - f.failingAbandoned,
        },
        {
          lostLaunches: 0,
          duplicateBootstraps: 0,
          healthyAbandoned: 0,
          terminatedActiveAgain: 0,
          actionsNotEndedOnce: 0,
          completionsPerAction: [1, 1],
          inventoryMismatches: 0,
          deadLettered: 0,
          failingNotAbandoned: 0,
        },
      );
      // The scenario did exercise what it claims.
      assert.ok(f.deliveries > f.launches * 3, `${f.deliveries} deliveries`);
      assert.ok(f.scaledIn > 0 && f.failing > 0, `${f.scaledIn} scaled in, ${f.failing} failing`);
      if (opts.ssmThrottle > 0) assert.ok(f.ssmThrottled > 100 && f.answersLost > 0);
    });
  }
});
