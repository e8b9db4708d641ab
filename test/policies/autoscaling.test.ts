import {
  autoscalingGroupCapacityOrdered,
  autoscalingGroupElbHealthCheck,
  autoscalingGroupMultiSubnet,
} from "../../policies/autoscaling";
import { T } from "../../policies/types";
import { PropsOf, assertNoViolations, assertViolations, resourceArgs, unknown } from "./util";

const SEED_GROUP: PropsOf<typeof T.autoscalingGroup> = {
  name: "app-hosts",
  desiredCapacity: 2,
  minSize: 2,
  maxSize: 10,
  defaultCooldown: 1500,
  vpcZoneIdentifiers: ["subnet-1a", "subnet-1b", "subnet-1c"],
  loadBalancers: ["MY-ELB"],
  healthCheckType: "ELB",
  launchTemplate: { id: "lt-0123", version: "1" },
};

const group = (props: Partial<PropsOf<typeof T.autoscalingGroup>>) =>
  resourceArgs(T.autoscalingGroup, { ...SEED_GROUP, ...props }, { name: "app-hosts" });

const CAPACITY = `Autoscaling group "app-hosts" must keep minSize <= desiredCapacity <= maxSize`;

describe("autoscaling-group-capacity-ordered", () => {
  it("accepts the seed's 2 <= 2 <= 10 and an unset desired capacity", async () => {
    await assertNoViolations(autoscalingGroupCapacityOrdered, group({}));
    await assertNoViolations(autoscalingGroupCapacityOrdered, group({ desiredCapacity: undefined }));
  });

  it("flags desired outside [min, max] and min above max", async () => {
    await assertViolations(autoscalingGroupCapacityOrdered, group({ desiredCapacity: 11 }), [
      `${CAPACITY}; it has minSize 2, desiredCapacity 11, maxSize 10.`,
    ]);
    await assertViolations(autoscalingGroupCapacityOrdered, group({ desiredCapacity: 1 }), [
      `${CAPACITY}; it has minSize 2, desiredCapacity 1, maxSize 10.`,
    ]);
    await assertViolations(
      autoscalingGroupCapacityOrdered,
      group({ minSize: 3, maxSize: 2, desiredCapacity: undefined }),
      [`${CAPACITY}; it has minSize 3, desiredCapacity (not set), maxSize 2.`],
    );
  });

  it("reports unknown sizes at preview", async () => {
    await assertViolations(autoscalingGroupCapacityOrdered, group({ maxSize: unknown<number>() }), [
      `${CAPACITY}; cannot be verified at preview: minSize 2, desiredCapacity 2, maxSize (unknown at preview).`,
    ]);
  });
});

const SUBNETS = `Autoscaling group "app-hosts" must span at least 2 subnets (vpcZoneIdentifiers)`;

describe("autoscaling-group-multi-subnet", () => {
  it("accepts two or more subnets, known or being created", async () => {
    await assertNoViolations(autoscalingGroupMultiSubnet, group({}));
    await assertNoViolations(
      autoscalingGroupMultiSubnet,
      group({ vpcZoneIdentifiers: [unknown<string>(), unknown<string>()] }),
    );
  });

  it("flags a single subnet, a repeated one, or none", async () => {
    await assertViolations(autoscalingGroupMultiSubnet, group({ vpcZoneIdentifiers: ["subnet-1a"] }), [
      `${SUBNETS}; it has 1 (["subnet-1a"]).`,
    ]);
    await assertViolations(
      autoscalingGroupMultiSubnet,
      group({ vpcZoneIdentifiers: ["subnet-1a", "subnet-1a"] }),
      [`${SUBNETS}; it has 1 (["subnet-1a","subnet-1a"]).`],
    );
    await assertViolations(
      autoscalingGroupMultiSubnet,
      group({ vpcZoneIdentifiers: undefined, availabilityZones: ["us-east-1a", "us-east-1b"] }),
      [`${SUBNETS}; it has 0 ((not set)).`],
    );
  });

  it("reports an unknown subnet list at preview", async () => {
    await assertViolations(autoscalingGroupMultiSubnet, group({ vpcZoneIdentifiers: unknown<string[]>() }), [
      `${SUBNETS}; cannot be verified at preview: the subnet list is unknown.`,
    ]);
  });
});

const HEALTH = `Autoscaling group "app-hosts" attached to a load balancer must use healthCheckType "ELB"`;

describe("autoscaling-group-elb-health-check (advisory)", () => {
  it("accepts ELB health checks, and any check on a group without a balancer", async () => {
    await assertNoViolations(autoscalingGroupElbHealthCheck, group({}));
    await assertNoViolations(
      autoscalingGroupElbHealthCheck,
      group({ loadBalancers: undefined, healthCheckType: "EC2" }),
    );
  });

  it("flags EC2 (or default) health checks behind a balancer", async () => {
    await assertViolations(autoscalingGroupElbHealthCheck, group({ healthCheckType: undefined }), [
      `${HEALTH}; it uses "EC2".`,
    ]);
    await assertViolations(
      autoscalingGroupElbHealthCheck,
      group({
        loadBalancers: undefined,
        targetGroupArns: ["arn:aws:elasticloadbalancing:tg"],
        healthCheckType: "EC2",
      }),
      [`${HEALTH}; it uses "EC2".`],
    );
  });

  it("reports unknowns at preview", async () => {
    await assertViolations(autoscalingGroupElbHealthCheck, group({ healthCheckType: unknown<string>() }), [
      `${HEALTH}; cannot be verified at preview: healthCheckType is unknown.`,
    ]);
    await assertViolations(
      autoscalingGroupElbHealthCheck,
      group({ loadBalancers: unknown<string[]>(), healthCheckType: "EC2" }),
      [`${HEALTH}; cannot be verified at preview: its load balancers are unknown and it uses "EC2".`],
    );
  });
});
