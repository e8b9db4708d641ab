import assert from "node:assert/strict";
import { Inventory, type InstanceFacts } from "../../reactor/inventory";
import { startDynalite, type LocalDynamo } from "./support/dynalite";

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

describe("reactor/inventory against DynamoDB (dynalite on loopback)", () => {
  let db: LocalDynamo;
  let inventory: Inventory;
  let clock: Date;
  let n = 0;

  before(async () => {
    db = await startDynalite();
  });
  after(async () => {
    await db.close();
  });
  beforeEach(async () => {
    const tableName = `inventory-${++n}`;
    await db.createTable(tableName);
    clock = new Date("2026-11-25T17:00:00.000Z");
    inventory = new Inventory(db.client, { tableName, tombstoneTtlDays: 7, now: () => clock });
  });

  it("records a launch with every attribute", async () => {
    assert.equal(
      await inventory.transition(facts, {
        state: "bootstrapping",
        messageId: MID[0],
        event: "lifecycle:launching",
      }),
      "applied",
    );
    const item = await inventory.get(facts.instanceId);
    assert.deepEqual(
      { ...item, messageIds: [...item!.messageIds] },
      {
        ...facts,
        state: "bootstrapping",
        stateRank: 1,
        createdAt: "2026-11-25T17:00:00.000Z",
        updatedAt: "2026-11-25T17:00:00.000Z",
        lastMessageId: MID[0],
        messageIds: [MID[0]],
        lastEvent: "lifecycle:launching",
      },
    );
  });

  it("treats a redelivered MessageId as a no-op, even after a later message", async () => {
    await inventory.transition(facts, { state: "bootstrapping", messageId: MID[0], event: "a" });
    assert.equal(
      await inventory.transition(facts, { state: "bootstrapping", messageId: MID[0], event: "a" }),
      "duplicate",
    );
    await inventory.transition(facts, { state: "terminated", messageId: MID[1], event: "b" });
    assert.equal(
      await inventory.transition(facts, { state: "terminated", messageId: MID[1], event: "b" }),
      "duplicate",
    );
    const item = await inventory.get(facts.instanceId);
    assert.equal(item?.lastMessageId, MID[1]);
  });

  it("applies each step of one message once, keeping the SNS MessageId as lastMessageId", async () => {
    await inventory.transition(facts, { state: "bootstrapping", messageId: MID[0], event: "a" });
    const step = { state: "in_service", messageId: MID[0], step: "completed", event: "b" } as const;
    assert.equal(await inventory.transition(facts, step), "applied");
    assert.equal(await inventory.transition(facts, step), "duplicate");
    const item = await inventory.get(facts.instanceId);
    assert.equal(item?.state, "in_service");
    assert.equal(item?.lastMessageId, MID[0]);
    assert.deepEqual([...item!.messageIds].sort(), [MID[0], `${MID[0]}#completed`]);
  });

  it("applies concurrent deliveries of one message exactly once", async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        inventory.transition(facts, { state: "bootstrapping", messageId: MID[0], event: "a" }),
      ),
    );
    assert.deepEqual(results.filter((r) => r === "applied").length, 1);
    assert.deepEqual(results.filter((r) => r === "duplicate").length, 7);
  });

  it("writes a tombstone with a TTL in epoch seconds", async () => {
    await inventory.transition(facts, {
      state: "terminated",
      messageId: MID[0],
      event: "lifecycle:terminating",
    });
    const item = await inventory.get(facts.instanceId);
    assert.equal(item?.state, "terminated");
    assert.equal(item?.expiresAt, Date.parse("2026-11-25T17:00:00Z") / 1000 + 7 * 86_400);
  });

  it("never lets a late launch resurrect a tombstone (terminate before launch)", async () => {
    await inventory.transition(facts, { state: "terminated", messageId: MID[0], event: "event:terminate" });
    clock = new Date("2026-11-25T17:05:00.000Z");
    assert.equal(
      await inventory.transition(facts, {
        state: "bootstrapping",
        messageId: MID[1],
        event: "lifecycle:launching",
      }),
      "stale",
    );
    assert.equal(
      await inventory.transition(facts, { state: "in_service", messageId: MID[2], event: "event:launch" }),
      "stale",
    );
    const item = await inventory.get(facts.instanceId);
    assert.equal(item?.state, "terminated");
    assert.equal(item?.updatedAt, "2026-11-25T17:00:00.000Z");
  });

  it("never moves state backwards (in service, then a late launching)", async () => {
    await inventory.transition(facts, { state: "in_service", messageId: MID[0], event: "event:launch" });
    assert.equal(
      await inventory.transition(facts, {
        state: "bootstrapping",
        messageId: MID[1],
        event: "lifecycle:launching",
      }),
      "stale",
    );
    assert.equal((await inventory.get(facts.instanceId))?.state, "in_service");
  });

  it("does not move sideways between equal ranks (in_service ↔ failed)", async () => {
    await inventory.transition(facts, { state: "in_service", messageId: MID[0], event: "x" });
    assert.equal(
      await inventory.transition(facts, { state: "failed", messageId: MID[1], event: "y" }),
      "stale",
    );
  });

  it("allows the same terminal state from a second message (hook, then TERMINATE event)", async () => {
    await inventory.transition(facts, {
      state: "terminated",
      messageId: MID[0],
      event: "lifecycle:terminating",
    });
    clock = new Date("2026-11-25T18:00:00.000Z");
    assert.equal(
      await inventory.transition(facts, { state: "terminated", messageId: MID[1], event: "event:terminate" }),
      "applied",
    );
    const item = await inventory.get(facts.instanceId);
    assert.equal(item?.createdAt, "2026-11-25T17:00:00.000Z");
    assert.equal(item?.updatedAt, "2026-11-25T18:00:00.000Z");
    assert.deepEqual([...item!.messageIds].sort(), [MID[0], MID[1]]);
  });

  it("keeps state forward for every delivery order of launching, launch, terminate", async () => {
    const steps = [
      { state: "bootstrapping", messageId: MID[0], event: "lifecycle:launching" },
      { state: "in_service", messageId: MID[1], event: "event:launch" },
      { state: "terminated", messageId: MID[2], event: "event:terminate" },
    ] as const;
    const orders = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ];
    let k = 0;
    for (const order of orders) {
      const f = { ...facts, instanceId: `i-0000000000000000${k++}` };
      for (const i of order) await inventory.transition(f, steps[i]!);
      assert.equal((await inventory.get(f.instanceId))?.state, "terminated", `order ${order.join(",")}`);
    }
  });
});
