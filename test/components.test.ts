import * as assert from "node:assert/strict";
import * as path from "node:path";
import { PROJECT_ROOT } from "../scripts/lib/planner";
import { KNOWN_AFTER_APPLY } from "../scripts/lib/record";
import { planFile, planYaml, Planned } from "./harness";
import { AWS_PROVIDER_TYPE, TYPES } from "../provider/types";

const T = {
  provider: AWS_PROVIDER_TYPE,
  sg: TYPES.ec2.SecurityGroup,
  ingress: TYPES.vpc.SecurityGroupIngressRule,
  egress: TYPES.vpc.SecurityGroupEgressRule,
  instance: TYPES.ec2.Instance,
  role: TYPES.iam.Role,
  attach: TYPES.iam.RolePolicyAttachment,
  profile: TYPES.iam.InstanceProfile,
  elb: TYPES.elb.LoadBalancer,
  lt: TYPES.ec2.LaunchTemplate,
  asg: TYPES.autoscaling.Group,
  policy: TYPES.autoscaling.Policy,
  alarm: TYPES.cloudwatch.MetricAlarm,
  vpc: TYPES.ec2.Vpc,
  subnet: TYPES.ec2.Subnet,
  defaultSg: TYPES.ec2.DefaultSecurityGroup,
  nat: TYPES.ec2.NatGateway,
};

