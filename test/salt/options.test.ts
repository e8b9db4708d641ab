import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../scripts/lib/planner";
import { seedNote, SEED_OPTIONS } from "../../scripts/lib/salt/options";

/** The first cells of the README's "Every seed option" table. */
function readmeRows(): string[] {
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
  const table = readme.split("### Every seed option, and what pillar does with it")[1]!.split("\n## ")[0]!;
  return table
    .split("\n")
    .filter((l) => l.startsWith("| ") && !l.startsWith("| seed option") && !l.startsWith("|---"))
    .map((l) => l.split(" | ")[0]!.slice(2).trim());
}

describe("the importer applies the README's seed-option table", () => {
  it("has a note for every row of the table that names a seed option, and no row the README lacks", () => {
    const seed = readmeRows().filter((r) => !r.startsWith("(new)"));
    assert.deepEqual(
      SEED_OPTIONS.map((o) => o.readme),
      seed,
    );
  });

  it("finds each row's note by the pillar path an option lands on", () => {
    assert.equal(
      seedNote("pillar:cloud.aws_provider.region"),
      "the explicit aws.Provider's region; must agree with aws:region",
    );
    assert.equal(
      seedNote("pillar:autoscale.groups[0].launch_config[4].region"),
      "checked against the provider's region",
    );
    assert.equal(
      seedNote("pillar:autoscale.groups[0].launch_config[0].image_id"),
      "an EC2 launch template (accounts made since Oct 2024 cannot create launch configurations), IMDSv2 required",
    );
    assert.equal(
      seedNote("pillar:cloudwatch.alarms[1].attributes.dimensions"),
      "resolves to the group's real name",
    );
    assert.equal(seedNote("pillar:reactor.runtime"), undefined);
  });
});
