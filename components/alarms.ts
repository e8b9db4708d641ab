import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmAction, AlarmModel } from "../config/model";
import { autoscalingTopicPolicy, topicArn } from "./topicPolicy";

export interface AlarmsArgs {
  readonly alarms: readonly AlarmModel[];
  /** Topics this stack creates for alarms (`sns:<topic>` actions), with their subscriptions. */
  readonly topics: readonly {
    readonly name: string;
    readonly subscriptions: readonly { readonly protocol: string; readonly endpoint: string }[];
  }[];
  /** Scaling policy ARNs by group, then policy name. */
  readonly policyArns: Readonly<Record<string, Readonly<Record<string, pulumi.Input<string>>>>>;
  /** Physical group names by config group name, for `AutoScalingGroupName` dimensions. */
  readonly groupNames: Readonly<Record<string, pulumi.Input<string>>>;
  /** ARN suffixes (`app/…`) of the stack's ALBs by entry name, for AWS/ApplicationELB `LoadBalancer` dimensions. */
  readonly loadBalancerSuffixes?: Readonly<Record<string, pulumi.Input<string>>>;
  /** ARN suffixes (`targetgroup/…`) of the stack's target groups by config name, for `TargetGroup` dimensions. */
  readonly targetGroupSuffixes?: Readonly<Record<string, pulumi.Input<string>>>;
  readonly accountId: pulumi.Input<string>;
  readonly region: string;
}

/** Resolves an alarm action to an ARN input. Pure apart from the maps it is given. */
export function resolveAction(
  a: AlarmAction,
  policyArns: AlarmsArgs["policyArns"],
  topicArns: Readonly<Record<string, pulumi.Input<string>>>,
): pulumi.Input<string> {
  switch (a.kind) {
    case "arn":
      return a.arn;
    case "scaling_policy": {
      const arn = policyArns[a.group]?.[a.policy];
      if (arn === undefined) throw new Error(`no scaling policy ${a.group}:${a.policy}`);
      return arn;
    }
    case "sns": {
      const arn = topicArns[a.topic];
      if (arn === undefined) throw new Error(`no topic ${a.topic}`);
      return arn;
    }
  }
}

/**
 * A dimension value as CloudWatch needs it: a group's config name becomes its real name; in
 * AWS/ApplicationELB an ALB's or target group's config name becomes its ARN suffix (config checked
 * that anything else is already a suffix). Other values are taken as written.
 */
export function dimensionValue(
  namespace: string,
  key: string,
  value: string,
  args: Pick<AlarmsArgs, "groupNames" | "loadBalancerSuffixes" | "targetGroupSuffixes">,
): pulumi.Input<string> {
  if (key === "AutoScalingGroupName") return args.groupNames[value] ?? value;
  if (namespace !== "AWS/ApplicationELB") return value;
  if (key === "LoadBalancer") return args.loadBalancerSuffixes?.[value] ?? value;
  if (key === "TargetGroup") return args.targetGroupSuffixes?.[value] ?? value;
  return value;
}

/**
 * The seed's `cloudwatch.alarms`: metric alarms whose `scaling_policy:<group>:<policy>` actions
 * resolve to policy ARNs and whose group dimensions resolve to the real group names.
 */
export class Alarms extends pulumi.ComponentResource {
  public readonly alarmArns: Readonly<Record<string, pulumi.Output<string>>>;
  public readonly topicArns: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: AlarmsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("pillar:cloudwatch:Alarms", name, {}, opts);
    const o = { parent: this };
    const topics: Record<string, pulumi.Output<string>> = {};
    for (const t of args.topics) {
      // Alarms and their topics are named by their config names, so the provider's name starts with
      // it and verbatim autonaming keeps the seed's name exactly (what adopting live alarms needs).
      const topic = new aws.sns.Topic(t.name, {}, o);
      new aws.sns.TopicPolicy(
        `${name}-${t.name}`,
        {
          arn: topic.arn,
          policy: autoscalingTopicPolicy(
            args.region,
            topicArn(args.region, args.accountId, topic.name),
            args.accountId,
            "cloudwatch.amazonaws.com",
          ),
        },
        o,
      );
      t.subscriptions.forEach((s) => {
        new aws.sns.TopicSubscription(
          `${name}-${t.name}-${s.protocol}-${s.endpoint.replace(/[^A-Za-z0-9]+/g, "-")}`,
          { topic: topic.arn, protocol: s.protocol, endpoint: s.endpoint },
          o,
        );
      });
      topics[t.name] = topic.arn;
    }
    this.topicArns = topics;
    const arns: Record<string, pulumi.Output<string>> = {};
    for (const a of args.alarms) {
      const actions = (list: readonly AlarmAction[]) =>
        list.map((x) => resolveAction(x, args.policyArns, topics));
      const dimensions: Record<string, pulumi.Input<string>> = {};
      for (const [key, values] of Object.entries(a.dimensions)) {
        // CloudWatch dimensions hold one value each; the seed writes them as one-item lists.
        const value = values[0] ?? "";
        dimensions[key] = dimensionValue(a.namespace, key, value, args);
      }
      const alarm = new aws.cloudwatch.MetricAlarm(
        a.name,
        {
          metricName: a.metric,
          namespace: a.namespace,
          statistic: a.statistic,
          comparisonOperator: a.comparison,
          threshold: a.threshold,
          period: a.period,
          evaluationPeriods: a.evaluationPeriods,
          ...(a.datapointsToAlarm !== undefined ? { datapointsToAlarm: a.datapointsToAlarm } : {}),
          ...(a.description !== undefined ? { alarmDescription: a.description } : {}),
          ...(a.unit !== undefined ? { unit: a.unit } : {}),
          ...(a.treatMissingData !== undefined ? { treatMissingData: a.treatMissingData } : {}),
          alarmActions: actions(a.alarmActions),
          okActions: actions(a.okActions),
          insufficientDataActions: actions(a.insufficientDataActions),
          dimensions,
        },
        o,
      );
      arns[a.name] = alarm.arn;
    }
    this.alarmArns = arns;
    this.registerOutputs({ alarmArns: this.alarmArns, topicArns: this.topicArns });
  }
}
