import assert from "node:assert/strict";
import { Inventory, type InstanceFacts, type LaunchAction } from "../../reactor/inventory";
import { startDynalite, type LocalDynamo } from "./support/dynalite";
import { lossyDynamo } from "./support/fakes";

const facts: InstanceFacts = {
  instanceId: "i-0598c7d356eba48d7",
  group: "web",
  asgName: "pillar-prod-web-asg-3f9a1c2",
  profile: "web",
  roles: ["web-host"],
  env: "prod",
};
const MID = [
  "11111111-1111-4111-8111-111111111111",
  "22222222-2222-4222-8222-222222222222",
  "33333333-3333-4333-8333-333333333333",
] as const;
const T0 = Date.parse("2026-11-25T17:00:00.000Z");
const action = (token: string, over: Partial<LaunchAction> = {}): LaunchAction => ({
  token,
  hookName: "pillar-prod-web-launching",
  messageId: MID[0],
  origin: "EC2",
  destination: "AutoScalingGroup",
  time: T0 - 1_000,
  ...over,
});
const A = "8bc31fd4-3b5e-4c6a-9f2d-1a2b3c4d5e6f";
const B = "19cc4d4a-e450-4d1c-b448-0de67ee35fa4";

describe("reactor/inventory against DynamoDB (dynalite on loopback)", () => {
  let db: LocalDynamo;
  let inventory: Inventory;
  let tableName: string;
  let now: number;
  let n = 0;

  before(async () => {
    db = await startDynalite();
  });
  after(async () => {
    await db.close();
  });
  beforeEach(async () => {
    tableName = `inventory-${++n}`;
    await db.createTable(tableName);
    now = T0;
    inventory = new Inventory(db.client, { tableName, tombstoneTtlDays: 7, now: () => new Date(now) });
  });

  describe("claims of launch lifecycle actions", () => {
    it("records the claim with every attribute", async () => {
      const claim = await inventory.claimLaunch(facts, action(A), "owner-1", T0 + 60_000);
      assert.equal(claim.kind, "claimed");
      const item = await inventory.get(facts.instanceId);
      assert.deepEqual(
        { ...item, messageIds: [...item!.messageIds], tokens: [...item!.tokens] },
        {
          ...facts,
          state: "launching",
          createdAt: "2026-11-25T17:00:00.000Z",
          updatedAt: "2026-11-25T17:00:00.000Z",
          lastMessageId: MID[0],
          lastEvent: "lifecycle:launching EC2→AutoScalingGroup",
          messageIds: [],
          tokens: [A],
          actionToken: A,
          actionHook: "pillar-prod-web-launching",
          actionOrigin: "EC2",
          actionDestination: "AutoScalingGroup",
          actionTime: T0 - 1_000,
          actionMessageId: MID[0],
          actionStep: "claimed",
          leaseOwner: "owner-1",
          leaseUntil: T0 + 60_000,
        },
      );
    });

    it("recognises its own claim by the token and owner: a write whose answer was lost resumes", async () => {
      // The SDK resends the claim after losing the answer and meets its own first write.
      let lost = false;
      const lossy = new Inventory(
        lossyDynamo(db.client, (name) => name === "Update" && !lost && (lost = true)),
        { tableName, tombstoneTtlDays: 7, now: () => new Date(now) },
      );
      const claim = await lossy.claimLaunch(facts, action(A), "owner-1", T0 + 60_000);
      assert.equal(lost, true);
      assert.equal(claim.kind, "resumed");
      assert.equal(claim.item.actionStep, "claimed");
      assert.equal(claim.item.leaseOwner, "owner-1");
    });

    it("lets another delivery of the same action wait while the lease is live, and take over after", async () => {
      await inventory.claimLaunch(facts, action(A), "owner-1", T0 + 60_000);
      // Another message (another MessageId) carrying the same action is the same action.
      const dup = await inventory.claimLaunch(
        facts,
        action(A, { messageId: MID[1] }),
        "owner-2",
        T0 + 60_000,
      );
      assert.equal(dup.kind, "in_progress");
      now = T0 + 61_000;
      const taken = await inventory.claimLaunch(
        facts,
        action(A, { messageId: MID[1] }),
        "owner-2",
        now + 60_000,
      );
      assert.equal(taken.kind, "resumed");
      assert.equal((await inventory.get(facts.instanceId))?.leaseOwner, "owner-2");
      assert.equal(await inventory.advance(facts.instanceId, A, "owner-1", now + 60_000), "lost");
    });

    it("grants one of many concurrent claims of one action", async () => {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          inventory.claimLaunch(facts, action(A), `owner-${i}`, T0 + 60_000),
        ),
      );
      assert.equal(results.filter((r) => r.kind === "claimed").length, 1);
      assert.equal(results.filter((r) => r.kind === "in_progress").length, 7);
    });

    it("answers done for a finished action, whatever message carries it", async () => {
      await inventory.claimLaunch(facts, action(A), "owner-1", T0 + 60_000);
      assert.equal(
        await inventory.finishLaunch(facts.instanceId, A, "owner-1", {
          state: "in_service",
          event: "lifecycle:continue",
          entry: { event: "lifecycle:launching", from: "EC2", to: "AutoScalingGroup", result: "CONTINUE" },
        }),
        "ok",
      );
      for (const mid of MID) {
        assert.equal(
          (await inventory.claimLaunch(facts, action(A, { messageId: mid }), "x", T0 + 1)).kind,
          "done",
        );
      }
      const item = await inventory.get(facts.instanceId);
      assert.deepEqual([item?.state, item?.actionStep, item?.leaseOwner], ["in_service", "done", undefined]);
      assert.deepEqual(item?.history, [
        {
          at: "2026-11-25T17:00:00.000Z",
          event: "lifecycle:launching",
          from: "EC2",
          to: "AutoScalingGroup",
          result: "CONTINUE",
          state: "in_service",
        },
      ]);
    });

    it("reports a finish whose answer was lost as ok (the resend meets the released lease)", async () => {
      await inventory.claimLaunch(facts, action(A), "owner-1", T0 + 60_000);
      let lost = false;
      const lossy = new Inventory(
        lossyDynamo(db.client, (name) => name === "Update" && !lost && (lost = true)),
        { tableName, tombstoneTtlDays: 7, now: () => new Date(now) },
      );
      const outcome = {
        state: "in_service" as const,
        event: "lifecycle:continue",
        entry: { event: "lifecycle:launching" },
      };
      assert.equal(await lossy.finishLaunch(facts.instanceId, A, "owner-1", outcome), "ok");
      assert.equal(lost, true);
      assert.equal((await inventory.get(facts.instanceId))?.history?.length, 1);
    });

    it("refuses an older action after a newer one, and a new one while another's lease is live", async () => {
      await inventory.claimLaunch(facts, action(B, { origin: "WarmPool", time: T0 }), "owner-1", T0 + 60_000);
      assert.equal(
        (await inventory.claimLaunch(facts, action(A, { time: T0 + 5 }), "owner-2", T0 + 1)).kind,
        "busy",
      );
      now = T0 + 61_000;
      assert.equal(
        (await inventory.claimLaunch(facts, action(A, { time: T0 - 5 }), "owner-2", now + 1)).kind,
        "stale",
      );
    });

    it("claims from the warm pool only what the pool holds; a fresh launch never from service", async () => {
      await inventory.notify(facts, MID[0], "event:launch", "pending", [], true);
      await inventory.claimLaunch(facts, action(A), "o", T0 + 60_000);
      await inventory.finishLaunch(facts.instanceId, A, "o", {
        state: "in_service",
        event: "e",
        entry: { event: "lifecycle:launching" },
      });
      assert.equal((await inventory.claimLaunch(facts, action(B, { time: T0 }), "o", T0 + 1)).kind, "stale");
      const fromPool = await inventory.claimLaunch(
        facts,
        action(B, { origin: "WarmPool", time: T0 }),
        "o",
        T0 + 1,
      );
      assert.equal(fromPool.kind, "claimed");
    });
  });

  describe("writes under the lease", () => {
    beforeEach(async () => {
      await inventory.claimLaunch(facts, action(A), "owner-1", T0 + 60_000);
    });

    it("records a step and renews the lease", async () => {
      now = T0 + 30_000;
      const r = await inventory.advance(facts.instanceId, A, "owner-1", now + 60_000, {
        actionStep: "command_sent",
        actionCommandId: "cmd-1",
        commandSentAt: now,
      });
      assert.equal(r, "ok");
      const item = await inventory.get(facts.instanceId);
      assert.deepEqual(
        [item?.actionStep, item?.actionCommandId, item?.commandSentAt, item?.leaseUntil],
        ["command_sent", "cmd-1", now, now + 60_000],
      );
    });

    it("tells the holder the instance was tombstoned or failed meanwhile", async () => {
      await inventory.tombstone(facts, MID[1], MID[1], "event:terminate");
      assert.equal(await inventory.advance(facts.instanceId, A, "owner-1", T0 + 60_000), "tombstoned");
      const other = { ...facts, instanceId: "i-0123456789abcdef0" };
      await inventory.claimLaunch(other, action(A), "owner-1", T0 + 60_000);
      assert.equal(
        await inventory.notify(
          other,
          MID[2],
          "event:launch_error",
          "failed",
          ["pending", "lapsed", "launching"],
          true,
        ),
        "applied",
      );
      assert.equal(await inventory.advance(other.instanceId, A, "owner-1", T0 + 60_000), "superseded");
    });

    it("releases the lease for a retry", async () => {
      await inventory.release(facts.instanceId, A, "owner-1");
      assert.equal((await inventory.get(facts.instanceId))?.leaseUntil, 0);
      assert.equal((await inventory.claimLaunch(facts, action(A), "owner-2", T0 + 60_000)).kind, "resumed");
    });
  });

  describe("tombstones, the warm pool and notifications", () => {
    it("writes a tombstone with a TTL in epoch seconds, once per key", async () => {
      assert.equal(await inventory.tombstone(facts, A, MID[0], "lifecycle:terminating"), "applied");
      assert.equal(await inventory.tombstone(facts, A, MID[0], "lifecycle:terminating"), "duplicate");
      now = T0 + 3_600_000;
      assert.equal(await inventory.tombstone(facts, MID[1], MID[1], "event:terminate"), "applied");
      const item = await inventory.get(facts.instanceId);
      assert.equal(item?.state, "terminated");
      assert.equal(item?.expiresAt, (T0 + 3_600_000) / 1000 + 7 * 86_400);
      assert.equal(item?.createdAt, "2026-11-25T17:00:00.000Z");
    });

    it("never lets a launch resurrect a tombstone", async () => {
      await inventory.tombstone(facts, MID[0], MID[0], "event:terminate");
      assert.equal((await inventory.claimLaunch(facts, action(A), "o", T0 + 1)).kind, "tombstoned");
      assert.equal(
        await inventory.notify(facts, MID[1], "event:launch", "in_service", ["lapsed"], false),
        "ignored",
      );
      assert.equal(await inventory.notify(facts, MID[1], "event:launch", "pending", [], true), "ignored");
      assert.equal(
        await inventory.returnToPool(facts, B, MID[2], T0, { event: "lifecycle:terminating" }),
        "ignored",
      );
      assert.equal((await inventory.get(facts.instanceId))?.state, "terminated");
    });

    it("sends an instance in service back to the pool, once per action", async () => {
      await inventory.notify(facts, MID[0], "event:launch", "pending", [], true);
      await inventory.claimLaunch(facts, action(A), "o", T0 + 1);
      await inventory.finishLaunch(facts.instanceId, A, "o", {
        state: "in_service",
        event: "e",
        entry: { event: "x" },
      });
      assert.equal(
        await inventory.returnToPool(facts, B, MID[1], T0, { event: "lifecycle:terminating" }),
        "applied",
      );
      assert.equal(
        await inventory.returnToPool(facts, B, MID[2], T0, { event: "lifecycle:terminating" }),
        "duplicate",
      );
      assert.equal((await inventory.get(facts.instanceId))?.state, "warmed");
    });

    it("never lets a notification pre-empt a lifecycle flow", async () => {
      await inventory.claimLaunch(facts, action(A), "o", T0 + 60_000);
      assert.equal(
        await inventory.notify(facts, MID[1], "event:launch", "in_service", ["lapsed"], false),
        "ignored",
      );
      assert.equal(await inventory.notify(facts, MID[1], "event:launch", "pending", [], true), "ignored");
      assert.equal((await inventory.get(facts.instanceId))?.state, "launching");
    });

    it("applies a notification once per MessageId", async () => {
      assert.equal(
        await inventory.notify(facts, MID[0], "event:launch_error", "failed", ["pending"], true),
        "applied",
      );
      assert.equal(
        await inventory.notify(facts, MID[0], "event:launch_error", "failed", ["pending"], true),
        "duplicate",
      );
      assert.deepEqual([...(await inventory.get(facts.instanceId))!.messageIds], [MID[0]]);
    });
  });
});
