/**
 * The offline plan's deterministic fakes for AWS: answers to the program's lookups (each with the
 * assumption it stands for) and what the provider would answer for a custom resource (its inputs,
 * the name it generates, and in an update realistic ids and ARNs in the region's partition).
 */
import { createHash } from "node:crypto";
import { arn } from "../../components/arn";
import { PhysicalName } from "../../provider/naming";
import { TYPES } from "../../provider/types";

export function shortHash(text: string, length: number): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** A deterministic fake for one lookup: the result and the assumption it stands for. */
export type LookupFake = (inputs: Record<string, unknown>) => {
  result: Record<string, unknown>;
  assumption: string;
};

/** Fakes for the lookups pillar's program makes, derived from the stack's own values. */
export function defaultLookups(region: string, accountId = "123456789012"): Record<string, LookupFake> {
  return {
    [TYPES.ec2.getSecurityGroup]: (i) => {
      const id = `sg-${shortHash(`${String(i.vpcId)}/${String(i.name)}`, 17)}`;
      return {
        result: {
          id,
          name: i.name,
          vpcId: i.vpcId,
          arn: arn(region, "ec2", accountId, `security-group/${id}`),
        },
        assumption: `${String(i.name)} group of ${String(i.vpcId)} → ${id}`,
      };
    },
    [TYPES.ec2.getAmi]: (i) => {
      const filters = (i.filters as { name: string; values: string[] }[] | undefined) ?? [];
      const byId = filters.find((f) => f.name === "image-id")?.values[0];
      if (byId !== undefined) {
        return {
          result: { id: byId, imageId: byId, rootDeviceName: "/dev/sda1", architecture: "x86_64" },
          assumption: `image ${byId} → root device /dev/sda1`,
        };
      }
      const id = `ami-${shortHash(JSON.stringify(i), 17)}`;
      const name = filters.find((f) => f.name === "name")?.values.join(",") ?? "?";
      return {
        result: { id, imageId: id, name, architecture: "x86_64", rootDeviceName: "/dev/sda1" },
        assumption: `newest image named ${name} owned by ${String(i.owners)} → ${id} (root device /dev/sda1)`,
      };
    },
    [TYPES.ec2.getSubnet]: (i) => {
      // Any id maps to one of the region's zones, the same one every time.
      const zone = ["a", "b", "c"][parseInt(shortHash(String(i.id), 2), 16) % 3]!;
      return {
        result: {
          id: i.id,
          availabilityZone: `${region}${zone}`,
          arn: arn(region, "ec2", accountId, `subnet/${String(i.id)}`),
        },
        assumption: `subnet ${String(i.id)} → availability zone ${region}${zone}`,
      };
    },
    [TYPES.index.getAvailabilityZones]: () => {
      const names = ["a", "b", "c"].map((s) => `${region}${s}`);
      return {
        result: { names, zoneIds: names.map((_, k) => `use1-az${k + 1}`), id: region },
        assumption: `availability zones of ${region} → ${names.join(", ")}`,
      };
    },
    [TYPES.index.getCallerIdentity]: () => ({
      result: {
        accountId,
        arn: arn(region, "iam", accountId, "user/offline-plan", "global"),
        userId: "AIDAOFFLINEPLAN",
        id: accountId,
      },
      assumption: `caller identity → account ${accountId}`,
    }),
    [TYPES.index.getRegion]: () => ({
      result: { name: region, region, id: region },
      assumption: `region → ${region}`,
    }),
  };
}

const ACCOUNT = "123456789012";

