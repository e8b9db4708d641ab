import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../scripts/lib/planner";
import { bundleReactor } from "../reactor/bundle";
import { REACTOR_AWS_ACTIONS, REACTOR_ENV_VARS } from "../reactor/contract";
import { planFile, Planned, writeTemp } from "./harness";
import { issuesOf, load, seedWith } from "./configHelpers";
import { TYPES } from "../provider/types";

const ACCOUNT = "123456789012";

describe("the reactor's wiring (pillar:lambda:Reactor) under mocks", () => {
  let plan: Planned;
  before(async () => {
    plan = await planFile(path.join(PROJECT_ROOT, "Pulumi.prod.yaml"), { stack: "prod", preview: false });
  });
  const arn = (type: string, name: string) => plan.get(type, name).outputs.arn as string;

  it("runs the esbuild bundle on nodejs24.x with JSON logs and the env contract, reserving no concurrency by default", () => {
    const fn = plan.get(TYPES.lambda.Function, "reactor").inputs;
    assert.equal(fn.runtime, "nodejs24.x");
    assert.equal(fn.handler, "index.handler");
    assert.equal(fn.name, "pillar-prod-reactor");
    assert.deepEqual([fn.memorySize, fn.timeout, fn.reservedConcurrentExecutions], [256, 900, undefined]);
    assert.deepEqual(fn.loggingConfig, { logFormat: "JSON", logGroup: "/aws/lambda/pillar-prod-reactor" });
    const bundle = bundleReactor();
    assert.deepEqual(fn.code, {
      archive: { "index.js": `(asset: ${bundle.code.length} bytes, sha256 ${bundle.sha256.slice(0, 16)})` },
    });
    const table = plan.get(TYPES.dynamodb.Table, "reactor-inventory").outputs.name;
    const topic = arn(TYPES.sns.Topic, "app-hosts-events");
    const doc = plan.get(TYPES.ssm.Document, "reactor-salt").outputs.name;
    assert.deepEqual((fn.environment as { variables: Record<string, string> }).variables, {
      PILLAR_GROUPS: JSON.stringify({ "pillar-prod-app-hosts": { group: "app-hosts", profile: "web" } }),
      PILLAR_PROFILES: JSON.stringify({
        web: {
          grains: { env: "prod", roles: "web-host" },
          bootstrap: {
            document: doc,
            parameters: {
              StartupStates: ["highstate"],
              Master: ["salt.example.com"],
              Grains: ['{"env":"prod","roles":"web-host","pillar_stack":"prod"}'],
              ExecutionTimeout: ["600"],
            },
            timeoutSeconds: 600,
          },
        },
      }),
      PILLAR_SIGNATURE_VERSION: "2",
      PILLAR_TABLE_NAME: table,
      PILLAR_TOMBSTONE_TTL_DAYS: "30",
      PILLAR_TOPIC_ARNS: JSON.stringify([topic]),
      PILLAR_MAX_MESSAGE_AGE_SECONDS: "1209600",
      PILLAR_CLOCK_SKEW_SECONDS: "300",
      PILLAR_HEARTBEAT_TIMEOUT_SECONDS: "1200",
    });
    assert.deepEqual(
      Object.keys((fn.environment as { variables: Record<string, string> }).variables).sort(),
      [...REACTOR_ENV_VARS].sort(),
      "exactly the variables the reactor reads",
    );
  });

  it("grants exactly the least-privilege policy: this stack's log group, table, groups, queue, document and instances", () => {
    const policy = JSON.parse(plan.get(TYPES.iam.RolePolicy, "reactor-role").inputs.policy as string);
    assert.deepEqual(policy, {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: `${arn(TYPES.cloudwatch.LogGroup, "reactor-logs")}:*`,
        },
        {
          Effect: "Allow",
          Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
          Resource: arn(TYPES.dynamodb.Table, "reactor-inventory"),
        },
        {
          Effect: "Allow",
          Action: ["autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat"],
          Resource: [
            `arn:aws:autoscaling:us-east-1:${ACCOUNT}:autoScalingGroup:*:autoScalingGroupName/pillar-prod-app-hosts`,
          ],
        },
        {
          Effect: "Allow",
          Action: "sqs:SendMessage",
          Resource: arn(TYPES.sqs.Queue, "reactor-failures"),
        },
        {
          Effect: "Allow",
          Action: "ssm:SendCommand",
          Resource: [arn(TYPES.ssm.Document, "reactor-salt")],
        },
        {
          Effect: "Allow",
          Action: "ssm:SendCommand",
          Resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/*`,
          Condition: {
            StringEquals: { "ssm:resourceTag/aws:autoscaling:groupName": ["pillar-prod-app-hosts"] },
          },
        },
        {
          Effect: "Allow",
          Action: ["ssm:CancelCommand", "ssm:GetCommandInvocation", "ssm:ListCommands"],
          Resource: "*",
        },
      ],
    });
    // Every AWS action the code calls is granted, and nothing else beyond logs and the queue.
    const granted = (policy.Statement as { Action: string | string[] }[]).flatMap((st) =>
      Array.isArray(st.Action) ? st.Action : [st.Action],
    );
    assert.deepEqual(
      [...new Set(granted)].filter((a) => !a.startsWith("logs:") && a !== "sqs:SendMessage").sort(),
      [...REACTOR_AWS_ACTIONS].sort(),
    );
    assert.deepEqual(JSON.parse(plan.get(TYPES.iam.Role, "reactor-role").inputs.assumeRolePolicy as string), {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
      ],
    });
  });

  it("subscribes the function to the group's topic, lets only that topic invoke it, and sends failures to a queue", () => {
    const topic = arn(TYPES.sns.Topic, "app-hosts-events");
    const fnArn = arn(TYPES.lambda.Function, "reactor");
    assert.deepEqual(plan.get(TYPES.sns.TopicSubscription, "reactor-app-hosts").inputs, {
      endpoint: fnArn,
      protocol: "lambda",
      topic,
    });
    assert.deepEqual(plan.get(TYPES.lambda.Permission, "reactor-app-hosts").inputs, {
      action: "lambda:InvokeFunction",
      function: "pillar-prod-reactor",
      principal: "sns.amazonaws.com",
      sourceArn: topic,
    });
    assert.deepEqual(plan.get(TYPES.lambda.FunctionEventInvokeConfig, "reactor").inputs, {
      destinationConfig: { onFailure: { destination: arn(TYPES.sqs.Queue, "reactor-failures") } },
      functionName: "pillar-prod-reactor",
      // The hook's 1200 s heartbeat minus the function's 900 s timeout: no attempt starts late
      // enough to outlast the hook.
      maximumEventAgeInSeconds: 300,
      maximumRetryAttempts: 2,
    });
    assert.equal(plan.get(TYPES.sqs.Queue, "reactor-failures").inputs.messageRetentionSeconds, 1_209_600);
  });

  it("keeps the inventory on demand, with TTL, point-in-time recovery and encryption", () => {
    assert.deepEqual(plan.get(TYPES.dynamodb.Table, "reactor-inventory").inputs, {
      attributes: [{ name: "instanceId", type: "S" }],
      billingMode: "PAY_PER_REQUEST",
      deletionProtectionEnabled: true,
      hashKey: "instanceId",
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
      ttl: { attributeName: "expiresAt", enabled: true },
    });
  });

  it("adds both lifecycle hooks at group creation, through the topic with the hook role, after the reactor exists", () => {
    const asg = plan.get(TYPES.autoscaling.Group, "app-hosts");
    const hooks = asg.inputs.initialLifecycleHooks as Record<string, unknown>[];
    const common = {
      heartbeatTimeout: 1200,
      notificationTargetArn: arn(TYPES.sns.Topic, "app-hosts-events"),
      roleArn: arn(TYPES.iam.Role, "app-hosts-events-hooks"),
    };
    assert.deepEqual(hooks, [
      {
        ...common,
        defaultResult: "ABANDON",
        lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
        name: "pillar-launch",
      },
      {
        ...common,
        defaultResult: "CONTINUE",
        lifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING",
        name: "pillar-terminate",
      },
    ]);
    // AWS publishes a test message through the hook role at creation: its permission must exist first.
    assert.ok(asg.dependencies.includes(plan.get(TYPES.iam.RolePolicy, "app-hosts-events-hooks").urn));
    assert.ok(
      asg.dependencies.includes(plan.get(TYPES.sns.TopicSubscription, "reactor-app-hosts").urn),
      "the group waits for the subscription",
    );
    const hookPolicy = JSON.parse(
      plan.get(TYPES.iam.RolePolicy, "app-hosts-events-hooks").inputs.policy as string,
    );
    assert.deepEqual(hookPolicy.Statement, [
      { Effect: "Allow", Action: "sns:Publish", Resource: arn(TYPES.sns.Topic, "app-hosts-events") },
    ]);
  });

  it("alarms on function errors, into a topic", () => {
    const alarm = plan.get(TYPES.cloudwatch.MetricAlarm, "reactor-errors").inputs;
    assert.deepEqual(
      [alarm.namespace, alarm.metricName, alarm.dimensions, alarm.threshold, alarm.comparisonOperator],
      ["AWS/Lambda", "Errors", { FunctionName: "pillar-prod-reactor" }, 1, "GreaterThanOrEqualToThreshold"],
    );
    assert.deepEqual(alarm.alarmActions, [arn(TYPES.sns.Topic, "reactor-alerts")]);
  });

  it("bundles byte-identically across runs, so previews show no diff", () => {
    assert.equal(bundleReactor().sha256, bundleReactor().sha256);
  });
});

describe("reactor settings in config", () => {
  it("requires the hook heartbeat to outlive the function by Lambda's minimum event age, and the bootstrap to fit inside it", () => {
    const heartbeat =
      "pillar:reactor.lifecycle_heartbeat_timeout: 359s must exceed the reactor's timeout (300s) by at least 60s (Lambda's shortest maximum event age), or a launch hook can expire while its bootstrap or a retry still runs";
    assert.deepEqual(
      issuesOf(
        seedWith((v) => {
          v.reactor = { timeout: 300, lifecycle_heartbeat_timeout: 359 };
        }),
      ),
      [
        heartbeat,
        "pillar:ec2.autoscale.web.bootstrap: the bootstrap timeout (600s) must leave 10s of the reactor's timeout (300s) to complete the lifecycle action",
      ],
    );
    // 60 s of event age is the least Lambda allows, and enough.
    const model = load(seedWith((v) => (v.reactor = { timeout: 900, lifecycle_heartbeat_timeout: 960 })));
    assert.equal(model.reactor.lifecycleHeartbeatTimeout, 960);
  });

  it("refuses tombstones shorter than a message can still be delivered and accepted", () => {
    assert.deepEqual(issuesOf(seedWith((v) => (v.reactor = { tombstone_ttl_days: 14 }))), [
      "pillar:reactor.tombstone_ttl_days: 14 days is shorter than a message can still be delivered and accepted (1210200s: the failure queue's 1209600s retention plus Lambda's 300s event age, or max_message_age if longer, plus the 300s clock skew); set at least 15 days, or a late launch could revive a terminated instance",
    ]);
    assert.equal(
      load(seedWith((v) => (v.reactor = { tombstone_ttl_days: 15 }))).reactor.tombstoneTtlDays,
      15,
    );
    // A longer freshness window needs tombstones as long.
    assert.deepEqual(
      issuesOf(seedWith((v) => (v.reactor = { tombstone_ttl_days: 30, max_message_age: 2_592_000 }))),
      [
        "pillar:reactor.tombstone_ttl_days: 30 days is shorter than a message can still be delivered and accepted (2592300s: the failure queue's 1209600s retention plus Lambda's 300s event age, or max_message_age if longer, plus the 300s clock skew); set at least 31 days, or a late launch could revive a terminated instance",
      ],
    );
  });

  it("defaults the freshness settings (14 days, 5 minutes) and takes them within their bounds only", () => {
    const { reactor } = load(seedWith(() => undefined));
    assert.deepEqual([reactor.maxMessageAgeSeconds, reactor.clockSkewSeconds], [1_209_600, 300]);
    assert.deepEqual(issuesOf(seedWith((v) => (v.reactor = { max_message_age: 59, clock_skew: 3601 }))), [
      "pillar:reactor.max_message_age: expected seconds 60–315360000, got 59",
      "pillar:reactor.clock_skew: expected seconds 0–3600, got 3601",
    ]);
  });

  it("rejects a deprecated runtime", () => {
    assert.deepEqual(issuesOf(seedWith((v) => (v.reactor = { runtime: "nodejs20.x" }))), [
      'pillar:reactor.runtime: expected one of "nodejs22.x", "nodejs24.x", got "nodejs20.x"',
    ]);
  });
});

describe("the reactor's webhook form (pillar:reactor.function_url)", () => {
  it("exposes a Function URL that only the URL may invoke, with both permissions AWS requires", async () => {
    const plan = await planFile(
      writeTemp(
        fs
          .readFileSync(path.join(PROJECT_ROOT, "Pulumi.prod.yaml"), "utf8")
          .replace("config:\n", "config:\n  pillar:reactor:\n    function_url: true\n"),
        "Pulumi.prod.yaml",
      ),
      { stack: "prod", preview: false },
    );
    assert.deepEqual(plan.get(TYPES.lambda.FunctionUrl, "reactor").inputs, {
      authorizationType: "NONE",
      functionName: "pillar-prod-reactor",
    });
    assert.deepEqual(plan.get(TYPES.lambda.Permission, "reactor-url").inputs, {
      action: "lambda:InvokeFunctionUrl",
      function: "pillar-prod-reactor",
      functionUrlAuthType: "NONE",
      principal: "*",
    });
    assert.deepEqual(plan.get(TYPES.lambda.Permission, "reactor-url-invoke").inputs, {
      action: "lambda:InvokeFunction",
      function: "pillar-prod-reactor",
      invokedViaFunctionUrl: true,
      principal: "*",
    });
  });
});

describe("reactor settings reach the wiring", () => {
  it("reserves concurrency, mails alerts, alarms on dead letters and can drop deletion protection", async () => {
    const plan = await planFile(
      writeTemp(
        fs
          .readFileSync(path.join(PROJECT_ROOT, "Pulumi.prod.yaml"), "utf8")
          .replace(
            "config:\n",
            "config:\n  pillar:reactor:\n    reserved_concurrency: 12\n    alert_email: ops@example.com\n    deletion_protection: false\n",
          ),
        "Pulumi.prod.yaml",
      ),
      { stack: "prod", preview: false },
    );
    assert.equal(plan.get(TYPES.lambda.Function, "reactor").inputs.reservedConcurrentExecutions, 12);
    const alerts = plan.get(TYPES.sns.Topic, "reactor-alerts").outputs.arn;
    assert.deepEqual(plan.get(TYPES.sns.TopicSubscription, "reactor-alerts-email").inputs, {
      endpoint: "ops@example.com",
      protocol: "email",
      topic: alerts,
    });
    const dlqAlarm = plan.get(TYPES.cloudwatch.MetricAlarm, "reactor-dead-letters").inputs;
    assert.deepEqual(
      [dlqAlarm.namespace, dlqAlarm.metricName, dlqAlarm.dimensions, dlqAlarm.alarmActions],
      [
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        { QueueName: plan.get(TYPES.sqs.Queue, "reactor-failures").outputs.name },
        [alerts],
      ],
    );
    assert.equal(plan.get(TYPES.dynamodb.Table, "reactor-inventory").inputs.deletionProtectionEnabled, false);
  });

  it("refuses a reservation smaller than the instances that may launch at once", () => {
    assert.deepEqual(issuesOf(seedWith((v) => (v.reactor = { reserved_concurrency: 5 }))), [
      "pillar:reactor.reserved_concurrency: 5 is below the reacting groups' combined max_size (10): launches past it would wait for a free reactor while their hooks time out",
    ]);
  });

  it("requires a Salt master for the Salt bootstrap, and grains the bootstrap can carry", () => {
    assert.deepEqual(
      issuesOf(
        seedWith((v) => {
          delete v.cloud.aws_provider.minion;
          v["ec2.autoscale"].web.grains.owner = "o'brien";
        }),
      ),
      [
        "pillar:ec2.autoscale.web.minion: the Salt bootstrap needs the master's address: set minion.master here or in the cloud provider (the seed's provider file writes it as the template's {{ salt_master_domain }})",
        `pillar:ec2.autoscale.web.grains: grain names and values for the Salt bootstrap may use letters, digits, space and _ . : / , - only, got owner: "o'brien"`,
      ],
    );
  });
});
