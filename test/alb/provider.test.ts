/**
 * Physical names of the ALB's resources as the AWS provider makes them, and the provider checks
 * that catch what it would refuse: aws:lb/loadBalancer has no autoname entry of its own (the
 * provider-wide 255 applies), so a logical name over 24 characters makes a name the TF validator's
 * 32 refuses; aws:lb/targetGroup autonames with a 32-character maximum, so it fails to name one.
 */
import * as assert from "node:assert/strict";
import { physicalName } from "../../provider/naming";
import { checkProvider } from "../../provider/rules";
import { RecordedResource } from "../../scripts/lib/record";

function res(type: string, name: string, inputs: Record<string, unknown>): RecordedResource {
  const r: RecordedResource = {
    urn: `urn:pulumi:t::pillar::pillar:elb:ApplicationLoadBalancer$${type}::${name}`,
    type,
    name,
    custom: true,
    inputs,
    wireInputs: inputs,
    dependencies: [],
    propertyDependencies: {},
    outputs: {},
    options: {
      protect: false,
      ignoreChanges: [],
      deleteBeforeReplace: false,
      retainOnDelete: false,
      aliases: [],
    },
  } as unknown as RecordedResource;
  return { ...r, physicalName: physicalName(r, undefined)! };
}

describe("ALB names under the provider's checks", () => {
  it("an ALB named from a 24-character logical name fits; 25 makes a name AWS refuses", () => {
    const ok = res("aws:lb/loadBalancer:LoadBalancer", "a".repeat(24), {
      loadBalancerType: "application",
      subnets: ["subnet-1", "subnet-2"],
    });
    assert.equal(ok.physicalName!.value!.length, 32);
    assert.deepEqual(checkProvider([ok]), []);
    const long = res("aws:lb/loadBalancer:LoadBalancer", "a".repeat(25), {
      loadBalancerType: "application",
      subnets: ["subnet-1", "subnet-2"],
    });
    assert.deepEqual(
      checkProvider([long]).map((v) => [v.rule, v.property, v.message]),
      [["lb-name", "name", `"name" cannot be longer than 32 characters: "${long.physicalName!.value!}"`]],
    );
  });

  it("a target group's logical name over 24 characters cannot be auto-named", () => {
    const tg = res("aws:lb/targetGroup:TargetGroup", "b".repeat(25), {
      port: 443,
      protocol: "HTTPS",
      vpcId: "vpc-1",
    });
    assert.deepEqual(
      checkProvider([tg]).map((v) => [v.rule, v.message]),
      [
        [
          "provider-autoname",
          `could not make instance of 'aws:lb/targetGroup:TargetGroup': name '${"b".repeat(25)}-' plus 7 random chars is longer than maximum length 32`,
        ],
      ],
    );
  });
});
