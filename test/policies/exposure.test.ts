import {
  ec2InstanceBehindLoadBalancerNoPublicIp,
  ec2InstanceBehindLoadBalancerPublicIpDefault,
  ec2InstanceNotInDefaultGroup,
} from "../../policies/exposure";
import { T } from "../../policies/types";
import { EXISTING_DEFAULT_SG, seedStack } from "./fixtures";
import { PropsOf, StackBuilder, assertNoViolations, assertViolations, unknown } from "./util";

type TemplateProps = PropsOf<typeof T.launchTemplate>;

const GROUP = `Autoscaling group "app-hosts" is behind a load balancer and must not give its instances public IP addresses, so that they are reached only through it (launch template "webhost")`;
const FIX = `Set associatePublicIpAddress "false" on the launch template's network interface (pillar: launch_config associate_public_ip_address: false) and launch into private subnets.`;

/**
 * The seed's group behind its ELB, launching from a template of this stack, into either the
 * existing VPC's subnets (known ids, not in the stack) or subnets the stack creates.
 */
function fronted(
  template: TemplateProps,
  subnets: "existing" | { mapPublicIpOnLaunch?: boolean | string } = "existing",
  group: Partial<PropsOf<typeof T.autoscalingGroup>> = {},
) {
  const stack = new StackBuilder();
  const lt = stack.add(T.launchTemplate, "webhost", template);
  const created =
    subnets === "existing"
      ? []
      : ["a", "b"].map((z) =>
          stack.add(T.subnet, `public-${z}`, {
            vpcId: unknown<string>(),
            cidrBlock: z === "a" ? "10.0.0.0/20" : "10.0.16.0/20",
            availabilityZone: `us-east-1${z}`,
            ...(subnets.mapPublicIpOnLaunch !== undefined
              ? { mapPublicIpOnLaunch: subnets.mapPublicIpOnLaunch as boolean }
              : {}),
          }),
        );
  stack.add(
    T.autoscalingGroup,
    "app-hosts",
    {
      maxSize: 10,
      minSize: 2,
      loadBalancers: ["MY-ELB-8625805"],
      launchTemplate: { id: unknown<string>(), version: unknown<string>() },
      vpcZoneIdentifiers:
        subnets === "existing"
          ? ["subnet-0a1b2c31", "subnet-0a1b2c32"]
          : [unknown<string>(), unknown<string>()],
      ...group,
    },
    {
      propertyDependencies: {
        launchTemplate: [lt],
        ...(created.length > 0 ? { vpcZoneIdentifiers: created } : {}),
      },
    },
  );
  return stack.args();
}

const iface = (extra: object = {}) => ({
  networkInterfaces: [{ deviceIndex: 0, securityGroups: ["sg-0e1b0057"], ...extra }],
});

describe("ec2-instance-behind-load-balancer-no-public-ip", () => {
  it("accepts a template that turns public IPs off, and subnets of the stack that do not map them", async () => {
    await assertNoViolations(
      ec2InstanceBehindLoadBalancerNoPublicIp,
      fronted(iface({ associatePublicIpAddress: "false" })),
    );
    await assertNoViolations(ec2InstanceBehindLoadBalancerNoPublicIp, fronted(iface(), {}));
    await assertNoViolations(
      ec2InstanceBehindLoadBalancerNoPublicIp,
      fronted(iface(), { mapPublicIpOnLaunch: false }),
    );
  });

  it("ignores groups no load balancer fronts", async () => {
    await assertNoViolations(
      ec2InstanceBehindLoadBalancerNoPublicIp,
      fronted(iface({ associatePublicIpAddress: "true" }), "existing", { loadBalancers: [] }),
    );
  });

  it("flags an explicit public IP, and a subnet of the stack that maps one", async () => {
    await assertViolations(
      ec2InstanceBehindLoadBalancerNoPublicIp,
      fronted(iface({ associatePublicIpAddress: "true" })),
      [`${GROUP}; it sets networkInterfaces associatePublicIpAddress "true". ${FIX}`],
    );
    await assertViolations(
      ec2InstanceBehindLoadBalancerNoPublicIp,
      fronted(iface(), { mapPublicIpOnLaunch: true }),
      [
        `${GROUP}; its subnets "public-a", "public-b" map a public IP to every instance (mapPublicIpOnLaunch true) and nothing turns that off. ${FIX}`,
      ],
    );
  });

  it("flags a fronted instance with a public IP or in the default VPC's default subnet", async () => {
    const stack = new StackBuilder();
    const direct = stack.add(T.instance, "web-1", {
      ami: "ami-1",
      associatePublicIpAddress: true,
      subnetId: "subnet-1",
    });
    const defaultVpc = stack.add(T.instance, "web-2", { ami: "ami-1" });
    stack.add(
      T.elbAttachment,
      "web-1",
      { elb: "MY-ELB", instance: unknown<string>() },
      { propertyDependencies: { instance: [direct] } },
    );
    stack.add(
      T.lbTargetGroupAttachment,
      "web-2",
      {
        targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1",
        targetId: unknown<string>(),
      },
      { propertyDependencies: { targetId: [defaultVpc] } },
    );
    const RULE = (name: string) =>
      `Instance "${name}" is behind a load balancer and must not have a public IP address, so that it is reached only through it`;
    await assertViolations(ec2InstanceBehindLoadBalancerNoPublicIp, stack.args(), [
      `${RULE("web-1")}; it sets associatePublicIpAddress true. Set associatePublicIpAddress false and launch it into a private subnet.`,
      `${RULE("web-2")}; it names no subnet, so it launches into the default VPC's default subnet, which maps a public IP to every instance. Set associatePublicIpAddress false and launch it into a private subnet.`,
    ]);
  });

  it("reports unknown values at preview", async () => {
    await assertViolations(
      ec2InstanceBehindLoadBalancerNoPublicIp,
      fronted(iface({ associatePublicIpAddress: unknown<string>() })),
      [`${GROUP}; cannot be verified at preview: associatePublicIpAddress is unknown.`],
    );
    await assertViolations(
      ec2InstanceBehindLoadBalancerNoPublicIp,
      fronted(iface(), { mapPublicIpOnLaunch: unknown<string>() }),
      [
        `${GROUP}; cannot be verified at preview: mapPublicIpOnLaunch of subnet "public-a", "public-b" is unknown.`,
      ],
    );
  });
});

