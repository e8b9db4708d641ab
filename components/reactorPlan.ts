/**
 * Pure planners for the reactor's wiring, from plain values to plain plan objects: the function's
 * least-privilege IAM policy (exactly the actions its code calls, reactor/contract), its environment
 * (written variable by variable, as the function reads it back), the profiles and groups it reads,
 * and its alarms, from one table. components/reactor.ts turns them into resources.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ReactorProfileModel, ReactorSettingsModel } from "../config/model";
import {
  ENCODE,
  ENV_FIELDS,
  ENV_NAMES,
  REACTOR_ACTIONS_BY_SCOPE,
  RUNTIME_AWS_ACTIONS,
  type ReactorConfig,
} from "../reactor/contract";
import { arn } from "./arn";
import { groupConfigs, profileConfigs, type ReactorGroupRef } from "./reactorVariables";

export { groupConfigs, profileConfigs, type ReactorGroupRef } from "./reactorVariables";

/** What the policy scopes each action to, every ARN and name known. */
export interface ReactorScope {
  readonly region: string;
  readonly account: string;
  readonly logGroupArn: string;
  readonly tableArn: string;
  readonly queueArn: string;
  /** Physical names of the groups the reactor handles. */
  readonly groups: readonly string[];
  /** The SSM documents the profiles bootstrap with, each once (AWS's own are `AWS-…`). */
  readonly documents: readonly string[];
}

interface Statement {
  readonly Effect: "Allow";
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: unknown;
}

/** One action as a string, several as a list, as IAM documents are written. */
const allow = (
  actions: readonly string[],
  Resource: Statement["Resource"],
  Condition?: unknown,
): Statement => ({
  Effect: "Allow",
  Action: actions.length === 1 ? actions[0]! : actions,
  Resource,
  ...(Condition ? { Condition } : {}),
});

/** The function's role policy: each action the code calls on what it may touch, and nothing else. */
export function reactorPolicy(s: ReactorScope): string {
  const a = REACTOR_ACTIONS_BY_SCOPE;
  const document = (d: string) =>
    arn(s.region, "ssm", d.startsWith("AWS-") ? "" : s.account, `document/${d}`);
  const statements: Statement[] = [
    allow(RUNTIME_AWS_ACTIONS.logs, `${s.logGroupArn}:*`),
    allow(a.inventory, s.tableArn),
    allow(
      a.lifecycle,
      s.groups.map((g) =>
        arn(s.region, "autoscaling", s.account, `autoScalingGroup:*:autoScalingGroupName/${g}`),
      ),
    ),
    allow(RUNTIME_AWS_ACTIONS.failureDestination, s.queueArn),
  ];
  if (s.documents.length > 0) {
    statements.push(allow(a.bootstrap, s.documents.map(document)));
    // Only instances of this stack's groups, by the tag Auto Scaling itself writes.
    statements.push(
      allow(a.bootstrap, arn(s.region, "ec2", s.account, "instance/*"), {
        StringEquals: { "ssm:resourceTag/aws:autoscaling:groupName": s.groups },
      }),
    );
    statements.push(allow(a.commands, "*"));
  }
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** Lambda's own service may assume the role; nothing else. */
export const LAMBDA_ASSUME_ROLE_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/** What the environment is written from: the plan's values, and the names known only once created. */
export interface ReactorEnvironmentInputs {
  readonly tableName: pulumi.Input<string>;
  /** The topic of each group, in the groups' order. */
  readonly topicArns: pulumi.Input<readonly string[]>;
  readonly groups: readonly ReactorGroupRef[];
  readonly profiles: readonly ReactorProfileModel[];
  /** The real name of each profile's bootstrap document, in the profiles' order. */
  readonly documentNames: pulumi.Input<readonly string[]>;
  readonly settings: ReactorSettingsModel;
}

const lift = <T>(v: pulumi.Input<T>, write: (x: T) => string): pulumi.Input<string> =>
  pulumi.Output.isInstance(v) ? v.apply(write) : write(v as T);

/**
 * The function's environment variables, in reactor/contract's order, each written (ENCODE) from its
 * own inputs: a preview shows every variable it can, and only those waiting on a resource as unknown.
 */
export function reactorEnvironment(i: ReactorEnvironmentInputs): Record<string, pulumi.Input<string>> {
  const s = i.settings;
  const variables: { readonly [K in keyof ReactorConfig]: pulumi.Input<string> } = {
    tableName: i.tableName,
    topicArns: lift(i.topicArns, ENCODE.topicArns),
    signatureVersion: s.signatureVersion,
    groups: ENCODE.groups(groupConfigs(i.groups)),
    profiles: lift(i.documentNames, (names) => ENCODE.profiles(profileConfigs(i.profiles, names))),
    tombstoneTtlDays: ENCODE.tombstoneTtlDays(s.tombstoneTtlDays),
    maxMessageAgeSeconds: ENCODE.maxMessageAgeSeconds(s.maxMessageAgeSeconds),
    clockSkewSeconds: ENCODE.clockSkewSeconds(s.clockSkewSeconds),
    heartbeatTimeoutSeconds: ENCODE.heartbeatTimeoutSeconds(s.lifecycleHeartbeatTimeout),
  };
  return Object.fromEntries(ENV_FIELDS.map((k) => [ENV_NAMES[k], variables[k]]));
}

/** One alarm the reactor raises when instances may not be bootstrapped or released. */
export interface ReactorAlarm<T> {
  readonly name: string;
  readonly args: {
    readonly alarmDescription: string;
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions: Readonly<Record<string, T>>;
    readonly statistic: string;
    readonly period: number;
    readonly evaluationPeriods: number;
    readonly threshold: number;
    readonly comparisonOperator: "GreaterThanOrEqualToThreshold";
    readonly treatMissingData: "notBreaching";
    readonly alarmActions: readonly T[];
  };
}

/** Errors and dead letters mean instances not bootstrapped or not released: someone must hear of it. */
const ALARMS = [
  {
    suffix: "dead-letters",
    description: "pillar reactor: an event failed every retry and sits in the failure queue",
    namespace: "AWS/SQS",
    metricName: "ApproximateNumberOfMessagesVisible",
    dimension: "QueueName",
    of: "queue",
    statistic: "Maximum",
  },
  {
    suffix: "errors",
    description: "pillar reactor errors: instances may not be bootstrapped or released",
    namespace: "AWS/Lambda",
    metricName: "Errors",
    dimension: "FunctionName",
    of: "function",
    statistic: "Sum",
  },
] as const;

/** The reactor's alarms, each firing on one bad period and notifying the alerts topic. */
export function reactorAlarms<T>(
  name: string,
  watched: { readonly queue: T; readonly function: T },
  alerts: T,
): ReactorAlarm<T>[] {
  return ALARMS.map((a) => ({
    name: `${name}-${a.suffix}`,
    args: {
      alarmDescription: a.description,
      namespace: a.namespace,
      metricName: a.metricName,
      dimensions: { [a.dimension]: watched[a.of] },
      statistic: a.statistic,
      period: 300,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
      alarmActions: [alerts],
    },
  }));
}
