import {
  autoscalingGroupCapacityOrdered,
  autoscalingGroupElbHealthCheck,
  autoscalingGroupMultiSubnet,
} from "../../policies/autoscaling";
import { T } from "../../policies/types";
import { PropsOf, StackBuilder, assertNoViolations, assertViolations, resourceArgs, unknown } from "./util";

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

/**
 * A stack with the group and `subnetCount` subnets it creates, recorded as the list's property
 * dependencies; subnet i sits in `zones[i]` when given (the created VPC's AZs are known in a plan).
 */
function subnetStack(
  vpcZoneIdentifiers: PropsOf<typeof T.autoscalingGroup>["vpcZoneIdentifiers"],
  subnetCount = 0,
  zones: readonly string[] = [],
) {
  const stack = new StackBuilder();
  const subnets = Array.from({ length: subnetCount }, (_, i) =>
    stack.add(T.subnet, `prod-private-${i}`, {
      vpcId: unknown<string>(),
      cidrBlock: `10.0.${i}.0/24`,
      ...(zones[i] !== undefined ? { availabilityZone: zones[i] } : {}),
    }),
  );
  stack.add(
    T.autoscalingGroup,
    "app-hosts",
    { ...SEED_GROUP, vpcZoneIdentifiers },
    { propertyDependencies: subnets.length > 0 ? { vpcZoneIdentifiers: subnets } : {} },
  );
  return stack.args();
}

describe("autoscaling-group-multi-subnet", () => {
  it("accepts two or more subnets, known or being created", async () => {
    await assertNoViolations(autoscalingGroupMultiSubnet, subnetStack(SEED_GROUP.vpcZoneIdentifiers));
    await assertNoViolations(
      autoscalingGroupMultiSubnet,
      subnetStack([unknown<string>(), unknown<string>()], 2),
    );
  });

  it("flags a single subnet, a repeated one, or none", async () => {
    await assertViolations(autoscalingGroupMultiSubnet, subnetStack(["subnet-1a"]), [
      `${SUBNETS}; it has 1 (["subnet-1a"]).`,
    ]);
    await assertViolations(autoscalingGroupMultiSubnet, subnetStack(["subnet-1a", "subnet-1a"]), [
      `${SUBNETS}; it has 1 (["subnet-1a","subnet-1a"]).`,
    ]);
    await assertViolations(autoscalingGroupMultiSubnet, subnetStack(undefined), [
      `${SUBNETS}; it has 0 ((not set)).`,
    ]);
  });

  it("requires two Availability Zones where the subnets' zones are known", async () => {
    const ZONES = `Autoscaling group "app-hosts" must span at least 2 Availability Zones`;
    await assertNoViolations(
      autoscalingGroupMultiSubnet,
      subnetStack([unknown<string>(), unknown<string>()], 2, ["us-east-1a", "us-east-1b"]),
    );
    await assertViolations(
      autoscalingGroupMultiSubnet,
      subnetStack([unknown<string>(), unknown<string>()], 2, ["us-east-1a", "us-east-1a"]),
      [`${ZONES}; its subnets "prod-private-0", "prod-private-1" are all in us-east-1a.`],
    );
    await assertViolations(
      autoscalingGroupMultiSubnet,
      subnetStack(unknown<string[]>(), 3, ["us-east-1a", "us-east-1a", "us-east-1a"]),
      [`${ZONES}; its subnets "prod-private-0", "prod-private-1", "prod-private-2" are all in us-east-1a.`],
    );
    // Known ids of an existing VPC: their zones are not in the stack, so only the count is judged.
    await assertNoViolations(autoscalingGroupMultiSubnet, subnetStack(["subnet-1a", "subnet-1b"]));
  });

  describe("unknown values at preview", () => {
    it("reports subnets whose Availability Zone is unknown", async () => {
      await assertViolations(
        autoscalingGroupMultiSubnet,
        subnetStack([unknown<string>(), unknown<string>()], 2, ["us-east-1a", unknown<string>()]),
        [
          `Autoscaling group "app-hosts" must span at least 2 Availability Zones; cannot be verified at preview: the Availability Zone of subnet "prod-private-1" is unknown.`,
        ],
      );
    });

    it("accepts a whole list unknown but computed from two or more subnets", async () => {
      await assertNoViolations(autoscalingGroupMultiSubnet, subnetStack(unknown<string[]>(), 2));
    });

    it("counts two unknown ids computed from one subnet resource as one subnet", async () => {
      await assertViolations(
        autoscalingGroupMultiSubnet,
        subnetStack([unknown<string>(), unknown<string>()], 1),
        [`${SUBNETS}; it has 1 (2 ids unknown at preview, computed from subnet "prod-private-0").`],
      );
    });

    it("reports unknown ids that no dependency traces to a subnet", async () => {
      await assertViolations(
        autoscalingGroupMultiSubnet,
        subnetStack([unknown<string>(), unknown<string>()]),
        [
          `${SUBNETS}; cannot be verified at preview: 2 subnet ids are unknown and their dependencies name no subnet.`,
        ],
      );
    });

    it("reports a whole list unknown and computed from fewer than two subnets", async () => {
      await assertViolations(autoscalingGroupMultiSubnet, subnetStack(unknown<string[]>(), 1), [
        `${SUBNETS}; cannot be verified at preview: the subnet list is unknown and computed from 1 subnet resource(s).`,
      ]);
      await assertViolations(autoscalingGroupMultiSubnet, subnetStack(unknown<string[]>()), [
        `${SUBNETS}; cannot be verified at preview: the subnet list is unknown and computed from 0 subnet resource(s).`,
      ]);
    });
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
