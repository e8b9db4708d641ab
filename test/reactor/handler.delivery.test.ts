/** The handler's two delivery paths: what is accepted, what is rejected, and how it answers. */
import assert from "node:assert/strict";
import { ENV_TABLE_NAME, REACTOR_ENV_VARS } from "../../reactor/contract";
import { ConfigError, createHandler, handler, type HttpResult } from "../../reactor/handler";
import { fakeContext } from "./support/context";
import { TEST_ENV } from "./support/env";
import { INSTANCE, useReactorHarness } from "./support/harness";
import { TOPIC_ARN, loadFixture, signMessage } from "./support/signing";

describe("reactor/handler delivery", () => {
  const h = useReactorHarness();

  describe("rejections on the SNS path: logged, never acted on, never thrown", () => {
    const cases: [string, () => Record<string, unknown>, string][] = [
      [
        "an unmanaged group",
        () => h.snsEvent(h.signed("lifecycle-launching", {}, { AutoScalingGroupName: "someone-else" })),
        "unknown_group",
      ],
      [
        "a malformed instance id",
        () => h.snsEvent(h.signed("lifecycle-launching", {}, { EC2InstanceId: "i-XYZ" })),
        "instance_id",
      ],
      [
        "an unknown event",
        () => h.snsEvent(h.signed("event-launch", {}, { Event: "autoscaling:FOO" })),
        "unknown_event",
      ],
      [
        "a forged signature",
        () => {
          const m = h.signed("lifecycle-launching");
          return h.snsEvent({ ...m, Message: m.Message!.replace("LAUNCHING", "TERMINATING") });
        },
        "signature",
      ],
      [
        "a topic not on the allow-list",
        () =>
          h.snsEvent(h.signed("lifecycle-launching", { TopicArn: TOPIC_ARN.replace("asg-events", "other") })),
        "topic_not_allowed",
      ],
      [
        "a SubscriptionConfirmation (rejected outright)",
        () => h.snsEvent(h.signed("subscription-confirmation")),
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
        assert.deepEqual(await h.handle(event(), fakeContext), { processed: 0, rejected: 1 });
        assert.deepEqual(h.rejections(), [code]);
        assert.equal(h.ssmMock.calls().length + h.asgMock.calls().length, 0, "no AWS call");
        assert.equal(await h.inventory.get(INSTANCE), undefined);
        assert.deepEqual(h.confirmed, []);
      });
    }

    it("throws when the certificate cannot be fetched, so Lambda retries", async () => {
      const failing = createHandler({
        env: { ...TEST_ENV, [ENV_TABLE_NAME]: h.tableName },
        ssm: h.ssm,
        autoscaling: h.autoscaling,
        dynamo: h.db.client,
        fetchCertificate: async () => {
          throw new Error("ETIMEDOUT");
        },
        now: h.clock.now,
        sleep: h.clock.sleep,
        logger: h.logger,
      });
      await assert.rejects(failing(h.snsEvent(h.signed("lifecycle-launching")), fakeContext), {
        name: "SnsVerificationError",
        code: "cert_fetch",
      });
      assert.equal(h.ssmMock.calls().length + h.asgMock.calls().length, 0);
    });
  });

  describe("the HTTP (Function URL) path", () => {
    it("confirms a verified subscription by GETting its SubscribeURL", async () => {
      const m = h.signed("subscription-confirmation");
      const res = await h.viaHttp(m);
      assert.deepEqual([res.statusCode, JSON.parse(res.body)], [200, { ok: true, confirmed: true }]);
      assert.deepEqual(
        h.confirmed.map((u) => u.href),
        [m.SubscribeURL],
      );
    });

    it("never confirms a subscription to a topic not on the allow-list", async () => {
      const other = TOPIC_ARN.replace("asg-events", "other");
      const base = loadFixture("subscription-confirmation");
      const m = signMessage(
        { ...base, TopicArn: other, SubscribeURL: base.SubscribeURL!.replace(TOPIC_ARN, other) },
        h.cert.privateKey,
      );
      const res = await h.viaHttp(m);
      assert.equal(res.statusCode, 403);
      assert.deepEqual(JSON.parse(res.body), { ok: false, code: "topic_not_allowed" });
      assert.deepEqual(h.confirmed, []);
      assert.equal(h.fetchCertificate.calls.length, 0);
    });

    it("never fetches a SubscribeURL off the topic's SNS host", async () => {
      const base = loadFixture("subscription-confirmation");
      const m = signMessage(
        {
          ...base,
          SubscribeURL: base.SubscribeURL!.replace("sns.us-east-1.amazonaws.com", "169.254.169.254"),
        },
        h.cert.privateKey,
      );
      const res = await h.viaHttp(m);
      assert.deepEqual([res.statusCode, JSON.parse(res.body)], [403, { ok: false, code: "subscribe_url" }]);
      assert.deepEqual(h.confirmed, []);
    });

    it("answers 502 when the confirmation GET fails, so SNS tries again", async () => {
      const failing = createHandler({
        env: { ...TEST_ENV, [ENV_TABLE_NAME]: h.tableName },
        dynamo: h.db.client,
        fetchCertificate: h.fetchCertificate,
        confirmSubscription: async () => {
          throw new Error("HTTP 500");
        },
        logger: h.logger,
      });
      const res = (await failing(
        h.httpEvent(h.signed("subscription-confirmation")),
        fakeContext,
      )) as HttpResult;
      assert.equal(res.statusCode, 502);
    });

    it("acknowledges an UnsubscribeConfirmation without resubscribing", async () => {
      const m = h.signed("subscription-confirmation", { Type: "UnsubscribeConfirmation" });
      const res = await h.viaHttp(m);
      assert.equal(res.statusCode, 200);
      assert.deepEqual(h.confirmed, []);
    });

    const statusCases: [string, () => ReturnType<typeof h.httpEvent>, number, string][] = [
      ["a GET", () => h.httpEvent(h.signed("event-launch"), { method: "GET" }), 405, "method"],
      ["no body", () => ({ ...h.httpEvent("x"), body: "" }), 400, "no_body"],
      ["a body that is not JSON", () => h.httpEvent("{not json"), 400, "not_json"],
      [
        "no message-type header",
        () => h.httpEvent(h.signed("event-launch"), { type: null }),
        400,
        "message_type",
      ],
      [
        "a header that contradicts the body",
        () => h.httpEvent(h.signed("event-launch"), { type: "SubscriptionConfirmation" }),
        400,
        "message_type",
      ],
      [
        "a topic header that contradicts the body",
        () => {
          const e = h.httpEvent(h.signed("event-launch"));
          return { ...e, headers: { ...e.headers, "x-amz-sns-topic-arn": `${TOPIC_ARN}-other` } };
        },
        400,
        "header_mismatch",
      ],
      ["a body over 256 KiB", () => h.httpEvent("x".repeat(256 * 1024 + 1)), 413, "too_large"],
      [
        "a base64 body over 256 KiB",
        () => h.httpEvent("y".repeat(256 * 1024 + 10), { base64: true }),
        413,
        "too_large",
      ],
      [
        "a non-string field",
        () => h.httpEvent({ ...h.signed("event-launch"), Timestamp: 5 } as unknown as Record<string, string>),
        400,
        "field_type",
      ],
      [
        "a bad signature",
        () => h.httpEvent({ ...h.signed("event-launch"), Subject: "changed" }),
        403,
        "signature",
      ],
      [
        "an unmanaged group",
        () => h.httpEvent(h.signed("event-launch", {}, { AutoScalingGroupName: "nope" })),
        400,
        "unknown_group",
      ],
    ];
    for (const [name, event, status, code] of statusCases) {
      it(`${name} → ${status} ${code}`, async () => {
        const res = (await h.handle(event(), fakeContext)) as HttpResult;
        assert.equal(res.statusCode, status, res.body);
        assert.deepEqual(JSON.parse(res.body), { ok: false, code });
        assert.equal(res.headers["content-type"], "application/json");
        assert.equal(h.ssmMock.calls().length + h.asgMock.calls().length, 0);
        assert.equal(await h.inventory.get(INSTANCE), undefined);
      });
    }

    it("answers 503 when the certificate cannot be fetched", async () => {
      const failing = createHandler({
        env: { ...TEST_ENV, [ENV_TABLE_NAME]: h.tableName },
        dynamo: h.db.client,
        fetchCertificate: async () => {
          throw new Error("ECONNRESET");
        },
        logger: h.logger,
      });
      const res = (await failing(h.httpEvent(h.signed("event-launch")), fakeContext)) as HttpResult;
      assert.equal(res.statusCode, 503);
    });

    it("answers 500 on a bad environment", async () => {
      const broken = createHandler({ env: {}, logger: h.logger });
      const res = (await broken(h.httpEvent(h.signed("event-launch")), fakeContext)) as HttpResult;
      assert.deepEqual([res.statusCode, JSON.parse(res.body)], [500, { ok: false, code: "invalid_config" }]);
    });
  });

  it("logs one JSON object per line with the request and message ids", async () => {
    const m = h.signed("event-launch");
    await h.viaSns(m);
    const acted = h.logger.entries.find((e) => e.msg === "acted");
    assert.deepEqual(
      { ...acted, time: undefined },
      {
        level: "info",
        time: undefined,
        msg: "acted",
        requestId: fakeContext.awsRequestId,
        path: "sns",
        messageId: m.MessageId,
        action: "record_pending",
        instanceId: INSTANCE,
        inventory: "applied",
        kind: "event",
        group: "web",
      },
    );
  });

  it("drops an event that is neither SNS nor HTTP: logged, not thrown (a retry cannot fix it)", async () => {
    assert.deepEqual(await h.handle({ hello: "world" }, fakeContext), { processed: 0, rejected: 1 });
    assert.deepEqual(h.rejections(), ["unrecognized_event"]);
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
