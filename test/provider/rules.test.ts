import * as assert from "node:assert/strict";
import { parseAutonaming } from "../../config/autonaming";
import { physicalName } from "../../provider/naming";
import {
  checkProvider,
  describeViolation,
  PROVIDER_RULES,
  ProviderRule,
  select,
  TAG_RULES,
} from "../../provider/rules";
import { RecordedResource, SECRET_SIG, SIG_KEY, UNKNOWN_SENTINEL } from "../../scripts/lib/record";
import { AWS_PROVIDER_TYPE, TYPES } from "../../provider/types";

const every: [string, ProviderRule][] = [
  ...Object.entries(PROVIDER_RULES).flatMap(([type, rules]) =>
    rules.map((r) => [type, r] as [string, ProviderRule]),
  ),
  ...TAG_RULES.map((r) => ["(every aws type)", r] as [string, ProviderRule]),
];

describe("provider rules: every rule refuses its failing examples and accepts its passing ones", () => {
  it("has unique ids, a source, and at least one passing and one failing example per rule", () => {
    // A rule object may serve several types (ingress and egress rules); distinct rules have distinct ids.
    const ids = [...new Set(every.map(([, r]) => r))].map((r) => r.id);
    assert.deepEqual(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      [],
    );
    for (const [type, r] of every) {
      assert.ok(r.source.length > 10, `${type} ${r.id} cites no source`);
      assert.ok(r.examples.pass.length > 0 && r.examples.fail.length > 0, `${type} ${r.id} lacks examples`);
    }
  });
  for (const [type, rule] of every) {
    it(`${type}: ${rule.id} (${rule.property})`, () => {
      for (const e of rule.examples.pass) {
        const inputs = e.inputs ?? {};
        assert.equal(
          rule.check(e.value, inputs, e.parent ?? inputs),
          undefined,
          `passes ${JSON.stringify(e.value)}`,
        );
      }
      for (const e of rule.examples.fail) {
        const inputs = e.inputs ?? {};
        assert.equal(rule.check(e.value, inputs, e.parent ?? inputs), e.message);
      }
    });
  }
});

describe("provider rules: property paths", () => {
  const inputs = {
    listeners: [{ lbPort: 443 }, { lbPort: 80 }],
    tags: { Name: "web", "aws:x": "y" },
    healthCheck: { target: "TCP:22" },
  };
  it("selects fields, list elements, map values and map keys with their paths", () => {
    assert.deepEqual(
      select(inputs, "listeners[].lbPort").map((s) => [s.path, s.value]),
      [
        ["listeners[0].lbPort", 443],
        ["listeners[1].lbPort", 80],
      ],
    );
    assert.deepEqual(
      select(inputs, "tags{key}").map((s) => [s.path, s.value]),
      [
        ["tags.Name", "Name"],
        ['tags["aws:x"]', "aws:x"],
      ],
    );
    assert.deepEqual(select(inputs, "tags{}")[1]!.parent.$key, "aws:x");
    assert.deepEqual(
      select(inputs, "healthCheck.target").map((s) => s.value),
      ["TCP:22"],
    );
    assert.deepEqual(select(inputs, "nothing.here"), []);
  });
});

function res(
  type: string,
  name: string,
  wireInputs: Record<string, unknown>,
  extra: Partial<RecordedResource> = {},
): RecordedResource {
  const urn = `urn:pulumi:t::pillar::${type}::${name}`;
  const base = {
    urn,
    type,
    name,
    custom: true,
    inputs: wireInputs,
    wireInputs,
    dependencies: [],
    propertyDependencies: {},
    outputs: {},
    options: {
      protect: false,
      ignoreChanges: [],
      deleteBeforeReplace: false,
      retainOnDelete: false,
      aliases: [],
      additionalSecretOutputs: [],
    },
    ...extra,
  };
  const physical = physicalName(base, undefined);
  return { ...base, ...(physical ? { physicalName: physical } : {}) };
}

const SG = TYPES.ec2.SecurityGroup;

