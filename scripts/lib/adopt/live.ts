/**
 * What runs in the account, read with the AWS SDK v3's own paginators (every page of each Describe or List call,
 * by NextToken or Marker). Read-only calls only: adopt changes nothing in AWS.
 *
 * Sources: the clients' `dist-types/pagination` (paginateDescribeSecurityGroups/-Rules/-Instances/
 * -Volumes with NextToken; classic ELB paginateDescribeLoadBalancers with Marker/NextMarker; Auto
 * Scaling paginateDescribeAutoScalingGroups/-Policies; CloudWatch paginateDescribeAlarms; SNS
 * paginateListTopics). EC2 DescribeSecurityGroups: "[Default VPC] GroupNames"; other VPCs filter by
 * `vpc-id` and `group-name`. DescribeSecurityGroupRules returns one rule per source, each with its
 * `sgr-` id, however the rule was created (inline permissions included).
 */
import {
  AutoScalingClient,
  type AutoScalingGroup,
  paginateDescribeAutoScalingGroups,
  paginateDescribePolicies,
  type ScalingPolicy,
} from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient, type MetricAlarm, paginateDescribeAlarms } from "@aws-sdk/client-cloudwatch";
import {
  EC2Client,
  type Instance,
  paginateDescribeInstances,
  paginateDescribeSecurityGroupRules,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVolumes,
  type SecurityGroup,
  type SecurityGroupRule,
  type Subnet,
  type Volume,
} from "@aws-sdk/client-ec2";
import {
  ElasticLoadBalancingClient,
  type LoadBalancerDescription,
  paginateDescribeLoadBalancers,
} from "@aws-sdk/client-elastic-load-balancing";
import { paginateListTopics, SNSClient } from "@aws-sdk/client-sns";

export interface AwsClients {
  readonly ec2: EC2Client;
  readonly elb: ElasticLoadBalancingClient;
  readonly autoscaling: AutoScalingClient;
  readonly cloudwatch: CloudWatchClient;
  readonly sns: SNSClient;
}

/** Clients for the stack's region, with the stack's AWS profile when it names one (else the default chain). */
export function defaultClients(region: string, profile?: string): AwsClients {
  const config = { region, ...(profile !== undefined ? { profile } : {}), maxAttempts: 5 };
  return {
    ec2: new EC2Client(config),
    elb: new ElasticLoadBalancingClient(config),
    autoscaling: new AutoScalingClient(config),
    cloudwatch: new CloudWatchClient(config),
    sns: new SNSClient(config),
  };
}

async function all<P, T>(pages: AsyncIterable<P>, items: (p: P) => readonly T[] | undefined): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...(items(page) ?? []));
  return out;
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Every security group of a VPC (the VPC's `default` group among them). */
export function groupsInVpc(ec2: EC2Client, vpcId: string): Promise<SecurityGroup[]> {
  return all(
    paginateDescribeSecurityGroups(
      { client: ec2, pageSize: 1000 },
      { Filters: [{ Name: "vpc-id", Values: [vpcId] }] },
    ),
    (p) => p.SecurityGroups,
  );
}

/** Every rule of these groups, one per source, ingress and egress. */
export async function rulesOfGroups(
  ec2: EC2Client,
  groupIds: readonly string[],
): Promise<SecurityGroupRule[]> {
  const out: SecurityGroupRule[] = [];
  // A filter takes at most 200 values.
  for (const ids of chunks(groupIds, 200))
    out.push(
      ...(await all(
        paginateDescribeSecurityGroupRules(
          { client: ec2, pageSize: 1000 },
          { Filters: [{ Name: "group-id", Values: ids }] },
        ),
        (p) => p.SecurityGroupRules,
      )),
    );
  return out;
}

/** Every classic load balancer of the region. */
export function loadBalancers(elb: ElasticLoadBalancingClient): Promise<LoadBalancerDescription[]> {
  return all(paginateDescribeLoadBalancers({ client: elb }, {}), (p) => p.LoadBalancerDescriptions);
}

/** The named Auto Scaling groups that exist. */
export async function autoScalingGroups(
  client: AutoScalingClient,
  names: readonly string[],
): Promise<AutoScalingGroup[]> {
  const out: AutoScalingGroup[] = [];
  for (const batch of chunks(names, 50))
    out.push(
      ...(await all(
        paginateDescribeAutoScalingGroups({ client, pageSize: 100 }, { AutoScalingGroupNames: batch }),
        (p) => p.AutoScalingGroups,
      )),
    );
  return out;
}

/** Every scaling policy of a group. */
export function policiesOf(client: AutoScalingClient, groupName: string): Promise<ScalingPolicy[]> {
  return all(
    paginateDescribePolicies({ client, pageSize: 50 }, { AutoScalingGroupName: groupName }),
    (p) => p.ScalingPolicies,
  );
}

/** The named metric alarms that exist. */
export async function metricAlarms(
  client: CloudWatchClient,
  names: readonly string[],
): Promise<MetricAlarm[]> {
  const out: MetricAlarm[] = [];
  for (const batch of chunks(names, 100))
    out.push(
      ...(await all(
        paginateDescribeAlarms({ client, pageSize: 100 }, { AlarmNames: batch, AlarmTypes: ["MetricAlarm"] }),
        (p) => p.MetricAlarms,
      )),
    );
  return out;
}

/** Every topic ARN of the region. */
export function topicArns(client: SNSClient): Promise<string[]> {
  return all(paginateListTopics({ client }, {}), (p) =>
    (p.Topics ?? []).flatMap((t) => (t.TopicArn ? [t.TopicArn] : [])),
  );
}

/** The instances with these ids that exist. */
export async function instancesById(ec2: EC2Client, ids: readonly string[]): Promise<Instance[]> {
  if (ids.length === 0) return [];
  return all(
    paginateDescribeInstances({ client: ec2 }, { Filters: [{ Name: "instance-id", Values: [...ids] }] }),
    (p) => (p.Reservations ?? []).flatMap((r) => r.Instances ?? []),
  );
}

/** The volumes with these ids that exist. */
export async function volumesById(ec2: EC2Client, ids: readonly string[]): Promise<Volume[]> {
  if (ids.length === 0) return [];
  return all(
    paginateDescribeVolumes({ client: ec2 }, { Filters: [{ Name: "volume-id", Values: [...ids] }] }),
    (p) => p.Volumes,
  );
}

/** The subnets with these ids that exist. */
export async function subnetsById(ec2: EC2Client, ids: readonly string[]): Promise<Subnet[]> {
  const out: Subnet[] = [];
  for (const batch of chunks(ids, 200))
    out.push(
      ...(await all(
        paginateDescribeSubnets({ client: ec2 }, { Filters: [{ Name: "subnet-id", Values: batch }] }),
        (p) => p.Subnets,
      )),
    );
  return out;
}
