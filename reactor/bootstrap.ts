/**
 * The bootstrap: one SSM Run Command per lifecycle action, found before it is ever resent (a
 * SendCommand resent blindly runs Salt twice), polled until it ends, cancelled when the instance is
 * going away. The document name and parameters go to SSM as data, never into a shell string.
 */
import {
  CancelCommandCommand,
  GetCommandInvocationCommand,
  ListCommandsCommand,
  SendCommandCommand,
} from "@aws-sdk/client-ssm";
import type { BootstrapConfig } from "./contract";
import {
  backoffDelay,
  describe,
  isAmbiguous,
  isTransient,
  retryTransient,
  type ActionDeps,
} from "./lifecycle";

/** What the caller learns at each step; `stop` ends the bootstrap (the instance is going away or is someone else's). */
export type PollVerdict = "continue" | "stop_and_cancel" | "stop";

export interface BootstrapRun {
  readonly instanceId: string;
  readonly bootstrap: BootstrapConfig;
  /** The lifecycle action token: carried in the command's comment, so a resend finds the first command. */
  readonly token: string;
  readonly group: string;
  /** A command already recorded for this action by an earlier attempt. */
  readonly commandId?: string;
  readonly sentAt?: number;
  /** An earlier attempt may have sent a command without recording it: look for it before sending. */
  readonly lookFirst: boolean;
  /** Epoch ms: give up (cancel, fail) then. */
  readonly deadline: number;
  /** Called once the command id is known, before the first poll. */
  readonly onCommand: (commandId: string, sentAt: number) => Promise<PollVerdict>;
  /** Called before every poll: renew the claim, look for a tombstone, send a heartbeat. */
  readonly onPoll: () => Promise<PollVerdict>;
}

export type BootstrapOutcome =
  | { readonly kind: "success"; readonly commandId: string }
  | { readonly kind: "failed"; readonly commandId?: string; readonly status: string; readonly detail: string }
  | { readonly kind: "stopped"; readonly commandId?: string; readonly cancelled: boolean };

const TERMINAL = new Set([
  "Success",
  "Failed",
  "Cancelled",
  "TimedOut",
  "Cancelling",
  "Undeliverable",
  "Terminated",
]);
/** First poll soon (short documents finish in seconds), then back off to keep API calls low. */
const POLL_DELAYS_MS = [1_000, 2_000, 3_000, 5_000];
/** How long after SendCommand the invocation may still be invisible (InvocationDoesNotExist). */
export const INVOCATION_VISIBLE_WITHIN_MS = 120_000;
/** ListCommands looks this far before the claim for a command an earlier attempt sent. */
const LOOKBACK_MS = 10 * 60_000;

/** The command's comment: the token first, so the 100-character limit never cuts it. */
export function commandComment(token: string, group: string, instanceId: string): string {
  return `pillar ${token} ${group} ${instanceId}`.slice(0, 100);
}

/**
 * Sends the bootstrap command (or adopts the one an earlier attempt sent) and polls it until it
 * ends, the deadline passes or the caller says stop. Never throws for the command's own failure or
 * for AWS errors: it returns them, so the caller can ABANDON.
 */
export async function runBootstrap(deps: ActionDeps, run: BootstrapRun): Promise<BootstrapOutcome> {
  const now = () => deps.now().getTime();
  const past = () => now() >= run.deadline;
  // Never sleep past the deadline: the time after it is reserved for completing the hook.
  const pause = (ms: number) => deps.sleep(Math.max(0, Math.min(ms, run.deadline - now())));

  let commandId = run.commandId;
  let sentAt = run.sentAt ?? now();
  if (commandId === undefined) {
    const sent = await sendOnce(deps, run, past, pause);
    if (sent.kind !== "sent") return sent;
    commandId = sent.commandId;
    sentAt = sent.sentAt;
    const verdict = await run.onCommand(commandId, sentAt);
    if (verdict !== "continue") return stop(deps, verdict, commandId, run.instanceId);
  }

  let transientFailures = 0;
  for (let poll = 0; ; poll++) {
    if (past()) {
      await cancelQuietly(deps, commandId, run.instanceId);
      return {
        kind: "failed",
        commandId,
        status: "DeadlineExceeded",
        detail: "bootstrap did not finish in time",
      };
    }
    await pause(transientFailures > 0 ? backoffDelay(deps, transientFailures) : delay(poll));
    const verdict = await run.onPoll();
    if (verdict !== "continue") return stop(deps, verdict, commandId, run.instanceId);
    let status: string | undefined;
    let detail = "";
    try {
      const inv = await deps.ssm.send(
        new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: run.instanceId }),
      );
      transientFailures = 0;
      status = inv.Status;
      detail = [inv.StatusDetails, inv.StandardErrorContent].filter(Boolean).join(": ").slice(0, 500);
    } catch (error) {
      // The invocation is not visible for a moment after SendCommand; for longer, it never will be.
      const invisible = error instanceof Error && error.name === "InvocationDoesNotExist";
      if ((invisible && now() - sentAt < INVOCATION_VISIBLE_WITHIN_MS) || isTransient(error)) {
        transientFailures++;
        continue;
      }
      await cancelQuietly(deps, commandId, run.instanceId);
      return { kind: "failed", commandId, status: "GetCommandInvocationFailed", detail: describe(error) };
    }
    if (status === "Success") return { kind: "success", commandId };
    if (status !== undefined && TERMINAL.has(status)) return { kind: "failed", commandId, status, detail };
    deps.logger.debug("bootstrap still running", { instanceId: run.instanceId, commandId, status });
  }
}

