/** The reactor's pure planners, table by table: the exact IAM document, environment and alarms. */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import {
  reactorAlarms,
  reactorEnvironment,
  reactorPolicy,
  type ReactorEnvironmentInputs,
  type ReactorScope,
} from "../components/reactorPlan";
import type { ReactorProfileModel, ReactorSettingsModel } from "../config/model";
import { parseEnvironment, REACTOR_AWS_ACTIONS, REACTOR_ENV_VARS } from "../reactor/contract";

const ACCOUNT = "123456789012";

const scope = (over: Partial<ReactorScope> = {}): ReactorScope => ({
  region: "us-east-1",
  account: ACCOUNT,
  logGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/r`,
  tableArn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/t`,
  queueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:q`,
  groups: ["pillar-prod-app-hosts"],
  documents: ["reactor-salt-1a2b3c4"],
  ...over,
});

const base = (s: ReactorScope) => [
  { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${s.logGroupArn}:*` },
  { Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"], Resource: s.tableArn },
];

describe("reactorPolicy: the function's IAM document", () => {
  const cases: [string, ReactorScope, unknown[]][] = [
    [
      "the seed: one group, the stack's Salt document",
      scope(),
      [
        ...base(scope()),
        {
          Effect: "Allow",
          Action: ["autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat"],
          Resource: [
            `arn:aws:autoscaling:us-east-1:${ACCOUNT}:autoScalingGroup:*:autoScalingGroupName/pillar-prod-app-hosts`,
          ],
        },
        { Effect: "Allow", Action: "sqs:SendMessage", Resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:q` },
        {
          Effect: "Allow",
          Action: "ssm:SendCommand",
          Resource: [`arn:aws:ssm:us-east-1:${ACCOUNT}:document/reactor-salt-1a2b3c4`],
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
    ],
    [
      "no profile bootstraps: no SSM at all",
      scope({ documents: [], groups: ["a", "b"] }),
      [
        ...base(scope()),
        {
          Effect: "Allow",
          Action: ["autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat"],
          Resource: [
            `arn:aws:autoscaling:us-east-1:${ACCOUNT}:autoScalingGroup:*:autoScalingGroupName/a`,
            `arn:aws:autoscaling:us-east-1:${ACCOUNT}:autoScalingGroup:*:autoScalingGroupName/b`,
          ],
        },
        { Effect: "Allow", Action: "sqs:SendMessage", Resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:q` },
      ],
    ],
    [
      "China: the region's partition, and AWS's own document without an account",
      scope({ region: "cn-north-1", documents: ["AWS-RunShellScript", "mine"], groups: ["g"] }),
      [
        ...base(scope()),
        {
          Effect: "Allow",
          Action: ["autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat"],
          Resource: [
            `arn:aws-cn:autoscaling:cn-north-1:${ACCOUNT}:autoScalingGroup:*:autoScalingGroupName/g`,
          ],
        },
        { Effect: "Allow", Action: "sqs:SendMessage", Resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:q` },
        {
          Effect: "Allow",
          Action: "ssm:SendCommand",
          Resource: [
            "arn:aws-cn:ssm:cn-north-1::document/AWS-RunShellScript",
            `arn:aws-cn:ssm:cn-north-1:${ACCOUNT}:document/mine`,
          ],
        },
        {
          Effect: "Allow",
          Action: "ssm:SendCommand",
          Resource: `arn:aws-cn:ec2:cn-north-1:${ACCOUNT}:instance/*`,
          Condition: { StringEquals: { "ssm:resourceTag/aws:autoscaling:groupName": ["g"] } },
        },
        {
          Effect: "Allow",
          Action: ["ssm:CancelCommand", "ssm:GetCommandInvocation", "ssm:ListCommands"],
          Resource: "*",
        },
      ],
    ],
  ];
  for (const [name, s, statements] of cases) {
    it(name, () => {
      assert.deepEqual(JSON.parse(reactorPolicy(s)), { Version: "2012-10-17", Statement: statements });
    });
  }

  it("grants every action the code calls, and beyond them only Lambda's logs and failure queue", () => {
    const granted = (JSON.parse(reactorPolicy(scope())).Statement as { Action: string | string[] }[]).flatMap(
      (st) => (Array.isArray(st.Action) ? st.Action : [st.Action]),
    );
    assert.deepEqual(
      [...new Set(granted)].filter((a) => !a.startsWith("logs:") && a !== "sqs:SendMessage").sort(),
      [...REACTOR_AWS_ACTIONS].sort(),
    );
  });
});

const settings: ReactorSettingsModel = {
  functionName: "pillar-prod-reactor",
  signatureVersion: "2",
  runtime: "nodejs24.x",
  memorySize: 256,
  timeoutSeconds: 900,
  deletionProtection: true,
  logRetentionDays: 30,
  tombstoneTtlDays: 30,
  functionUrl: false,
  lifecycleHeartbeatTimeout: 1200,
  maxMessageAgeSeconds: 1_209_600,
  clockSkewSeconds: 300,
};
const profiles: ReactorProfileModel[] = [
  {
    name: "web",
    grains: { env: "prod", roles: "web-host" },
    bootstrap: {
      kind: "salt",
      startupStates: ["highstate"],
      master: "salt.example.com",
      grains: '{"env":"prod","roles":"web-host","pillar_stack":"prod"}',
      timeoutSeconds: 600,
    },
    path: "pillar:ec2.autoscale.web",
  },
  {
    name: "worker",
    grains: { roles: ["worker", "queue"] },
    bootstrap: {
      kind: "document",
      document: "AWS-RunShellScript",
      parameters: { commands: ["true"] },
      timeoutSeconds: 60,
    },
    path: "pillar:ec2.autoscale.worker",
  },
  { name: "bare", grains: {}, path: "pillar:ec2.autoscale.bare" },
];
const inputs = (over: Partial<ReactorEnvironmentInputs> = {}): ReactorEnvironmentInputs => ({
  tableName: "reactor-inventory-1a2b3c4",
  topicArns: [`arn:aws:sns:us-east-1:${ACCOUNT}:a`, `arn:aws:sns:us-east-1:${ACCOUNT}:a`],
  groups: [{ group: "app-hosts", asgName: "pillar-prod-app-hosts", profile: "web" }],
  profiles,
  documentNames: ["reactor-salt-1a2b3c4", "AWS-RunShellScript", ""],
  settings,
  ...over,
});

describe("reactorEnvironment: the variables the function reads back", () => {
  it("writes every variable, in the contract's order, exactly as the function parses it", () => {
    const env = reactorEnvironment(inputs()) as Record<string, string>;
    assert.deepEqual(Object.keys(env), [...REACTOR_ENV_VARS]);
    assert.deepEqual(env, {
      PILLAR_TABLE_NAME: "reactor-inventory-1a2b3c4",
      PILLAR_TOPIC_ARNS: `["arn:aws:sns:us-east-1:${ACCOUNT}:a"]`,
      PILLAR_SIGNATURE_VERSION: "2",
      PILLAR_GROUPS: '{"pillar-prod-app-hosts":{"group":"app-hosts","profile":"web"}}',
      PILLAR_PROFILES: JSON.stringify({
        web: {
          grains: { env: "prod", roles: "web-host" },
          bootstrap: {
            document: "reactor-salt-1a2b3c4",
            parameters: {
              StartupStates: ["highstate"],
              Master: ["salt.example.com"],
              Grains: ['{"env":"prod","roles":"web-host","pillar_stack":"prod"}'],
              ExecutionTimeout: ["600"],
            },
            timeoutSeconds: 600,
          },
        },
        worker: {
          grains: { roles: ["worker", "queue"] },
          bootstrap: {
            document: "AWS-RunShellScript",
            parameters: { commands: ["true"] },
            timeoutSeconds: 60,
          },
        },
        bare: { grains: {} },
      }),
      PILLAR_TOMBSTONE_TTL_DAYS: "30",
      PILLAR_MAX_MESSAGE_AGE_SECONDS: "1209600",
      PILLAR_CLOCK_SKEW_SECONDS: "300",
      PILLAR_HEARTBEAT_TIMEOUT_SECONDS: "1200",
    });
    const read = parseEnvironment(env);
    assert.deepEqual(read.problems, undefined);
    assert.deepEqual(Object.keys(read.config!.profiles), ["web", "worker", "bare"]);
    assert.equal(read.config!.groups["pillar-prod-app-hosts"]!.profile, "web");
  });

  it("leaves a value known only after creation as its own output, and every other variable known", () => {
    const tableName = pulumi.output("t");
    const env = reactorEnvironment(inputs({ tableName }));
    assert.equal(env.PILLAR_TABLE_NAME, tableName);
    assert.equal(env.PILLAR_SIGNATURE_VERSION, "2");
    assert.ok(
      pulumi.Output.isInstance(
        reactorEnvironment(inputs({ documentNames: pulumi.output([]) })).PILLAR_PROFILES,
      ),
    );
  });
});

describe("reactorAlarms: one table", () => {
  it("alarms on the failure queue's messages and the function's errors, to the alerts topic", () => {
    assert.deepEqual(reactorAlarms("reactor", { queue: "q", function: "f" }, "alerts"), [
      {
        name: "reactor-dead-letters",
        args: {
          alarmDescription: "pillar reactor: an event failed every retry and sits in the failure queue",
          namespace: "AWS/SQS",
          metricName: "ApproximateNumberOfMessagesVisible",
          dimensions: { QueueName: "q" },
          statistic: "Maximum",
          period: 300,
          evaluationPeriods: 1,
          threshold: 1,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          treatMissingData: "notBreaching",
          alarmActions: ["alerts"],
        },
      },
      {
        name: "reactor-errors",
        args: {
          alarmDescription: "pillar reactor errors: instances may not be bootstrapped or released",
          namespace: "AWS/Lambda",
          metricName: "Errors",
          dimensions: { FunctionName: "f" },
          statistic: "Sum",
          period: 300,
          evaluationPeriods: 1,
          threshold: 1,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          treatMissingData: "notBreaching",
          alarmActions: ["alerts"],
        },
      },
    ]);
  });
});
