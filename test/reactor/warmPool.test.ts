/**
 * Warm pools (issue 11 item 4), through the real handler with dynalite and stateful fakes, with
 * messages of the exact shapes Auto Scaling sends (test/events/sns/warm-pool-*.json; Origin and
 * Destination as in AWS's "Warm pool example events and patterns"):
 *
 * - into the pool: the launch hook fires at Warmed:Pending:Wait (EC2 → WarmPool): bootstrap there;
 * - pool → service: it fires again at Pending:Wait (WarmPool → AutoScalingGroup): complete at once;
 * - scale-in with instance reuse: the terminate hook sends it back (AutoScalingGroup → WarmPool);
 * - pool → terminate: the terminate hook fires at Warmed:Terminating:Wait (WarmPool → EC2).
 */
import assert from "node:assert/strict";
import type { HistoryEntry } from "../../reactor/inventory";
import type { LifecycleAction } from "./support/fakes";
import { LAUNCH_HOOK, WEB_ASG, useFaultHarness } from "./support/faults";
import { loadFixture, signMessage } from "./support/signing";

const I = "i-0a1b2c3d4e5f60718";
const FIXTURES = {
  intoPool: "warm-pool-launching-into-pool",
  intoService: "warm-pool-launching-into-service",
  toPool: "warm-pool-terminating-to-pool",
  fromPool: "warm-pool-terminating-from-pool",
} as const;

