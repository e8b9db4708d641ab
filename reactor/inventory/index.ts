/**
 * The inventory: what the seed kept as accepted minion keys on the Salt master, here one DynamoDB
 * item per instance. SNS delivers at least once and in no particular order, Lambda retries, and an
 * SDK call can land and lose its answer, so every write is conditional and every one of them can
 * tell its own earlier success from someone else's work:
 *
 * - A lifecycle action is claimed once per instance and action token (not per SNS MessageId: two
 *   messages may carry one action). The claim is a lease held by one attempt (`leaseOwner`, renewed
 *   while it works); a retry of the same action takes it over once it lapses and resumes from the
 *   recorded step (`actionStep`: claimed → command_sent → command_done → done).
 * - An action older than the last one claimed (by Auto Scaling's `Time`) is stale.
 * - `terminated` is a tombstone: it expires via the table's TTL attribute `expiresAt`; until then
 *   nothing moves the instance again. A bootstrap still running sees it at its next renewal.
 * - Plain notifications never pre-empt a lifecycle flow: they create an item or move one the flow
 *   has left (`lapsed`, `launching` for a launch error), nothing else.
 */
import { GetCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { INVENTORY_PARTITION_KEY, INVENTORY_TTL_ATTRIBUTE } from "../contract";
import {
  toItem,
  type ActionStep,
  type ClaimResult,
  type HistoryEntry,
  type InstanceFacts,
  type InstanceState,
  type InventoryItem,
  type InventoryOptions,
  type LaunchAction,
  type LeaseResult,
  type WriteResult,
} from "./item";
import { appendHistory, emptyUpdate, set, updateIf, type Update } from "./update";

export type * from "./item";

const NAMES = {
  "#state": "state",
  "#group": "group",
  "#profile": "profile",
  "#roles": "roles",
  "#env": "env",
};

export class Inventory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly options: InventoryOptions,
  ) {}

  /** Claims a launch lifecycle action for `owner` until `leaseUntil` (epoch ms). */
  async claimLaunch(
    facts: InstanceFacts,
    action: LaunchAction,
    owner: string,
    leaseUntil: number,
  ): Promise<ClaimResult> {
    // A launch from the warm pool moves an instance on from where the pool left it.
    const from: InstanceState[] =
      action.origin === "WarmPool"
        ? ["pending", "lapsed", "launching", "warmed", "in_service"]
        : ["pending", "lapsed", "launching"];
    for (let round = 0; round < 3; round++) {
      const u = this.base(
        facts,
        `lifecycle:launching ${action.origin}→${action.destination}`,
        action.messageId,
      );
      set(u, "#state", ":launching", "launching");
      set(u, "actionToken", ":token", action.token);
      set(u, "actionHook", ":hook", action.hookName);
      set(u, "actionOrigin", ":origin", action.origin);
      set(u, "actionDestination", ":destination", action.destination);
      set(u, "actionTime", ":time", action.time);
      set(u, "actionMessageId", ":amid", action.messageId);
      set(u, "actionStep", ":claimed", "claimed");
      set(u, "leaseOwner", ":owner", owner);
      set(u, "leaseUntil", ":lease", leaseUntil);
      u.values[":now"] = this.now();
      u.removes.push("actionCommandId", "commandSentAt", "actionResult", "lastHeartbeatAt", "detail");
      u.adds.push("tokens :tokens");
      u.values[":tokens"] = new Set([action.token]);
      const states = from.map((s, i) => {
        u.values[`:from${i}`] = s;
        return `:from${i}`;
      });
      const claimed = await this.update(
        facts.instanceId,
        u,
        "attribute_not_exists(instanceId) OR (NOT contains(tokens, :token) AND " +
          `#state IN (${states.join(", ")}) AND ` +
          "(attribute_not_exists(actionTime) OR actionTime <= :time) AND " +
          "(#state <> :launching OR attribute_not_exists(leaseUntil) OR leaseUntil < :now))",
      );
      if (claimed !== undefined) return { kind: "claimed", item: claimed };

      const item = await this.get(facts.instanceId);
      if (item === undefined) continue;
      if (item.state === "terminated") return { kind: "tombstoned", item };
      if (item.actionToken === action.token) {
        if (item.actionStep === "done") return { kind: "done", item };
        if (item.state !== "launching") return { kind: "stale", item };
        if (item.leaseOwner !== owner && (item.leaseUntil ?? 0) >= this.now())
          return { kind: "in_progress", item };
        const r = emptyUpdate();
        set(r, "leaseOwner", ":owner", owner);
        set(r, "leaseUntil", ":lease", leaseUntil);
        set(r, "updatedAt", ":updatedAt", new Date(this.now()).toISOString());
        r.values[":token"] = action.token;
        r.values[":launching"] = "launching";
        r.values[":done"] = "done";
        r.values[":now"] = this.now();
        r.names["#state"] = "state";
        const resumed = await this.update(
          facts.instanceId,
          r,
          "actionToken = :token AND actionStep <> :done AND #state = :launching AND " +
            "(leaseOwner = :owner OR attribute_not_exists(leaseUntil) OR leaseUntil < :now)",
        );
        if (resumed !== undefined) return { kind: "resumed", item: resumed };
        continue;
      }
      if (item.tokens.has(action.token)) return { kind: "done", item };
      if (item.state === "launching" && (item.leaseUntil ?? 0) >= this.now()) return { kind: "busy", item };
      return { kind: "stale", item };
    }
    throw new Error(`the claim on ${facts.instanceId} kept changing under us`);
  }

  /**
   * A write by the lease holder: renews the lease and records `fields` (a step, the command id,
   * the heartbeat time). Fails with the reason when the instance was tombstoned or failed meanwhile,
   * or another attempt took the action over.
   */
  async advance(
    instanceId: string,
    token: string,
    owner: string,
    leaseUntil: number,
    fields: Readonly<Record<string, string | number | boolean>> = {},
  ): Promise<LeaseResult> {
    const u = emptyUpdate();
    set(u, "leaseUntil", ":lease", leaseUntil);
    set(u, "updatedAt", ":updatedAt", new Date(this.now()).toISOString());
    for (const [k, v] of Object.entries(fields)) set(u, k, `:f_${k}`, v);
    return this.underLease(instanceId, token, owner, u, undefined);
  }

  /** Ends the action: the instance's new state, the lease released, a line of history. */
  async finishLaunch(
    instanceId: string,
    token: string,
    owner: string,
    outcome: {
      state: InstanceState;
      event: string;
      entry: Omit<HistoryEntry, "at" | "state">;
      detail?: string;
    },
  ): Promise<LeaseResult> {
    const at = new Date(this.now()).toISOString();
    const u = emptyUpdate();
    set(u, "#state", ":final", outcome.state);
    u.names["#state"] = "state";
    set(u, "actionStep", ":stepDone", "done");
    set(u, "updatedAt", ":updatedAt", at);
    set(u, "lastEvent", ":event", outcome.event);
    appendHistory(u, { at, state: outcome.state, ...outcome.entry });
    if (outcome.detail !== undefined) set(u, "detail", ":detail", outcome.detail.slice(0, 1000));
    else u.removes.push("detail");
    u.removes.push("leaseOwner", "leaseUntil");
    return this.underLease(instanceId, token, owner, u, "done");
  }

  /** Gives the lease up early (an attempt that is about to throw), so a retry need not wait for it. */
  async release(instanceId: string, token: string, owner: string): Promise<void> {
    const u = emptyUpdate();
    set(u, "leaseUntil", ":zero", 0);
    u.values[":token"] = token;
    u.values[":owner"] = owner;
    await this.update(instanceId, u, "actionToken = :token AND leaseOwner = :owner");
  }

  /** Tombstones the instance; `key` (the action token or MessageId) makes a redelivery a `duplicate`. */
  async tombstone(
    facts: InstanceFacts,
    key: string,
    messageId: string,
    event: string,
    entry?: Omit<HistoryEntry, "at" | "state">,
  ): Promise<WriteResult> {
    const u = this.base(facts, event, messageId);
    set(u, "#state", ":terminated", "terminated");
    set(
      u,
      INVENTORY_TTL_ATTRIBUTE,
      ":expiresAt",
      Math.floor(this.now() / 1000) + this.options.tombstoneTtlDays * 86_400,
    );
    appendHistory(u, { at: new Date(this.now()).toISOString(), state: "terminated", event, ...entry });
    u.removes.push("leaseOwner", "leaseUntil");
    u.adds.push("messageIds :keys");
    u.values[":key"] = key;
    u.values[":keys"] = new Set([key]);
    const done = await this.update(
      facts.instanceId,
      u,
      "attribute_not_exists(instanceId) OR NOT contains(messageIds, :key)",
    );
    return done !== undefined ? "applied" : "duplicate";
  }

  /** Scale-in with reuse: the terminate hook sends the instance back to the warm pool, not away. */
  async returnToPool(
    facts: InstanceFacts,
    token: string,
    messageId: string,
    time: number,
    entry: Omit<HistoryEntry, "at" | "state">,
  ): Promise<WriteResult> {
    const event = "lifecycle:terminating AutoScalingGroup→WarmPool";
    const u = this.base(facts, event, messageId);
    set(u, "#state", ":warmed", "warmed");
    set(u, "actionToken", ":token", token);
    set(u, "actionTime", ":time", time);
    set(u, "actionStep", ":stepDone", "done");
    set(u, "actionMessageId", ":amid", messageId);
    u.removes.push("actionCommandId", "commandSentAt", "actionResult", "leaseOwner", "leaseUntil", "detail");
    appendHistory(u, { at: new Date(this.now()).toISOString(), state: "warmed", ...entry });
    u.adds.push("tokens :tokens");
    u.values[":tokens"] = new Set([token]);
    const states = ["pending", "in_service", "lapsed", "warmed"].map((s, i) => {
      u.values[`:from${i}`] = s;
      return `:from${i}`;
    });
    const done = await this.update(
      facts.instanceId,
      u,
      "attribute_not_exists(instanceId) OR (NOT contains(tokens, :token) AND " +
        `#state IN (${states.join(", ")}) AND (attribute_not_exists(actionTime) OR actionTime <= :time))`,
    );
    if (done !== undefined) return "applied";
    const item = await this.get(facts.instanceId);
    return item?.tokens.has(token) ? "duplicate" : "ignored";
  }

  /**
   * A plain notification: moves the instance to `to` only from one of `from` (and creates it when
   * `create`), once per MessageId.
   */
  async notify(
    facts: InstanceFacts,
    messageId: string,
    event: string,
    to: InstanceState,
    from: readonly InstanceState[],
    create: boolean,
  ): Promise<WriteResult> {
    const u = this.base(facts, event, messageId);
    set(u, "#state", ":to", to);
    appendHistory(u, { at: new Date(this.now()).toISOString(), event, state: to });
    u.adds.push("messageIds :mids");
    u.values[":mid"] = messageId;
    u.values[":mids"] = new Set([messageId]);
    const states = from.map((s, i) => {
      u.values[`:from${i}`] = s;
      return `:from${i}`;
    });
    const move =
      states.length > 0
        ? `(attribute_exists(instanceId) AND NOT contains(messageIds, :mid) AND #state IN (${states.join(", ")}))`
        : undefined;
    const cond = [create ? "attribute_not_exists(instanceId)" : undefined, move].filter(Boolean).join(" OR ");
    if (cond === "") return "ignored";
    const done = await this.update(facts.instanceId, u, cond);
    if (done !== undefined) return "applied";
    const item = await this.get(facts.instanceId);
    return item?.messageIds.has(messageId) ? "duplicate" : "ignored";
  }

  async get(instanceId: string): Promise<InventoryItem | undefined> {
    const out = await this.client.send(
      new GetCommand({
        TableName: this.options.tableName,
        Key: { [INVENTORY_PARTITION_KEY]: instanceId },
        ConsistentRead: true,
      }),
    );
    return out.Item === undefined ? undefined : toItem(out.Item);
  }

  private now(): number {
    return this.options.now().getTime();
  }

  /** The attributes every write sets: the instance's facts and what last happened to it. */
  private base(facts: InstanceFacts, event: string, messageId: string): Update {
    const u = emptyUpdate();
    const at = new Date(this.now()).toISOString();
    Object.assign(u.names, {
      "#state": "state",
      "#group": "group",
      "#profile": "profile",
      "#roles": "roles",
    });
    set(u, "#group", ":group", facts.group);
    set(u, "asgName", ":asgName", facts.asgName);
    set(u, "#profile", ":profile", facts.profile);
    set(u, "#roles", ":roles", [...facts.roles]);
    set(u, "updatedAt", ":updatedAt", at);
    u.sets.push("createdAt = if_not_exists(createdAt, :updatedAt)");
    set(u, "lastMessageId", ":mid", messageId);
    set(u, "lastEvent", ":event", event);
    if (facts.env !== undefined) {
      u.names["#env"] = NAMES["#env"];
      set(u, "#env", ":env", facts.env);
    }
    return u;
  }

  private update(instanceId: string, u: Update, condition: string): Promise<InventoryItem | undefined> {
    return updateIf(this.client, this.options.tableName, instanceId, u, condition);
  }

  private async underLease(
    instanceId: string,
    token: string,
    owner: string,
    u: Update,
    finalStep: ActionStep | undefined,
  ): Promise<LeaseResult> {
    u.values[":token"] = token;
    u.values[":owner"] = owner;
    u.values[":launching"] = "launching";
    u.names["#state"] = "state";
    const done = await this.update(
      instanceId,
      u,
      "actionToken = :token AND leaseOwner = :owner AND #state = :launching",
    );
    if (done !== undefined) return "ok";
    const item = await this.get(instanceId);
    if (item === undefined) return "lost";
    if (item.state === "terminated") return "tombstoned";
    // Our own write landed and its answer was lost: the SDK's retry found the lease already released.
    if (finalStep !== undefined && item.actionToken === token && item.actionStep === finalStep) return "ok";
    if (item.actionToken !== token || item.state !== "launching") return "superseded";
    return "lost";
  }
}
