/**
 * One way through: a plan loads the stack config once (the plan's own load, which the program then
 * gets, as index.ts hands its one load to the tier) and runs the security-group planner once (the
 * SecurityGroupGraph component); config only checks and types the rules. Counted by swapping a counting copy of each module's exports into the require cache and
 * loading afresh the modules that import it, so they bind to the copy; no hook in the program.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { PROJECT_ROOT } from "../scripts/lib/planner";

type Planner = typeof import("../scripts/lib/planner");

type Exports = Record<string, unknown>;

/** Counts calls of `name` exported by `module` while `run` runs; `importers` are loaded afresh. */
async function countCalls(
  counted: readonly { module: string; name: string }[],
  importers: readonly string[],
  run: () => Promise<unknown>,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const restore: (() => void)[] = [];
  const fresh = () => {
    for (const m of importers) delete require.cache[require.resolve(path.join(PROJECT_ROOT, m))];
  };
  for (const { module, name } of counted) {
    const file = require.resolve(path.join(PROJECT_ROOT, module));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(file);
    const entry = require.cache[file]!;
    const original = entry.exports as Exports;
    const fn = original[name] as (...args: unknown[]) => unknown;
    counts[name] = 0;
    entry.exports = {
      ...original,
      [name]: (...args: unknown[]) => {
        counts[name]!++;
        return fn(...args);
      },
    };
    restore.push(() => (entry.exports = original));
  }
  fresh();
  try {
    await run();
  } finally {
    for (const r of restore) r();
    fresh();
  }
  return counts;
}

describe("a plan goes through the house once", function () {
  this.timeout(120_000);

  for (const stack of ["prod", "dev"]) {
    it(`loads the ${stack} stack's config once and plans its security groups once`, async () => {
      const counts = await countCalls(
        [
          { module: "config/loader.ts", name: "loadStackConfig" },
          { module: "components/securityGroupPlan.ts", name: "planSecurityGroups" },
        ],
        ["scripts/lib/planner.ts", "components/webTier.ts", "components/securityGroups.ts"],
        () => {
          // The planner too is loaded afresh, so a load of its own would be counted.
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          const { loadPlanInput, planStack } = require("../scripts/lib/planner") as Planner;
          return planStack(loadPlanInput({ stack }));
        },
      );
      assert.deepEqual(counts, { loadStackConfig: 1, planSecurityGroups: 1 });
    });
  }
});
