/**
 * One attempt at one reactor message: what it runs with (ReactorDeps), what it reports (Outcome),
 * and the time budget it keeps back from the Lambda deadline for completing and recording.
 */
import type { ReactorConfig } from "./contract";
import type { Inventory } from "./inventory";
import type { ActionDeps, CompletionResult } from "./lifecycle";

export interface ReactorDeps extends ActionDeps {
  readonly config: ReactorConfig;
  readonly inventory: Inventory;
}

/** Time kept back from the Lambda deadline to complete the lifecycle action and record it. */
export const COMPLETION_RESERVE_MS = 10_000;
/** Time kept back from the Lambda deadline after the last completion attempt, to record and return. */
export const FINISH_RESERVE_MS = 2_000;
/**
 * How long a claim stays ours without renewal. The holder renews it before every poll (seconds
 * apart); a holder that died lets a retry take over after this, or at the invocation's deadline,
 * whichever is sooner.
 */
export const LEASE_MS = 60_000;
/** A holder that wrote within this long is alive (it renews before every poll, seconds apart). */
export const HOLDER_ALIVE_MS = 15_000;
/** How long one attempt retries CompleteLifecycleAction before it throws and leaves it to Lambda's retry. */
export const COMPLETION_RETRY_MS = 60_000;

/** One attempt at one message. */
export interface Attempt {
  readonly messageId: string;
  /** The SNS Timestamp, epoch ms (Auto Scaling's `Time` is preferred where the message has it). */
  readonly sentAt: number;
  /** Unique per attempt: the owner of the leases it takes. */
  readonly id: string;
  readonly remainingMs: () => number;
}

/** What happened, for the structured log line and for tests. */
export interface Outcome {
  readonly action: string;
  readonly instanceId?: string;
  readonly inventory?: string;
  readonly lifecycle?: CompletionResult;
  readonly result?: "CONTINUE" | "ABANDON";
  readonly bootstrap?: { readonly status: string; readonly commandId?: string; readonly detail?: string };
}

/** The completion deadline: the invocation's end less `reserve`, and at most COMPLETION_RETRY_MS away. */
export function deadline(deps: ActionDeps, attempt: Attempt, reserve: number): number {
  const now = deps.now().getTime();
  return Math.min(now + attempt.remainingMs() - reserve, now + COMPLETION_RETRY_MS);
}
