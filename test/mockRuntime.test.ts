import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { defaultLookups } from "../scripts/lib/fakeAws";
import { runProgram } from "../scripts/lib/mockRuntime";
import { displayValue } from "../scripts/lib/registration";
import {
  KNOWN_AFTER_APPLY,
  REDACTED_SECRET,
  SECRET_SIG,
  SIG_KEY,
  UNKNOWN_SENTINEL,
} from "../scripts/lib/record";
import { STACK_TYPE } from "../provider/types";

const opts = (preview: boolean) => ({
  project: "pillar",
  stack: "t",
  preview,
  config: {},
  secretKeys: [],
  lookups: defaultLookups("us-east-1"),
  region: "us-east-1",
});

describe("the recording mock runtime", () => {
  it("fails a lookup it has no fake for, naming the token", async () => {
    await assert.rejects(
      runProgram(() => {
        aws.ec2.getVpcOutput({ default: true });
      }, opts(true)),
      {
        message:
          'the offline plan has no fake for the lookup "aws:ec2/getVpc:getVpc"; add one in scripts/lib/fakeAws.ts or avoid the lookup',
      },
    );
  });

  it("records unknowns in place, secrets redacted, parents, dependencies and property dependencies", async () => {
    const { resources } = await runProgram(() => {
      class Box extends pulumi.ComponentResource {
        constructor(name: string) {
          super("pillar:test:Box", name, {}, {});
          const a = new aws.sns.Topic(`${name}-a`, {}, { parent: this });
          new aws.sns.TopicPolicy(`${name}-p`, { arn: a.arn, policy: pulumi.secret("{}") }, { parent: this });
          new aws.ec2.SecurityGroup(
            `${name}-sg`,
            { description: "d", tags: { refs: a.arn } },
            { parent: this, dependsOn: [a] },
          );
          this.registerOutputs({ arn: a.arn });
        }
      }
      new Box("box");
    }, opts(true));
    const byName = Object.fromEntries(resources.map((r) => [r.name, r]));
    assert.deepEqual(Object.keys(byName).sort(), ["box", "box-a", "box-p", "box-sg", "pillar-t"]);
    assert.equal(byName["pillar-t"]!.type, STACK_TYPE);
    assert.equal(byName.box!.parent, byName["pillar-t"]!.urn);
    const policy = byName["box-p"]!;
    assert.equal(policy.urn, "urn:pulumi:t::pillar::pillar:test:Box$aws:sns/topicPolicy:TopicPolicy::box-p");
    assert.equal(policy.parent, "urn:pulumi:t::pillar::pillar:test:Box::box");
    assert.deepEqual(policy.inputs, { arn: KNOWN_AFTER_APPLY, policy: REDACTED_SECRET });
    assert.equal(policy.wireInputs.arn, UNKNOWN_SENTINEL);
    assert.deepEqual(policy.wireInputs.policy, { [SIG_KEY]: SECRET_SIG, value: "{}" });
    assert.deepEqual(policy.propertyDependencies.arn, [byName["box-a"]!.urn]);
    assert.deepEqual(byName["box-sg"]!.inputs.tags, { refs: KNOWN_AFTER_APPLY });
    assert.deepEqual(byName["box-sg"]!.dependencies, [byName["box-a"]!.urn]);
    // The topic keeps the name the provider would generate, known even in a preview.
    assert.match(String(byName["box-a"]!.outputs.name), /^box-a-[0-9a-f]{7}$/);
    assert.equal(byName.box!.outputs.arn, UNKNOWN_SENTINEL);
  });

  it("shows lists with unknown elements element by element", () => {
    assert.deepEqual(displayValue(["subnet-1", UNKNOWN_SENTINEL, { a: UNKNOWN_SENTINEL }]), [
      "subnet-1",
      KNOWN_AFTER_APPLY,
      { a: KNOWN_AFTER_APPLY },
    ]);
  });

  it("records the options of the request: protect, ignoreChanges, deleteBeforeReplace, retainOnDelete, import, aliases", async () => {
    const { resources } = await runProgram(() => {
      new aws.sqs.Queue(
        "q",
        {},
        {
          protect: true,
          ignoreChanges: ["tags"],
          deleteBeforeReplace: true,
          retainOnDelete: true,
          import: "https://sqs.us-east-1.amazonaws.com/123456789012/q",
          aliases: [{ name: "old-q" }, "urn:pulumi:t::pillar::aws:sqs/queue:Queue::older"],
        },
      );
      new aws.sqs.Queue("plain", {});
    }, opts(true));
    const q = resources.find((r) => r.name === "q")!;
    assert.deepEqual(
      {
        protect: q.options.protect,
        ignoreChanges: q.options.ignoreChanges,
        deleteBeforeReplace: q.options.deleteBeforeReplace,
        retainOnDelete: q.options.retainOnDelete,
        import: q.options.import,
        aliases: [...q.options.aliases].sort(),
      },
      {
        protect: true,
        ignoreChanges: ["tags"],
        deleteBeforeReplace: true,
        retainOnDelete: true,
        import: "https://sqs.us-east-1.amazonaws.com/123456789012/q",
        aliases: [
          "urn:pulumi:t::pillar::aws:sqs/queue:Queue::old-q",
          "urn:pulumi:t::pillar::aws:sqs/queue:Queue::older",
        ],
      },
    );
    const plain = resources.find((r) => r.name === "plain")!;
    assert.deepEqual(
      [plain.options.retainOnDelete, plain.options.import, plain.options.aliases],
      [false, undefined, []],
    );
  });

  it("names auto-named resources as autonaming says: verbatim keeps the logical name", async () => {
    const { parseAutonaming } = await import("../config/autonaming");
    const autonaming = parseAutonaming(JSON.stringify({ mode: "verbatim" }), {
      organization: "o",
      project: "pillar",
      stack: "t",
      configValue: () => undefined,
    });
    const { resources } = await runProgram(
      () => {
        new aws.sns.Topic("alerts", {});
      },
      { ...opts(true), ...(autonaming ? { autonaming } : {}) },
    );
    const topic = resources.find((r) => r.name === "alerts")!;
    assert.deepEqual(topic.physicalName, { property: "name", source: "enforced", value: "alerts" });
    assert.equal(topic.outputs.name, "alerts");
  });
});