type Sent = { readonly kind: "sent"; readonly commandId: string; readonly sentAt: number };

async function sendOnce(
  deps: ActionDeps,
  run: BootstrapRun,
  past: () => boolean,
  pause: (ms: number) => Promise<void>,
): Promise<Sent | Extract<BootstrapOutcome, { kind: "failed" }>> {
  if (past())
    return { kind: "failed", status: "DeadlineExceeded", detail: "no time left to run the bootstrap" };
  let lookFirst = run.lookFirst;
  let last: unknown;
  // A fresh instance's SSM agent takes a while to register; until it does SendCommand answers
  // InvalidInstanceId. That is expected right after launch, so it is waited out like throttling.
  for (let failures = 0; !past(); failures++) {
    try {
      if (lookFirst) {
        const found = await findCommand(deps, run);
        if (found !== undefined) {
          deps.logger.info("adopted the command an earlier attempt sent", {
            instanceId: run.instanceId,
            commandId: found.commandId,
          });
          return { kind: "sent", ...found };
        }
        lookFirst = false;
      }
      const out = await deps.ssm.send(
        new SendCommandCommand({
          DocumentName: run.bootstrap.document,
          InstanceIds: [run.instanceId],
          Parameters: toSsmParameters(run.bootstrap.parameters),
          TimeoutSeconds: run.bootstrap.timeoutSeconds,
          Comment: commandComment(run.token, run.group, run.instanceId),
        }),
      );
      const commandId = out.Command?.CommandId;
      if (commandId === undefined)
        return { kind: "failed", status: "NoCommandId", detail: "SendCommand returned no id" };
      return { kind: "sent", commandId, sentAt: deps.now().getTime() };
    } catch (error) {
      last = error;
      const name = error instanceof Error ? error.name : "";
      if (name !== "InvalidInstanceId" && !isTransient(error)) {
        return { kind: "failed", status: "SendCommandFailed", detail: describe(error) };
      }
      // The command may exist although we got no id back: look before sending again.
      if (isAmbiguous(error)) lookFirst = true;
      await pause(name === "InvalidInstanceId" ? delay(failures) : backoffDelay(deps, failures));
    }
  }
  const name = last instanceof Error ? last.name : "";
  return {
    kind: "failed",
    status: name === "InvalidInstanceId" ? "AgentNotReady" : "SendCommandFailed",
    detail: last === undefined ? "no time left to run the bootstrap" : describe(last),
  };
}

/** The command an earlier attempt sent for this action, found by the token in its comment. */
async function findCommand(
  deps: ActionDeps,
  run: BootstrapRun,
): Promise<{ commandId: string; sentAt: number } | undefined> {
  const since = new Date(deps.now().getTime() - LOOKBACK_MS).toISOString().replace(/\.\d{3}Z$/, "Z");
  let nextToken: string | undefined;
  do {
    const out = await deps.ssm.send(
      new ListCommandsCommand({
        InstanceId: run.instanceId,
        Filters: [{ key: "InvokedAfter", value: since }],
        MaxResults: 50,
        ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
      }),
    );
    for (const c of out.Commands ?? []) {
      if (c.CommandId !== undefined && c.Comment?.split(" ")[1] === run.token) {
        return { commandId: c.CommandId, sentAt: c.RequestedDateTime?.getTime() ?? deps.now().getTime() };
      }
    }
    nextToken = out.NextToken;
  } while (nextToken !== undefined);
  return undefined;
}

async function stop(
  deps: ActionDeps,
  verdict: Exclude<PollVerdict, "continue">,
  commandId: string,
  instanceId: string,
): Promise<BootstrapOutcome> {
  if (verdict === "stop") return { kind: "stopped", commandId, cancelled: false };
  await cancelQuietly(deps, commandId, instanceId);
  return { kind: "stopped", commandId, cancelled: true };
}

/**
 * Stops a bootstrap the reactor gave up on, so it cannot go on changing an instance that is being
 * abandoned or terminated. A few tries; a failure is only logged: the instance is going away anyway.
 */
export async function cancelQuietly(deps: ActionDeps, commandId: string, instanceId: string): Promise<void> {
  const until = deps.now().getTime() + 5_000;
  try {
    await retryTransient(deps, until, () =>
      deps.ssm.send(new CancelCommandCommand({ CommandId: commandId, InstanceIds: [instanceId] })),
    );
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
