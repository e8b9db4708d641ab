import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { StackModel } from "../config/model";
import type { ReactorBundle } from "../reactor/bundle";
import { ApplicationLoadBalancer } from "./alb";
import { Alarms } from "./alarms";
import { AutoscaleGroup } from "./autoscaling";
import { AutoscaleTopic } from "./autoscaleTopic";
import { LoadBalancer } from "./loadBalancer";
import { Network } from "./network";
import { Cloud } from "./provider";
import { Reactor } from "./reactor";
import { SecurityGroupGraph } from "./securityGroups";
import { ServerProfile } from "./server";

/** What the stack exports (index.ts exports exactly this object). */
export interface WebTierOutputs {
  readonly region: string;
  readonly vpcId: pulumi.Output<string>;
  readonly defaultSecurityGroupId: pulumi.Output<string>;
  readonly securityGroupIds: Readonly<Record<string, pulumi.Output<string>>>;
  readonly loadBalancers: Readonly<
    Record<string, { dnsName: pulumi.Output<string>; zoneId: pulumi.Output<string> }>
  >;
  /**
   * The ALBs, by entry name: `type: application` entries and the twins of classic ELBs being
   * migrated (`migrate_to: application`), whose classic DNS name stays under loadBalancers.
   */
  readonly applicationLoadBalancers: Readonly<
    Record<string, { dnsName: pulumi.Output<string>; zoneId: pulumi.Output<string> }>
  >;
  readonly autoscaleGroups: Readonly<Record<string, pulumi.Output<string>>>;
  readonly notificationTopics: Readonly<Record<string, pulumi.Output<string>>>;
  readonly servers: Readonly<Record<string, pulumi.Output<string>[]>>;
  readonly ssh: {
    readonly usernames: pulumi.Output<string[]>;
    readonly interface: pulumi.Output<string>;
    readonly keyName: pulumi.Output<string | undefined>;
  };
  readonly reactor:
    | {
        functionName: pulumi.Output<string>;
        inventoryTable: pulumi.Output<string>;
        alertsTopic: pulumi.Output<string>;
        functionUrl?: pulumi.Output<string>;
      }
    | undefined;
}

const waitFor = (...lists: pulumi.Resource[][]) => {
  const all = lists.flat();
  return all.length > 0 ? { waitFor: all } : {};
};

/**
 * The whole tier from the validated model, in dependency order: provider, network, the
 * security-group graph, servers, load balancers, notification topics, the reactor (subscribed
 * before any group launches an instance), groups with their policies, then alarms. The reactor's
 * code is built by the caller (index.ts, the offline plan) and handed in.
 */
