/**
 * `pillar:cloudwatch`: the seed's metric alarms, whose actions are ARNs, `scaling_policy:<group>:
 * <policy>` references and `sns:<topic>` names of the topics this section creates, and those topics
 * with their subscriptions.
 */
import { quoteList, sub } from "../issues";
import { intSchema, mapOf, num, oneOf, resourceName, Static, str, strOrList, Type } from "../schemaKit";
import { toList } from "../values";
import type { AutoscaleGroupModel } from "./autoscale";
import type { LoadBalancerModel } from "./elb";
import { Section, uniqueNames } from "./context";

/** CloudWatch takes at most 5 actions of each kind (terraform-provider-aws metric_alarm.go MaxItems 5). */
const alarmActions = Type.Array(str, { maxItems: 5 });

const alarm = Type.Object(
  {
    name: resourceName(255),
    attributes: Type.Object(
      {
        metric: str,
        namespace: str,
        statistic: oneOf(["Average", "Sum", "Minimum", "Maximum", "SampleCount"]),
        comparison: str,
        threshold: num,
        period: intSchema(10, undefined, "a period in seconds"),
        evaluation_periods: intSchema(1, undefined, "a count"),
        datapoints_to_alarm: Type.Optional(intSchema(1, undefined, "a count")),
        description: Type.Optional(
          Type.String({ maxLength: 1024, description: "a description of at most 1024 characters" }),
        ),
        unit: Type.Optional(str),
        treat_missing_data: Type.Optional(oneOf(["missing", "ignore", "breaching", "notBreaching"])),
        alarm_actions: Type.Optional(alarmActions),
        ok_actions: Type.Optional(alarmActions),
        insufficient_data_actions: Type.Optional(alarmActions),
        dimensions: Type.Optional(mapOf(strOrList)),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const topic = Type.Object(
  {
    name: Type.String({
      pattern: "^[A-Za-z0-9_-]+$",
      maxLength: 256,
      description: "a topic name of letters, digits, _ and -",
    }),
    subscriptions: Type.Optional(
      Type.Array(
        Type.Object(
          { protocol: oneOf(["email", "email-json", "https", "sqs", "lambda"]), endpoint: str },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { additionalProperties: false },
);

export const cloudwatchSchema = Type.Object(
  { alarms: Type.Optional(Type.Array(alarm)), topics: Type.Optional(Type.Array(topic)) },
  { additionalProperties: false },
);
export type CloudwatchInput = Static<typeof cloudwatchSchema>;

export type ComparisonOperator =
  | "GreaterThanOrEqualToThreshold"
  | "GreaterThanThreshold"
  | "LessThanOrEqualToThreshold"
  | "LessThanThreshold";

/** An alarm action as written and resolved to its kind. */
export type AlarmAction =
  | { readonly kind: "arn"; readonly arn: string }
  | { readonly kind: "scaling_policy"; readonly group: string; readonly policy: string }
  | { readonly kind: "sns"; readonly topic: string };

export interface AlarmModel {
  readonly name: string;
  readonly metric: string;
  readonly namespace: string;
  readonly statistic: string;
  readonly comparison: ComparisonOperator;
  readonly threshold: number;
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm?: number;
  readonly description?: string;
  readonly unit?: string;
  readonly treatMissingData?: string;
  readonly alarmActions: readonly AlarmAction[];
  readonly okActions: readonly AlarmAction[];
  readonly insufficientDataActions: readonly AlarmAction[];
  /** Dimension values; a value that names a managed group is resolved to that group's real name. */
  readonly dimensions: Readonly<Record<string, readonly string[]>>;
  readonly path: string;
}

export interface AlarmTopicModel {
  readonly name: string;
  readonly subscriptions: readonly { readonly protocol: string; readonly endpoint: string }[];
}

/** Topics for alarm actions (`sns:<topic>`), from `cloudwatch.topics`. */
export function loadAlarmTopics(v: CloudwatchInput | undefined): AlarmTopicModel[] {
  return (v?.topics ?? []).map((t) => ({
    name: t.name,
    subscriptions: (t.subscriptions ?? []).map((x) => ({ protocol: x.protocol, endpoint: x.endpoint })),
  }));
}

const COMPARISONS: Readonly<Record<string, ComparisonOperator>> = {
  ">=": "GreaterThanOrEqualToThreshold",
  ">": "GreaterThanThreshold",
  "<=": "LessThanOrEqualToThreshold",
  "<": "LessThanThreshold",
  GreaterThanOrEqualToThreshold: "GreaterThanOrEqualToThreshold",
  GreaterThanThreshold: "GreaterThanThreshold",
  LessThanOrEqualToThreshold: "LessThanOrEqualToThreshold",
  LessThanThreshold: "LessThanThreshold",
};

const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:[0-9]{12}:.+$/;
const SNS_SUBSCRIPTION_ARN = /^(arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+):[0-9a-f-]{36}$/;

interface AlarmRefs {
  /** The stack's groups; undefined when that section is itself invalid (skip the check). */
  readonly groups: readonly AutoscaleGroupModel[] | undefined;
  readonly topics: ReadonlySet<string>;
  /** The stack's load balancers; undefined when that section is itself invalid (skip the check). */
  readonly loadBalancers?: readonly LoadBalancerModel[] | undefined;
}

function parseAction(a: string, path: string, s: Section, refs: AlarmRefs): AlarmAction | undefined {
  if (a.startsWith("scaling_policy:")) {
    const parts = a.split(":");
    if (parts.length !== 3 || !parts[1] || !parts[2]) {
      s.issues.push({ path, message: `expected "scaling_policy:<group>:<policy>", got "${a}"` });
      return undefined;
    }
    const [, group, policy] = parts as [string, string, string];
    if (refs.groups) {
      const g = refs.groups.find((x) => x.name === group);
      if (!g) {
        s.issues.push({
          path,
          message: `unknown autoscale group "${group}" in "${a}"; known groups: ${quoteList(refs.groups.map((x) => x.name))}`,
        });
        return undefined;
      }
      const p = g.scalingPolicies.find((x) => x.name === policy);
      if (!p) {
        s.issues.push({
          path,
          message: `unknown scaling policy "${policy}" of group "${group}" in "${a}"; its policies: ${quoteList(g.scalingPolicies.map((x) => x.name))}`,
        });
        return undefined;
      }
      if (p.kind === "target_tracking") {
        s.issues.push({
          path,
          message: `"${policy}" is a target-tracking policy, which makes its own alarms; alarm actions need a simple policy`,
        });
        return undefined;
      }
    }
    return { kind: "scaling_policy", group, policy };
  }
  if (a.startsWith("sns:")) {
    const topic = a.slice(4);
    if (!refs.topics.has(topic)) {
      s.issues.push({
        path,
        message: `unknown topic "${topic}"; topics this stack creates (pillar:cloudwatch.topics): ${quoteList(refs.topics)}`,
      });
      return undefined;
    }
    return { kind: "sns", topic };
  }
  const subArn = SNS_SUBSCRIPTION_ARN.exec(a);
  if (subArn) {
    s.issues.push({
      path,
      message: `"${a}" is an SNS subscription ARN; alarm actions take the topic ARN "${subArn[1]}"`,
    });
    return undefined;
  }
  if (!ARN.test(a)) {
    s.issues.push({
      path,
      message: `expected an ARN, "scaling_policy:<group>:<policy>" or "sns:<topic>", got "${a}"`,
    });
    return undefined;
  }
  return { kind: "arn", arn: a };
}

type ActionKey = "alarm_actions" | "ok_actions" | "insufficient_data_actions";

export function loadAlarms(v: CloudwatchInput | undefined, s: Section, refs: AlarmRefs): AlarmModel[] {
  const unique = uniqueNames(s.issues, (name, first) => `duplicate alarm "${name}" (first at ${first})`);
  return (v?.alarms ?? []).map((a, i): AlarmModel => {
    const path = sub(sub("pillar:cloudwatch", "alarms"), i);
    const at = a.attributes;
    const ap = sub(path, "attributes");
    unique(a.name, sub(path, "name"));
    const comparison = COMPARISONS[at.comparison];
    if (!comparison) {
      s.issues.push({
        path: sub(ap, "comparison"),
        message: `expected one of ">=", ">", "<=", "<" (or an AWS operator name), got "${at.comparison}"`,
      });
    }
    const actions = (key: ActionKey) =>
      toList(at[key]).flatMap((x, j) => parseAction(x, sub(sub(ap, key), j), s, refs) ?? []);
    const dimensions: Record<string, string[]> = {};
    for (const [k, dv] of Object.entries(at.dimensions ?? {})) {
      const values = toList(dv);
      dimensions[k] = values;
      // The seed writes each dimension as a list; CloudWatch takes one value per dimension.
      if (values.length > 1)
        s.issues.push({
          path: sub(sub(ap, "dimensions"), k),
          message: `CloudWatch takes one value per dimension, got ${values.length}: ${values.map((x) => JSON.stringify(x)).join(", ")}; define one alarm per value`,
        });
    }
    if (![10, 20, 30].includes(at.period) && at.period % 60 !== 0)
      s.issues.push({
        path: sub(ap, "period"),
        message: `CloudWatch takes a period of 10, 20, 30 or a multiple of 60 seconds, got ${at.period}`,
      });
    if (at.datapoints_to_alarm !== undefined && at.datapoints_to_alarm > at.evaluation_periods)
      s.issues.push({
        path: sub(ap, "datapoints_to_alarm"),
        message: `${at.datapoints_to_alarm} datapoints cannot alarm out of ${at.evaluation_periods} evaluation periods; at most evaluation_periods`,
      });
    const groups = refs.groups;
    if (groups) {
      (dimensions.AutoScalingGroupName ?? []).forEach((gname, j) => {
        if (!groups.some((g) => g.name === gname)) {
          s.issues.push({
            path: sub(sub(sub(ap, "dimensions"), "AutoScalingGroupName"), j),
            message: `unknown autoscale group "${gname}"; known groups: ${quoteList(groups.map((g) => g.name))}`,
          });
        }
      });
    }
    checkLoadBalancerDimensions(at.namespace, dimensions, sub(ap, "dimensions"), s, refs.loadBalancers);
    return {
      name: a.name,
      metric: at.metric,
      namespace: at.namespace,
      statistic: at.statistic,
      comparison: comparison ?? "GreaterThanOrEqualToThreshold",
      threshold: at.threshold,
      period: at.period,
      evaluationPeriods: at.evaluation_periods,
      ...(at.datapoints_to_alarm !== undefined ? { datapointsToAlarm: at.datapoints_to_alarm } : {}),
      ...(at.description !== undefined ? { description: at.description } : {}),
      ...(at.unit !== undefined ? { unit: at.unit } : {}),
      ...(at.treat_missing_data !== undefined ? { treatMissingData: at.treat_missing_data } : {}),
      alarmActions: actions("alarm_actions"),
      okActions: actions("ok_actions"),
      insufficientDataActions: actions("insufficient_data_actions"),
      dimensions,
      path,
    };
  });
}

/**
 * Application Load Balancer metrics (namespace AWS/ApplicationELB) are dimensioned by the ALB's and
 * the target group's ARN suffixes, which exist only once they are created: a dimension value naming
 * an ALB (`LoadBalancer: MY-ELB`) or a target group (`TargetGroup: MY-ELB-443`) of the stack resolves
 * to its suffix; an `app/…` or `targetgroup/…` suffix is taken as written; anything else is a
 * mistake AWS would not report (the alarm would watch nothing). Classic ELB metrics (AWS/ELB) take
 * `LoadBalancerName`, resolved to the ELB's real name when it names one of the stack's.
 */
function checkLoadBalancerDimensions(
  namespace: string,
  dimensions: Readonly<Record<string, readonly string[]>>,
  at: string,
  s: Section,
  lbs: readonly LoadBalancerModel[] | undefined,
): void {
  if (namespace !== "AWS/ApplicationELB" || !lbs) return;
  const albs = lbs.filter((l) => l.application).map((l) => l.name);
  const tgs = lbs.flatMap((l) => (l.application?.targetGroups ?? []).map((t) => t.name));
  const check = (key: string, literal: RegExp, known: readonly string[], what: string, shape: string) =>
    (dimensions[key] ?? []).forEach((v, j) => {
      if (known.includes(v) || literal.test(v)) return;
      s.issues.push({
        path: sub(sub(at, key), j),
        message: `unknown ${what} "${v}"; expected one of the stack's (${quoteList(known)}) or an ARN suffix like "${shape}"`,
      });
    });
  check(
    "LoadBalancer",
    /^app\/[^/]+\/[0-9a-f]+$/,
    albs,
    "Application Load Balancer",
    "app/my-alb/50dc6c495c0c9188",
  );
  check(
    "TargetGroup",
    /^targetgroup\/[^/]+\/[0-9a-f]+$/,
    tgs,
    "target group",
    "targetgroup/my-targets/73e2d6bc24d8a067",
  );
}
