import * as assert from "node:assert/strict";
import * as path from "node:path";
import { predictedName, predictNames } from "../config/providerLimits";
import { modelFor, planStack, PROJECT, PROJECT_ROOT } from "../scripts/lib/planner";
import { readStackFile } from "../scripts/lib/stackFile";

describe("config's name predictions agree with the plan", function () {
  this.timeout(120_000);
  for (const stack of ["prod", "dev"]) {
    it(`every name config predicts for ${stack} is the name the plan records, on the same resource`, async () => {
      const input = {
        stack,
        stackFile: readStackFile(path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`), PROJECT),
      };
      const model = modelFor(input);
      const { resources } = await planStack(input);
      const predictions = predictNames(model);
      assert.ok(predictions.length >= 15, `only ${predictions.length} predictions`);
      for (const p of predictions) {
        const r = resources.find((x) => x.urn === p.urn);
        assert.ok(r, `no resource ${p.urn} in the plan`);
        assert.equal(predictedName(p, model.autonaming).value, r.physicalName?.value, p.urn);
      }
    });
  }
});
