/**
 * The README's options, all turned on in one stack file (test/stacks/Pulumi.options.yaml), through
 * the plan command: every resource type and input they add is covered by provider rules, and none
 * of the names or inputs the program makes from them breaks one, with default and verbatim names.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { PROJECT_ROOT } from "../../scripts/lib/planner";
import { PROVIDER_RULES } from "../../provider/rules";
import { runPlan, writeTemp } from "../harness";
import { TYPES } from "../../provider/types";

const STACK = path.join(PROJECT_ROOT, "test", "stacks", "Pulumi.options.yaml");
const POLICY_CONFIG = path.join(PROJECT_ROOT, "test", "stacks", "options.policy-config.json");

interface PlanDoc {
  readonly resources: {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    readonly physicalName?: string;
  }[];
  readonly provider: { readonly violations: unknown[] };
}

function plan(file: string): PlanDoc {
  const r = runPlan("--json", "--stack-file", file, "--policy-config", POLICY_CONFIG);
  assert.equal(r.code, 0, r.stderr || r.stdout);
  return JSON.parse(r.stdout) as PlanDoc;
}

const NEW_TYPES = [
  TYPES.dlm.LifecyclePolicy,
  TYPES.ebs.Volume,
  TYPES.ec2.VolumeAttachment,
  TYPES.autoscaling.Schedule,
  TYPES.lambda.FunctionUrl,
  TYPES.lambda.FunctionEventInvokeConfig,
];

describe("every README option at once: the provider would accept every resource", function () {
  this.timeout(240_000);
  let doc: PlanDoc;
  before(() => {
    doc = plan(STACK);
  });
  const names = (type: string) =>
    doc.resources
      .filter((r) => r.type === type)
      .map((r) => r.name)
      .sort();

  it("plans with no provider violation (exit 0 with the reactor URL allowed)", () => {
    assert.deepEqual(doc.provider.violations, []);
  });

  it("creates each type the options add, and each has provider rules", () => {
    assert.deepEqual(names(TYPES.dlm.LifecyclePolicy), ["analytics-snapshots", "mongodb-server-snapshots"]);
    assert.deepEqual(names(TYPES.ebs.Volume), [
      "analytics-1-sdf",
      "analytics-2-sdf",
      "mongodb-server-sdf",
      "mongodb-server-sdg",
      "mongodb-server-sdh",
    ]);
    assert.deepEqual(names(TYPES.ec2.VolumeAttachment), names(TYPES.ebs.Volume));
    assert.deepEqual(names(TYPES.autoscaling.Schedule), [
      "warm-hosts-after-hours",
      "warm-hosts-business-hours",
      "warm-hosts-launch-day",
      "warm-hosts-weekend",
    ]);
    assert.deepEqual(names(TYPES.lambda.FunctionUrl), ["reactor"]);
    for (const type of NEW_TYPES) assert.ok((PROVIDER_RULES[type] ?? []).length > 0, `${type} has no rules`);
  });

  it("turns on the warm pool, the Spot mix, a cron snapshot schedule and data volumes of every kind", () => {
    const get = (type: string, name: string) =>
      doc.resources.find((r) => r.type === type && r.name === name)!;
    assert.equal(
      (get(TYPES.autoscaling.Group, "warm-hosts").inputs.warmPool as { poolState: string }).poolState,
      "Hibernated",
    );
    assert.ok(get(TYPES.autoscaling.Group, "spot-hosts").inputs.mixedInstancesPolicy);
    const cron = get(TYPES.dlm.LifecyclePolicy, "analytics-snapshots").inputs.policyDetails as {
      schedules: { createRule: unknown }[];
    };
    assert.deepEqual(cron.schedules[0]!.createRule, { cronExpression: "cron(0 3 ? * SUN *)" });
    assert.deepEqual(
      ["mongodb-server-sdf", "mongodb-server-sdg", "mongodb-server-sdh", "analytics-1-sdf"].map((n) => {
        const i = get(TYPES.ebs.Volume, n).inputs;
        return [i.type, i.size, i.iops, i.throughput];
      }),
      [
        ["gp3", 500, 6000, 500],
        ["io2", 200, 20000, undefined],
        ["st1", 1000, undefined, undefined],
        ["gp2", 100, undefined, undefined],
      ],
    );
  });

  it("names the schedules after the config's actions and the snapshot roles after their profiles", () => {
    const physical = (type: string) =>
      doc.resources
        .filter((r) => r.type === type)
        .map((r) => r.physicalName)
        .sort();
    assert.deepEqual(physical(TYPES.autoscaling.Schedule), [
      "after-hours",
      "business-hours",
      "launch-day",
      "weekend",
    ]);
    const roles = doc.resources
      .filter((r) => r.type === TYPES.iam.Role && r.name.endsWith("-snapshots"))
      .map((r) => r.physicalName ?? "");
    assert.equal(roles.length, 2);
    for (const n of roles) assert.match(n, /^(mongodb-server|analytics)-snapshots-[0-9a-f]{7}$/);
  });

  it("still plans clean when pulumi:autonaming keeps every name verbatim", () => {
    const stack = YAML.parse(fs.readFileSync(STACK, "utf8")) as { config: Record<string, unknown> };
    stack.config["pulumi:autonaming"] = { mode: "verbatim" };
    const verbatim = plan(writeTemp(YAML.stringify(stack)));
    assert.deepEqual(verbatim.provider.violations, []);
    assert.deepEqual(
      verbatim.resources
        .filter((r) => r.type === TYPES.iam.Role && r.name.endsWith("-snapshots"))
        .map((r) => r.physicalName)
        .sort(),
      ["analytics-snapshots", "mongodb-server-snapshots"],
    );
  });
});
