/**
 * The inventory: what the seed kept as accepted minion keys on the Salt master, here one DynamoDB
 * item per instance. SNS delivers at least once and in no particular order, so every write is
 * conditional: a MessageId already applied is a no-op, and state only moves forward
 * (pending < bootstrapping < in_service | failed < terminated). A terminated item is a tombstone
 * that expires via the table's TTL attribute `expiresAt`; until then a late launch cannot revive it.
 */
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { INVENTORY_PARTITION_KEY, INVENTORY_TTL_ATTRIBUTE } from "./config";

export type InstanceState = "pending" | "bootstrapping" | "in_service" | "failed" | "terminated";

export const STATE_RANK: Readonly<Record<InstanceState, number>> = {
  pending: 0,
  bootstrapping: 1,
  in_service: 2,
  failed: 2,
  terminated: 3,
};

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

export interface InventoryItem extends InstanceFacts {
  readonly state: InstanceState;
  readonly stateRank: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastMessageId: string;
  /** Every (MessageId, step) applied: `<MessageId>` or `<MessageId>#<step>`. */
  readonly messageIds: ReadonlySet<string>;
  readonly lastEvent: string;
  readonly expiresAt?: number;
  readonly bootstrapCommandId?: string;
  readonly detail?: string;
}

export interface Transition {
  readonly state: InstanceState;
  /** The SNS MessageId that caused it; a second write with the same id is a no-op. */
  readonly messageId: string;
  /**
   * Which write for that message this is, when one message causes two (a launch is recorded as
   * bootstrapping, then as in service or failed). Each (message, step) is applied at most once.
   */
  readonly step?: string;
  /** What happened, for people reading the table (e.g. `lifecycle:launching`). */
  readonly event: string;
  readonly bootstrapCommandId?: string;
  readonly detail?: string;
}

/** `applied`: written. `duplicate`: this MessageId was applied before. `stale`: state is already further on. */
export type TransitionResult = "applied" | "duplicate" | "stale";

export interface InventoryOptions {
  readonly tableName: string;
  readonly tombstoneTtlDays: number;
  readonly now: () => Date;
}

export class Inventory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly options: InventoryOptions,
  ) {}

  /** Moves an instance to `t.state` if that is forward and `t.messageId` is new. */
  async transition(facts: InstanceFacts, t: Transition): Promise<TransitionResult> {
    const now = this.options.now();
    const values: Record<string, unknown> = {
      ":state": t.state,
      ":rank": STATE_RANK[t.state],
      ":group": facts.group,
      ":asgName": facts.asgName,
      ":profile": facts.profile,
      ":roles": [...facts.roles],
      ":now": now.toISOString(),
      ":mid": t.messageId,
      ":token": dedupeToken(t),
      ":tokens": new Set([dedupeToken(t)]),
      ":event": t.event,
    };
    const sets = [
      "#state = :state",
      "stateRank = :rank",
      "#group = :group",
      "asgName = :asgName",
      "#profile = :profile",
      "#roles = :roles",
      "updatedAt = :now",
      "createdAt = if_not_exists(createdAt, :now)",
      "lastMessageId = :mid",
      "lastEvent = :event",
    ];
    if (facts.env !== undefined) {
      sets.push("#env = :env");
      values[":env"] = facts.env;
    }
    if (t.state === "terminated") {
      sets.push(`${TTL_ATTRIBUTE} = :expiresAt`);
      values[":expiresAt"] = Math.floor(now.getTime() / 1000) + this.options.tombstoneTtlDays * 86_400;
    }
    if (t.bootstrapCommandId !== undefined) {
      sets.push("bootstrapCommandId = :cmd");
      values[":cmd"] = t.bootstrapCommandId;
    }
    if (t.detail !== undefined) {
      sets.push("detail = :detail");
      values[":detail"] = t.detail.slice(0, 1000);
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: { [PARTITION_KEY]: facts.instanceId },
          UpdateExpression: `SET ${sets.join(", ")} ADD messageIds :tokens`,
          // Same state again is allowed (a TERMINATE event after the terminating hook), a sideways
          // move between equal ranks is not (in_service never becomes failed, nor back).
          ConditionExpression:
            "attribute_not_exists(instanceId) OR (NOT contains(messageIds, :token) AND " +
            "(stateRank < :rank OR (stateRank = :rank AND #state = :state)))",
          ExpressionAttributeNames: {
            "#state": "state",
            "#group": "group",
            "#profile": "profile",
            "#roles": "roles",
            ...(facts.env !== undefined ? { "#env": "env" } : {}),
          },
          ExpressionAttributeValues: values,
        }),
      );
      return "applied";
    } catch (error) {
      if (
        !(error instanceof ConditionalCheckFailedException) &&
        (error as Error).name !== "ConditionalCheckFailedException"
      ) {
        throw error;
      }
      // Tell a redelivery from an out-of-order message, for the logs and the caller's next step.
      const current = await this.get(facts.instanceId);
      return current?.messageIds.has(dedupeToken(t)) ? "duplicate" : "stale";
    }
  }

  async get(instanceId: string): Promise<InventoryItem | undefined> {
    const out = await this.client.send(
      new GetCommand({
        TableName: this.options.tableName,
        Key: { [PARTITION_KEY]: instanceId },
        ConsistentRead: true,
      }),
    );
    if (out.Item === undefined) return undefined;
    const item = out.Item as Omit<InventoryItem, "messageIds"> & { messageIds?: Set<string> };
    return { ...item, messageIds: item.messageIds ?? new Set() };
  }
}

function dedupeToken(t: Transition): string {
  return t.step === undefined ? t.messageId : `${t.messageId}#${t.step}`;
}
