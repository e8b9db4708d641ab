/**
 * The AWS side of the reactor's actions: keep the lifecycle action alive with heartbeats and
 * complete it, and the error classes and retries every AWS call of the reactor goes through. The
 * profile's bootstrap with SSM Run Command is in bootstrap.ts.
 *
 * The SDK clients make one attempt per call (see `SDK_CLIENT_OPTIONS` in handler.ts); the retries
 * are here, because only here is it known which errors may have been applied before their response
 * was lost (a SendCommand resent blindly runs Salt twice) and how long there is left to retry.
 */
import {
  CompleteLifecycleActionCommand,
  RecordLifecycleActionHeartbeatCommand,
  type AutoScalingClient,
} from "@aws-sdk/client-auto-scaling";
import type { SSMClient } from "@aws-sdk/client-ssm";
import { ActionError } from "./errors";
import type { Logger } from "./log";

export interface ActionDeps {
  readonly ssm: SSMClient;
  readonly autoscaling: AutoScalingClient;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  /** A number in [0, 1) for backoff jitter; tests pass a seeded one. */
  readonly random: () => number;
  readonly logger: Logger;
}

export interface BackoffOptions {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** Capped exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"). */
export const BACKOFF: BackoffOptions = { baseDelayMs: 200, maxDelayMs: 5_000 };

export function backoffDelay(deps: Pick<ActionDeps, "random">, failures: number, opts = BACKOFF): number {
  const cap = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.min(failures, 20));
  return Math.max(1, Math.floor(deps.random() * cap));
}

const THROTTLING = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "TooManyRequestsException",
  "TooManyUpdates",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "ProvisionedThroughputExceededException",
]);

/** Errors of a request the service may have applied before its answer was lost. */
const AMBIGUOUS = new Set([
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "InternalServerError",
  "InternalFailure",
  "InternalError",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "NetworkingError",
]);

type SdkError = Error & {
  $retryable?: { throttling?: boolean };
  $fault?: "client" | "server";
  $metadata?: { httpStatusCode?: number };
  Code?: string;
  code?: string;
};

export function isThrottling(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const e = error as SdkError;
  return (
    THROTTLING.has(e.name) ||
    (e.Code !== undefined && THROTTLING.has(e.Code)) ||
    e.$retryable?.throttling === true
  );
}

/** A failure whose request may or may not have been applied: a 5xx, a timeout, a dropped connection. */
export function isAmbiguous(error: unknown): boolean {
  if (!(error instanceof Error) || isThrottling(error)) return false;
  const e = error as SdkError;
  const status = e.$metadata?.httpStatusCode;
  return (
    AMBIGUOUS.has(e.name) ||
    (e.code !== undefined && AMBIGUOUS.has(e.code)) ||
    e.$fault === "server" ||
    (status !== undefined && status >= 500) ||
    e.$retryable !== undefined
  );
}

/** Worth retrying: throttling (rejected before it was applied) or ambiguous (see above). */
export function isTransient(error: unknown): boolean {
  return isThrottling(error) || isAmbiguous(error);
}

export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Runs `fn` until it succeeds, a permanent error, or `until` (epoch ms): transient errors are
 * retried with jittered backoff that never sleeps past `until`. Returns what `fn` returned, or
 * throws the last error. `onError` sees every failure first (to note that a write may have landed).
 */
export async function retryTransient<T>(
  deps: Pick<ActionDeps, "now" | "sleep" | "random">,
  until: number,
  fn: () => Promise<T>,
  onError?: (error: unknown) => void,
): Promise<T> {
  for (let failures = 0; ; failures++) {
    try {
      return await fn();
    } catch (error) {
      onError?.(error);
      const left = until - deps.now().getTime();
      if (!isTransient(error) || left <= 0) throw error;
      await deps.sleep(Math.min(left, backoffDelay(deps, failures)));
    }
  }
}

export interface LifecycleActionRef {
  readonly asgName: string;
  readonly hookName: string;
  readonly token: string;
  readonly instanceId: string;
}

/**
 * `completed`: accepted. `no_active_action`: AWS no longer waits on this action — its heartbeat
 * ran out, Auto Scaling ended it (the instance is being terminated), or an earlier call of ours
 * was applied and its answer lost (`afterLostResponse` says when that may be so).
 */
export type CompletionResult = "completed" | "no_active_action";

export interface Completion {
  readonly result: CompletionResult;
  readonly afterLostResponse: boolean;
}

/**
 * Completes a lifecycle action, retrying transient errors until `until`. "No active Lifecycle
 * Action found" is final, so it is reported, not retried. Throws `ActionError` when it could not
 * get an answer in time, so the invocation fails and Lambda retries it.
 */
export async function completeLifecycleAction(
  deps: ActionDeps,
  ref: LifecycleActionRef,
  result: "CONTINUE" | "ABANDON",
  until: number,
): Promise<Completion> {
  let lost = false;
  try {
    await retryTransient(
      deps,
      until,
      () =>
        deps.autoscaling.send(
          new CompleteLifecycleActionCommand({
            AutoScalingGroupName: ref.asgName,
            LifecycleHookName: ref.hookName,
            LifecycleActionToken: ref.token,
            InstanceId: ref.instanceId,
            LifecycleActionResult: result,
          }),
        ),
      (error) => (lost ||= isAmbiguous(error)),
    );
    return { result: "completed", afterLostResponse: false };
  } catch (error) {
    if (isNoActiveLifecycleAction(error)) return { result: "no_active_action", afterLostResponse: lost };
    throw new ActionError("complete_lifecycle_action", `could not complete ${ref.hookName} with ${result}`, {
      cause: error,
    });
  }
}

/**
 * Extends the action's heartbeat timeout. A transient failure is only logged: the next poll tries
 * again, long before the heartbeat runs out. "No active Lifecycle Action" means nobody waits for the
 * bootstrap any more.
 */
export async function recordHeartbeat(
  deps: ActionDeps,
  ref: LifecycleActionRef,
): Promise<"recorded" | "no_active_action" | "failed"> {
  try {
    await deps.autoscaling.send(
      new RecordLifecycleActionHeartbeatCommand({
        AutoScalingGroupName: ref.asgName,
        LifecycleHookName: ref.hookName,
        LifecycleActionToken: ref.token,
        InstanceId: ref.instanceId,
      }),
    );
    return "recorded";
  } catch (error) {
    if (isNoActiveLifecycleAction(error)) return "no_active_action";
    deps.logger.warn("could not record a lifecycle heartbeat", {
      instanceId: ref.instanceId,
      error: describe(error),
    });
    return "failed";
  }
}

export function isNoActiveLifecycleAction(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.name === "ValidationError" &&
    /no active lifecycle action found/i.test(error.message)
  );
}
