import assert from "node:assert/strict";
import type { GroupConfig } from "../../reactor/contract";
import { MessageError } from "../../reactor/errors";
import { parseAutoscalingMessage } from "../../reactor/messages";
import { loadFixture } from "./support/signing";

const ASG = "pillar-prod-web-asg-3f9a1c2";
const web: GroupConfig = { asgName: ASG, group: "web", profile: "web" };
const groups = { [ASG]: web };
const body = (fixture: string) => loadFixture(fixture).Message!;
const edit = (fixture: string, change: Record<string, unknown>) =>
  JSON.stringify({ ...(JSON.parse(body(fixture)) as object), ...change });

describe("reactor/messages parseAutoscalingMessage", () => {
  it("reads a launching lifecycle action", () => {
    assert.deepEqual(parseAutoscalingMessage(body("lifecycle-launching"), groups), {
      kind: "lifecycle",
      transition: "launching",
      group: web,
      instanceId: "i-0598c7d356eba48d7",
      hookName: "pillar-prod-web-launching",
      token: "8bc31fd4-3b5e-4c6a-9f2d-1a2b3c4d5e6f",
      origin: "EC2",
      destination: "AutoScalingGroup",
      time: Date.parse("2026-11-25T17:01:02.100Z"),
    });
  });

  for (const [fixture, transition, origin, destination] of [
    ["warm-pool-launching-into-pool", "launching", "EC2", "WarmPool"],
    ["warm-pool-launching-into-service", "launching", "WarmPool", "AutoScalingGroup"],
    ["warm-pool-terminating-to-pool", "terminating", "AutoScalingGroup", "WarmPool"],
    ["warm-pool-terminating-from-pool", "terminating", "WarmPool", "EC2"],
  ] as const) {
    it(`reads where a warm-pool ${transition} action comes from and goes to (${origin} → ${destination})`, () => {
      const m = parseAutoscalingMessage(body(fixture), groups);
      assert.equal(m.kind, "lifecycle");
      if (m.kind !== "lifecycle") return;
      assert.deepEqual([m.transition, m.origin, m.destination], [transition, origin, destination]);
    });
  }

  it("defaults Origin and Destination to the group's own (no warm pool)", () => {
    const launching = parseAutoscalingMessage(
      edit("lifecycle-launching", { Origin: undefined, Destination: undefined }),
      groups,
    );
    const terminating = parseAutoscalingMessage(
      edit("lifecycle-terminating", { Origin: undefined, Destination: undefined }),
      groups,
    );
    assert.deepEqual(
      [launching, terminating].map((m) => m.kind === "lifecycle" && [m.origin, m.destination]),
      [
        ["EC2", "AutoScalingGroup"],
        ["AutoScalingGroup", "EC2"],
      ],
    );
  });

  it("refuses an Origin or Destination Auto Scaling does not send, and a Time that is not one", () => {
    for (const [change, code] of [
      [{ Destination: "Standby" }, "unknown_place"],
      [{ Origin: 3 }, "unknown_place"],
      [{ Time: "yesterday" }, "time"],
    ] as const) {
      assert.throws(() => parseAutoscalingMessage(edit("lifecycle-launching", change), groups), { code });
    }
  });

  it("reads a terminating lifecycle action", () => {
    const m = parseAutoscalingMessage(body("lifecycle-terminating"), groups);
    assert.equal(m.kind === "lifecycle" && m.transition, "terminating");
  });

  for (const [fixture, event] of [
    ["event-launch", "launch"],
    ["event-launch-error", "launch_error"],
    ["event-terminate", "terminate"],
  ] as const) {
    it(`reads ${event} notifications`, () => {
      const m = parseAutoscalingMessage(body(fixture), groups);
      assert.equal(m.kind, "event");
      assert.equal(m.kind === "event" && m.event, event);
    });
  }

  it("reads a terminate error", () => {
    const m = parseAutoscalingMessage(
      edit("event-terminate", { Event: "autoscaling:EC2_INSTANCE_TERMINATE_ERROR" }),
      groups,
    );
    assert.equal(m.kind === "event" && m.event, "terminate_error");
  });

  it("acknowledges a test notification, even for a group it does not manage", () => {
    assert.deepEqual(parseAutoscalingMessage(body("test-notification"), groups), {
      kind: "test",
      asgName: ASG,
    });
    assert.deepEqual(parseAutoscalingMessage(body("test-notification"), {}), { kind: "test", asgName: ASG });
  });

  it("accepts a launch error that never got an instance", () => {
    assert.deepEqual(parseAutoscalingMessage(edit("event-launch-error", { EC2InstanceId: "" }), groups), {
      kind: "event",
      event: "launch_error",
      group: web,
    });
  });

  const rejects: [string, string, string][] = [
    ["not JSON", "{", "not_json"],
    ["a JSON array", "[]", "not_object"],
    ["neither Event nor LifecycleTransition", "{}", "no_event"],
    [
      "both Event and LifecycleTransition",
      edit("lifecycle-launching", { Event: "autoscaling:EC2_INSTANCE_LAUNCH" }),
      "no_event",
    ],
    ["an unknown Event", edit("event-launch", { Event: "autoscaling:EC2_INSTANCE_REBOOT" }), "unknown_event"],
    ["a non-string Event", edit("event-launch", { Event: 1 }), "unknown_event"],
    [
      "an unknown transition",
      edit("lifecycle-launching", { LifecycleTransition: "autoscaling:WARM_POOL" }),
      "unknown_event",
    ],
    [
      "an unmanaged group",
      edit("event-launch", { AutoScalingGroupName: "someone-elses-asg" }),
      "unknown_group",
    ],
    [
      "a prototype key as group",
      edit("event-launch", { AutoScalingGroupName: "__proto__" }),
      "unknown_group",
    ],
    [
      "an upper-case instance id",
      edit("event-launch", { EC2InstanceId: "i-0598C7D356EBA48D7" }),
      "instance_id",
    ],
    ["a short instance id", edit("event-launch", { EC2InstanceId: "i-0598c7" }), "instance_id"],
    [
      "an injected instance id",
      edit("lifecycle-launching", { EC2InstanceId: "i-0598c7d356eba48d7; rm -rf /" }),
      "instance_id",
    ],
    ["an empty id on a launch", edit("event-launch", { EC2InstanceId: "" }), "missing_field"],
    [
      "a lifecycle action without token",
      edit("lifecycle-launching", { LifecycleActionToken: undefined }),
      "missing_field",
    ],
    [
      "a lifecycle action without hook",
      edit("lifecycle-launching", { LifecycleHookName: 7 }),
      "missing_field",
    ],
  ];
  for (const [name, input, code] of rejects) {
    it(`rejects ${name} (${code})`, () => {
      assert.throws(
        () => parseAutoscalingMessage(input, groups),
        (e: unknown) => e instanceof MessageError && e.code === code && e.name === "MessageError",
      );
    });
  }

  it("never dispatches on the Subject", () => {
    // The terminate fixture's Subject says "termination"; a launch Event under it is a launch.
    const m = parseAutoscalingMessage(
      edit("event-terminate", { Event: "autoscaling:EC2_INSTANCE_LAUNCH" }),
      groups,
    );
    assert.equal(m.kind === "event" && m.event, "launch");
  });
});