export function createWebTier(model: StackModel, reactorBundle: ReactorBundle): WebTierOutputs {
  const cloud = new Cloud(model.cloud.name, { cloud: model.cloud, stack: model.stack });
  const provider = cloud.provider;
  // Every component takes the stack's provider as an option; their children inherit it by parent.
  const opts: pulumi.ComponentResourceOptions = { provider };
  const network = new Network("network", { network: model.network }, opts);
  const sg = new SecurityGroupGraph(
    "sg",
    {
      groups: model.securityGroups,
      vpcId: network.vpcId,
      defaultSecurityGroupId: network.defaultSecurityGroupId,
    },
    opts,
  );
  // The provider's key pair by its output, so instances wait for an imported key; other names as given.
  const keyFor = (name?: string): pulumi.Input<string | undefined> =>
    name === undefined || name === model.cloud.keyPair?.name ? cloud.keyName : name;
  const accountId = aws.getCallerIdentityOutput({}, { provider }).apply((c) => c.accountId);

  const servers: Record<string, pulumi.Output<string>[]> = {};
  for (const p of model.profiles) {
    const subnetIds = network.subnetIds(p.subnet ? [p.subnet] : [{ kind: "tier", tier: "private" }]);
    const subnetId = subnetIds[0];
    if (subnetId === undefined)
      throw new Error(
        `${p.path}: no subnet for the profile: give subnetid or list private_subnets in pillar:network`,
      );
    const server = new ServerProfile(
      p.name,
      {
        profile: p,
        subnetId,
        securityGroupIds: sg.ids(p.securityGroups),
        keyName: keyFor(p.keyName),
        snapshotTag: `${model.project}-${model.stack}-${p.name}`,
        accountId,
        region: model.cloud.region,
      },
      opts,
    );
    servers[p.name] = server.instanceIds;
  }

  const lbs: Record<string, LoadBalancer> = {};
  const albs: Record<string, ApplicationLoadBalancer> = {};
  for (const elb of model.loadBalancers) {
    if (elb.type === "classic")
      lbs[elb.name] = new LoadBalancer(
        elb.name,
        {
          elb,
          subnetIds: network.subnetIds(elb.subnets),
          securityGroupIds: sg.ids(elb.securityGroups),
        },
        opts,
      );
    if (elb.application)
      albs[elb.name] = new ApplicationLoadBalancer(
        elb.name,
        {
          alb: elb.application,
          vpcId: network.vpcId,
          subnetIds: network.subnetIds(elb.application.subnets),
          securityGroupIds: sg.ids(elb.application.securityGroups),
        },
        opts,
      );
  }
  // Every target group of the stack by config name, with what groups and alarms refer to it by.
  const targetGroups = Object.fromEntries(
    Object.values(albs).flatMap((a) =>
      Object.entries(a.targetGroups).map(([n, tg]) => [
        n,
        {
          arn: tg.arn,
          arnSuffix: tg.arnSuffix,
          resourceLabel: pulumi.interpolate`${a.loadBalancer.arnSuffix}/${tg.arnSuffix}`,
        },
      ]),
    ),
  );

  const topics: Record<string, AutoscaleTopic> = {};
  const groupNames: Record<string, string> = {};
  for (const g of model.autoscaleGroups) {
    groupNames[g.name] = g.physicalName;
    topics[g.name] = new AutoscaleTopic(
      `${g.name}-events`,
      {
        accountId,
        region: model.cloud.region,
        signatureVersion: model.reactor.signatureVersion,
      },
      opts,
    );
  }
  const reacting = model.autoscaleGroups.filter((g) => g.reactorProfile !== undefined);
  const reactor =
    reacting.length > 0
      ? new Reactor(
          "reactor",
          {
            functionName: model.reactor.functionName,
            settings: model.reactor,
            profiles: model.reactorProfiles,
            groups: reacting.map((g) => ({
              group: g.name,
              asgName: groupNames[g.name]!,
              profile: g.reactorProfile!,
              topicArn: topics[g.name]!.topicArn,
            })),
            bundle: reactorBundle,
            accountId,
            region: model.cloud.region,
          },
          opts,
        )
      : undefined;

  const groups: Record<string, AutoscaleGroup> = {};
  for (const g of model.autoscaleGroups) {
    groups[g.name] = new AutoscaleGroup(
      g.name,
      {
        group: g,
        groupName: groupNames[g.name]!,
        subnetIds: network.subnetIds(g.subnets),
        securityGroupIds: sg.ids(g.launchTemplate.securityGroups),
        loadBalancerNames: g.loadBalancers.map((n) => lbs[n]!.loadBalancerName),
        ...(g.targetGroups.length > 0 ? { targetGroups } : {}),
        keyName: keyFor(g.launchTemplate.keyName),
        topic: topics[g.name]!,
        lifecycleHooks: g.reactorProfile !== undefined,
        heartbeatTimeout: model.reactor.lifecycleHeartbeatTimeout,
        region: model.cloud.region,
        // The reactor must be subscribed before the first instance waits on its launch hook; a target
        // group is only in use (and its health checks run) once a listener forwards to it.
        ...waitFor(
          g.reactorProfile !== undefined && reactor ? [reactor] : [],
          [...new Set(g.targetGroups.map((t) => t.loadBalancer))].flatMap((lb) => albs[lb]!.listeners),
        ),
      },
      opts,
    );
  }

  if (model.alarms.length > 0 || model.alarmTopics.length > 0) {
    new Alarms(
      "alarms",
      {
        alarms: model.alarms,
        topics: model.alarmTopics,
        policyArns: Object.fromEntries(Object.entries(groups).map(([n, g]) => [n, g.policyArns])),
        groupNames: Object.fromEntries(Object.entries(groups).map(([n, g]) => [n, g.groupName])),
        // AWS/ApplicationELB dimensions name the ALB and target group by their ARN suffixes.
        ...(Object.keys(albs).length > 0
          ? {
              loadBalancerSuffixes: Object.fromEntries(
                Object.entries(albs).map(([n, a]) => [n, a.loadBalancer.arnSuffix]),
              ),
              targetGroupSuffixes: Object.fromEntries(
                Object.entries(targetGroups).map(([n, t]) => [n, t.arnSuffix]),
              ),
            }
          : {}),
        accountId,
        region: model.cloud.region,
      },
      opts,
    );
  }

  return {
    region: model.cloud.region,
    vpcId: network.vpcId,
    defaultSecurityGroupId: network.defaultSecurityGroupId,
    securityGroupIds: sg.groupIds,
    loadBalancers: Object.fromEntries(
      Object.entries(lbs).map(([n, l]) => [n, { dnsName: l.dnsName, zoneId: l.zoneId }]),
    ),
    applicationLoadBalancers: Object.fromEntries(
      Object.entries(albs).map(([n, a]) => [n, { dnsName: a.dnsName, zoneId: a.zoneId }]),
    ),
    autoscaleGroups: Object.fromEntries(Object.entries(groups).map(([n, g]) => [n, g.groupName])),
    notificationTopics: Object.fromEntries(Object.entries(topics).map(([n, t]) => [n, t.topicArn])),
    servers,
    ssh: { usernames: cloud.sshUsernames, interface: cloud.sshInterface, keyName: cloud.keyName },
    reactor: reactor
      ? {
          functionName: reactor.functionName,
          inventoryTable: reactor.tableName,
          alertsTopic: reactor.alertsTopicArn,
          ...(reactor.functionUrl ? { functionUrl: reactor.functionUrl } : {}),
        }
      : undefined,
  };
}
