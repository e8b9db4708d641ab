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
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { INVENTORY_PARTITION_KEY, INVENTORY_TTL_ATTRIBUTE } from "./contract";
import type { Place } from "./messages";

/**
 * - `pending`: seen in a notification only; its lifecycle flow has not started.
 * - `launching`: a launch lifecycle action is being worked on (see `actionStep`).
 * - `warmed`: in the warm pool (bootstrapped there, or returned on scale-in).
 * - `in_service`, `failed` (bootstrap failed or launch error: abandoned), `terminated` (tombstone).
 * - `lapsed`: we completed the launch action and AWS answered that it was no longer active — its
 *   heartbeat ran out, Auto Scaling ended it, or an earlier call of ours landed unanswered. What
 *   happened next comes as a notification (launch, launch error, terminate) or the next hook.
 */
export type InstanceState =
  "pending" | "launching" | "warmed" | "in_service" | "failed" | "lapsed" | "terminated";

export type ActionStep = "claimed" | "command_sent" | "command_done" | "done";

/** The table's key and TTL attribute; components/reactor.ts creates the table with these. */
export const PARTITION_KEY = INVENTORY_PARTITION_KEY;
export const TTL_ATTRIBUTE = INVENTORY_TTL_ATTRIBUTE;

/** What we know about an instance from the message and the config. */
export interface InstanceFacts {
  readonly instanceId: string;
  /** The group's config name. */
  readonly group: string;
  readonly asgName: string;
  readonly profile: string;
  readonly roles: readonly string[];
  readonly env?: string;
}

/** One line of an instance's history: a lifecycle transition or notification and where it left it. */
export interface HistoryEntry {
  readonly at: string;
  readonly event: string;
  readonly from?: Place;
  readonly to?: Place;
  readonly state: InstanceState;
  readonly result?: "CONTINUE" | "ABANDON";
}

export interface InventoryItem extends InstanceFacts {
  readonly state: InstanceState;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastEvent: string;
  readonly lastMessageId: string;
  /** SNS MessageIds of notifications applied. */
  readonly messageIds: ReadonlySet<string>;
  /** Every lifecycle action token claimed for this instance. */
  readonly tokens: ReadonlySet<string>;
  /** The instance ran its bootstrap successfully once (a warmed instance is not bootstrapped again). */
  readonly bootstrapped?: boolean;
  /** The command that bootstrapped it. */
  readonly bootstrapCommandId?: string;
  readonly actionToken?: string;
  readonly actionHook?: string;
  readonly actionOrigin?: Place;
  readonly actionDestination?: Place;
  /** Auto Scaling's `Time` of the action, epoch ms. */
  readonly actionTime?: number;
  readonly actionMessageId?: string;
  readonly actionStep?: ActionStep;
  readonly actionCommandId?: string;
  readonly commandSentAt?: number;
  /** The result decided for the action once its command ended. */
  readonly actionResult?: "CONTINUE" | "ABANDON";
  readonly leaseOwner?: string;
  readonly leaseUntil?: number;
  readonly lastHeartbeatAt?: number;
  readonly detail?: string;
  readonly history?: readonly HistoryEntry[];
  readonly expiresAt?: number;
}

/** A launch lifecycle action as the message names it. */
export interface LaunchAction {
  readonly token: string;
  readonly hookName: string;
  readonly messageId: string;
  readonly origin: Place;
  readonly destination: Place;
  /** Auto Scaling's `Time`, epoch ms. */
  readonly time: number;
}

export type ClaimResult =
  /** Ours, fresh. */
  | { readonly kind: "claimed"; readonly item: InventoryItem }
  /** Ours again: an earlier attempt at this action (whose lease lapsed, or whose answer was lost) reached `item.actionStep`. */
  | { readonly kind: "resumed"; readonly item: InventoryItem }
  /** Another attempt holds this action's live lease. */
  | { readonly kind: "in_progress"; readonly item: InventoryItem }
  /** This action is finished. */
  | { readonly kind: "done"; readonly item: InventoryItem }
  | { readonly kind: "tombstoned"; readonly item: InventoryItem }
  /** Another action's lease is still live: try again later. */
  | { readonly kind: "busy"; readonly item: InventoryItem }
  /** Older than what is recorded, or the instance is past launching (failed). */
  | { readonly kind: "stale"; readonly item: InventoryItem };

/** How a write under a lease went: `ok`, or why the lease no longer holds. */
export type LeaseResult = "ok" | "tombstoned" | "superseded" | "lost";

/** `applied`: written. `duplicate`: this message or action was applied before. `ignored`: not a move from here. */
export type WriteResult = "applied" | "duplicate" | "ignored";

export interface InventoryOptions {
  readonly tableName: string;
  readonly tombstoneTtlDays: number;
  readonly now: () => Date;
}

interface Update {
  readonly sets: string[];
  readonly removes: string[];
  readonly adds: string[];
  readonly names: Record<string, string>;
  readonly values: Record<string, unknown>;
}

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
      TTL_ATTRIBUTE,
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
        Key: { [PARTITION_KEY]: instanceId },
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

  /** One conditional UpdateItem; the item afterwards, or undefined when the condition failed. */
  private async update(instanceId: string, u: Update, condition: string): Promise<InventoryItem | undefined> {
    const expression = [
      u.sets.length > 0 ? `SET ${u.sets.join(", ")}` : "",
      u.removes.length > 0 ? `REMOVE ${[...new Set(u.removes)].join(", ")}` : "",
      u.adds.length > 0 ? `ADD ${u.adds.join(", ")}` : "",
    ]
      .filter(Boolean)
      .join(" ");
    const used = `${expression} ${condition}`;
    // DynamoDB refuses names and values the expressions do not use.
    const names = Object.fromEntries(Object.entries(u.names).filter(([k]) => used.includes(k)));
    const values = Object.fromEntries(
      Object.entries(u.values).filter(([k]) => new RegExp(`${k}(?![A-Za-z0-9_])`).test(used)),
    );
    try {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: { [PARTITION_KEY]: instanceId },
          UpdateExpression: expression,
          ConditionExpression: condition,
          ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: values,
          ReturnValues: "ALL_NEW",
        }),
      );
      return out.Attributes === undefined ? undefined : toItem(out.Attributes);
    } catch (error) {
      if (
        error instanceof ConditionalCheckFailedException ||
        (error as Error).name === "ConditionalCheckFailedException"
      ) {
        return undefined;
      }
      throw error;
    }
  }
}

function emptyUpdate(): Update {
  return { sets: [], removes: [], adds: [], names: {}, values: {} };
}

function set(u: Update, attribute: string, placeholder: string, value: unknown): void {
  u.sets.push(`${attribute} = ${placeholder}`);
  u.values[placeholder] = value;
  // A SET wins over a REMOVE of the same attribute in one expression (DynamoDB refuses both).
  const i = u.removes.indexOf(attribute);
  if (i >= 0) u.removes.splice(i, 1);
}

function appendHistory(u: Update, entry: HistoryEntry): void {
  u.sets.push("history = list_append(if_not_exists(history, :emptyList), :entry)");
  u.values[":emptyList"] = [];
  u.values[":entry"] = [Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined))];
}

function toItem(raw: Record<string, unknown>): InventoryItem {
  const item = raw as Omit<InventoryItem, "messageIds" | "tokens"> & {
    messageIds?: Set<string>;
    tokens?: Set<string>;
  };
  return { ...item, messageIds: item.messageIds ?? new Set(), tokens: item.tokens ?? new Set() };
}
