/**
 * The reactor under the faults AWS produces (issue 10), through the real handler with dynalite and
 * stateful fakes: a lifecycle action completes once, a lost answer may have been applied, throttling
 * comes in bursts, Lambda retries a minute and two minutes later.
 */
import assert from "node:assert/strict";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ENV_HEARTBEAT_TIMEOUT_SECONDS, ENV_TABLE_NAME } from "../../reactor/contract";
import { SDK_CLIENT_OPTIONS, type HttpResult, type SnsBatchResult } from "../../reactor/handler";
import { TEST_ENV } from "./support/env";
import { lossyDynamo, serverError, throttlingError, type LifecycleAction } from "./support/fakes";
import {
  FAULT_START,
  LAUNCH_HOOK,
  TERMINATE_HOOK,
  WEB_ASG,
  context,
  useFaultHarness,
} from "./support/faults";
import { CERT_URL, loadFixture, signMessage, toLambdaShape } from "./support/signing";
import { seededRandom } from "./support/virtualClock";

const I = "i-0598c7d356eba48d7";
const T0 = FAULT_START.getTime();
const instance = (n: number) => `i-${n.toString(16).padStart(17, "0")}`;

describe("reactor under faults (dynalite + stateful Auto Scaling and SSM fakes)", () => {
  const h = useFaultHarness();
  const launching = (instanceId = I, heartbeatSeconds = 1200): LifecycleAction =>
    h.asg.startAction({
      asgName: WEB_ASG,
      hookName: LAUNCH_HOOK,
      instanceId,
      transition: "launching",
      heartbeatSeconds,
    });
  const state = async (instanceId = I) => (await h.inventory.get(instanceId))?.state;
  const ended = (a: LifecycleAction) => a.end && [a.end.by, a.end.result, a.completions];
  /** A dynamo client on dynalite that fails every call once `dead()` says the runtime died. */
  const dyingDynamo = (dead: () => boolean) => {
    const live = h.clock.trackClient(h.db.client);
    return {
      send: (c: unknown) =>
        dead()
          ? Promise.reject(new Error("Runtime exited with error: signal: killed"))
          : live.send(c as Parameters<DynamoDBDocumentClient["send"]>[0]),
    } as unknown as DynamoDBDocumentClient;
  };

  describe("1. a lost answer is not someone else's claim", () => {
    it("resumes its own claim when the claim write landed and its answer was lost", async () => {
      let lost = false;
      const dynamo = lossyDynamo(h.db.client, (name) => name === "Update" && !lost && (lost = true));
      const handle = h.handler({ dynamo: h.clock.trackClient(dynamo) });
      const a = launching();
      const run = await h.run(h.lambda(h.hookMessage(a), handle));
      assert.equal(lost, true);
      assert.deepEqual(run.errors, []);
      assert.equal(h.ssm.commandsFor(I).length, 1);
      assert.deepEqual(ended(a), ["completion", "CONTINUE", 1]);
      assert.equal(await state(), "in_service");
    });
  });

  describe("2. the launch flow resumes from the step it reached", () => {
    it("completes on Lambda's retry after CompleteLifecycleAction failed for a whole attempt, without a second bootstrap", async () => {
      const backAt = T0 + 100_000;
      h.asg.fault = (cmd) =>
        cmd === "CompleteLifecycleAction" && h.clock.now().getTime() < backAt
          ? serverError("ServiceUnavailable")
          : undefined;
      const a = launching();
      const run = await h.run(h.lambda(h.hookMessage(a)));
      assert.equal(run.errors.length, 1);
      assert.equal((run.errors[0] as Error).name, "ActionError");
      assert.equal(run.deadLettered, false);
      assert.equal(h.ssm.commandsFor(I).length, 1);
      assert.deepEqual(ended(a), ["completion", "CONTINUE", 1]);
      assert.equal(await state(), "in_service");
    });

    it("takes over from an attempt whose runtime died mid-bootstrap (its lease lapses), polling the recorded command", async () => {
      let dead = false;
      const dying = h.handler({
        sleep: async (ms) => {
          // The runtime dies in the first wait after the command went out.
          if (h.ssm.commandsFor(I).length > 0) {
            dead = true;
            throw new Error("Runtime exited with error: signal: killed");
          }
          return h.clock.sleep(ms);
        },
        dynamo: dyingDynamo(() => dead),
      });
      const a = launching();
      const run = await h.run(h.lambda(h.hookMessage(a), [dying, h.handle]));
      assert.equal(run.errors.length, 1);
      assert.equal(run.deadLettered, false);
      assert.equal(h.ssm.commandsFor(I).length, 1, "one bootstrap");
      assert.equal(h.ssm.count("ListCommands"), 0, "the command id was recorded: nothing to look for");
      assert.deepEqual(ended(a), ["completion", "CONTINUE", 1]);
      assert.equal(await state(), "in_service");
    });

    it("the last failed attempt lands in the failure destination", async () => {
      h.asg.fault = (cmd) => (cmd === "CompleteLifecycleAction" ? serverError() : undefined);
      const a = launching();
      const run = await h.run(h.lambda(h.hookMessage(a)));
      assert.equal(run.deadLettered, true);
      assert.ok(run.errors.length >= 2, `${run.errors.length} attempts`);
      assert.equal(h.ssm.commandsFor(I).length, 1, "retries never bootstrap again");
    });
  });

  describe("3. brief SSM errors never abandon a healthy instance", () => {
    it("waits out a long burst of SendCommand throttling", async () => {
      let n = 0;
      h.ssm.fault = (cmd) => (cmd === "SendCommand" && n++ < 8 ? throttlingError() : undefined);
      const a = launching();
      await h.run(h.lambda(h.hookMessage(a)));
      assert.equal(h.ssm.count("SendCommand", "rejected"), 8);
      assert.deepEqual(ended(a), ["completion", "CONTINUE", 1]);
    });

    it("keeps polling through an InternalServerError and throttling of GetCommandInvocation", async () => {
      let n = 0;
      h.ssm.fault = (cmd) =>
        cmd !== "GetCommandInvocation"
          ? undefined
          : n++ === 0
            ? serverError()
            : n < 8
              ? throttlingError()
              : undefined;
      const a = launching();
      await h.run(h.lambda(h.hookMessage(a)));
      assert.deepEqual(ended(a), ["completion", "CONTINUE", 1]);
      assert.equal(h.ssm.commandsFor(I)[0]?.cancelledAt, undefined);
    });

    it("bootstraps every one of 20 healthy instances with every SSM call throttled at 50%", async () => {
      const random = seededRandom(42);
      h.ssm.fault = () => (random() < 0.5 ? throttlingError() : undefined);
      const actions = Array.from({ length: 20 }, (_, i) => launching(instance(i + 1)));
      await h.run(Promise.all(actions.map((a) => h.lambda(h.hookMessage(a)))));
      assert.deepEqual(
        actions.map(ended),
        actions.map(() => ["completion", "CONTINUE", 1]),
      );
      assert.equal(h.ssm.commands.length, 20);
      assert.ok(h.ssm.calls.filter((c) => c.fate === "rejected").length > 20);
    });

    it("cancels the command it gives up on, and abandons", async () => {
      h.ssm.behaviour.set(I, { agentReadyAt: 0, runMs: 3_600_000, outcome: "Success" });
      const a = launching();
      await h.run(h.lambda(h.hookMessage(a)));
      assert.deepEqual(ended(a), ["completion", "ABANDON", 1]);
      const [command] = h.ssm.commandsFor(I);
      assert.equal(h.ssm.statusOf(command!), "Cancelled");
      assert.equal((await h.inventory.get(I))?.detail, "DeadlineExceeded: bootstrap did not finish in time");
    });

    it("waits for the SSM agent to register (InvalidInstanceId), then runs", async () => {
      h.ssm.behaviour.set(I, { agentReadyAt: T0 + 45_000, runMs: 20_000, outcome: "Success" });
      const a = launching();
      await h.run(h.lambda(h.hookMessage(a)));
      assert.ok(h.ssm.count("SendCommand", "rejected") >= 3);
      assert.deepEqual(ended(a), ["completion", "CONTINUE", 1]);
    });
  });

  describe("4. one bootstrap per lifecycle action", () => {
    it("SSM and Auto Scaling clients make one attempt per call: the reactor alone decides what to resend", () => {
      assert.equal(SDK_CLIENT_OPTIONS.ssm.maxAttempts, 1);
      assert.equal(SDK_CLIENT_OPTIONS.autoscaling.maxAttempts, 1);
    });

    it("finds the command whose SendCommand answer was lost instead of sending a second", async () => {
      let lost = false;
      h.ssm.fault = (cmd) => (cmd === "SendCommand" && !lost ? ((lost = true), "lose") : undefined);
      const a = launching();
      await h.run(h.lambda(h.hookMessage(a)));
      assert.equal(h.ssm.count("SendCommand", "lost"), 1);
      assert.equal(h.ssm.commandsFor(I).length, 1, "Salt ran once");
      assert.equal(h.ssm.count("ListCommands"), 1);
      assert.deepEqual(ended(a), ["completion", "CONTINUE", 1]);
    });

    it("finds the command an attempt sent and died before recording", async () => {
      let dead = false;
      const dying = h.handler({ dynamo: dyingDynamo(() => dead) });
      // The runtime dies the moment SendCommand lands, before the command id is recorded.
      const original = h.ssm.send.bind(h.ssm);
      h.ssm.send = async (command: unknown) => {
        const out = await original(command);
        if ((command as { constructor: { name: string } }).constructor.name === "SendCommandCommand")
          dead = true;
        return out;
      };
      const a = launching();
      const run = await h.run(h.lambda(h.hookMessage(a), [dying, h.handle]));
      assert.equal(run.errors.length, 1);
      assert.equal(h.ssm.commandsFor(I).length, 1, "Salt ran once");
      assert.equal(h.ssm.count("ListCommands"), 1);
      assert.deepEqual(ended(a), ["completion", "CONTINUE", 1]);
      assert.equal(await state(), "in_service");
    });
  });

  describe("5. 'No active Lifecycle Action' is recorded for what it means", () => {
    it("records lapsed, not in service, and lets the later launch error move it on", async () => {
      // The hook's heartbeat ran out while the bootstrap ran: Auto Scaling abandoned the instance.
      h.ssm.behaviour.set(I, { agentReadyAt: 0, runMs: 60_000, outcome: "Success" });
      const a = launching(I, 40);
      await h.run(h.lambda(h.hookMessage(a)));
      assert.deepEqual(ended(a), ["timeout", "ABANDON", 0]);
      assert.equal(await state(), "lapsed");
      const error = h.notification("event-launch-error", I, { AutoScalingGroupName: WEB_ASG });
      await h.run(h.invoke(error));
      assert.equal(await state(), "failed");
    });

    it("a launch notification after the lapse settles it in service", async () => {
      h.asg.fault = (cmd) => (cmd === "CompleteLifecycleAction" ? "lose" : undefined);
      const a = launching();
      await h.run(h.lambda(h.hookMessage(a)));
      // Our CONTINUE landed; its answer was lost and the resend heard "no active lifecycle action".
      assert.deepEqual(ended(a), ["completion", "CONTINUE", 1]);
      assert.equal(await state(), "lapsed");
      await h.run(h.invoke(h.notification("event-launch", I)));
      assert.equal(await state(), "in_service");
    });
  });

  describe("6. duplicates per instance and action; notifications never pre-empt a lifecycle flow", () => {
    it("two messages carrying one action start one bootstrap and one completion", async () => {
      const a = launching();
      const m1 = h.hookMessage(a);
      const m2 = h.hookMessage(a);
      assert.notEqual(m1.MessageId, m2.MessageId);
      await h.run(Promise.all([h.lambda(m1), h.lambda(m2), h.clock.sleep(20_000).then(() => h.lambda(m2))]));
      assert.equal(h.ssm.commandsFor(I).length, 1);
      assert.deepEqual(ended(a), ["completion", "CONTINUE", 1]);
      assert.equal(h.asg.count("CompleteLifecycleAction", "rejected"), 0);
    });

    it("a launch notification handled before its hook does not keep the hook from bootstrapping", async () => {
      const a = launching();
      await h.run(h.invoke(h.notification("event-launch", I)));
      assert.equal(await state(), "pending");
      await h.run(h.lambda(h.hookMessage(a)));
      assert.equal(h.ssm.commandsFor(I).length, 1);
      assert.deepEqual(ended(a), ["completion", "CONTINUE", 1]);
      assert.equal(await state(), "in_service");
    });
  });

  describe("7. fresh messages only", () => {
    const replay = (fixture: string, at: string) => {
      const base = loadFixture(fixture);
      return signMessage({ ...base, Timestamp: at }, h.cert.privateKey);
    };

    it("refuses an 18-month-old genuine launch replayed over the Function URL after its tombstone expired", async () => {
      const res = (await h.run(
        h.handle(httpEvent(replay("event-launch", "2025-05-25T17:03:04.000Z")), context(h.clock)),
      )) as HttpResult;
      assert.deepEqual([res.statusCode, JSON.parse(res.body)], [400, { ok: false, code: "stale_message" }]);
      assert.equal(await h.inventory.get(I), undefined);
    });

    it("refuses a message dated in the future beyond the clock skew, and takes one within it", async () => {
      const ahead = (s: number) => new Date(T0 + s * 1000).toISOString();
      const far = (await h.run(
        h.handle(httpEvent(replay("event-launch", ahead(301))), context(h.clock)),
      )) as HttpResult;
      assert.deepEqual(JSON.parse(far.body), { ok: false, code: "future_message" });
      const near = (await h.run(
        h.handle(httpEvent(replay("event-launch", ahead(299))), context(h.clock)),
      )) as HttpResult;
      assert.equal(near.statusCode, 200);
    });

    it("drops a launch hook message older than the hook's heartbeat: nothing waits for it", async () => {
      const a = launching();
      // Older than the heartbeat (1200 s) and the clock skew (300 s) together.
      const m = h.hookMessage(a, { at: T0 - 1_501_000 });
      assert.deepEqual(await h.run(h.invoke(m)), { processed: 0, rejected: 1 });
      assert.equal(h.ssm.calls.length + h.asg.calls.length, 0);
      assert.equal(
        h.logged("rejected")[0]?.error && (h.logged("rejected")[0]!.error as { code: string }).code,
        "hook_expired",
      );
    });
  });

  describe("8. a terminate during a bootstrap stops it", () => {
    it("cancels the command at the next poll after the tombstone and stops polling", async () => {
      h.ssm.behaviour.set(I, { agentReadyAt: 0, runMs: 300_000, outcome: "Success" });
      const a = launching();
      let term: LifecycleAction | undefined;
      let tombstonedAt = 0;
      const scaleIn = h.clock.sleep(40_000).then(async () => {
        h.asg.endByAutoScaling(a.token);
        term = h.asg.startAction({
          asgName: WEB_ASG,
          hookName: TERMINATE_HOOK,
          instanceId: I,
          transition: "terminating",
        });
        await h.lambda(h.hookMessage(term));
        tombstonedAt = h.clock.now().getTime();
      });
      const [launch] = await h.run(Promise.all([h.lambda(h.hookMessage(a)), scaleIn]));
      assert.deepEqual(launch.errors, []);
      const [command] = h.ssm.commandsFor(I);
      assert.ok(
        command!.cancelledAt! - tombstonedAt <= 6_000,
        `cancelled ${command!.cancelledAt! - tombstonedAt} ms after`,
      );
      const polledAfter = h.ssm.calls.filter(
        (c) => c.command === "GetCommandInvocation" && c.at > command!.cancelledAt!,
      );
      assert.deepEqual(polledAfter, []);
      assert.deepEqual(ended(term!), ["completion", "CONTINUE", 1]);
      assert.equal(a.end?.by, "autoscaling");
      assert.equal(await state(), "terminated");
    });
  });

  describe("9. forged messages cannot make the function fetch at will", () => {
    it("fetches at most a small burst of unknown certificate URLs over HTTP, and serves known ones", async () => {
      const forged = Array.from({ length: 20 }, (_, i) => {
        const m = signMessage(
          { ...loadFixture("event-launch"), SigningCertURL: CERT_URL.replace(".pem", `f${i}.pem`) },
          h.cert.privateKey,
        );
        return { ...m, Signature: m.Signature!.replace(/^./, (c) => (c === "A" ? "B" : "A")) };
      });
      const codes = [];
      for (const m of forged) {
        const res = (await h.run(h.handle(httpEvent(m), context(h.clock)))) as HttpResult;
        codes.push(`${res.statusCode} ${(JSON.parse(res.body) as { code?: string }).code}`);
      }
      assert.equal(h.fetchCertificate.calls.length, 3);
      assert.deepEqual(codes, [
        ...Array(3).fill("403 signature"),
        ...Array(17).fill("503 cert_rate_limited"),
      ]);
      // The genuine certificate URL is fetched once more and then cached...
      const genuine = signMessage(loadFixture("event-launch"), h.cert.privateKey);
      await h.run(h.clock.sleep(60_000));
      assert.equal(
        ((await h.run(h.handle(httpEvent(genuine), context(h.clock)))) as HttpResult).statusCode,
        200,
      );
      // ...and the Lambda path, which only SNS can invoke, is never held back by HTTP traffic.
      const viaSns = signMessage(
        { ...loadFixture("event-launch"), SigningCertURL: CERT_URL.replace(".pem", "s.pem") },
        h.cert.privateKey,
      );
      assert.deepEqual(await h.run(h.invoke(viaSns)), { processed: 1, rejected: 0 });
    });
  });

  describe("10. permanent errors are dropped, transient ones retried", () => {
    it("a certificate URL answering 404 rejects its record and keeps the good ones", async () => {
      const { CertificateHttpError } = await import("../../reactor/sns");
      const missing = CERT_URL.replace(".pem", "gone.pem");
      const handle = h.handler({
        fetchCertificate: async (url) => {
          if (url.href === missing) throw new CertificateHttpError(404);
          return h.cert.pem;
        },
      });
      const bad = signMessage({ ...loadFixture("event-launch"), SigningCertURL: missing }, h.cert.privateKey);
      const good = h.notification("event-launch", I);
      const event = { Records: [bad, good].map((m) => ({ EventSource: "aws:sns", Sns: toLambdaShape(m) })) };
      const out = (await h.run(handle(event, context(h.clock)))) as SnsBatchResult;
      assert.deepEqual(out, { processed: 1, rejected: 1 });
      assert.deepEqual(
        h.logged("rejected").map((e) => (e.error as { code: string }).code),
        ["cert_unavailable"],
      );
      assert.equal(await state(), "pending");
    });
  });

  describe("the deployed settings agree with the code", () => {
    it("keeps a long bootstrap's hook alive with RecordLifecycleActionHeartbeat", async () => {
      // A 300 s heartbeat and a 400 s bootstrap: without heartbeats the hook would run out.
      const handle = h.handler({
        env: { ...TEST_ENV, [ENV_TABLE_NAME]: h.tableName, [ENV_HEARTBEAT_TIMEOUT_SECONDS]: "300" },
      });
      h.ssm.behaviour.set(I, { agentReadyAt: 0, runMs: 400_000, outcome: "Success" });
      const a = launching(I, 300);
      await h.run(h.lambda(h.hookMessage(a), handle));
      assert.ok(a.heartbeats >= 2, `${a.heartbeats} heartbeats`);
      assert.deepEqual(ended(a), ["completion", "CONTINUE", 1]);
    });

    it("accepts the other signature version on the Lambda path with a warning, and refuses it over HTTP", async () => {
      const v1 = signMessage({ ...loadFixture("event-launch"), SignatureVersion: "1" }, h.cert.privateKey);
      assert.deepEqual(await h.run(h.invoke(v1)), { processed: 1, rejected: 0 });
      assert.deepEqual(
        h
          .logged("accepted a message signed with another SignatureVersion")
          .map((e) => [e.signatureVersion, e.configured]),
        [["1", "2"]],
      );
      const res = (await h.run(h.handle(httpEvent(v1), context(h.clock)))) as HttpResult;
      assert.deepEqual(
        [res.statusCode, JSON.parse(res.body)],
        [403, { ok: false, code: "signature_version" }],
      );
    });
  });
});

function httpEvent(m: Record<string, string>) {
  return {
    version: "2.0",
    headers: { "x-amz-sns-message-type": m.Type!, "x-amz-sns-topic-arn": m.TopicArn! },
    requestContext: { http: { method: "POST" } },
    body: JSON.stringify(m),
    isBase64Encoded: false,
  };
}
