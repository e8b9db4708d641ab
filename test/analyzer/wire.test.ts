/** The engine's re-marshalling of recorded values for analyzers, and the small parsers around it. */
import * as assert from "node:assert/strict";
import {
  OUTPUT_VALUE_SIG,
  displayTypeName,
  durationSeconds,
  marshalProperties,
  marshalValue,
  parseUrn,
  resolveProvider,
  rootStackUrn,
} from "../../scripts/lib/analyzerWire";
import { RESOURCE_REF_SIG, SIG_KEY, UNKNOWN_SENTINEL, type RecordedResource } from "../../scripts/lib/record";
import { DEFAULT_PROVIDER_URN, PROVIDER_URN, providerResource, secret } from "./stacks";
import { AWS_PROVIDER_TYPE, STACK_TYPE, TYPES } from "../../provider/types";

const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";

describe("marshalValue: as the engine marshals for analyzers (KeepUnknowns, KeepSecrets, no resources, no output values)", () => {
  const cases: [string, unknown, unknown][] = [
    ["null stays null", null, null],
    ["scalars stay", [true, 1.5, "s"], [true, 1.5, "s"]],
    ["an unknown stays the sentinel", UNKNOWN_SENTINEL, UNKNOWN_SENTINEL],
    ["an unknown list element keeps its place", ["a", UNKNOWN_SENTINEL, "c"], ["a", UNKNOWN_SENTINEL, "c"]],
    ["a secret stays wrapped", secret("pw"), secret("pw")],
    ["a secret's contents are marshalled too", secret({ a: undefined, b: 1 }), secret({ b: 1 })],
    ["undefined object values are dropped", { a: undefined, b: null }, { b: null }],
    ["undefined list elements become null", [undefined, 1], [null, 1]],
    [
      "a resource reference with an id becomes the id",
      { [SIG_KEY]: RESOURCE_REF_SIG, urn: "urn:pulumi:s::p::aws:ec2/vpc:Vpc::v", id: "vpc-1" },
      "vpc-1",
    ],
    [
      "a resource reference with an unknown id becomes unknown",
      { [SIG_KEY]: RESOURCE_REF_SIG, urn: "urn:pulumi:s::p::aws:ec2/vpc:Vpc::v", id: "" },
      UNKNOWN_SENTINEL,
    ],
    [
      "a component reference (no id) becomes its URN",
      { [SIG_KEY]: RESOURCE_REF_SIG, urn: "urn:pulumi:s::p::pillar:x:Y::c" },
      "urn:pulumi:s::p::pillar:x:Y::c",
    ],
    ["a known output value becomes its value", { [SIG_KEY]: OUTPUT_VALUE_SIG, value: [1] }, [1]],
    [
      "an unknown output value becomes unknown",
      { [SIG_KEY]: OUTPUT_VALUE_SIG, dependencies: ["u"] },
      UNKNOWN_SENTINEL,
    ],
    [
      "a secret output value becomes a secret",
      { [SIG_KEY]: OUTPUT_VALUE_SIG, value: "x", secret: true },
      secret("x"),
    ],
    [
      "an unknown secret output value becomes a secret unknown",
      { [SIG_KEY]: OUTPUT_VALUE_SIG, secret: true },
      secret(UNKNOWN_SENTINEL),
    ],
    ["an asset passes through", { [SIG_KEY]: ASSET_SIG, text: "hi" }, { [SIG_KEY]: ASSET_SIG, text: "hi" }],
  ];
  for (const [name, input, want] of cases) {
    it(name, () => assert.deepEqual(marshalValue(input), want));
  }

  it("refuses values that have no wire form", () => {
    assert.throws(() => marshalValue(() => 1), /cannot marshal a function to the analyzer/);
  });
});

describe("marshalProperties", () => {
  it("skips internal keys at the top level only", () => {
    assert.deepEqual(marshalProperties({ __defaults: ["name"], name: "n", tags: { __x: 1 } }), {
      name: "n",
      tags: { __x: 1 },
    });
  });
});

