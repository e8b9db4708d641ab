import { AutoScalingClient, CompleteLifecycleActionCommand } from "@aws-sdk/client-auto-scaling";
import {
  GetCommandInvocationCommand,
  InvalidInstanceId,
  InvocationDoesNotExist,
  SendCommandCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import assert from "node:assert/strict";
import { ENV_TABLE_NAME, REACTOR_ENV_VARS } from "../../reactor/config";
import {
  ConfigError,
  createHandler,
  handler,
  type HttpResult,
  type ReactorHandler,
  type SnsBatchResult,
} from "../../reactor/handler";
import { Inventory } from "../../reactor/inventory";
import { memoryLogger } from "../../reactor/log";
import {
  fakeClock,
  fakeContext,
  resetFakeContext,
  setRemainingTime,
  type FakeClock,
} from "./support/context";
import { startDynalite, type LocalDynamo } from "./support/dynalite";
import { TEST_ENV } from "./support/env";
import {
  TOPIC_ARN,
  countingFetcher,
  generateKeys,
  loadFixture,
  makeCertificate,
  signMessage,
  toLambdaShape,
  type TestCertificate,
} from "./support/signing";

const ASG = "pillar-prod-web-asg-3f9a1c2";
const WORKER_ASG = "pillar-prod-worker-asg-8d7e6f5";
const INSTANCE = "i-0598c7d356eba48d7";
const COMMAND_ID = "2d4a5bd2-3c8e-4f0e-8a61-0c2b7e9d1f00";
const START = new Date("2026-11-25T17:01:05.000Z");
const awsError = (name: string, message: string) => Object.assign(new Error(message), { name });
const fakeCredentials = { accessKeyId: "test", secretAccessKey: "test" };

let uuidCounter = 0;
/** A fresh MessageId, so separate deliveries in one test are separate messages. */
const freshId = () => `00000000-0000-4000-8000-${String(++uuidCounter).padStart(12, "0")}`;

describe("reactor/handler", () => {
  let db: LocalDynamo;
  let cert: TestCertificate;
  const ssm = new SSMClient({ region: "us-east-1", credentials: fakeCredentials });
  const autoscaling = new AutoScalingClient({ region: "us-east-1", credentials: fakeCredentials });
  const ssmMock = mockClient(ssm);
  const asgMock = mockClient(autoscaling);

  let tableName: string;
  let clock: FakeClock;
  let logger: ReturnType<typeof memoryLogger>;
  let fetchCertificate: ReturnType<typeof countingFetcher>;
  let confirmed: URL[];
  let handle: ReactorHandler;
  let inventory: Inventory;
  let tables = 0;

  before(async () => {
    db = await startDynalite();
    cert = makeCertificate({ keys: generateKeys() });
  });
  after(async () => {
    ssmMock.restore();
    asgMock.restore();
    await db.close();
  });

  beforeEach(async () => {
    ssmMock.reset();
    asgMock.reset();
    ssmMock.on(SendCommandCommand).resolves({ Command: { CommandId: COMMAND_ID } });
    ssmMock
      .on(GetCommandInvocationCommand)
      .rejectsOnce(new InvocationDoesNotExist({ message: "not yet", $metadata: {} }))
      .resolvesOnce({ Status: "InProgress" })
      .resolves({ Status: "Success" });
    asgMock.on(CompleteLifecycleActionCommand).resolves({});
    tableName = `reactor-${++tables}`;
    await db.createTable(tableName);
    clock = fakeClock(START);
    logger = memoryLogger();
    fetchCertificate = countingFetcher(cert.pem);
    confirmed = [];
    handle = createHandler({
      env: { ...TEST_ENV, [ENV_TABLE_NAME]: tableName },
      ssm,
      autoscaling,
      dynamo: db.client,
      fetchCertificate,
      confirmSubscription: async (url) => {
        confirmed.push(url);
      },
      now: clock.now,
      sleep: clock.sleep,
      logger,
    });
    inventory = new Inventory(db.client, { tableName, tombstoneTtlDays: 7, now: clock.now });
  });
  afterEach(() => {
    resetFakeContext();
  });

  const signed = (
    fixture: string,
    changes: Record<string, string> = {},
    message?: Record<string, unknown>,
  ) => {
    const base = loadFixture(fixture);
    const body = message
      ? JSON.stringify({ ...(JSON.parse(base.Message!) as object), ...message })
      : base.Message!;
    return signMessage({ ...base, Message: body, ...changes }, cert.privateKey);
  };
  const snsEvent = (...messages: Record<string, string>[]) => ({
    Records: messages.map((m) => ({
      EventSource: "aws:sns",
      EventVersion: "1.0",
      EventSubscriptionArn: `${TOPIC_ARN}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55`,
      Sns: toLambdaShape(m),
    })),
  });
  const httpEvent = (
    m: Record<string, string> | string,
    opts: { base64?: boolean; method?: string; type?: string | null } = {},
  ) => {
    const body = typeof m === "string" ? m : JSON.stringify(m);
    const type = opts.type === undefined ? (typeof m === "string" ? "Notification" : m.Type) : opts.type;
    return {
      version: "2.0",
      routeKey: "$default",
      rawPath: "/",
      headers: {
        "content-type": "text/plain; charset=UTF-8",
        "user-agent": "Amazon Simple Notification Service Agent",
        ...(type !== null ? { "x-amz-sns-message-type": type } : {}),
        ...(typeof m !== "string" && m.MessageId ? { "x-amz-sns-message-id": m.MessageId } : {}),
        ...(typeof m !== "string" && m.TopicArn ? { "x-amz-sns-topic-arn": m.TopicArn } : {}),
      },
      requestContext: { http: { method: opts.method ?? "POST", path: "/", sourceIp: "54.240.197.1" } },
      body: opts.base64 ? Buffer.from(body).toString("base64") : body,
      isBase64Encoded: opts.base64 ?? false,
    };
  };
  const viaSns = async (...messages: Record<string, string>[]) =>
    (await handle(snsEvent(...messages), fakeContext)) as SnsBatchResult;
  const viaHttp = async (...args: Parameters<typeof httpEvent>) =>
    (await handle(httpEvent(...args), fakeContext)) as HttpResult;
  const completions = () => asgMock.commandCalls(CompleteLifecycleActionCommand).map((c) => c.args[0].input);
  const rejections = () =>
    logger.entries.filter((e) => e.msg === "rejected").map((e) => (e.error as { code?: string }).code);

  describe("launching lifecycle action", () => {
    for (const shape of ["sns", "http", "http-base64"] as const) {
      it(`records, bootstraps with SSM and continues (${shape} delivery)`, async () => {
        const m = signed("lifecycle-launching");
        if (shape === "sns") assert.deepEqual(await viaSns(m), { processed: 1, rejected: 0 });
        else {
          const res = await viaHttp(m, { base64: shape === "http-base64" });
          assert.equal(res.statusCode, 200, res.body);
          assert.deepEqual(JSON.parse(res.body), { ok: true, action: "launch" });
        }
        assert.deepEqual(
          ssmMock.commandCalls(SendCommandCommand).map((c) => c.args[0].input),
          [
            {
              DocumentName: "pillar-prod-salt-bootstrap",
              InstanceIds: [INSTANCE],
              Parameters: { Grains: ['{"env":"prod","roles":["web-host"]}'], StartupStates: ["highstate"] },
              TimeoutSeconds: 600,
              Comment: `pillar reactor: web ${INSTANCE}`,
            },
          ],
        );
        assert.deepEqual(
          ssmMock.commandCalls(GetCommandInvocationCommand).map((c) => c.args[0].input),
          Array(3).fill({ CommandId: COMMAND_ID, InstanceId: INSTANCE }),
        );
        assert.deepEqual(completions(), [
          {
            AutoScalingGroupName: ASG,
            LifecycleHookName: "pillar-prod-web-launching",
            LifecycleActionToken: "8bc31fd4-3b5e-4c6a-9f2d-1a2b3c4d5e6f",
            InstanceId: INSTANCE,
            LifecycleActionResult: "CONTINUE",
          },
        ]);
        const item = await inventory.get(INSTANCE);
        assert.equal(item?.state, "in_service");
        assert.equal(item?.group, "web");
        assert.equal(item?.asgName, ASG);
        assert.equal(item?.profile, "web");
        assert.deepEqual(item?.roles, ["web-host"]);
        assert.equal(item?.env, "prod");
        assert.equal(item?.bootstrapCommandId, COMMAND_ID);
        assert.equal(item?.lastMessageId, m.MessageId);
        assert.deepEqual([...item!.messageIds].sort(), [m.MessageId, `${m.MessageId}#completed`]);
        assert.ok(item?.messageIds.has(m.MessageId!));
        assert.equal(fetchCertificate.calls.length, 1);
      });
    }

    it("abandons when the bootstrap fails", async () => {
      ssmMock
        .on(GetCommandInvocationCommand)
        .resolves({ Status: "Failed", StatusDetails: "Failed", StandardErrorContent: "salt-call: error" });
      await viaSns(signed("lifecycle-launching"));
      assert.deepEqual(
        completions().map((c) => c.LifecycleActionResult),
        ["ABANDON"],
      );
      const item = await inventory.get(INSTANCE);
      assert.equal(item?.state, "failed");
      assert.equal(item?.detail, "Failed: Failed: salt-call: error");
    });

    it("abandons when the bootstrap outlives its timeout, polling only until then", async () => {
      ssmMock.on(GetCommandInvocationCommand).resolves({ Status: "InProgress" });
      await viaSns(signed("lifecycle-launching"));
      assert.deepEqual(
        completions().map((c) => c.LifecycleActionResult),
        ["ABANDON"],
      );
      const elapsed = clock.now().getTime() - START.getTime();
      assert.equal(elapsed, 600_000, "polls until the bootstrap timeout, not a moment longer");
      assert.equal(
        (await inventory.get(INSTANCE))?.detail,
        "DeadlineExceeded: bootstrap did not finish in time",
      );
    });

    it("stops waiting before the Lambda runs out of time", async () => {
      ssmMock.on(GetCommandInvocationCommand).resolves({ Status: "InProgress" });
      setRemainingTime(60_000);
      await viaSns(signed("lifecycle-launching"));
      assert.deepEqual(
        completions().map((c) => c.LifecycleActionResult),
        ["ABANDON"],
      );
      const elapsed = clock.now().getTime() - START.getTime();
      assert.equal(elapsed, 60_000 - 10_000, "keeps the completion reserve");
    });

    it("does not even start a bootstrap without time to finish it", async () => {
      setRemainingTime(5_000);
      await viaSns(signed("lifecycle-launching"));
      assert.equal(ssmMock.commandCalls(SendCommandCommand).length, 0);
      assert.deepEqual(
        completions().map((c) => c.LifecycleActionResult),
        ["ABANDON"],
      );
    });

    it("waits for the SSM agent to register (InvalidInstanceId) and then runs", async () => {
      ssmMock
        .on(SendCommandCommand)
        .rejectsOnce(new InvalidInstanceId({ message: "Instances not in a valid state", $metadata: {} }))
        .rejectsOnce(new InvalidInstanceId({ message: "Instances not in a valid state", $metadata: {} }))
        .resolves({ Command: { CommandId: COMMAND_ID } });
      await viaSns(signed("lifecycle-launching"));
      assert.equal(ssmMock.commandCalls(SendCommandCommand).length, 3);
      assert.deepEqual(
        completions().map((c) => c.LifecycleActionResult),
        ["CONTINUE"],
      );
    });

    it("abandons when SendCommand fails for good", async () => {
      ssmMock.on(SendCommandCommand).rejects(awsError("InvalidDocument", "document does not exist"));
      await viaSns(signed("lifecycle-launching"));
      assert.deepEqual(
        completions().map((c) => c.LifecycleActionResult),
        ["ABANDON"],
      );
      assert.match((await inventory.get(INSTANCE))?.detail ?? "", /^SendCommandFailed: InvalidDocument/);
    });

    it("retries throttling with backoff through the injected sleep", async () => {
      ssmMock
        .on(SendCommandCommand)
        .rejectsOnce(awsError("ThrottlingException", "Rate exceeded"))
        .resolves({ Command: { CommandId: COMMAND_ID } });
      asgMock
        .on(CompleteLifecycleActionCommand)
        .rejectsOnce(awsError("Throttling", "Rate exceeded"))
        .rejectsOnce(awsError("Throttling", "Rate exceeded"))
        .resolves({});
      await viaSns(signed("lifecycle-launching"));
      assert.equal(ssmMock.commandCalls(SendCommandCommand).length, 1 + 1);
      assert.equal(completions().length, 3);
      assert.deepEqual(
        clock.sleeps.filter((ms) => ms < 1_000),
        [200, 200, 400],
      );
      assert.equal((await inventory.get(INSTANCE))?.state, "in_service");
    });

    it("gives up after bounded throttling retries and throws, so Lambda retries the event", async () => {
      asgMock.on(CompleteLifecycleActionCommand).rejects(awsError("Throttling", "Rate exceeded"));
      await assert.rejects(handle(snsEvent(signed("lifecycle-launching")), fakeContext), {
        name: "ActionError",
        code: "complete_lifecycle_action",
      });
      assert.equal(completions().length, 5);
    });

    it("treats 'No active Lifecycle Action found' as final: no retry, no throw", async () => {
      asgMock
        .on(CompleteLifecycleActionCommand)
        .rejects(
          awsError("ValidationError", `No active Lifecycle Action found with instance ID ${INSTANCE}`),
        );
      assert.deepEqual(await viaSns(signed("lifecycle-launching")), { processed: 1, rejected: 0 });
      assert.equal(completions().length, 1);
      const acted = logger.entries.find((e) => e.msg === "acted");
      assert.equal(acted?.lifecycle, "no_active_action");
    });

    it("bootstraps once for a duplicate delivery, sequential or concurrent", async () => {
      const m = signed("lifecycle-launching");
      await viaSns(m);
      await viaHttp(m);
      await Promise.all([viaSns(m), viaSns(m), viaHttp(m)]);
      assert.equal(ssmMock.commandCalls(SendCommandCommand).length, 1);
      assert.equal(completions().length, 1);
    });

    it("bootstraps once when two deliveries race from the start", async () => {
      const m = signed("lifecycle-launching");
      await Promise.all([viaSns(m), viaHttp(m), viaSns(m)]);
      assert.equal(ssmMock.commandCalls(SendCommandCommand).length, 1);
      assert.equal(completions().length, 1);
    });

    it("continues at once for a profile without bootstrap", async () => {
      await viaSns(signed("lifecycle-launching", {}, { AutoScalingGroupName: WORKER_ASG }));
      assert.equal(ssmMock.commandCalls(SendCommandCommand).length, 0);
      assert.deepEqual(completions(), [
        {
          AutoScalingGroupName: WORKER_ASG,
          LifecycleHookName: "pillar-prod-web-launching",
          LifecycleActionToken: "8bc31fd4-3b5e-4c6a-9f2d-1a2b3c4d5e6f",
          InstanceId: INSTANCE,
          LifecycleActionResult: "CONTINUE",
        },
      ]);
      const item = await inventory.get(INSTANCE);
      assert.equal(item?.state, "in_service");
      assert.deepEqual(item?.roles, ["worker", "queue"]);
    });
  });

  describe("terminating lifecycle action and tombstones", () => {
    it("tombstones and continues the terminate hook", async () => {
      await viaSns(signed("lifecycle-terminating"));
      assert.deepEqual(completions(), [
        {
          AutoScalingGroupName: ASG,
          LifecycleHookName: "pillar-prod-web-terminating",
          LifecycleActionToken: "9cd42ae5-4c6f-4d7b-8e3e-2b3c4d5e6f70",
          InstanceId: INSTANCE,
          LifecycleActionResult: "CONTINUE",
        },
      ]);
      const item = await inventory.get(INSTANCE);
      assert.equal(item?.state, "terminated");
      assert.equal(item?.expiresAt, START.getTime() / 1000 + 7 * 86_400);
    });

    it("completes the terminate hook again on a redelivery (the retry after a failed attempt)", async () => {
      asgMock
        .on(CompleteLifecycleActionCommand)
        .rejectsOnce(awsError("ServiceUnavailable", "try later"))
        .resolves({});
      const m = signed("lifecycle-terminating");
      await assert.rejects(viaSns(m), { name: "ActionError" });
      assert.equal((await inventory.get(INSTANCE))?.state, "terminated");
      assert.deepEqual(await viaSns(m), { processed: 1, rejected: 0 });
      assert.equal(completions().length, 2);
      assert.equal(logger.entries.find((e) => e.msg === "acted")?.inventory, "duplicate");
    });

    it("a late launching message cannot resurrect a tombstone: no bootstrap, hook abandoned", async () => {
      await viaSns(signed("lifecycle-terminating"));
      await viaSns(signed("lifecycle-launching"));
      await viaSns(signed("event-launch"));
      assert.equal(ssmMock.commandCalls(SendCommandCommand).length, 0);
      assert.deepEqual(
        completions().map((c) => [c.LifecycleHookName, c.LifecycleActionResult]),
        [
          ["pillar-prod-web-terminating", "CONTINUE"],
          ["pillar-prod-web-launching", "ABANDON"],
        ],
      );
      assert.equal((await inventory.get(INSTANCE))?.state, "terminated");
    });
  });

  describe("plain autoscaling notifications", () => {
    it("LAUNCH records the instance in service, without touching SSM or the hook", async () => {
      await viaSns(signed("event-launch"));
      assert.equal((await inventory.get(INSTANCE))?.state, "in_service");
      assert.equal(ssmMock.calls().length + asgMock.calls().length, 0);
    });

    it("LAUNCH_ERROR records a failure", async () => {
      await viaSns(signed("event-launch-error"));
      assert.equal((await inventory.get("i-0123456789abcdef0"))?.state, "failed");
    });

    it("LAUNCH_ERROR without an instance is acknowledged", async () => {
      assert.deepEqual(await viaSns(signed("event-launch-error", {}, { EC2InstanceId: "" })), {
        processed: 1,
        rejected: 0,
      });
    });

    it("TERMINATE tombstones, whatever the Subject says", async () => {
      await viaSns(signed("event-launch"));
      await viaSns(signed("event-terminate", { Subject: "launch launch launch" }));
      const item = await inventory.get(INSTANCE);
      assert.equal(item?.state, "terminated");
      assert.equal(item?.expiresAt, START.getTime() / 1000 + 7 * 86_400);
    });

    it("TERMINATE_ERROR changes nothing", async () => {
      await viaSns(signed("event-terminate", {}, { Event: "autoscaling:EC2_INSTANCE_TERMINATE_ERROR" }));
      assert.equal(await inventory.get(INSTANCE), undefined);
    });

    it("a test notification is acknowledged and does nothing", async () => {
      assert.deepEqual(await viaSns(signed("test-notification")), { processed: 1, rejected: 0 });
      const res = await viaHttp(signed("test-notification", { MessageId: freshId() }));
      assert.deepEqual(
        [res.statusCode, JSON.parse(res.body)],
        [200, { ok: true, action: "test_notification" }],
      );
      assert.equal(ssmMock.calls().length + asgMock.calls().length, 0);
      assert.equal(await inventory.get(INSTANCE), undefined);
    });
  });

  describe("rejections on the SNS path: logged, never acted on, never thrown", () => {
    const cases: [string, () => Record<string, unknown>, string][] = [
      [
        "an unmanaged group",
        () => snsEvent(signed("lifecycle-launching", {}, { AutoScalingGroupName: "someone-else" })),
        "unknown_group",
      ],
      [
        "a malformed instance id",
        () => snsEvent(signed("lifecycle-launching", {}, { EC2InstanceId: "i-XYZ" })),
        "instance_id",
      ],
      [
        "an unknown event",
        () => snsEvent(signed("event-launch", {}, { Event: "autoscaling:FOO" })),
        "unknown_event",
      ],
      [
        "a forged signature",
        () => {
          const m = signed("lifecycle-launching");
          return snsEvent({ ...m, Message: m.Message!.replace("LAUNCHING", "TERMINATING") });
        },
        "signature",
      ],
      [
        "a topic not on the allow-list",
        () => snsEvent(signed("lifecycle-launching", { TopicArn: TOPIC_ARN.replace("asg-events", "other") })),
        "topic_not_allowed",
      ],
      [
        "a SubscriptionConfirmation (rejected outright)",
        () => snsEvent(signed("subscription-confirmation")),
        "confirmation_on_lambda_path",
      ],
      [
        "a record that is not SNS",
        () => ({ Records: [{ EventSource: "aws:sqs", body: "{}" }] }),
        "not_sns_record",
      ],
    ];
    for (const [name, event, code] of cases) {
      it(`${name} → ${code}`, async () => {
        assert.deepEqual(await handle(event(), fakeContext), { processed: 0, rejected: 1 });
        assert.deepEqual(rejections(), [code]);
        assert.equal(ssmMock.calls().length + asgMock.calls().length, 0, "no AWS call");
        assert.equal(await inventory.get(INSTANCE), undefined);
        assert.deepEqual(confirmed, []);
      });
    }

    it("throws when the certificate cannot be fetched, so Lambda retries", async () => {
      const failing = createHandler({
        env: { ...TEST_ENV, [ENV_TABLE_NAME]: tableName },
        ssm,
        autoscaling,
        dynamo: db.client,
        fetchCertificate: async () => {
          throw new Error("ETIMEDOUT");
        },
        now: clock.now,
        sleep: clock.sleep,
        logger,
      });
      await assert.rejects(failing(snsEvent(signed("lifecycle-launching")), fakeContext), {
        name: "SnsVerificationError",
        code: "cert_fetch",
      });
      assert.equal(ssmMock.calls().length + asgMock.calls().length, 0);
    });
  });

  describe("the HTTP (Function URL) path", () => {
    it("confirms a verified subscription by GETting its SubscribeURL", async () => {
      const m = signed("subscription-confirmation");
      const res = await viaHttp(m);
      assert.deepEqual([res.statusCode, JSON.parse(res.body)], [200, { ok: true, confirmed: true }]);
      assert.deepEqual(
        confirmed.map((u) => u.href),
        [m.SubscribeURL],
      );
    });

    it("never confirms a subscription to a topic not on the allow-list", async () => {
      const other = TOPIC_ARN.replace("asg-events", "other");
      const base = loadFixture("subscription-confirmation");
      const m = signMessage(
        { ...base, TopicArn: other, SubscribeURL: base.SubscribeURL!.replace(TOPIC_ARN, other) },
        cert.privateKey,
      );
      const res = await viaHttp(m);
      assert.equal(res.statusCode, 403);
      assert.deepEqual(JSON.parse(res.body), { ok: false, code: "topic_not_allowed" });
      assert.deepEqual(confirmed, []);
      assert.equal(fetchCertificate.calls.length, 0);
    });

    it("never fetches a SubscribeURL off the topic's SNS host", async () => {
      const base = loadFixture("subscription-confirmation");
      const m = signMessage(
        {
          ...base,
          SubscribeURL: base.SubscribeURL!.replace("sns.us-east-1.amazonaws.com", "169.254.169.254"),
        },
        cert.privateKey,
      );
      const res = await viaHttp(m);
      assert.deepEqual([res.statusCode, JSON.parse(res.body)], [403, { ok: false, code: "subscribe_url" }]);
      assert.deepEqual(confirmed, []);
    });

    it("answers 502 when the confirmation GET fails, so SNS tries again", async () => {
      const failing = createHandler({
        env: { ...TEST_ENV, [ENV_TABLE_NAME]: tableName },
        dynamo: db.client,
        fetchCertificate,
        confirmSubscription: async () => {
          throw new Error("HTTP 500");
        },
        logger,
      });
      const res = (await failing(httpEvent(signed("subscription-confirmation")), fakeContext)) as HttpResult;
      assert.equal(res.statusCode, 502);
    });

    it("acknowledges an UnsubscribeConfirmation without resubscribing", async () => {
      const m = signed("subscription-confirmation", { Type: "UnsubscribeConfirmation" });
      const res = await viaHttp(m);
      assert.equal(res.statusCode, 200);
      assert.deepEqual(confirmed, []);
    });

    const statusCases: [string, () => ReturnType<typeof httpEvent>, number, string][] = [
      ["a GET", () => httpEvent(signed("event-launch"), { method: "GET" }), 405, "method"],
      ["no body", () => ({ ...httpEvent("x"), body: "" }), 400, "no_body"],
      ["a body that is not JSON", () => httpEvent("{not json"), 400, "not_json"],
      [
        "no message-type header",
        () => httpEvent(signed("event-launch"), { type: null }),
        400,
        "message_type",
      ],
      [
        "a header that contradicts the body",
        () => httpEvent(signed("event-launch"), { type: "SubscriptionConfirmation" }),
        400,
        "message_type",
      ],
      [
        "a topic header that contradicts the body",
        () => {
          const e = httpEvent(signed("event-launch"));
          return { ...e, headers: { ...e.headers, "x-amz-sns-topic-arn": `${TOPIC_ARN}-other` } };
        },
        400,
        "header_mismatch",
      ],
      ["a body over 256 KiB", () => httpEvent("x".repeat(256 * 1024 + 1)), 413, "too_large"],
      [
        "a base64 body over 256 KiB",
        () => httpEvent("y".repeat(256 * 1024 + 10), { base64: true }),
        413,
        "too_large",
      ],
      [
        "a non-string field",
        () => httpEvent({ ...signed("event-launch"), Timestamp: 5 } as unknown as Record<string, string>),
        400,
        "field_type",
      ],
      [
        "a bad signature",
        () => httpEvent({ ...signed("event-launch"), Subject: "changed" }),
        403,
        "signature",
      ],
      [
        "an unmanaged group",
        () => httpEvent(signed("event-launch", {}, { AutoScalingGroupName: "nope" })),
        400,
        "unknown_group",
      ],
    ];
    for (const [name, event, status, code] of statusCases) {
      it(`${name} → ${status} ${code}`, async () => {
        const res = (await handle(event(), fakeContext)) as HttpResult;
        assert.equal(res.statusCode, status, res.body);
        assert.deepEqual(JSON.parse(res.body), { ok: false, code });
        assert.equal(res.headers["content-type"], "application/json");
        assert.equal(ssmMock.calls().length + asgMock.calls().length, 0);
        assert.equal(await inventory.get(INSTANCE), undefined);
      });
    }

    it("answers 503 when the certificate cannot be fetched", async () => {
      const failing = createHandler({
        env: { ...TEST_ENV, [ENV_TABLE_NAME]: tableName },
        dynamo: db.client,
        fetchCertificate: async () => {
          throw new Error("ECONNRESET");
        },
        logger,
      });
      const res = (await failing(httpEvent(signed("event-launch")), fakeContext)) as HttpResult;
      assert.equal(res.statusCode, 503);
    });

    it("answers 500 on a bad environment", async () => {
      const broken = createHandler({ env: {}, logger });
      const res = (await broken(httpEvent(signed("event-launch")), fakeContext)) as HttpResult;
      assert.deepEqual([res.statusCode, JSON.parse(res.body)], [500, { ok: false, code: "invalid_config" }]);
    });
  });

  it("logs one JSON object per line with the request and message ids", async () => {
    const m = signed("event-launch");
    await viaSns(m);
    const acted = logger.entries.find((e) => e.msg === "acted");
    assert.deepEqual(
      { ...acted, time: undefined },
      {
        level: "info",
        time: undefined,
        msg: "acted",
        requestId: fakeContext.awsRequestId,
        path: "sns",
        messageId: m.MessageId,
        action: "record_in_service",
        instanceId: INSTANCE,
        inventory: "applied",
        kind: "event",
        group: "web",
      },
    );
  });

  it("rejects an event that is neither SNS nor HTTP", async () => {
    await assert.rejects(handle({ hello: "world" }, fakeContext), {
      name: "RequestError",
      code: "unrecognized_event",
    });
  });
});

describe("reactor/handler default export (process.env)", () => {
  const saved: Record<string, string | undefined> = {};
  before(() => {
    for (const k of REACTOR_ENV_VARS) saved[k] = process.env[k];
  });
  afterEach(() => {
    for (const k of REACTOR_ENV_VARS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it("throws a ConfigError while the environment is incomplete, then works once it is set", async () => {
    for (const k of REACTOR_ENV_VARS) delete process.env[k];
    const event = { Records: [{ EventSource: "aws:sns", Sns: { Type: "SubscriptionConfirmation" } }] };
    await assert.rejects(handler(event, fakeContext), (e: unknown) => e instanceof ConfigError);
    Object.assign(process.env, TEST_ENV);
    // Rejected before any certificate fetch or AWS call, so the default clients are never used.
    assert.deepEqual(await handler(event, fakeContext), { processed: 0, rejected: 1 });
  });
});
