import * as assert from "node:assert/strict";
import { AutonamingModel, parseAutonaming } from "../../config/autonaming";
import { displayName, physicalName } from "../../provider/naming";
import { SECRET_SIG, SIG_KEY, UNKNOWN_SENTINEL } from "../../scripts/lib/record";
import { TYPES } from "../../provider/types";

const ctx = { organization: "o", project: "pillar", stack: "prod", configValue: () => undefined };
const naming = (v: unknown): AutonamingModel | undefined => parseAutonaming(JSON.stringify(v), ctx);
const res = (type: string, name: string, wireInputs: Record<string, unknown> = {}) => ({
  type,
  name,
  urn: `urn:pulumi:prod::pillar::${type}::${name}`,
  wireInputs,
});

const SG = TYPES.ec2.SecurityGroup;
const ELB = TYPES.elb.LoadBalancer;
const ROLE = TYPES.iam.Role;
const QUEUE = TYPES.sqs.Queue;

describe("physical names, as the AWS provider computes them", () => {
  it("auto-names from the logical name, a hyphen and 7 hex digits derived from the URN", () => {
    const a = physicalName(res(SG, "webhost"), undefined)!;
    assert.equal(a.source, "auto");
    assert.equal(a.suffixLength, 8);
    assert.match(a.value!, /^webhost-[0-9a-f]{7}$/);
    assert.equal(physicalName(res(SG, "webhost"), undefined)!.value, a.value);
    assert.notEqual(physicalName(res(SG, "mongodb"), undefined)!.value!.slice(-7), a.value!.slice(-7));
  });

  it("uses an explicit name as given, unknown ones as not known yet, secrets unwrapped", () => {
    assert.deepEqual(physicalName(res(SG, "x", { name: "given" }), undefined), {
      property: "name",
      source: "explicit",
      value: "given",
    });
    const unknown = physicalName(res(SG, "x", { name: UNKNOWN_SENTINEL }), undefined)!;
    assert.equal(displayName(unknown), "(known after apply)");
    assert.equal(
      physicalName(res(SG, "x", { name: { [SIG_KEY]: SECRET_SIG, value: "s" } }), undefined)!.value,
      "s",
    );
  });

  it("leaves a name prefix to Terraform at create", () => {
    const p = physicalName(res(SG, "x", { namePrefix: "web-" }), undefined)!;
    assert.deepEqual(p, { property: "name", source: "prefix", prefix: "web-" });
    assert.equal(displayName(p), "web-<unique suffix at create>");
  });

  it("refuses a logical name too long for the suffix, in the SDK's words", () => {
    const long = "r".repeat(57);
    assert.deepEqual(physicalName(res(ROLE, long), undefined), {
      property: "name",
      source: "auto",
      error: `could not make instance of '${ROLE}': name '${long}-' plus 7 random chars is longer than maximum length 64`,
    });
    assert.equal(physicalName(res(ROLE, "r".repeat(56)), undefined)!.value!.length, 64);
  });

  it("appends .fifo to a FIFO queue's generated name", () => {
    assert.match(
      physicalName(res(QUEUE, "jobs", { fifoQueue: true }), undefined)!.value!,
      /^jobs-[0-9a-f]{7}\.fifo$/,
    );
  });

  it("follows pulumi:autonaming: verbatim enforces, a pattern proposes and is length-checked, disabled refuses", () => {
    assert.deepEqual(physicalName(res(ELB, "MY-ELB"), naming({ mode: "verbatim" })), {
      property: "name",
      source: "enforced",
      value: "MY-ELB",
    });
    const proposed = physicalName(res(ELB, "MY-ELB"), naming({ pattern: "${stack}-${name}" }))!;
    assert.deepEqual(proposed, { property: "name", source: "proposed", value: "prod-MY-ELB" });
    assert.deepEqual(physicalName(res(ROLE, "r"), naming({ pattern: `${"x".repeat(64)}-\${name}` })), {
      property: "name",
      source: "proposed",
      error: `calculated name '${"x".repeat(64)}-r' exceeds maximum length of 64`,
    });
    assert.deepEqual(physicalName(res(SG, "webhost"), naming({ mode: "disabled" })), {
      property: "name",
      source: "auto",
      error: "automatic naming is disabled but no explicit name was provided",
    });
    // An explicit name is never touched by autonaming.
    assert.equal(
      physicalName(res(SG, "webhost", { name: "keep" }), naming({ mode: "disabled" }))!.value,
      "keep",
    );
  });

  it("knows no name for types without one", () => {
    assert.equal(physicalName(res(TYPES.ec2.Instance, "i"), undefined), undefined);
  });
});
