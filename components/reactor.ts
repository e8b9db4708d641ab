import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BootstrapModel, ReactorProfileModel, ReactorSettingsModel } from "../config/model";
import type { ReactorBundle } from "../reactor/bundle";
import {
  DEPLOYMENT,
  INVENTORY_PARTITION_KEY,
  INVENTORY_TTL_ATTRIBUTE,
  maximumEventAgeSeconds,
} from "../reactor/contract";
import {
  LAMBDA_ASSUME_ROLE_POLICY,
  reactorAlarms,
  reactorEnvironment,
  reactorPolicy,
  type ReactorGroupRef,
} from "./reactorPlan";
import { saltBootstrapDocument } from "./saltDocument";
import { autoscalingTopicPolicy, topicArn } from "./topicPolicy";

export interface ReactorGroup extends ReactorGroupRef {
  readonly topicArn: pulumi.Input<string>;
}

export interface ReactorArgs {
  /** Physical function name, known before creation so the log group can exist first (`<project>-<stack>-reactor`). */
  readonly functionName: string;
  readonly settings: ReactorSettingsModel;
  /** The seed's `ec2.autoscale` profiles. */
  readonly profiles: readonly ReactorProfileModel[];
  /** Groups the reactor handles, with the topic each notifies. */
  readonly groups: readonly ReactorGroup[];
  /** The function's code, built by the caller (reactor/bundle.ts): the filesystem is not a component's input. */
  readonly bundle: ReactorBundle;
  readonly accountId: pulumi.Input<string>;
  readonly region: string;
}

/** The key of the stack's own Salt document among the bootstrap documents. */
const SALT = Symbol("the stack's Salt bootstrap document");

/**
 * The seed's Salt reactor as a Lambda: subscribed to each group's notification topic, it verifies
 * every SNS message, records instances in a DynamoDB inventory, bootstraps them through SSM Run
 * Command and completes their lifecycle actions. Least-privilege role scoped to this stack's
 * groups, table, document and queue. What it creates is planned in ./reactorPlan.ts.
 */
export class Reactor extends pulumi.ComponentResource {
  public readonly functionName: pulumi.Output<string>;
  public readonly functionArn: pulumi.Output<string>;
  public readonly tableName: pulumi.Output<string>;
  /** Topic the reactor's alarms notify; subscribe to it (or set pillar:reactor.alert_email). */
  public readonly alertsTopicArn: pulumi.Output<string>;
  public readonly functionUrl?: pulumi.Output<string>;

  constructor(name: string, args: ReactorArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("pillar:lambda:Reactor", name, {}, opts);
    const { settings } = args;
    const o = { parent: this };
    const physical = args.functionName;

    const table = new aws.dynamodb.Table(
      `${name}-inventory`,
      {
        billingMode: "PAY_PER_REQUEST",
        hashKey: INVENTORY_PARTITION_KEY,
        attributes: [{ name: INVENTORY_PARTITION_KEY, type: "S" }],
        ttl: { attributeName: INVENTORY_TTL_ATTRIBUTE, enabled: true },
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true },
        deletionProtectionEnabled: settings.deletionProtection,
      },
      o,
    );

    const usesSalt = args.profiles.some((p) => p.bootstrap?.kind === "salt");
    const saltDoc = usesSalt
      ? new aws.ssm.Document(
          `${name}-salt`,
          { documentType: "Command", documentFormat: "JSON", content: saltBootstrapDocument() },
          o,
        )
      : undefined;
    const documentName = (b: BootstrapModel): pulumi.Input<string> =>
      b.kind === "salt" ? saltDoc!.name : b.document;
    // Each document once, in the order the profiles first name it.
    const documents = [
      ...new Map(
        args.profiles.flatMap((p) =>
          p.bootstrap
            ? [[p.bootstrap.kind === "salt" ? SALT : p.bootstrap.document, p.bootstrap] as const]
            : [],
        ),
      ).values(),
    ];