describe("reactor with a warm pool (exact Auto Scaling message shapes, dynalite, stateful fakes)", () => {
  const h = useFaultHarness(new Date("2026-11-25T16:40:00.000Z"));

  /** Auto Scaling puts the instance in a wait state for the fixture's action and sends the fixture. */
  const fire = (name: keyof typeof FIXTURES) => {
    const fixture = loadFixture(FIXTURES[name]);
    const body = JSON.parse(fixture.Message!) as Record<string, string>;
    h.clock.advanceTo(Date.parse(fixture.Timestamp!) + 500);
    const action = h.asg.startAction({
      asgName: body.AutoScalingGroupName!,
      hookName: body.LifecycleHookName!,
      instanceId: body.EC2InstanceId!,
      transition: body.LifecycleTransition!.endsWith("LAUNCHING") ? "launching" : "terminating",
      token: body.LifecycleActionToken!,
    });
    return { action, message: signMessage(fixture, h.cert.privateKey) };
  };
  const deliver = async (name: keyof typeof FIXTURES): Promise<LifecycleAction> => {
    const { action, message } = fire(name);
    const run = await h.run(h.lambda(message));
    assert.deepEqual(run.errors, [], `${name}: no attempt failed`);
    return action;
  };
  const ended = (a: LifecycleAction) => a.end && [a.end.by, a.end.result, a.completions];
  const history = async () =>
    ((await h.inventory.get(I))?.history ?? []).map(
      (e: HistoryEntry) => `${e.event} ${e.from}→${e.to} ${e.state}`,
    );

  it("fixtures carry the documented Origin/Destination pairs", () => {
    const pairs = Object.values(FIXTURES).map((f) => {
      const m = JSON.parse(loadFixture(f).Message!) as Record<string, string>;
      return [m.LifecycleTransition, m.Origin, m.Destination];
    });
    assert.deepEqual(pairs, [
      ["autoscaling:EC2_INSTANCE_LAUNCHING", "EC2", "WarmPool"],
      ["autoscaling:EC2_INSTANCE_LAUNCHING", "WarmPool", "AutoScalingGroup"],
      ["autoscaling:EC2_INSTANCE_TERMINATING", "AutoScalingGroup", "WarmPool"],
      ["autoscaling:EC2_INSTANCE_TERMINATING", "WarmPool", "EC2"],
    ]);
  });

  it("bootstraps an instance entering the pool and records it warmed", async () => {
    const intoPool = await deliver("intoPool");
    assert.equal(h.ssm.commandsFor(I).length, 1);
    assert.deepEqual(ended(intoPool), ["completion", "CONTINUE", 1]);
    const item = await h.inventory.get(I);
    assert.deepEqual(
      [item?.state, item?.bootstrapped, item?.bootstrapCommandId],
      ["warmed", true, h.ssm.commandsFor(I)[0]!.commandId],
    );
    assert.deepEqual(await history(), ["lifecycle:launching EC2→WarmPool warmed"]);
  });

  it("pool → service: completes the second launch hook at once, without a second bootstrap", async () => {
    await deliver("intoPool");
    const intoService = await deliver("intoService");
    assert.equal(h.ssm.commandsFor(I).length, 1, "one bootstrap per instance");
    assert.deepEqual(ended(intoService), ["completion", "CONTINUE", 1]);
    assert.equal(
      h.asg.calls.filter((c) => c.input.LifecycleActionToken === intoService.token).length,
      1,
      "completed at once: no heartbeats, no retries",
    );
    const item = await h.inventory.get(I);
    assert.equal(item?.state, "in_service");
    assert.deepEqual(
      [...item!.tokens].sort(),
      [intoService.token, "71514b9d-6a40-4b26-8523-05e7ee35fa40"].sort(),
    );
    assert.deepEqual(await history(), [
      "lifecycle:launching EC2→WarmPool warmed",
      "lifecycle:launching WarmPool→AutoScalingGroup in_service",
    ]);
  });

  it("pool → terminate: tombstones a pooled instance and releases its hook", async () => {
    await deliver("intoPool");
    const fromPool = await deliver("fromPool");
    assert.deepEqual(ended(fromPool), ["completion", "CONTINUE", 1]);
    const item = await h.inventory.get(I);
    assert.equal(item?.state, "terminated");
    assert.ok(item?.expiresAt !== undefined);
    assert.deepEqual(await history(), [
      "lifecycle:launching EC2→WarmPool warmed",
      "lifecycle:terminating WarmPool→EC2 terminated",
    ]);
  });

  it("scale-in back to the pool is not a termination; the instance returns to service with no second bootstrap", async () => {
    await deliver("intoPool");
    await deliver("intoService");
    const toPool = await deliver("toPool");
    assert.deepEqual(ended(toPool), ["completion", "CONTINUE", 1]);
    assert.equal((await h.inventory.get(I))?.state, "warmed");
    // The next scale-out takes it from the pool again: a third launch hook, not stale.
    h.clock.advanceTo(Date.parse("2026-11-25T18:40:00.000Z"));
    const again = h.asg.startAction({
      asgName: WEB_ASG,
      hookName: LAUNCH_HOOK,
      instanceId: I,
      transition: "launching",
    });
    await h.run(h.lambda(h.hookMessage(again, { origin: "WarmPool", destination: "AutoScalingGroup" })));
    assert.deepEqual(ended(again), ["completion", "CONTINUE", 1]);
    assert.equal(h.ssm.commandsFor(I).length, 1, "one bootstrap per instance");
    assert.equal((await h.inventory.get(I))?.state, "in_service");
    assert.deepEqual(await history(), [
      "lifecycle:launching EC2→WarmPool warmed",
      "lifecycle:launching WarmPool→AutoScalingGroup in_service",
      "lifecycle:terminating AutoScalingGroup→WarmPool warmed",
      "lifecycle:launching WarmPool→AutoScalingGroup in_service",
    ]);
  });

  it("a redelivered into-pool message after the instance went into service is a duplicate", async () => {
    const { message } = fire("intoPool");
    await h.run(h.lambda(message));
    await deliver("intoService");
    const before = h.asg.calls.length;
    assert.deepEqual(await h.run(h.invoke(message)), { processed: 1, rejected: 0 });
    assert.equal(h.asg.calls.length, before, "nothing to complete");
    assert.equal(h.ssm.commandsFor(I).length, 1);
    assert.equal((await h.inventory.get(I))?.state, "in_service");
  });

  it("bootstraps at Pending:Wait an instance whose into-pool hook it never saw (once)", async () => {
    const { action: intoPool } = fire("intoPool");
    // That message never arrived; the hook ran out and its default result was CONTINUE... or the
    // pool was filled before the reactor existed. Either way the instance was never bootstrapped.
    h.asg.endByAutoScaling(intoPool.token);
    const intoService = await deliver("intoService");
    assert.equal(h.ssm.commandsFor(I).length, 1);
    assert.deepEqual(ended(intoService), ["completion", "CONTINUE", 1]);
    assert.equal((await h.inventory.get(I))?.state, "in_service");
  });

  it("a pooled instance whose bootstrap failed is abandoned in the pool, and stays failed", async () => {
    h.ssm.behaviour.set(I, { agentReadyAt: 0, runMs: 20_000, outcome: "Failed" });
    const intoPool = await deliver("intoPool");
    assert.deepEqual(ended(intoPool), ["completion", "ABANDON", 1]);
    assert.equal((await h.inventory.get(I))?.state, "failed");
  });
});
