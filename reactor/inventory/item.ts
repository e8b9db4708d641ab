/**
 * What the inventory keeps of an instance: its states, the lifecycle action it is in and how far
 * that action got, and what each write answers.
 */
import type { Place } from "../messages";

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

/** An item as DynamoDB returns it, its sets never absent. */
export function toItem(raw: Record<string, unknown>): InventoryItem {
  const item = raw as Omit<InventoryItem, "messageIds" | "tokens"> & {
    messageIds?: Set<string>;
    tokens?: Set<string>;
  };
  return { ...item, messageIds: item.messageIds ?? new Set(), tokens: item.tokens ?? new Set() };
}