/** Realistic fake ids and ARNs per type, for update-mode runs (tests compare references with them). */
function fakeIdentity(type: string, name: string, urn: string, region: string): { id: string; arn: string } {
  const h = (n: number) => shortHash(urn, n);
  const uuid = `${h(8)}-${h(12).slice(8, 12)}-4${h(15).slice(12, 15)}-8${h(18).slice(15, 18)}-${shortHash(`${urn}#`, 12)}`;
  const ec2 = (prefix: string, kind: string) => {
    const id = `${prefix}-${h(17)}`;
    return { id, arn: arn(region, "ec2", ACCOUNT, `${kind}/${id}`) };
  };
  switch (type) {
    case TYPES.ec2.SecurityGroup:
    case TYPES.ec2.DefaultSecurityGroup:
      return ec2("sg", "security-group");
    case TYPES.vpc.SecurityGroupIngressRule:
    case TYPES.vpc.SecurityGroupEgressRule:
      return ec2("sgr", "security-group-rule");
    case TYPES.ec2.Instance:
      return ec2("i", "instance");
    case TYPES.ec2.LaunchTemplate:
      return ec2("lt", "launch-template");
    case TYPES.ec2.Vpc:
      return ec2("vpc", "vpc");
    case TYPES.ec2.Subnet:
      return ec2("subnet", "subnet");
    case TYPES.ec2.InternetGateway:
      return ec2("igw", "internet-gateway");
    case TYPES.ec2.RouteTable:
      return ec2("rtb", "route-table");
    case TYPES.ec2.NatGateway:
      return ec2("nat", "natgateway");
    case TYPES.ec2.Eip:
      return ec2("eipalloc", "elastic-ip");
    case TYPES.ebs.Volume:
      return ec2("vol", "volume");
    case TYPES.ec2.VolumeAttachment:
      return { id: `vai-${parseInt(h(8), 16)}`, arn: "" };
    case TYPES.dlm.LifecyclePolicy: {
      const id = `policy-${h(17)}`;
      return { id, arn: arn(region, "dlm", ACCOUNT, `policy/${id}`) };
    }
    case TYPES.ec2.KeyPair:
      return { id: name, arn: arn(region, "ec2", ACCOUNT, `key-pair/key-${h(17)}`) };
    case TYPES.iam.Role:
      return { id: name, arn: arn(region, "iam", ACCOUNT, `role/${name}`, "global") };
    case TYPES.iam.InstanceProfile:
      return { id: name, arn: arn(region, "iam", ACCOUNT, `instance-profile/${name}`, "global") };
    case TYPES.sns.Topic: {
      const topicArn = arn(region, "sns", ACCOUNT, name);
      return { id: topicArn, arn: topicArn };
    }
    case TYPES.sns.TopicSubscription: {
      const subscriptionArn = arn(region, "sns", ACCOUNT, `${name}:${uuid}`);
      return { id: subscriptionArn, arn: subscriptionArn };
    }
    case TYPES.sqs.Queue:
      return {
        id: `https://sqs.${region}.amazonaws.com/${ACCOUNT}/${name}`,
        arn: arn(region, "sqs", ACCOUNT, name),
      };
    case TYPES.cloudwatch.LogGroup:
      return { id: name, arn: arn(region, "logs", ACCOUNT, `log-group:${name}`) };
    case TYPES.cloudwatch.MetricAlarm:
      return { id: name, arn: arn(region, "cloudwatch", ACCOUNT, `alarm:${name}`) };
    case TYPES.dynamodb.Table:
      return { id: name, arn: arn(region, "dynamodb", ACCOUNT, `table/${name}`) };
    case TYPES.lambda.Function:
      return { id: name, arn: arn(region, "lambda", ACCOUNT, `function:${name}`) };
    case TYPES.ssm.Document:
      return { id: name, arn: arn(region, "ssm", ACCOUNT, `document/${name}`) };
    case TYPES.elb.LoadBalancer:
      return { id: name, arn: arn(region, "elasticloadbalancing", ACCOUNT, `loadbalancer/${name}`) };
    case TYPES.autoscaling.Group:
      return {
        id: name,
        arn: arn(region, "autoscaling", ACCOUNT, `autoScalingGroup:${uuid}:autoScalingGroupName/${name}`),
      };
    default:
      return {
        id: `${name}-${h(8)}`,
        arn: arn(region, type.split(":")[1]?.split("/")[0] ?? "x", ACCOUNT, name),
      };
  }
}

/**
 * What the provider answers for a custom resource: its inputs, the name it generated (known at
 * preview, as the bridge computes it in Check), and in an update fake ids and ARNs.
 */
export function fakeState(
  type: string,
  name: string,
  urn: string,
  inputs: Record<string, unknown>,
  preview: boolean,
  region: string,
  physical?: PhysicalName,
): { id?: string; state: Record<string, unknown> } {
  const state: Record<string, unknown> = { ...inputs };
  if (physical && physical.source !== "explicit") {
    if (physical.value !== undefined) state[physical.property] = physical.value;
    // Terraform makes a prefixed name at create: `<prefix><26-digit unique id>`.
    else if (physical.source === "prefix" && !preview)
      state[physical.property] = `${physical.prefix ?? ""}${BigInt(`0x${shortHash(urn, 20)}`)
        .toString()
        .slice(-26)
        .padStart(26, "0")}`;
  }
  if (preview) return { state };
  const named = physical ? state[physical.property] : undefined;
  const physicalValue = typeof named === "string" ? named : name;
  const identity = fakeIdentity(type, physicalValue, urn, region);
  const id = identity.id;
  state.arn = identity.arn;
  if (type === TYPES.autoscaling.Policy) {
    state.arn = arn(
      region,
      "autoscaling",
      ACCOUNT,
      `scalingPolicy:${shortHash(urn, 8)}-0000-4000-8000-${shortHash(urn, 12)}:autoScalingGroupName/${String(inputs.autoscalingGroupName)}:policyName/${physicalValue}`,
    );
  }
  if (type === TYPES.autoscaling.Schedule) {
    state.arn = arn(
      region,
      "autoscaling",
      ACCOUNT,
      `scheduledUpdateGroupAction:${shortHash(urn, 8)}-0000-4000-8000-${shortHash(urn, 12)}:autoScalingGroupName/${String(inputs.autoscalingGroupName)}:scheduledActionName/${String(inputs.scheduledActionName)}`,
    );
    return { id: String(inputs.scheduledActionName), state };
  }
  if (type === TYPES.elb.LoadBalancer) {
    state.dnsName = `${physicalValue}-${shortHash(urn, 9)}.${region}.elb.amazonaws.com`;
    state.zoneId = "Z35SXDOTRQ7X7K";
  }
  if (type === TYPES.ec2.LaunchTemplate) state.latestVersion = 1;
  if (type === TYPES.lambda.FunctionUrl)
    state.functionUrl = `https://${shortHash(urn, 32)}.lambda-url.${region}.on.aws/`;
  return { id, state };
}
