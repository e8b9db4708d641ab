/** The handler's actions per message: lifecycle hooks, tombstones, plain notifications. */
import { CompleteLifecycleActionCommand } from "@aws-sdk/client-auto-scaling";
import {
  CancelCommandCommand,
  GetCommandInvocationCommand,
  InvalidInstanceId,
  SendCommandCommand,
} from "@aws-sdk/client-ssm";
import assert from "node:assert/strict";
import { fakeContext, setRemainingTime } from "./support/context";
import {
  ASG,
  COMMAND_ID,
  INSTANCE,
  START,
  WORKER_ASG,
  awsError,
  freshId,
  useReactorHarness,
} from "./support/harness";

describe("reactor/handler actions", () => {
  const h = useReactorHarness();

  describe("launching lifecycle action", () => {
    for (const shape of ["sns", "http", "http-base64"] as const) {
      it(`records, bootstraps with SSM and continues (${shape} delivery)`, async () => {
        const m = h.signed("lifecycle-launching");
        if (shape === "sns") assert.deepEqual(await h.viaSns(m), { processed: 1, rejected: 0 });
        else {
          const res = await h.viaHttp(m, { base64: shape === "http-base64" });
          assert.equal(res.statusCode, 200, res.body);
          assert.deepEqual(JSON.parse(res.body), { ok: true, action: "launch" });
        }
        assert.deepEqual(
          h.ssmMock.commandCalls(SendCommandCommand).map((c) => c.args[0].input),
          [
            {
              DocumentName: "pillar-prod-salt-bootstrap",
              InstanceIds: [INSTANCE],
              Parameters: { Grains: ['{"env":"prod","roles":["web-host"]}'], StartupStates: ["highstate"] },
              TimeoutSeconds: 600,
              Comment: `pillar 8bc31fd4-3b5e-4c6a-9f2d-1a2b3c4d5e6f web ${INSTANCE}`,
            },
          ],
        );
        assert.deepEqual(
          h.ssmMock.commandCalls(GetCommandInvocationCommand).map((c) => c.args[0].input),
          Array(3).fill({ CommandId: COMMAND_ID, InstanceId: INSTANCE }),
        );
        assert.deepEqual(h.completions(), [
          {
            AutoScalingGroupName: ASG,
            LifecycleHookName: "pillar-prod-web-launching",
            LifecycleActionToken: "8bc31fd4-3b5e-4c6a-9f2d-1a2b3c4d5e6f",
            InstanceId: INSTANCE,
            LifecycleActionResult: "CONTINUE",
          },
        ]);
        const item = await h.inventory.get(INSTANCE);
        assert.equal(item?.state, "in_service");
        assert.equal(item?.group, "web");
        assert.equal(item?.asgName, ASG);
        assert.equal(item?.profile, "web");
        assert.deepEqual(item?.roles, ["web-host"]);
        assert.equal(item?.env, "prod");
        assert.equal(item?.bootstrapCommandId, COMMAND_ID);
        assert.equal(item?.lastMessageId, m.MessageId);
        assert.equal(item?.actionMessageId, m.MessageId);
        assert.deepEqual([...item!.tokens], ["8bc31fd4-3b5e-4c6a-9f2d-1a2b3c4d5e6f"]);
        assert.equal(item?.actionStep, "done");
        assert.equal(item?.bootstrapped, true);
        assert.deepEqual(
          item?.history?.map((e) => [e.event, e.from, e.to, e.state, e.result]),
          [["lifecycle:launching", "EC2", "AutoScalingGroup", "in_service", "CONTINUE"]],
        );
        assert.equal(h.fetchCertificate.calls.length, 1);
      });
    }

    it("abandons when the bootstrap fails", async () => {
      h.ssmMock
        .on(GetCommandInvocationCommand)
        .resolves({ Status: "Failed", StatusDetails: "Failed", StandardErrorContent: "salt-call: error" });
      await h.viaSns(h.signed("lifecycle-launching"));
      assert.deepEqual(
        h.completions().map((c) => c.LifecycleActionResult),
        ["ABANDON"],
      );
      const item = await h.inventory.get(INSTANCE);
      assert.equal(item?.state, "failed");
      assert.equal(item?.detail, "Failed: Failed: salt-call: error");
    });

    it("abandons when the bootstrap outlives its timeout, polling only until then", async () => {
      h.ssmMock.on(GetCommandInvocationCommand).resolves({ Status: "InProgress" });
      await h.viaSns(h.signed("lifecycle-launching"));
      assert.deepEqual(
        h.completions().map((c) => c.LifecycleActionResult),
        ["ABANDON"],
      );
      const elapsed = h.clock.now().getTime() - START.getTime();
      assert.equal(elapsed, 600_000, "polls until the bootstrap timeout, not a moment longer");
      assert.deepEqual(
        h.ssmMock.commandCalls(CancelCommandCommand).map((c) => c.args[0].input),
        [{ CommandId: COMMAND_ID, InstanceIds: [INSTANCE] }],
        "cancels the bootstrap it gave up on",
      );
      assert.equal(
        (await h.inventory.get(INSTANCE))?.detail,
        "DeadlineExceeded: bootstrap did not finish in time",
      );
    });

    it("stops waiting before the Lambda runs out of time", async () => {
      h.ssmMock.on(GetCommandInvocationCommand).resolves({ Status: "InProgress" });
      setRemainingTime(60_000);
      await h.viaSns(h.signed("lifecycle-launching"));
      assert.deepEqual(
        h.completions().map((c) => c.LifecycleActionResult),
        ["ABANDON"],
      );
      const elapsed = h.clock.now().getTime() - START.getTime();
      assert.equal(elapsed, 60_000 - 10_000, "keeps the completion reserve");
    });

    it("does not even start a bootstrap without time to finish it", async () => {
      setRemainingTime(5_000);
      await h.viaSns(h.signed("lifecycle-launching"));
      assert.equal(h.ssmMock.commandCalls(SendCommandCommand).length, 0);
      assert.deepEqual(
        h.completions().map((c) => c.LifecycleActionResult),
        ["ABANDON"],
      );
    });

    it("waits for the SSM agent to register (InvalidInstanceId) and then runs", async () => {
      h.ssmMock
        .on(SendCommandCommand)
        .rejectsOnce(new InvalidInstanceId({ message: "Instances not in a valid state", $metadata: {} }))
        .rejectsOnce(new InvalidInstanceId({ message: "Instances not in a valid state", $metadata: {} }))
        .resolves({ Command: { CommandId: COMMAND_ID } });
      await h.viaSns(h.signed("lifecycle-launching"));
      assert.equal(h.ssmMock.commandCalls(SendCommandCommand).length, 3);
      assert.deepEqual(
        h.completions().map((c) => c.LifecycleActionResult),
        ["CONTINUE"],
      );
    });

    it("abandons when SendCommand fails for good", async () => {
      h.ssmMock.on(SendCommandCommand).rejects(awsError("InvalidDocument", "document does not exist"));
      await h.viaSns(h.signed("lifecycle-launching"));
      assert.deepEqual(
        h.completions().map((c) => c.LifecycleActionResult),
        ["ABANDON"],
      );
      assert.match((await h.inventory.get(INSTANCE))?.detail ?? "", /^SendCommandFailed: InvalidDocument/);
    });

    it("retries throttling with backoff through the injected sleep", async () => {
      h.ssmMock
        .on(SendCommandCommand)
        .rejectsOnce(awsError("ThrottlingException", "Rate exceeded"))
        .resolves({ Command: { CommandId: COMMAND_ID } });
      h.asgMock
        .on(CompleteLifecycleActionCommand)
        .rejectsOnce(awsError("Throttling", "Rate exceeded"))
        .rejectsOnce(awsError("Throttling", "Rate exceeded"))
        .resolves({});
      await h.viaSns(h.signed("lifecycle-launching"));
      assert.equal(h.ssmMock.commandCalls(SendCommandCommand).length, 1 + 1);
      assert.equal(h.completions().length, 3);
      // Full jitter: each wait is drawn below its capped exponential: SendCommand's first retry
      // (200 ms), the poll after InvocationDoesNotExist (400 ms), the completion's two (200, 400 ms).
      const waits = h.clock.sleeps.filter((ms) => ms < 1_000);
      const caps = [200, 400, 200, 400];
      assert.equal(waits.length, caps.length, String(waits));
      caps.forEach((cap, i) => assert.ok(waits[i]! >= 1 && waits[i]! <= cap, `wait ${i}: ${waits[i]}`));
      assert.equal((await h.inventory.get(INSTANCE))?.state, "in_service");
    });

    it("retries a throttled completion for a bounded time, then throws so Lambda retries the event", async () => {
      h.asgMock.on(CompleteLifecycleActionCommand).rejects(awsError("Throttling", "Rate exceeded"));
      const m = h.signed("lifecycle-launching");
      h.clock.advanceTo(Date.parse(m.Timestamp!) + 500);
      await assert.rejects(h.handle(h.snsEvent(m), fakeContext), {
        name: "ActionError",
        code: "complete_lifecycle_action",
      });
      const calls = h.asgMock.commandCalls(CompleteLifecycleActionCommand).length;
      assert.ok(calls > 10, `${calls} attempts`);
      // The claim is released for the retry, and the bootstrap's result is kept for it.
      const item = await h.inventory.get(INSTANCE);
      assert.deepEqual(
        [item?.state, item?.actionStep, item?.actionResult, item?.leaseUntil],
        ["launching", "command_done", "CONTINUE", 0],
      );
    });

    it("treats 'No active Lifecycle Action found' as final: no retry, no throw, recorded as lapsed", async () => {
      h.asgMock
        .on(CompleteLifecycleActionCommand)
        .rejects(
          awsError("ValidationError", `No active Lifecycle Action found with instance ID ${INSTANCE}`),
        );
      assert.deepEqual(await h.viaSns(h.signed("lifecycle-launching")), { processed: 1, rejected: 0 });
      assert.equal(h.completions().length, 1);
      const acted = h.logger.entries.find((e) => e.msg === "acted");
      assert.equal(acted?.lifecycle, "no_active_action");
      const item = await h.inventory.get(INSTANCE);
      assert.equal(item?.state, "lapsed");
      assert.equal(
        item?.detail,
        'CONTINUE was answered "no active lifecycle action": AWS no longer waited on this instance',
      );
    });

    it("bootstraps once for a duplicate delivery, sequential or concurrent", async () => {
      const m = h.signed("lifecycle-launching");
      await h.viaSns(m);
      await h.viaHttp(m);
      await Promise.all([h.viaSns(m), h.viaSns(m), h.viaHttp(m)]);
      assert.equal(h.ssmMock.commandCalls(SendCommandCommand).length, 1);
      assert.equal(h.completions().length, 1);
    });

    it("bootstraps once when two deliveries race from the start", async () => {
      const m = h.signed("lifecycle-launching");
      await Promise.all([h.viaSns(m), h.viaHttp(m), h.viaSns(m)]);
      assert.equal(h.ssmMock.commandCalls(SendCommandCommand).length, 1);
      assert.equal(h.completions().length, 1);
    });

    it("continues at once for a profile without bootstrap", async () => {
      await h.viaSns(h.signed("lifecycle-launching", {}, { AutoScalingGroupName: WORKER_ASG }));
      assert.equal(h.ssmMock.commandCalls(SendCommandCommand).length, 0);
      assert.deepEqual(h.completions(), [
        {
          AutoScalingGroupName: WORKER_ASG,
          LifecycleHookName: "pillar-prod-web-launching",
          LifecycleActionToken: "8bc31fd4-3b5e-4c6a-9f2d-1a2b3c4d5e6f",
          InstanceId: INSTANCE,
          LifecycleActionResult: "CONTINUE",
        },
      ]);
      const item = await h.inventory.get(INSTANCE);
      assert.equal(item?.state, "in_service");
      assert.deepEqual(item?.roles, ["worker", "queue"]);
    });
  });

  describe("terminating lifecycle action and tombstones", () => {
    it("tombstones and continues the terminate hook", async () => {
      const m = h.signed("lifecycle-terminating");
      await h.viaSns(m);
      assert.deepEqual(h.completions(), [
        {
          AutoScalingGroupName: ASG,
          LifecycleHookName: "pillar-prod-web-terminating",
          LifecycleActionToken: "9cd42ae5-4c6f-4d7b-8e3e-2b3c4d5e6f70",
          InstanceId: INSTANCE,
          LifecycleActionResult: "CONTINUE",
        },
      ]);
      const item = await h.inventory.get(INSTANCE);
      assert.equal(item?.state, "terminated");
      assert.equal(item?.expiresAt, Math.floor((Date.parse(m.Timestamp!) + 500) / 1000) + 7 * 86_400);
    });

    it("completes the terminate hook again on a redelivery (the retry after a failed attempt)", async () => {
      // Unavailable for longer than one attempt keeps retrying (60 s), then back.
      const m = h.signed("lifecycle-terminating");
      const backAt = Date.parse(m.Timestamp!) + 90_000;
      h.asgMock.on(CompleteLifecycleActionCommand).callsFake(async () => {
        if (h.clock.now().getTime() < backAt) throw awsError("ServiceUnavailable", "try later");
        return {};
      });
      await assert.rejects(h.viaSns(m), { name: "ActionError" });
      assert.equal((await h.inventory.get(INSTANCE))?.state, "terminated");
      const failed = h.completions().length;
      h.clock.advanceTo(backAt);
      assert.deepEqual(await h.viaSns(m), { processed: 1, rejected: 0 });
      assert.equal(h.completions().length, failed + 1);
      assert.equal(h.logger.entries.find((e) => e.msg === "acted")?.inventory, "duplicate");
    });

    it("a late launching message cannot resurrect a tombstone: no bootstrap, hook abandoned", async () => {
      // Terminated while its launch message was still on its way.
      await h.viaSns(
        h.signed(
          "lifecycle-terminating",
          { Timestamp: "2026-11-25T17:01:01.000Z" },
          { Time: "2026-11-25T17:01:00.900Z" },
        ),
      );
      await h.viaSns(h.signed("lifecycle-launching"));
      await h.viaSns(h.signed("event-launch"));
      assert.equal(h.ssmMock.commandCalls(SendCommandCommand).length, 0);
      assert.deepEqual(
        h.completions().map((c) => [c.LifecycleHookName, c.LifecycleActionResult]),
        [
          ["pillar-prod-web-terminating", "CONTINUE"],
          ["pillar-prod-web-launching", "ABANDON"],
        ],
      );
      assert.equal((await h.inventory.get(INSTANCE))?.state, "terminated");
    });
  });

  describe("plain h.autoscaling notifications", () => {
    it("LAUNCH notes the instance as pending (its hook decides), without touching SSM or the hook", async () => {
      await h.viaSns(h.signed("event-launch"));
      assert.equal((await h.inventory.get(INSTANCE))?.state, "pending");
      assert.equal(h.ssmMock.calls().length + h.asgMock.calls().length, 0);
    });

    it("LAUNCH_ERROR records a failure", async () => {
      await h.viaSns(h.signed("event-launch-error"));
      assert.equal((await h.inventory.get("i-0123456789abcdef0"))?.state, "failed");
    });

    it("LAUNCH_ERROR without an instance is acknowledged", async () => {
      assert.deepEqual(await h.viaSns(h.signed("event-launch-error", {}, { EC2InstanceId: "" })), {
        processed: 1,
        rejected: 0,
      });
    });

    it("TERMINATE tombstones, whatever the Subject says", async () => {
      await h.viaSns(h.signed("event-launch"));
      const m = h.signed("event-terminate", { Subject: "launch launch launch" });
      await h.viaSns(m);
      const item = await h.inventory.get(INSTANCE);
      assert.equal(item?.state, "terminated");
      assert.equal(item?.expiresAt, Math.floor((Date.parse(m.Timestamp!) + 500) / 1000) + 7 * 86_400);
    });

    it("TERMINATE_ERROR changes nothing", async () => {
      await h.viaSns(h.signed("event-terminate", {}, { Event: "autoscaling:EC2_INSTANCE_TERMINATE_ERROR" }));
      assert.equal(await h.inventory.get(INSTANCE), undefined);
    });

    it("a test notification is acknowledged and does nothing", async () => {
      assert.deepEqual(await h.viaSns(h.signed("test-notification")), { processed: 1, rejected: 0 });
      const res = await h.viaHttp(h.signed("test-notification", { MessageId: freshId() }));
      assert.deepEqual(
        [res.statusCode, JSON.parse(res.body)],
        [200, { ok: true, action: "test_notification" }],
      );
      assert.equal(h.ssmMock.calls().length + h.asgMock.calls().length, 0);
      assert.equal(await h.inventory.get(INSTANCE), undefined);
    });
  });
});
