/**
 * A fake AWS account that answers the Describe/List calls adopt makes the way the APIs do: filters
 * applied, results in pages (fewer items than MaxResults per page, as EC2 documents it may return),
 * opaque NextToken/NextMarker, and the APIs' own errors for bad filters and unknown names. Clients are
 * real SDK v3 clients whose `send` aws-sdk-client-mock answers from this state.
 */
import {
  AutoScalingClient,
  type AutoScalingGroup,
  DescribeAutoScalingGroupsCommand,
  DescribePoliciesCommand,
  type ScalingPolicy,
} from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient, DescribeAlarmsCommand, type MetricAlarm } from "@aws-sdk/client-cloudwatch";
import {
  DescribeInstancesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  EC2Client,
  type Filter,
  type Instance,
  type SecurityGroup,
  type SecurityGroupRule,
  type Subnet,
  type Volume,
} from "@aws-sdk/client-ec2";
import {
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingClient,
  type LoadBalancerDescription,
} from "@aws-sdk/client-elastic-load-balancing";
import { ListTopicsCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import type { AwsClients } from "../../scripts/lib/adopt/live";

export interface FakeAccount {
  groups: SecurityGroup[];
  rules: SecurityGroupRule[];
  loadBalancers: LoadBalancerDescription[];
  autoScalingGroups: AutoScalingGroup[];
  policies: ScalingPolicy[];
  alarms: MetricAlarm[];
  topics: string[];
  instances: Instance[];
  volumes: Volume[];
  subnets: Subnet[];
}

/** Every request each client received, in order: [command name, input]. */
export type CallLog = [string, Record<string, unknown>][];

class ApiError extends Error {
  readonly $metadata = { httpStatusCode: 400 };
  constructor(
    override readonly name: string,
    message: string,
  ) {
    super(message);
  }
}

const token = (offset: number) => Buffer.from(`page:${offset}`).toString("base64");
const offsetOf = (t: unknown, api: string): number => {
  if (t === undefined || t === null || t === "") return 0;
  const m = /^page:(\d+)$/.exec(Buffer.from(String(t), "base64").toString());
  if (!m)
    throw new ApiError(
      api === "ec2" ? "InvalidPaginationToken" : "InvalidNextToken",
      `The token '${String(t)}' is invalid.`,
    );
  return Number(m[1]);
};

/** One page: at most `size` items (and at most the request's max), and the token of the next. */
function page<T>(
  items: readonly T[],
  start: number,
  size: number,
  max: number | undefined,
): { items: T[]; next?: string } {
  const n = Math.min(size, max ?? size);
  const slice = items.slice(start, start + n);
  return { items: slice, ...(start + n < items.length ? { next: token(start + n) } : {}) };
}

function filtered<T>(
  items: readonly T[],
  filters: readonly Filter[] | undefined,
  fields: Readonly<Record<string, (x: T) => string | undefined>>,
): T[] {
  for (const f of filters ?? [])
    if (!fields[f.Name ?? ""])
      throw new ApiError("InvalidParameterValue", `The filter '${f.Name}' is invalid`);
  return items.filter((x) =>
    (filters ?? []).every((f) => (f.Values ?? []).includes(fields[f.Name!]!(x) ?? "\u0000")),
  );
}

export function fakeClients(
  account: FakeAccount,
  opts: { pageSize?: number } = {},
): { clients: AwsClients; calls: CallLog } {
  const size = opts.pageSize ?? 2;
  const calls: CallLog = [];
  const region = "us-east-1";
  const ec2 = new EC2Client({ region });
  const elb = new ElasticLoadBalancingClient({ region });
  const autoscaling = new AutoScalingClient({ region });
  const cloudwatch = new CloudWatchClient({ region });
  const sns = new SNSClient({ region });
  const log = (name: string, input: object) => calls.push([name, { ...input } as Record<string, unknown>]);

  const ec2Mock = mockClient(ec2);
  ec2Mock.on(DescribeSecurityGroupsCommand).callsFake((input) => {
    log("DescribeSecurityGroups", input);
    if (input.MaxResults !== undefined && (input.MaxResults < 5 || input.MaxResults > 1000))
      throw new ApiError("InvalidParameterValue", "MaxResults must be between 5 and 1000");
    let items = filtered(account.groups, input.Filters, {
      "vpc-id": (g) => g.VpcId,
      "group-name": (g) => g.GroupName,
      "group-id": (g) => g.GroupId,
    });
    if (input.GroupIds) items = items.filter((g) => input.GroupIds!.includes(g.GroupId!));
    const p = page(items, offsetOf(input.NextToken, "ec2"), size, input.MaxResults);
    return { SecurityGroups: p.items, ...(p.next ? { NextToken: p.next } : {}) };
  });
  ec2Mock.on(DescribeSecurityGroupRulesCommand).callsFake((input) => {
    log("DescribeSecurityGroupRules", input);
    const items = filtered(account.rules, input.Filters, {
      "group-id": (r) => r.GroupId,
      "security-group-rule-id": (r) => r.SecurityGroupRuleId,
    });
    const p = page(items, offsetOf(input.NextToken, "ec2"), size, input.MaxResults);
    return { SecurityGroupRules: p.items, ...(p.next ? { NextToken: p.next } : {}) };
  });
  ec2Mock.on(DescribeInstancesCommand).callsFake((input) => {
    log("DescribeInstances", input);
    const items = filtered(account.instances, input.Filters, { "instance-id": (i) => i.InstanceId });
    const p = page(items, offsetOf(input.NextToken, "ec2"), size, input.MaxResults);
    return {
      Reservations: p.items.map((i) => ({ ReservationId: `r-${i.InstanceId!.slice(2)}`, Instances: [i] })),
      ...(p.next ? { NextToken: p.next } : {}),
    };
  });
  ec2Mock.on(DescribeSubnetsCommand).callsFake((input) => {
    log("DescribeSubnets", input);
    const items = filtered(account.subnets, input.Filters, {
      "subnet-id": (x) => x.SubnetId,
      "vpc-id": (x) => x.VpcId,
    });
    const p = page(items, offsetOf(input.NextToken, "ec2"), size, input.MaxResults);
    return { Subnets: p.items, ...(p.next ? { NextToken: p.next } : {}) };
  });
  ec2Mock.on(DescribeVolumesCommand).callsFake((input) => {
    log("DescribeVolumes", input);
    const items = filtered(account.volumes, input.Filters, { "volume-id": (v) => v.VolumeId });
    const p = page(items, offsetOf(input.NextToken, "ec2"), size, input.MaxResults);
    return { Volumes: p.items, ...(p.next ? { NextToken: p.next } : {}) };
  });

  mockClient(elb)
    .on(DescribeLoadBalancersCommand)
    .callsFake((input) => {
      log("DescribeLoadBalancers", input);
      let items = account.loadBalancers;
      if (input.LoadBalancerNames) {
        const missing = input.LoadBalancerNames.filter(
          (n: string) => !items.some((l) => l.LoadBalancerName === n),
        );
        if (missing.length > 0)
          throw new ApiError(
            "LoadBalancerNotFound",
            `There is no ACTIVE Load Balancer named '${missing[0]}'`,
          );
        items = items.filter((l) => input.LoadBalancerNames!.includes(l.LoadBalancerName!));
      }
      const p = page(items, offsetOf(input.Marker, "elb"), size, input.PageSize);
      return { LoadBalancerDescriptions: p.items, ...(p.next ? { NextMarker: p.next } : {}) };
    });

  const asMock = mockClient(autoscaling);
  asMock.on(DescribeAutoScalingGroupsCommand).callsFake((input) => {
    log("DescribeAutoScalingGroups", input);
    const items = input.AutoScalingGroupNames
      ? account.autoScalingGroups.filter((g) =>
          input.AutoScalingGroupNames!.includes(g.AutoScalingGroupName!),
        )
      : account.autoScalingGroups;
    const p = page(items, offsetOf(input.NextToken, "as"), size, input.MaxRecords);
    return { AutoScalingGroups: p.items, ...(p.next ? { NextToken: p.next } : {}) };
  });
  asMock.on(DescribePoliciesCommand).callsFake((input) => {
    log("DescribePolicies", input);
    const items = account.policies.filter(
      (x) =>
        (input.AutoScalingGroupName === undefined || x.AutoScalingGroupName === input.AutoScalingGroupName) &&
        (input.PolicyNames === undefined || input.PolicyNames.includes(x.PolicyName!)),
    );
    const p = page(items, offsetOf(input.NextToken, "as"), size, input.MaxRecords);
    return { ScalingPolicies: p.items, ...(p.next ? { NextToken: p.next } : {}) };
  });

  mockClient(cloudwatch)
    .on(DescribeAlarmsCommand)
    .callsFake((input) => {
      log("DescribeAlarms", input);
      if (input.AlarmNames && input.AlarmNames.length > 100)
        throw new ApiError("InvalidParameterValue", "AlarmNames: at most 100");
      const items = account.alarms.filter(
        (a) => input.AlarmNames === undefined || input.AlarmNames.includes(a.AlarmName!),
      );
      const p = page(items, offsetOf(input.NextToken, "cw"), size, input.MaxRecords);
      return { MetricAlarms: p.items, CompositeAlarms: [], ...(p.next ? { NextToken: p.next } : {}) };
    });

  mockClient(sns)
    .on(ListTopicsCommand)
    .callsFake((input) => {
      log("ListTopics", input);
      const p = page(account.topics, offsetOf(input.NextToken, "sns"), size, undefined);
      return { Topics: p.items.map((TopicArn) => ({ TopicArn })), ...(p.next ? { NextToken: p.next } : {}) };
    });

  return { clients: { ec2, elb, autoscaling, cloudwatch, sns }, calls };
}

const ACCOUNT = "123456789012";
export const VPC = "vpc-1234567";
export const DEFAULT_SG = "sg-0d0d0d0d0d0d0d0d0";
export const WEBHOST_SG = "sg-0a1a1a1a1a1a1a1a1";
export const MONGODB_SG = "sg-0b2b2b2b2b2b2b2b2";
const SUBNETS = ["subnet-0a1b2c31", "subnet-0a1b2c32", "subnet-0a1b2c33"];

function rule(
  id: string,
  group: string,
  egress: boolean,
  p: string,
  from: number,
  to: number,
  source: Partial<SecurityGroupRule>,
): SecurityGroupRule {
  return {
    SecurityGroupRuleId: id,
    GroupId: group,
    GroupOwnerId: ACCOUNT,
    IsEgress: egress,
    IpProtocol: p,
    FromPort: from,
    ToPort: to,
    ...source,
    Tags: [],
    SecurityGroupRuleArn: `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group-rule/${id}`,
  };
}
const ref = (groupId: string) => ({ ReferencedGroupInfo: { GroupId: groupId, UserId: ACCOUNT } });

/** The seed's tier as salt-cloud and the aws formula built it in 2015, with what a few years add. */
export function seedAccount(): FakeAccount {
  const rules: SecurityGroupRule[] = [
    rule("sgr-0000000000000d001", DEFAULT_SG, false, "-1", -1, -1, ref(DEFAULT_SG)),
    rule("sgr-0000000000000d002", DEFAULT_SG, true, "-1", -1, -1, { CidrIpv4: "0.0.0.0/0" }),
    rule("sgr-0a00000000000080a", WEBHOST_SG, false, "tcp", 80, 80, { CidrIpv4: "0.0.0.0/0" }),
    rule("sgr-0a00000000000443a", WEBHOST_SG, false, "tcp", 443, 443, { CidrIpv4: "0.0.0.0/0" }),
    rule("sgr-0a00000000000022a", WEBHOST_SG, false, "tcp", 22, 22, ref(DEFAULT_SG)),
    // Added by hand one night, never put in the pillar.
    rule("sgr-0a00000000008080a", WEBHOST_SG, false, "tcp", 8080, 8080, {
      CidrIpv4: "10.0.0.0/8",
      Description: "debug",
    }),
    rule("sgr-0a000000000000e0a", WEBHOST_SG, true, "-1", -1, -1, { CidrIpv4: "0.0.0.0/0" }),
    rule("sgr-0b00000000027017b", MONGODB_SG, false, "tcp", 27017, 27017, ref(WEBHOST_SG)),
    // One inline permission (tcp 22) with two sources: AWS keeps one rule per source.
    rule("sgr-0b00000000000022b", MONGODB_SG, false, "tcp", 22, 22, ref(DEFAULT_SG)),
    rule("sgr-0b00000000000122b", MONGODB_SG, false, "tcp", 22, 22, { CidrIpv4: "10.1.0.0/16" }),
    rule("sgr-0b000000000000e0b", MONGODB_SG, true, "-1", -1, -1, { CidrIpv4: "0.0.0.0/0" }),
  ];
  const group = (id: string, name: string, description: string): SecurityGroup => ({
    GroupId: id,
    GroupName: name,
    Description: description,
    VpcId: VPC,
    OwnerId: ACCOUNT,
    SecurityGroupArn: `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/${id}`,
    Tags: [],
  });
  return {
    groups: [
      group(DEFAULT_SG, "default", "default VPC security group"),
      group(WEBHOST_SG, "webhost", "Web server security group"),
      group(MONGODB_SG, "mongodb", "MongoDB Security Group"),
      group("sg-0c3c3c3c3c3c3c3c3", "bastion", "SSH bastion"),
      // Same name in another VPC: never a candidate.
      { ...group("sg-0e4e4e4e4e4e4e4e4", "webhost", "Web server security group"), VpcId: "vpc-7654321" },
    ].map((g) => ({
      ...g,
      // The inline form of the same rules, as DescribeSecurityGroups answers it.
      IpPermissions: rules
        .filter((r) => r.GroupId === g.GroupId && !r.IsEgress)
        .map((r) => ({
          IpProtocol: r.IpProtocol,
          FromPort: r.FromPort,
          ToPort: r.ToPort,
          IpRanges: r.CidrIpv4 ? [{ CidrIp: r.CidrIpv4 }] : [],
          UserIdGroupPairs: r.ReferencedGroupInfo
            ? [{ GroupId: r.ReferencedGroupInfo.GroupId, UserId: ACCOUNT }]
            : [],
        })),
    })),
    rules,
    loadBalancers: [
      { LoadBalancerName: "legacy-api", Scheme: "internet-facing", Subnets: SUBNETS.slice(0, 1), VPCId: VPC },
      {
        LoadBalancerName: "MY-ELB",
        DNSName: "MY-ELB-1234567890.us-east-1.elb.amazonaws.com",
        Scheme: "internet-facing",
        Subnets: [...SUBNETS].reverse(),
        VPCId: VPC,
        SecurityGroups: [DEFAULT_SG, WEBHOST_SG],
        ListenerDescriptions: [
          {
            Listener: {
              Protocol: "HTTPS",
              LoadBalancerPort: 443,
              InstanceProtocol: "HTTPS",
              InstancePort: 443,
              SSLCertificateId: `arn:aws:iam::${ACCOUNT}:server-certificate/my-certificate`,
            },
            PolicyNames: ["ELBSecurityPolicy-2016-08"],
          },
          {
            Listener: { Protocol: "HTTP", LoadBalancerPort: 80, InstanceProtocol: "HTTP", InstancePort: 80 },
            PolicyNames: [],
          },
        ],
      },
      { LoadBalancerName: "my-elb-staging", Scheme: "internet-facing", Subnets: SUBNETS, VPCId: VPC },
    ],
    autoScalingGroups: [
      {
        AutoScalingGroupName: "app-hosts",
        AutoScalingGroupARN: `arn:aws:autoscaling:us-east-1:${ACCOUNT}:autoScalingGroup:1f2e3d4c-0000-4000-8000-000000000001:autoScalingGroupName/app-hosts`,
        LaunchConfigurationName: "webhost",
        MinSize: 2,
        MaxSize: 10,
        DesiredCapacity: 4,
        DefaultCooldown: 1500,
        AvailabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
        LoadBalancerNames: ["MY-ELB"],
        HealthCheckType: "ELB",
        HealthCheckGracePeriod: 300,
        VPCZoneIdentifier: SUBNETS.join(","),
        CreatedTime: new Date("2015-03-20T12:00:00Z"),
      },
    ],
    policies: [
      {
        AutoScalingGroupName: "app-hosts",
        PolicyName: "webhost_scale_up",
        PolicyType: "SimpleScaling",
        AdjustmentType: "ChangeInCapacity",
        ScalingAdjustment: 1,
        PolicyARN: `arn:aws:autoscaling:us-east-1:${ACCOUNT}:scalingPolicy:aaaa:autoScalingGroupName/app-hosts:policyName/webhost_scale_up`,
      },
      {
        AutoScalingGroupName: "app-hosts",
        PolicyName: "webhost_scale_down",
        PolicyType: "SimpleScaling",
        AdjustmentType: "ChangeInCapacity",
        ScalingAdjustment: -1,
        PolicyARN: `arn:aws:autoscaling:us-east-1:${ACCOUNT}:scalingPolicy:bbbb:autoScalingGroupName/app-hosts:policyName/webhost_scale_down`,
      },
      {
        AutoScalingGroupName: "app-hosts",
        PolicyName: "manual_bump",
        PolicyType: "SimpleScaling",
        AdjustmentType: "ExactCapacity",
        ScalingAdjustment: 6,
      },
    ],
    alarms: [
      {
        AlarmName: "webhost_cpu_scale_up",
        MetricName: "CPUUtilization",
        Namespace: "AWS/EC2",
        Threshold: 70,
      },
      { AlarmName: "php_cpu_scale_down", MetricName: "CPUUtilization", Namespace: "AWS/EC2", Threshold: 40 },
    ],
    topics: [
      `arn:aws:sns:us-east-1:${ACCOUNT}:alert_salt_web_scale_up`,
      `arn:aws:sns:us-east-1:${ACCOUNT}:billing`,
      `arn:aws:sns:us-east-1:${ACCOUNT}:alert_salt_php_scale_down`,
    ],
    instances: [
      {
        InstanceId: "i-0123456789abcdef0",
        ImageId: "ami-0abc1234",
        InstanceType: "m3.medium",
        SubnetId: "subnet-0d4e5f61",
        KeyName: "salt_master",
        RootDeviceName: "/dev/sda1",
        BlockDeviceMappings: [
          { DeviceName: "/dev/sda1", Ebs: { VolumeId: "vol-0aaaaaaaaaaaaaaa1", Status: "attached" } },
        ],
      },
    ],
    // The profile's subnet is in us-east-1b, where its root volume is.
    subnets: [...SUBNETS, "subnet-0d4e5f61"].map((id, k) => ({
      SubnetId: id,
      VpcId: VPC,
      AvailabilityZone: `us-east-1${"abcb"[k]}`,
      SubnetArn: `arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/${id}`,
    })),
    volumes: [
      {
        VolumeId: "vol-0aaaaaaaaaaaaaaa1",
        Size: 50,
        Encrypted: false,
        AvailabilityZone: "us-east-1b",
        VolumeType: "standard",
      },
    ],
  };
}
