import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../scripts/lib/planner";
import { bundleReactor } from "../reactor/bundle";
import { planFile, Planned, writeTemp } from "./harness";
import { issuesOf, seedWith } from "./configHelpers";

const ACCOUNT = "123456789012";

describe("the reactor's wiring (pillar:lambda:Reactor) under mocks", () => {
  let plan: Planned;
  before(async () => {
    plan = await planFile(path.join(PROJECT_ROOT, "Pulumi.prod.yaml"), { stack: "prod", preview: false });
  });
  const arn = (type: string, name: string) => plan.get(type, name).outputs.arn as string;

  it("runs the esbuild bundle on nodejs24.x with JSON logs and the env contract, reserving no concurrency by default", () => {
    const fn = plan.get("aws:lambda/function:Function", "reactor").inputs;
    assert.equal(fn.runtime, "nodejs24.x");
    assert.equal(fn.handler, "index.handler");
    assert.equal(fn.name, "pillar-prod-reactor");
    assert.deepEqual([fn.memorySize, fn.timeout, fn.reservedConcurrentExecutions], [256, 900, undefined]);
    assert.deepEqual(fn.loggingConfig, { logFormat: "JSON", logGroup: "/aws/lambda/pillar-prod-reactor" });
    const bundle = bundleReactor();
    assert.deepEqual(fn.code, {
      archive: { "index.js": `(asset: ${bundle.code.length} bytes, sha256 ${bundle.sha256.slice(0, 16)})` },
    });
    const table = plan.get("aws:dynamodb/table:Table", "reactor-inventory").outputs.name;
    const topic = arn("aws:sns/topic:Topic", "app-hosts-events");
    const doc = plan.get("aws:ssm/document:Document", "reactor-salt").outputs.name;
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
    });
  });

  it("grants exactly the least-privilege policy: this stack's log group, table, groups, queue, document and instances", () => {
    const policy = JSON.parse(
      plan.get("aws:iam/rolePolicy:RolePolicy", "reactor-role").inputs.policy as string,
    );
    assert.deepEqual(policy, {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: `${arn("aws:cloudwatch/logGroup:LogGroup", "reactor-logs")}:*`,
        },
        {
          Effect: "Allow",
          Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
          Resource: arn("aws:dynamodb/table:Table", "reactor-inventory"),
        },
        {
          Effect: "Allow",
          Action: "autoscaling:CompleteLifecycleAction",
          Resource: [
            `arn:aws:autoscaling:us-east-1:${ACCOUNT}:autoScalingGroup:*:autoScalingGroupName/pillar-prod-app-hosts`,
          ],
        },
        {
          Effect: "Allow",
          Action: "sqs:SendMessage",
          Resource: arn("aws:sqs/queue:Queue", "reactor-failures"),
        },
        {
          Effect: "Allow",
          Action: "ssm:SendCommand",
          Resource: [arn("aws:ssm/document:Document", "reactor-salt")],
        },
        {
          Effect: "Allow",
          Action: "ssm:SendCommand",
          Resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/*`,
          Condition: {
            StringEquals: { "ssm:resourceTag/aws:autoscaling:groupName": ["pillar-prod-app-hosts"] },
          },
        },
        { Effect: "Allow", Action: ["ssm:CancelCommand", "ssm:GetCommandInvocation"], Resource: "*" },
      ],
    });
    assert.deepEqual(
      JSON.parse(plan.get("aws:iam/role:Role", "reactor-role").inputs.assumeRolePolicy as string),
      {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      },
    );
  });

  it("subscribes the function to the group's topic, lets only that topic invoke it, and sends failures to a queue", () => {
    const topic = arn("aws:sns/topic:Topic", "app-hosts-events");
    const fnArn = arn("aws:lambda/function:Function", "reactor");
    assert.deepEqual(plan.get("aws:sns/topicSubscription:TopicSubscription", "reactor-app-hosts").inputs, {
      endpoint: fnArn,
      protocol: "lambda",
      topic,
    });
    assert.deepEqual(plan.get("aws:lambda/permission:Permission", "reactor-app-hosts").inputs, {
      action: "lambda:InvokeFunction",
      function: "pillar-prod-reactor",
      principal: "sns.amazonaws.com",
      sourceArn: topic,
    });
    assert.deepEqual(
      plan.get("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "reactor").inputs,
      {
        destinationConfig: { onFailure: { destination: arn("aws:sqs/queue:Queue", "reactor-failures") } },
        functionName: "pillar-prod-reactor",
        maximumRetryAttempts: 2,
      },
    );
  });

  it("keeps the inventory on demand, with TTL, point-in-time recovery and encryption", () => {
    assert.deepEqual(plan.get("aws:dynamodb/table:Table", "reactor-inventory").inputs, {
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
    const asg = plan.get("aws:autoscaling/group:Group", "app-hosts");
    const hooks = asg.inputs.initialLifecycleHooks as Record<string, unknown>[];
    const common = {
      heartbeatTimeout: 1200,
      notificationTargetArn: arn("aws:sns/topic:Topic", "app-hosts-events"),
      roleArn: arn("aws:iam/role:Role", "app-hosts-events-hooks"),
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
    assert.ok(
      asg.dependencies.includes(plan.get("aws:iam/rolePolicy:RolePolicy", "app-hosts-events-hooks").urn),
    );
    assert.ok(
      asg.dependencies.includes(
        plan.get("aws:sns/topicSubscription:TopicSubscription", "reactor-app-hosts").urn,
      ),
      "the group waits for the subscription",
    );
    const hookPolicy = JSON.parse(
      plan.get("aws:iam/rolePolicy:RolePolicy", "app-hosts-events-hooks").inputs.policy as string,
    );
    assert.deepEqual(hookPolicy.Statement, [
      { Effect: "Allow", Action: "sns:Publish", Resource: arn("aws:sns/topic:Topic", "app-hosts-events") },
    ]);
  });

  it("alarms on function errors, into a topic", () => {
    const alarm = plan.get("aws:cloudwatch/metricAlarm:MetricAlarm", "reactor-errors").inputs;
    assert.deepEqual(
      [alarm.namespace, alarm.metricName, alarm.dimensions, alarm.threshold, alarm.comparisonOperator],
      ["AWS/Lambda", "Errors", { FunctionName: "pillar-prod-reactor" }, 1, "GreaterThanOrEqualToThreshold"],
    );
    assert.deepEqual(alarm.alarmActions, [arn("aws:sns/topic:Topic", "reactor-alerts")]);
  });

  it("bundles byte-identically across runs, so previews show no diff", () => {
    assert.equal(bundleReactor().sha256, bundleReactor().sha256);
  });
});

describe("reactor settings in config", () => {
  it("requires the hook heartbeat to outlive the function and the bootstrap to fit inside it", () => {
    assert.deepEqual(
      issuesOf(
        seedWith((v) => {
          v.reactor = { timeout: 300, lifecycle_heartbeat_timeout: 300 };
        }),
      ),
      [
        "pillar:reactor.lifecycle_heartbeat_timeout: 300s must be longer than the reactor's timeout (300s), or a launch hook can expire while its bootstrap still runs",
        "pillar:ec2.autoscale.web.bootstrap: the bootstrap timeout (600s) must leave 10s of the reactor's timeout (300s) to complete the lifecycle action",
      ],
    );
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
    assert.deepEqual(plan.get("aws:lambda/functionUrl:FunctionUrl", "reactor").inputs, {
      authorizationType: "NONE",
      functionName: "pillar-prod-reactor",
    });
    assert.deepEqual(plan.get("aws:lambda/permission:Permission", "reactor-url").inputs, {
      action: "lambda:InvokeFunctionUrl",
      function: "pillar-prod-reactor",
      functionUrlAuthType: "NONE",
      principal: "*",
    });
    assert.deepEqual(plan.get("aws:lambda/permission:Permission", "reactor-url-invoke").inputs, {
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
    assert.equal(plan.get("aws:lambda/function:Function", "reactor").inputs.reservedConcurrentExecutions, 12);
    const alerts = plan.get("aws:sns/topic:Topic", "reactor-alerts").outputs.arn;
    assert.deepEqual(plan.get("aws:sns/topicSubscription:TopicSubscription", "reactor-alerts-email").inputs, {
      endpoint: "ops@example.com",
      protocol: "email",
      topic: alerts,
    });
    const dlqAlarm = plan.get("aws:cloudwatch/metricAlarm:MetricAlarm", "reactor-dead-letters").inputs;
    assert.deepEqual(
      [dlqAlarm.namespace, dlqAlarm.metricName, dlqAlarm.dimensions, dlqAlarm.alarmActions],
      [
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        { QueueName: plan.get("aws:sqs/queue:Queue", "reactor-failures").outputs.name },
        [alerts],
      ],
    );
    assert.equal(
      plan.get("aws:dynamodb/table:Table", "reactor-inventory").inputs.deletionProtectionEnabled,
      false,
    );
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
        "pillar:ec2.autoscale.web.minion: the Salt bootstrap needs the master's address: set minion.master here or in the cloud provider",
        "pillar:ec2.autoscale.web.grains: grain names and values for the Salt bootstrap may use letters, digits, space and _ . : / , - only",
      ],
    );
  });
});