describe("the prod stack (the seed) under mocks", () => {
  let plan: Planned;
  before(async () => {
    plan = await planFile(path.join(PROJECT_ROOT, "Pulumi.prod.yaml"), { stack: "prod" });
  });

  it("uses one explicit provider with region and default tags, and no plaintext credentials", () => {
    const providers = plan.ofType(T.provider);
    assert.equal(providers.length, 1);
    assert.deepEqual(providers[0]!.inputs.region, "us-east-1");
    // Provider inputs reach the engine JSON-encoded, as the CLI passes provider config.
    assert.deepEqual(JSON.parse(providers[0]!.inputs.defaultTags as string), {
      tags: { env: "prod", "pillar:stack": "prod" },
    });
    assert.equal(providers[0]!.inputs.accessKey, undefined);
    for (const r of plan.resources.filter((x) => x.custom && x.type !== T.provider)) {
      assert.match(
        r.provider ?? "",
        /^urn:pulumi:prod::pillar::pillar:aws:Cloud\$pulumi:providers:aws::aws_provider::/,
        `${r.name} uses the stack provider`,
      );
    }
  });

  it("looks up the existing VPC's default group instead of adopting it", () => {
    assert.equal(plan.ofType(T.defaultSg).length, 0);
    assert.equal(plan.ofType(T.vpc).length, 0);
    assert.deepEqual(plan.assumptions, [
      "caller identity → account 123456789012",
      "default group of vpc-1234567 → sg-0fe8f26b0eb06da20",
      "image ami-0abc1234 → root device /dev/sda1",
      "image ami-1234567 → root device /dev/sda1",
    ]);
  });

  it("creates the seed's two groups and exactly their rules, one resource per (rule, source)", () => {
    assert.deepEqual(
      plan.ofType(T.sg).map((r) => [r.name, r.inputs.description, r.inputs.vpcId]),
      [
        ["mongodb", "MongoDB Security Group", "vpc-1234567"],
        ["webhost", "Web server security group", "vpc-1234567"],
      ],
    );
    const rules = plan.ofType(T.ingress).map((r) => {
      const { tags: _tags, ...rest } = r.inputs;
      return { name: r.name, ...rest };
    });
    assert.deepEqual(rules, [
      {
        name: "sg-mongodb-in-tcp-22-from-default",
        description: "pillar mongodb: tcp 22 from security group default",
        fromPort: 22,
        ipProtocol: "tcp",
        referencedSecurityGroupId: "sg-0fe8f26b0eb06da20",
        securityGroupId: KNOWN_AFTER_APPLY,
        toPort: 22,
      },
      {
        name: "sg-mongodb-in-tcp-27017-from-webhost",
        description: "pillar mongodb: tcp 27017 from security group webhost",
        fromPort: 27017,
        ipProtocol: "tcp",
        referencedSecurityGroupId: KNOWN_AFTER_APPLY,
        securityGroupId: KNOWN_AFTER_APPLY,
        toPort: 27017,
      },
      {
        name: "sg-webhost-in-tcp-22-from-default",
        description: "pillar webhost: tcp 22 from security group default",
        fromPort: 22,
        ipProtocol: "tcp",
        referencedSecurityGroupId: "sg-0fe8f26b0eb06da20",
        securityGroupId: KNOWN_AFTER_APPLY,
        toPort: 22,
      },
      {
        name: "sg-webhost-in-tcp-443-from-0.0.0.0_0",
        cidrIpv4: "0.0.0.0/0",
        description: "pillar webhost: tcp 443 from 0.0.0.0/0",
        fromPort: 443,
        ipProtocol: "tcp",
        securityGroupId: KNOWN_AFTER_APPLY,
        toPort: 443,
      },
      {
        name: "sg-webhost-in-tcp-80-from-0.0.0.0_0",
        cidrIpv4: "0.0.0.0/0",
        description: "pillar webhost: tcp 80 from 0.0.0.0/0",
        fromPort: 80,
        ipProtocol: "tcp",
        securityGroupId: KNOWN_AFTER_APPLY,
        toPort: 80,
      },
    ]);
    const mongoFromWeb = plan.get(T.ingress, "sg-mongodb-in-tcp-27017-from-webhost");
    assert.deepEqual(mongoFromWeb.propertyDependencies.referencedSecurityGroupId, [
      "urn:pulumi:prod::pillar::pillar:ec2:SecurityGroupGraph$aws:ec2/securityGroup:SecurityGroup::webhost",
    ]);
    assert.deepEqual(mongoFromWeb.propertyDependencies.securityGroupId, [
      "urn:pulumi:prod::pillar::pillar:ec2:SecurityGroupGraph$aws:ec2/securityGroup:SecurityGroup::mongodb",
    ]);
    assert.deepEqual(
      plan.ofType(T.egress).map((r) => [r.name, r.inputs.ipProtocol, r.inputs.cidrIpv4]),
      [
        ["sg-mongodb-out-all-all-to-0.0.0.0_0", "-1", "0.0.0.0/0"],
        ["sg-webhost-out-all-all-to-0.0.0.0_0", "-1", "0.0.0.0/0"],
      ],
    );
    assert.equal(plan.resources.filter((r) => r.type === TYPES.ec2.SecurityGroupRule).length, 0);
    for (const sg of plan.ofType(T.sg)) assert.equal(sg.inputs.ingress, undefined, "never inline rules");
  });

  it("builds the mongodb-server profile: m3.medium, 50 GB encrypted gp3 root, IMDSv2, SSM profile, grains as tags", () => {
    const i = plan.get(T.instance, "mongodb-server");
    assert.equal(i.inputs.instanceType, "m3.medium");
    assert.equal(i.inputs.ami, "ami-0abc1234");
    assert.equal(i.inputs.subnetId, "subnet-0d4e5f61");
    assert.equal(i.inputs.keyName, "salt_master");
    // A stateful profile (the default): its root volume, where the seed keeps the data, outlives the instance.
    assert.deepEqual(i.inputs.rootBlockDevice, {
      deleteOnTermination: false,
      encrypted: true,
      tags: { Name: "mongodb-server", "pillar:profile": "mongodb-server" },
      volumeSize: 50,
      volumeType: "gp3",
    });
    assert.deepEqual(i.inputs.metadataOptions, {
      httpEndpoint: "enabled",
      httpPutResponseHopLimit: 2,
      httpTokens: "required",
    });
    assert.deepEqual(i.inputs.vpcSecurityGroupIds, [KNOWN_AFTER_APPLY, "sg-0fe8f26b0eb06da20"]);
    assert.deepEqual(i.inputs.tags, {
      Name: "mongodb-server",
      env: "prod",
      "pillar:profile": "mongodb-server",
      "pillar:snapshots": "pillar-prod-mongodb-server",
      "pillar:stateful": "true",
      roles: "mongodb,mongodb-server",
    });
    assert.equal(
      plan.get(T.attach, "mongodb-server-ssm").inputs.policyArn,
      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    );
    assert.ok(
      i.dependencies.includes(
        "urn:pulumi:prod::pillar::pillar:ec2:ServerProfile$aws:iam/instanceProfile:InstanceProfile::mongodb-server-profile",
      ),
    );
  });

  it("counts every resource type exactly", () => {
    const counts: Record<string, number> = {};
    for (const r of plan.resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
    assert.equal(counts[T.sg], 2);
    assert.equal(counts[T.ingress], 5);
    assert.equal(counts[T.egress], 2);
    assert.equal(counts[T.instance], 1);
    assert.equal(counts[TYPES.dlm.LifecyclePolicy], 1);
    assert.equal(counts[TYPES.ebs.Volume], undefined);
    assert.equal(counts[TYPES.autoscaling.Schedule], undefined);
    assert.equal(counts[T.elb], 1);
    assert.equal(counts[T.lt], 1);
    assert.equal(counts[T.asg], 1);
    assert.equal(counts[T.policy], 2);
    assert.equal(counts[T.alarm], 4);
    assert.equal(counts[TYPES.ec2.LaunchConfiguration], undefined);
  });
});

describe("the dev stack (a created network) under mocks", () => {
  let plan: Planned;
  before(async () => {
    plan = await planFile(path.join(PROJECT_ROOT, "Pulumi.dev.yaml"), { stack: "dev" });
  });

  it("creates a VPC with public and private subnets in two AZs and one NAT gateway", () => {
    assert.deepEqual(plan.get(T.vpc, "network").inputs, {
      cidrBlock: "10.20.0.0/16",
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: "network" },
    });
    const subnets = plan.ofType(T.subnet).map((s) => [s.name, s.inputs.cidrBlock, s.inputs.availabilityZone]);
    assert.deepEqual(
      subnets.sort((a, b) => String(a[1]).localeCompare(String(b[1]), "en", { numeric: true })),
      [
        ["network-public-1", "10.20.0.0/20", "us-east-1a"],
        ["network-public-2", "10.20.16.0/20", "us-east-1b"],
        ["network-private-1", "10.20.32.0/20", "us-east-1a"],
        ["network-private-2", "10.20.48.0/20", "us-east-1b"],
      ],
    );
    assert.equal(plan.ofType(T.nat).length, 1);
  });

  it("manages the created VPC's default group and references it for SSH", () => {
    const def = plan.get(T.defaultSg, "network-default");
    assert.equal(def.inputs.ingress, undefined);
    const ssh = plan.get(T.ingress, "sg-webhost-in-tcp-22-from-default");
    assert.equal(ssh.inputs.referencedSecurityGroupId, KNOWN_AFTER_APPLY);
    assert.deepEqual(ssh.propertyDependencies.referencedSecurityGroupId, [def.urn]);
  });

  it("puts the ELB on the public subnets and the group on the private ones, as lists of unknown ids", () => {
    assert.deepEqual(plan.get(T.elb, "dev-elb").inputs.subnets, [KNOWN_AFTER_APPLY, KNOWN_AFTER_APPLY]);
    const asg = plan.get(T.asg, "dev-hosts");
    assert.deepEqual(asg.inputs.vpcZoneIdentifiers, [KNOWN_AFTER_APPLY, KNOWN_AFTER_APPLY]);
    const privateUrns = plan
      .ofType(T.subnet)
      .filter((s) => s.name.startsWith("network-private"))
      .map((s) => s.urn);
    assert.deepEqual([...(asg.propertyDependencies.vpcZoneIdentifiers ?? [])].sort(), privateUrns.sort());
  });

  it("looks up the default Ubuntu LTS image for a launch_config without image_id", () => {
    assert.ok(
      plan.assumptions.some((a) =>
        a.startsWith(
          "newest image named ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-* owned by 099720109477 → ami-",
        ),
      ),
    );
  });
});

