/**
 * The program under the CLI's own loading path (@pulumi/pulumi/cmd/run, ts-node type-checking the
 * TypeScript, the config as the language host passes it) registers exactly what the offline plan
 * records, for the repo's stacks. A difference here means the plan shows something `pulumi preview`
 * would not.
 */
import * as assert from "node:assert/strict";
import {
  loadPlanInput,
  modelFor,
  OFFLINE_ORGANIZATION,
  planStack,
  PROJECT,
  PROJECT_ROOT,
} from "../../scripts/lib/planner";
import { RecordedResource } from "../../scripts/lib/record";
import { runUnderCli } from "./engine";

/** What both paths must agree on, order-free. */
function comparable(resources: readonly RecordedResource[]) {
  return resources
    .map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      parent: r.parent ?? null,
      inputs: r.inputs,
      dependencies: [...r.dependencies].sort(),
      physicalName: r.physicalName?.value ?? null,
    }))
    .sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
}

describe("the CLI's own loading path registers what the offline plan records", function () {
  // ts-node type-checks the program on every run, as `pulumi preview` does.
  this.timeout(300_000);

  for (const stack of ["prod", "dev"]) {
    it(`registers the ${stack} stack's resources, types, names and inputs exactly as the plan does`, async () => {
      const input = loadPlanInput({ stack });
      const model = modelFor(input);
      const planned = await planStack(input);
      const cli = await runUnderCli({
        root: PROJECT_ROOT,
        project: PROJECT,
        stack,
        organization: OFFLINE_ORGANIZATION,
        config: input.stackFile.config,
        secretKeys: input.stackFile.secretKeys,
        region: model.cloud.region,
        ...(model.autonaming ? { autonaming: model.autonaming } : {}),
      });
      assert.equal(cli.code, 0, `the program failed under cmd/run:\n${cli.stderr}\n${cli.logs.join("\n")}`);
      assert.deepEqual(
        cli.logs.filter((l) => !/will not show as a stack output/.test(l)),
        [],
      );
      assert.ok(planned.resources.length > 40);
      assert.deepEqual(comparable(cli.resources), comparable(planned.resources));
    });
  }
});