describe("ec2-instance-behind-load-balancer-public-ip-default (advisory)", () => {
  it("reports a template that rests on subnets outside the stack, with the reason", async () => {
    await assertViolations(ec2InstanceBehindLoadBalancerPublicIpDefault, fronted(iface()), [
      `${GROUP}; cannot be verified: it rests on the subnets' own default, which the plan cannot see (subnets subnet-0a1b2c31, subnet-0a1b2c32 are not in this stack), and a subnet that maps public IPs on launch, as a default VPC's subnets do, gives every instance one. ${FIX}`,
    ]);
  });

  it("says nothing when the template decides, or the subnets are in the stack", async () => {
    await assertNoViolations(
      ec2InstanceBehindLoadBalancerPublicIpDefault,
      fronted(iface({ associatePublicIpAddress: "false" })),
    );
    await assertNoViolations(
      ec2InstanceBehindLoadBalancerPublicIpDefault,
      fronted(iface({ associatePublicIpAddress: "true" })),
    );
    await assertNoViolations(ec2InstanceBehindLoadBalancerPublicIpDefault, fronted(iface(), {}));
  });

  it("reports subnet ids unknown at preview that nothing traces", async () => {
    await assertViolations(
      ec2InstanceBehindLoadBalancerPublicIpDefault,
      fronted(iface(), "existing", { vpcZoneIdentifiers: [unknown<string>(), unknown<string>()] }),
      [
        `${GROUP}; cannot be verified: it rests on the subnets' own default, which the plan cannot see (its subnets cannot be traced), and a subnet that maps public IPs on launch, as a default VPC's subnets do, gives every instance one. ${FIX}`,
      ],
    );
  });
});

const DEFAULT_RULE = (subject: string, why: string) =>
  `${subject} must not put instances in the VPC's default security group; ${why}. The default group's own inbound rule usually allows all traffic from its members, so every instance in it can reach every port of every other, which voids narrower rules such as "27017 only from webhost". Give the hosts that need access (the Salt master, a bastion) a group of their own and reference that group instead.`;

describe("ec2-instance-not-in-default-group (advisory)", () => {
  it("flags the seed's launch template and server in the existing VPC's default group (known id)", async () => {
    const { stack } = seedStack("existing");
    stack.add(T.launchTemplate, "app-hosts-webhost", {
      networkInterfaces: [{ deviceIndex: 0, securityGroups: [unknown<string>(), EXISTING_DEFAULT_SG] }],
    });
    stack.add(T.instance, "mongodb-server", {
      ami: "ami-1",
      vpcSecurityGroupIds: [unknown<string>(), EXISTING_DEFAULT_SG],
    });
    await assertViolations(ec2InstanceNotInDefaultGroup, stack.args(), [
      DEFAULT_RULE(`Launch template "app-hosts-webhost"`, `networkInterfaces names ${EXISTING_DEFAULT_SG}`),
      DEFAULT_RULE(`Instance "mongodb-server"`, `vpcSecurityGroupIds names ${EXISTING_DEFAULT_SG}`),
    ]);
  });

  it("flags a created VPC's managed default group through the property dependencies", async () => {
    const { stack, defaultGroup, webhost } = seedStack("created");
    stack.add(
      T.launchTemplate,
      "dev-hosts-webhost",
      { networkInterfaces: [{ deviceIndex: 0, securityGroups: [unknown<string>(), unknown<string>()] }] },
      { propertyDependencies: { networkInterfaces: [webhost, defaultGroup!] } },
    );
    await assertViolations(ec2InstanceNotInDefaultGroup, stack.args(), [
      DEFAULT_RULE(
        `Launch template "dev-hosts-webhost"`,
        `networkInterfaces takes the id of default group "prod-default"`,
      ),
    ]);
  });

  it("flags the group by name in EC2-Classic style lists", async () => {
    const stack = new StackBuilder();
    stack.add(T.instance, "legacy", { ami: "ami-1", securityGroups: ["default"] });
    await assertViolations(ec2InstanceNotInDefaultGroup, stack.args(), [
      DEFAULT_RULE(`Instance "legacy"`, "securityGroups names default"),
    ]);
  });

  it("accepts instances only in their own groups, known or being created", async () => {
    const { stack, webhost } = seedStack("created");
    stack.add(
      T.launchTemplate,
      "lt",
      { networkInterfaces: [{ deviceIndex: 0, securityGroups: [unknown<string>()] }] },
      { propertyDependencies: { networkInterfaces: [webhost] } },
    );
    stack.add(T.instance, "i", { ami: "ami-1", vpcSecurityGroupIds: ["sg-0e1b0057"] });
    await assertNoViolations(ec2InstanceNotInDefaultGroup, stack.args());
  });
});
