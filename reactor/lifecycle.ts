/**
 * The AWS side of the reactor's actions: run a profile's bootstrap with SSM Run Command and
 * complete lifecycle actions. The seed ran salt-cloud over SSH with values formatted into
 * commands; here the document name and parameters go to SSM as data, never into a shell string.
 */
import { CompleteLifecycleActionCommand, type AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import {
  CancelCommandCommand,
  GetCommandInvocationCommand,
  SendCommandCommand,
  type SSMClient,
} from "@aws-sdk/client-ssm";
import type { BootstrapConfig } from "./config";
import { ActionError } from "./errors";
import type { Logger } from "./log";

export interface ActionDeps {
  readonly ssm: SSMClient;
  readonly autoscaling: AutoScalingClient;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly logger: Logger;
}

export interface RetryOptions {
  /** Attempts in all, including the first. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 5, baseDelayMs: 200, maxDelayMs: 5_000 };

const THROTTLING = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "ProvisionedThroughputExceededException",
]);

export function isThrottling(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const e = error as Error & { $retryable?: { throttling?: boolean }; Code?: string };
  return (
    THROTTLING.has(e.name) ||
    (e.Code !== undefined && THROTTLING.has(e.Code)) ||
    e.$retryable?.throttling === true
  );
}

/**
 * Runs `fn`, retrying throttling errors with capped exponential backoff (full jitter would make
 * tests nondeterministic; the SDK's own retries already jitter underneath). Other errors propagate.
 */
export async function withThrottlingRetry<T>(
  fn: () => Promise<T>,
  sleep: (ms: number) => Promise<void>,
  opts: RetryOptions = DEFAULT_RETRY,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isThrottling(error) || attempt >= opts.attempts) throw error;
      await sleep(Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (attempt - 1)));
    }
  }
}

export interface LifecycleActionRef {
  readonly asgName: string;
  readonly hookName: string;
  readonly token: string;
  readonly instanceId: string;
}

export type CompletionResult = "completed" | "no_active_action";

/**
 * Completes a lifecycle action. "No active Lifecycle Action found" means it was completed already
 * (a redelivery, or the heartbeat ran out): that is final, so it is reported, not retried.
 */
export async function completeLifecycleAction(
  deps: ActionDeps,
  ref: LifecycleActionRef,
  result: "CONTINUE" | "ABANDON",
): Promise<CompletionResult> {
  try {
    await withThrottlingRetry(
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
      deps.sleep,
    );
    return "completed";
  } catch (error) {
    if (isNoActiveLifecycleAction(error)) return "no_active_action";
    throw new ActionError("complete_lifecycle_action", `could not complete ${ref.hookName} with ${result}`, {
      cause: error,
    });
  }
}

export function isNoActiveLifecycleAction(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.name === "ValidationError" &&
    /no active lifecycle action found/i.test(error.message)
  );
}

export type BootstrapOutcome =
  | { readonly ok: true; readonly commandId: string; readonly status: "Success" }
  | { readonly ok: false; readonly commandId?: string; readonly status: string; readonly detail: string };

const TERMINAL = new Set(["Success", "Failed", "Cancelled", "TimedOut", "Cancelling"]);
/** First poll soon (short documents finish in seconds), then back off to keep API calls low. */
const POLL_DELAYS_MS = [1_000, 2_000, 3_000, 5_000];

/**
 * Sends the bootstrap command to one instance and polls it until it ends or `deadline` (epoch ms)
 * passes. Never throws for the command's own failure; returns it, so the caller can ABANDON.
 */
export async function runBootstrap(
  deps: ActionDeps,
  instanceId: string,
  bootstrap: BootstrapConfig,
  deadline: number,
  comment: string,
): Promise<BootstrapOutcome> {
  const past = () => deps.now().getTime() >= deadline;
  // Never sleep past the deadline: the time after it is reserved for completing the hook.
  const untilDeadline = (ms: number) => Math.max(0, Math.min(ms, deadline - deps.now().getTime()));
  if (past()) return { ok: false, status: "DeadlineExceeded", detail: "no time left to run the bootstrap" };
  let commandId: string | undefined;
  // A fresh instance's SSM agent takes a while to register; until it does SendCommand answers
  // InvalidInstanceId. That is expected right after launch, so it is waited out like throttling.
  for (let attempt = 0; commandId === undefined; attempt++) {
    try {
      const out = await withThrottlingRetry(
        () =>
          deps.ssm.send(
            new SendCommandCommand({
              DocumentName: bootstrap.document,
              InstanceIds: [instanceId],
              Parameters: toSsmParameters(bootstrap.parameters),
              TimeoutSeconds: bootstrap.timeoutSeconds,
              Comment: comment.slice(0, 100),
            }),
          ),
        deps.sleep,
      );
      commandId = out.Command?.CommandId;
      if (commandId === undefined)
        return { ok: false, status: "NoCommandId", detail: "SendCommand returned no id" };
    } catch (error) {
      const name = error instanceof Error ? error.name : "";
      if (name !== "InvalidInstanceId") {
        return { ok: false, status: "SendCommandFailed", detail: describe(error) };
      }
      if (past()) return { ok: false, status: "AgentNotReady", detail: describe(error) };
      await deps.sleep(untilDeadline(delay(attempt)));
    }
  }

  for (let poll = 0; ; poll++) {
    if (past()) {
      await cancelQuietly(deps, commandId, instanceId);
      return { ok: false, commandId, status: "DeadlineExceeded", detail: "bootstrap did not finish in time" };
    }
    await deps.sleep(untilDeadline(delay(poll)));
    let status: string | undefined;
    let detail = "";
    try {
      const inv = await withThrottlingRetry(
        () =>
          deps.ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId })),
        deps.sleep,
      );
      status = inv.Status;
      detail = [inv.StatusDetails, inv.StandardErrorContent].filter(Boolean).join(": ").slice(0, 500);
    } catch (error) {
      // The invocation is not visible for a moment after SendCommand.
      if (error instanceof Error && error.name === "InvocationDoesNotExist") continue;
      return { ok: false, commandId, status: "GetCommandInvocationFailed", detail: describe(error) };
    }
    if (status === "Success") return { ok: true, commandId, status };
    if (status !== undefined && TERMINAL.has(status)) return { ok: false, commandId, status, detail };
    deps.logger.debug("bootstrap still running", { instanceId, commandId, status });
  }
}

/**
 * Stops a bootstrap the reactor gave up on, so it cannot go on changing an instance that is being
 * abandoned. Best effort: the instance is terminated anyway, so a failure here is only logged.
 */
async function cancelQuietly(deps: ActionDeps, commandId: string, instanceId: string): Promise<void> {
  try {
    await deps.ssm.send(new CancelCommandCommand({ CommandId: commandId, InstanceIds: [instanceId] }));
  } catch (error) {
    deps.logger.warn("could not cancel the bootstrap", { instanceId, commandId, error: describe(error) });
  }
}

function delay(i: number): number {
  return POLL_DELAYS_MS[Math.min(i, POLL_DELAYS_MS.length - 1)]!;
}

function toSsmParameters(p: Readonly<Record<string, readonly string[]>>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, [...v]]));
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