    const dlq = new aws.sqs.Queue(
      `${name}-failures`,
      { sqsManagedSseEnabled: true, messageRetentionSeconds: DEPLOYMENT.failureQueueRetentionSeconds },
      o,
    );
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: `/aws/lambda/${physical}`, retentionInDays: settings.logRetentionDays },
      o,
    );

    const scope = pulumi
      .all([args.accountId, table.arn, dlq.arn, logGroup.arn, ...documents.map(documentName)])
      .apply(([account, tableArn, queueArn, logGroupArn, ...docs]) =>
        reactorPolicy({
          region: args.region,
          account: account!,
          logGroupArn: logGroupArn!,
          tableArn: tableArn!,
          queueArn: queueArn!,
          groups: args.groups.map((g) => g.asgName),
          documents: docs,
        }),
      );
    const role = new aws.iam.Role(
      `${name}-role`,
      { description: "pillar reactor", assumeRolePolicy: LAMBDA_ASSUME_ROLE_POLICY },
      o,
    );
    const policy = new aws.iam.RolePolicy(`${name}-role`, { role: role.id, policy: scope }, o);

    const fn = new aws.lambda.Function(
      name,
      {
        name: physical,
        description:
          "pillar reactor: verifies SNS autoscaling events, bootstraps, records and releases instances",
        runtime: settings.runtime,
        handler: "index.handler",
        code: new pulumi.asset.AssetArchive({
          "index.js": new pulumi.asset.StringAsset(args.bundle.code),
        }),
        role: role.arn,
        memorySize: settings.memorySize,
        timeout: settings.timeoutSeconds,
        ...(settings.reservedConcurrency !== undefined
          ? { reservedConcurrentExecutions: settings.reservedConcurrency }
          : {}),
        loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
        environment: {
          variables: reactorEnvironment({
            tableName: table.name,
            topicArns: pulumi.all(args.groups.map((g) => g.topicArn)),
            groups: args.groups,
            profiles: args.profiles,
            documentNames: pulumi.all(
              args.profiles.map((p) => pulumi.output(p.bootstrap ? documentName(p.bootstrap) : "")),
            ),
            settings,
          }),
        },
      },
      { ...o, dependsOn: [policy, logGroup] },
    );
    // No attempt may start so late that it could outlast the launch hook (the config loader
    // refuses settings where heartbeat − timeout is below Lambda's 60 s minimum).
    const eventAge = maximumEventAgeSeconds(settings.lifecycleHeartbeatTimeout, settings.timeoutSeconds);
    new aws.lambda.FunctionEventInvokeConfig(
      name,
      {
        functionName: fn.name,
        maximumRetryAttempts: DEPLOYMENT.retryAttempts,
        ...(eventAge !== undefined ? { maximumEventAgeInSeconds: eventAge } : {}),
        destinationConfig: { onFailure: { destination: dlq.arn } },
      },
      o,
    );
    for (const g of args.groups) {
      new aws.lambda.Permission(
        `${name}-${g.group}`,
        {
          action: "lambda:InvokeFunction",
          function: fn.name,
          principal: "sns.amazonaws.com",
          sourceArn: g.topicArn,
        },
        o,
      );
      new aws.sns.TopicSubscription(
        `${name}-${g.group}`,
        { topic: g.topicArn, protocol: "lambda", endpoint: fn.arn },
        o,
      );
    }
    const alerts = new aws.sns.Topic(`${name}-alerts`, {}, o);
    new aws.sns.TopicPolicy(
      `${name}-alerts`,
      {
        arn: alerts.arn,
        policy: autoscalingTopicPolicy(
          args.region,
          topicArn(args.region, args.accountId, alerts.name),
          args.accountId,
          "cloudwatch.amazonaws.com",
        ),
      },
      o,
    );
    if (settings.alertEmail !== undefined) {
      new aws.sns.TopicSubscription(
        `${name}-alerts-email`,
        { topic: alerts.arn, protocol: "email", endpoint: settings.alertEmail },
        o,
      );
    }
    this.alertsTopicArn = alerts.arn;
    for (const alarm of reactorAlarms(name, { queue: dlq.name, function: fn.name }, alerts.arn)) {
      new aws.cloudwatch.MetricAlarm(
        alarm.name,
        { ...alarm.args, alarmActions: [...alarm.args.alarmActions] },
        o,
      );
    }
    if (settings.functionUrl) {
      // SNS cannot sign HTTP requests, so the URL is open and the handler verifies every message.
      const url = new aws.lambda.FunctionUrl(name, { functionName: fn.name, authorizationType: "NONE" }, o);
      // A public URL needs both statements: InvokeFunctionUrl for NONE auth, and InvokeFunction via the URL only.
      new aws.lambda.Permission(
        `${name}-url`,
        {
          action: "lambda:InvokeFunctionUrl",
          function: fn.name,
          principal: "*",
          functionUrlAuthType: "NONE",
        },
        o,
      );
      new aws.lambda.Permission(
        `${name}-url-invoke`,
        { action: "lambda:InvokeFunction", function: fn.name, principal: "*", invokedViaFunctionUrl: true },
        o,
      );
      this.functionUrl = url.functionUrl;
    }
    this.functionName = fn.name;
    this.functionArn = fn.arn;
    this.tableName = table.name;
    this.registerOutputs({
      functionName: this.functionName,
      functionArn: this.functionArn,
      tableName: this.tableName,
      alertsTopicArn: this.alertsTopicArn,
      functionUrl: this.functionUrl,
    });
  }
}