describe("provider rules over recorded resources", () => {
  it("refuses a security group auto-named from sg-…, in the CLI's words, at the name", () => {
    const v = checkProvider([res(SG, "sg-webhost", { description: "d", vpcId: "vpc-1" })]);
    assert.equal(v.length, 1);
    assert.equal(v[0]!.rule, "ec2-security-group-name-reserved-prefix");
    assert.match(String(v[0]!.value), /^sg-webhost-[0-9a-f]{7}$/);
    assert.equal(
      describeViolation(v[0]!),
      `${SG} resource 'sg-webhost' has a problem: invalid value for name (cannot begin with sg-). Examine values at 'sg-webhost.name'.`,
    );
  });

  it("judges secrets by their value and skips what is not known yet", () => {
    const secret = { [SIG_KEY]: SECRET_SIG, value: "sg-x" };
    assert.equal(
      checkProvider([res(SG, "a", { name: secret, description: "d" })])[0]!.rule,
      "ec2-security-group-name-reserved-prefix",
    );
    assert.deepEqual(
      checkProvider([res(SG, "a", { name: UNKNOWN_SENTINEL, description: UNKNOWN_SENTINEL })]),
      [],
    );
  });

  it("applies tag rules to every AWS type", () => {
    const v = checkProvider([res(TYPES.sqs.Queue, "q", { tags: { "aws:owner": "me" } })]);
    assert.deepEqual(
      v.map((x) => [x.rule, x.property]),
      [["tag-key", 'tags["aws:owner"]']],
    );
  });

  it("reports names the provider cannot make, and names AWS would find taken", () => {
    const verbatim = parseAutonaming('{"mode":"verbatim"}', {
      organization: "o",
      project: "pillar",
      stack: "t",
      configValue: () => undefined,
    });
    const withName = (type: string, name: string, inputs: Record<string, unknown>) => {
      const r = res(type, name, inputs);
      return { ...r, physicalName: physicalName(r, verbatim)! };
    };
    const v = checkProvider([
      withName(SG, "webhost", { vpcId: "vpc-1", description: "d" }),
      withName(SG, "WebHost", { vpcId: "vpc-1", description: "d" }),
      withName(SG, "webhost", { vpcId: "vpc-2", description: "d" }),
      res(TYPES.iam.Role, "r".repeat(60), { assumeRolePolicy: "{}" }),
    ]);
    assert.deepEqual(
      v.map((x) => [x.rule, x.name, x.message]),
      [
        [
          "provider-autoname",
          "r".repeat(60),
          `could not make instance of 'aws:iam/role:Role': name '${"r".repeat(60)}-' plus 7 random chars is longer than maximum length 64`,
        ],
        [
          "aws-name-unique",
          "WebHost",
          `AWS keeps one security group named "WebHost" in VPC vpc-1 (ignoring case), and urn:pulumi:t::pillar::${SG}::webhost has it already`,
        ],
      ],
    );
  });

  it("keeps one scheduled action per name in a group, and reads a group's launch source and warm pool together", () => {
    const SCHEDULE = TYPES.autoscaling.Schedule;
    const action = (logical: string, group: string) =>
      res(SCHEDULE, logical, {
        autoscalingGroupName: group,
        scheduledActionName: "business-hours",
        recurrence: "0 7 * * MON-FRI",
        minSize: 4,
        maxSize: -1,
        desiredCapacity: -1,
      });
    const group = res(TYPES.autoscaling.Group, "spot", {
      name: "spot",
      minSize: 1,
      maxSize: 6,
      launchTemplate: { id: UNKNOWN_SENTINEL, version: UNKNOWN_SENTINEL },
      mixedInstancesPolicy: { launchTemplate: { overrides: [{ instanceType: "t3.small" }] } },
      warmPool: { minSize: 1, poolState: "Stopped" },
    });
    const v = checkProvider([action("a-1", "web"), action("a-2", "workers"), action("a-3", "web"), group]);
    assert.deepEqual(
      v.map((x) => [x.rule, x.name, x.property, x.message]),
      [
        [
          "autoscaling-group-launch-source",
          "spot",
          "maxSize",
          '"launch_template": only one of `launch_configuration,launch_template,mixed_instances_policy` can be specified, but `launch_template,mixed_instances_policy` were specified.',
        ],
        [
          "autoscaling-warm-pool-mixed-instances",
          "spot",
          "warmPool",
          "AWS refuses a warm pool on a group with a mixed instances policy (or Spot Instances)",
        ],
        [
          "aws-name-unique",
          "a-3",
          "scheduledActionName",
          `AWS keeps one scheduled action named "business-hours" in Auto Scaling group web, and urn:pulumi:t::pillar::${SCHEDULE}::a-1 has it already`,
        ],
      ],
    );
    assert.equal(
      describeViolation(v[0]!),
      `aws:autoscaling/group:Group resource 'spot' has a problem: "launch_template": only one of \`launch_configuration,launch_template,mixed_instances_policy\` can be specified, but \`launch_template,mixed_instances_policy\` were specified.. Examine values at 'spot.maxSize'.`,
    );
  });

  it("adds up a role's inline policies and counts tags with the provider's default tags", () => {
    const big = JSON.stringify({ Statement: [{ Sid: "x".repeat(6000) }] });
    const role = "urn:pulumi:t::pillar::aws:iam/role:Role::r";
    const policies = ["a", "b"].map((n) =>
      res(
        TYPES.iam.RolePolicy,
        n,
        { role: UNKNOWN_SENTINEL, policy: big },
        { propertyDependencies: { role: [role] } },
      ),
    );
    const provider = res(AWS_PROVIDER_TYPE, "p", {
      defaultTags: JSON.stringify({
        tags: Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`d${i}`, "v"])),
      }),
    });
    const tagged = res(
      TYPES.sqs.Queue,
      "q",
      { tags: Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`t${i}`, "v"])) },
      { provider: `${provider.urn}::04da6b54-80e4-46f7-96ec-b56ff0331ba9` },
    );
    const v = checkProvider([...policies, provider, tagged]);
    assert.deepEqual(
      v.map((x) => [x.rule, x.message]),
      [
        [
          "iam-role-inline-policies-size",
          `AWS refuses inline policies of 12052 characters in total on role ${role}: at most 10240`,
        ],
        ["tag-count", "AWS refuses 51 tags (with the provider's default tags): at most 50"],
      ],
    );
  });
});
