import * as assert from "node:assert/strict";
import * as path from "node:path";
import { predictedName, predictNames } from "../config/providerLimits";
import { modelFor, planStack, PROJECT, PROJECT_ROOT } from "../scripts/lib/planner";
import { readStackFile } from "../scripts/lib/stackFile";
import { TYPES } from "../provider/types";

describe("config's name predictions agree with the plan", function () {
  this.timeout(120_000);
  // The options stack (every README option) adds the snapshot roles of two profiles and scheduled actions.
  const files: Record<string, string> = {
    prod: "Pulumi.prod.yaml",
    dev: "Pulumi.dev.yaml",
    options: path.join("test", "stacks", "Pulumi.options.yaml"),
    // An ALB (its load balancer and target group names) and a classic ELB with its twin.
    alb: path.join("test", "stacks", "Pulumi.alb.yaml"),
    "prod-migrate": path.join("test", "stacks", "Pulumi.prod-migrate.yaml"),
  };
  for (const [stack, file] of Object.entries(files)) {
    it(`every name config predicts for ${stack} is the name the plan records, on the same resource`, async () => {
      const input = { stack, stackFile: readStackFile(path.join(PROJECT_ROOT, file), PROJECT) };
      const model = modelFor(input);
      const { resources } = await planStack(input);
      const predictions = predictNames(model);
      assert.ok(predictions.length >= 15, `only ${predictions.length} predictions`);
      if (stack === "options")
        assert.deepEqual(
          predictions
            .filter((p) => p.type === TYPES.autoscaling.Schedule || p.logical.endsWith("-snapshots"))
            .map((p) => p.logical)
            .sort(),
          [
            "analytics-snapshots",
            "mongodb-server-snapshots",
            "warm-hosts-after-hours",
            "warm-hosts-business-hours",
            "warm-hosts-launch-day",
            "warm-hosts-weekend",
          ],
        );
      for (const p of predictions) {
        const r = resources.find((x) => x.urn === p.urn);
        assert.ok(r, `no resource ${p.urn} in the plan`);
        assert.equal(predictedName(p, model.autonaming).value, r.physicalName?.value, p.urn);
      }
    });
  }
});