describe("provider extras under mocks", () => {
  it("imports a key pair from public_key, uses the AWS profile, and adds default tags", async () => {
    const plan = await planYaml(
      `config:
  aws:region: eu-central-1
  pillar:cloud:
    ops:
      profile: deploy
      keyname: ops-key
      public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample ops@example"
      default_tags: { team: web }
      ssh_username: [ubuntu, admin]
  pillar:network:
    vpc_id: vpc-0abc1234
  pillar:profiles:
    bastion:
      size: t3.micro
      subnetid: subnet-0abc1234
`,
      { stack: "keys" },
    );
    const key = plan.get(TYPES.ec2.KeyPair, "ops-ops-key");
    assert.deepEqual(key.inputs, {
      keyName: "ops-key",
      publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample ops@example",
    });
    const provider = plan.get(AWS_PROVIDER_TYPE, "ops");
    assert.equal(provider.inputs.profile, "deploy");
    assert.deepEqual(JSON.parse(provider.inputs.defaultTags as string), {
      tags: { env: "keys", "pillar:stack": "keys", team: "web" },
    });
    const bastion = plan.get(TYPES.ec2.Instance, "bastion");
    assert.equal(bastion.inputs.keyName, "ops-key");
    assert.deepEqual(bastion.propertyDependencies.keyName, [key.urn]);
    assert.deepEqual(bastion.inputs.rootBlockDevice, {
      deleteOnTermination: false,
      encrypted: true,
      tags: { Name: "bastion", "pillar:profile": "bastion" },
      volumeType: "gp3",
    });
    assert.equal(plan.ofType(TYPES.ec2.SecurityGroup).length, 0);
  });
});