describe("parseUrn", () => {
  const cases: [string, ReturnType<typeof parseUrn>][] = [
    [
      "urn:pulumi:dev::pillar::pulumi:pulumi:Stack::pillar-dev",
      { stack: "dev", project: "pillar", type: STACK_TYPE, name: "pillar-dev" },
    ],
    [
      "urn:pulumi:dev::pillar::pillar:network:SecurityGroups$aws:ec2/securityGroup:SecurityGroup::web",
      { stack: "dev", project: "pillar", type: TYPES.ec2.SecurityGroup, name: "web" },
    ],
    [
      "urn:pulumi:dev::pillar::a:b:C::name::with::colons",
      { stack: "dev", project: "pillar", type: "a:b:C", name: "name::with::colons" },
    ],
    ["not-a-urn", undefined],
    ["urn:pulumi:dev::pillar::a:b:C", undefined],
  ];
  for (const [urn, want] of cases) it(urn, () => assert.deepEqual(parseUrn(urn), want));

  it("builds the default root stack URN", () => {
    assert.equal(rootStackUrn("pillar", "dev"), "urn:pulumi:dev::pillar::pulumi:pulumi:Stack::pillar-dev");
  });
});

describe("displayTypeName: tokens.Type.DisplayName", () => {
  const cases: [string, string][] = [
    [TYPES.vpc.SecurityGroupIngressRule, "aws:vpc:SecurityGroupIngressRule"],
    [TYPES.ec2.SecurityGroup, "aws:ec2:SecurityGroup"],
    ["pkg:mod/foo/bar:Bar", "pkg:mod/foo:Bar"],
    ["pkg:Mod/foo:typ", "pkg:Mod/foo:typ"],
    ["pillar:network:SecurityGroups", "pillar:network:SecurityGroups"],
    [STACK_TYPE, STACK_TYPE],
    ["incomplete", "incomplete"],
    ["pkg:mod:", "pkg:mod:"],
  ];
  for (const [type, want] of cases) it(type, () => assert.equal(displayTypeName(type), want));
});

describe("durationSeconds: Go durations, as the engine parses customTimeouts", () => {
  const cases: [string | undefined, number][] = [
    [undefined, 0],
    ["", 0],
    ["0", 0],
    ["40m", 2400],
    ["1h30m", 5400],
    ["1.5s", 1.5],
    ["250ms", 0.25],
  ];
  for (const [d, want] of cases) it(String(d), () => assert.equal(durationSeconds(d), want));
  it("refuses what Go would refuse", () => {
    assert.throws(() => durationSeconds("5 minutes"), /invalid custom timeout "5 minutes"/);
    assert.throws(() => durationSeconds("10"), /invalid custom timeout "10"/);
  });
});

describe("resolveProvider", () => {
  const prov = providerResource();
  const byUrn = new Map<string, RecordedResource>([[prov.urn, prov]]);
  const config = { "aws:region": "us-east-1", "aws:profile": "ops", "pillar:region": "nope" };

  it("sends a recorded provider's inputs, secrets still wrapped", () => {
    assert.deepEqual(resolveProvider(`${PROVIDER_URN}::abc`, byUrn, config), {
      urn: PROVIDER_URN,
      type: AWS_PROVIDER_TYPE,
      name: "aws-eu",
      properties: { region: "eu-west-1", secretKey: secret("not-a-real-key") },
    });
  });

  it("makes a default provider's inputs from its package's stack config", () => {
    assert.deepEqual(resolveProvider(`${DEFAULT_PROVIDER_URN}::${UNKNOWN_SENTINEL}`, byUrn, config), {
      urn: DEFAULT_PROVIDER_URN,
      type: AWS_PROVIDER_TYPE,
      name: "default_7_48_0",
      properties: { region: "us-east-1", profile: "ops" },
    });
  });

  it("has none for a resource without a provider", () => {
    assert.equal(resolveProvider(undefined, byUrn, config), undefined);
  });

  it("refuses a malformed reference", () => {
    assert.throws(
      () => resolveProvider("nonsense", byUrn, config),
      /malformed provider reference "nonsense"/,
    );
  });
});
