/**
 * The plan's output, byte for byte, against the golden files in test/golden/ (written from the plan
 * before the speed work of issue 14): the tree and the --json document of the prod and dev stacks,
 * stdout and stderr, so that a change meant to make the plan faster (or any other change) cannot
 * alter what it prints without this test failing. The plan prints no timing figures; were one added,
 * it must be masked here, not in the golden file.
 *
 * A change that is meant to alter the output regenerates them: `npm run plan -- --stack prod >
 * test/golden/plan.prod.txt` (and --json, and dev), and the diff is reviewed in the commit.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { runPlan } from "./harness";

const GOLDEN = path.join(__dirname, "golden");

describe("plan output is byte-identical to the golden files", function () {
  this.timeout(180_000);

  for (const stack of ["prod", "dev"]) {
    it(`${stack}: the tree`, () => {
      const r = runPlan("--stack", stack);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, fs.readFileSync(path.join(GOLDEN, `plan.${stack}.txt`), "utf8"));
      assert.equal(r.stderr, "");
    });

    it(`${stack}: --json`, () => {
      const r = runPlan("--stack", stack, "--json");
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, fs.readFileSync(path.join(GOLDEN, `plan.${stack}.json`), "utf8"));
      assert.equal(r.stderr, fs.readFileSync(path.join(GOLDEN, `plan.${stack}.json.stderr`), "utf8"));
    });
  }
});
