/**
 * The launch flow of the reactor (actions.ts): claim the (instance, action token) under a lease,
 * bootstrap the instance, complete the lifecycle action and record each step, so that a retry of the
 * same action resumes where the last attempt stopped.
 */
import {
  COMPLETION_RESERVE_MS,
  COMPLETION_RETRY_MS,
  FINISH_RESERVE_MS,
  HOLDER_ALIVE_MS,
  LEASE_MS,
  type Attempt,
  type Outcome,
  type ReactorDeps,
} from "./attempt";
import { runBootstrap, type BootstrapOutcome, type PollVerdict } from "./bootstrap";
import type { ProfileConfig } from "./contract";
import { ActionError } from "./errors";
import type { HistoryEntry, InstanceFacts, InventoryItem, LaunchAction, LeaseResult } from "./inventory";
import {
  completeLifecycleAction,
  describe,
  recordHeartbeat,
  retryTransient,
  type LifecycleActionRef,
} from "./lifecycle";

/** One attempt at a launch lifecycle action. */
export class Launch {
  private readonly end: number;
  /** Recorded with the next write under the lease (a write that failed is retried with the next one). */
  private pending: Record<string, string | number | boolean> = {};
  private lastHeartbeat = 0;
  private hookGone = false;

  constructor(
    private readonly deps: ReactorDeps,
    private readonly attempt: Attempt,
    private readonly facts: InstanceFacts,
    private readonly profile: ProfileConfig,
    private readonly ref: LifecycleActionRef,
    private readonly action: LaunchAction,
  ) {
    this.end = deps.now().getTime() + attempt.remainingMs();
  }

  private now(): number {
    return this.deps.now().getTime();
  }

  private claim() {
    return this.deps.inventory.claimLaunch(this.facts, this.action, this.attempt.id, this.leaseUntil());
  }

  /**
   * How long to keep retrying a completion: long enough for a throttling burst, short enough that
   * Lambda's retry (a minute later, within the maximum event age) can still take over.
   */
  private completionDeadline(): number {
    return Math.min(this.end - FINISH_RESERVE_MS, this.now() + COMPLETION_RETRY_MS);
  }

  /** Never past the invocation: a holder killed at its deadline must not block the retry. */
  private leaseUntil(): number {
    return Math.min(this.now() + LEASE_MS, this.end);
  }

  async run(): Promise<Outcome> {
    const { instanceId } = this.facts;
    let claim = await this.claim();
    if (claim.kind === "in_progress") {
      // Another attempt holds the action: a duplicate delivery racing it, or a retry of an attempt
      // that died (a crashed runtime cannot release its lease). A holder that renewed a moment ago
      // is alive: leave the action to it. Otherwise wait once for its lease to lapse and take over.
      const renewed = Date.parse(claim.item.updatedAt);
      const wait = (claim.item.leaseUntil ?? 0) - this.now() + 1_000;
      if (
        this.now() - renewed < HOLDER_ALIVE_MS ||
        wait <= 0 ||
        this.now() + wait > this.end - COMPLETION_RESERVE_MS
      ) {
        return { action: "none", instanceId, inventory: "in_progress" };
      }
      await this.deps.sleep(wait);
      claim = await this.claim();
    }
    switch (claim.kind) {
      case "done":
        return { action: "none", instanceId, inventory: "duplicate" };
      case "in_progress":
        return { action: "none", instanceId, inventory: "in_progress" };
      case "stale":
        return { action: "none", instanceId, inventory: "stale" };
      case "busy":
        // Another action's holder is alive; this one can only go on after it.
        throw new ActionError(
          "instance_busy",
          `${instanceId} is still held by lifecycle action ${claim.item.actionToken}`,
        );
      case "tombstoned": {
        // Never bootstrap a tombstone; release its hook so the group does not wait out the heartbeat.
        const c = await completeLifecycleAction(this.deps, this.ref, "ABANDON", this.completionDeadline());
        return {
          action: "abandon_tombstoned",
          instanceId,
          inventory: "stale",
          lifecycle: c.result,
          result: "ABANDON",
        };
      }
    }
    try {
      return await this.proceed(claim.item, claim.kind);
    } catch (error) {
      // Let the retry in at once rather than after the lease runs out.
      await this.deps.inventory
        .release(instanceId, this.action.token, this.attempt.id)
        .catch(() => undefined);
      throw error;
    }
  }

  private async proceed(item: InventoryItem, kind: "claimed" | "resumed"): Promise<Outcome> {
    const { instanceId } = this.facts;
    this.lastHeartbeat = item.lastHeartbeatAt ?? this.action.time;
    const bootstrap = this.profile.bootstrap;
    let result: "CONTINUE" | "ABANDON";
    let ran: BootstrapOutcome | undefined;
    if (item.actionStep === "command_done") {
      result = item.actionResult ?? "ABANDON";
    } else if (bootstrap === undefined || item.bootstrapped === true) {
      // Nothing to run: no bootstrap in the profile, or a warmed instance that ran it in the pool.
      result = "CONTINUE";
    } else {
      const sentAt = item.commandSentAt;
      const start = sentAt ?? this.now();
      ran = await runBootstrap(this.deps, {
        instanceId,
        bootstrap,
        token: this.action.token,
        group: this.facts.group,
        ...(item.actionCommandId !== undefined ? { commandId: item.actionCommandId } : {}),
        ...(sentAt !== undefined ? { sentAt } : {}),
        lookFirst: kind === "resumed",
        deadline: Math.min(start + bootstrap.timeoutSeconds * 1000, this.end - COMPLETION_RESERVE_MS),
        onCommand: (commandId, at) => {
          this.pending = {
            ...this.pending,
            actionStep: "command_sent",
            actionCommandId: commandId,
            commandSentAt: at,
          };
          return this.renew();
        },
        onPoll: () => this.renew(),
      });
      if (ran.kind === "stopped") {
        const why = this.hookGone ? "hook_gone" : ran.cancelled ? "superseded" : "lost_lease";
        this.deps.logger.warn("bootstrap stopped", {
          instanceId,
          why,
          commandId: ran.commandId,
          cancelled: ran.cancelled,
        });
        if (this.hookGone) {
          await this.finish("lapsed", undefined, "the lifecycle action ended while the bootstrap ran");
        }
        return {
          action: "bootstrap_stopped",
          instanceId,
          inventory: why,
          bootstrap: { status: why, ...(ran.commandId !== undefined ? { commandId: ran.commandId } : {}) },
        };
      }
      result = ran.kind === "success" ? "CONTINUE" : "ABANDON";
      this.pending = {
        ...this.pending,
        actionStep: "command_done",
        actionResult: result,
        ...(ran.commandId !== undefined ? { actionCommandId: ran.commandId } : {}),
        ...(ran.kind === "success"
          ? { bootstrapped: true, bootstrapCommandId: ran.commandId }
          : { detail: `${ran.status}: ${ran.detail}`.slice(0, 1000) }),
      };
      const recorded = await this.write();
      if (recorded !== "ok") return this.superseded(recorded, ran);
    }

    const completion = await completeLifecycleAction(this.deps, this.ref, result, this.completionDeadline());
    const state =
      completion.result === "no_active_action"
        ? "lapsed"
        : result === "ABANDON"
          ? "failed"
          : this.action.destination === "WarmPool"
            ? "warmed"
            : "in_service";
    const detail =
      state === "lapsed"
        ? completion.afterLostResponse
          ? `${result} was answered "no active lifecycle action" after an earlier call's answer was lost`
          : `${result} was answered "no active lifecycle action": AWS no longer waited on this instance`
        : ran?.kind === "failed"
          ? `${ran.status}: ${ran.detail}`
          : undefined;
    await this.finish(state, result, detail);
    return {
      action: "launch",
      instanceId,
      inventory: kind,
      lifecycle: completion.result,
      result,
      ...(ran !== undefined
        ? {
            bootstrap: {
              status: ran.kind === "success" ? "Success" : ran.kind === "failed" ? ran.status : "stopped",
              ...(ran.commandId !== undefined ? { commandId: ran.commandId } : {}),
              ...(ran.kind === "failed" ? { detail: ran.detail } : {}),
            },
          }
        : {}),
    };
  }

  /** Before each poll: keep the hook alive, renew the lease, and learn whether to go on. */
  private async renew(): Promise<PollVerdict> {
    const heartbeatMs = this.deps.config.heartbeatTimeoutSeconds * 1000;
    if (this.now() - this.lastHeartbeat >= heartbeatMs / 2) {
      const beat = await recordHeartbeat(this.deps, this.ref);
      if (beat === "no_active_action") {
        this.hookGone = true;
        return "stop_and_cancel";
      }
      if (beat === "recorded") {
        this.lastHeartbeat = this.now();
        this.pending.lastHeartbeatAt = this.lastHeartbeat;
      }
    }
    let recorded: LeaseResult;
    try {
      recorded = await this.write();
    } catch (error) {
      // The lease outlives a few failed renewals; what did not get written goes with the next one.
      this.deps.logger.warn("could not renew the claim", {
        instanceId: this.facts.instanceId,
        error: describe(error),
      });
      return "continue";
    }
    if (recorded === "ok") return "continue";
    return recorded === "lost" ? "stop" : "stop_and_cancel";
  }

  private async write(): Promise<LeaseResult> {
    const fields = this.pending;
    const recorded = await this.deps.inventory.advance(
      this.facts.instanceId,
      this.action.token,
      this.attempt.id,
      this.leaseUntil(),
      fields,
    );
    if (recorded === "ok" && this.pending === fields) this.pending = {};
    return recorded;
  }

  private async finish(
    state: "in_service" | "warmed" | "failed" | "lapsed",
    result: "CONTINUE" | "ABANDON" | undefined,
    detail: string | undefined,
  ): Promise<void> {
    if (Object.keys(this.pending).length > 0) await this.write();
    const entry: Omit<HistoryEntry, "at" | "state"> = {
      event: "lifecycle:launching",
      from: this.action.origin,
      to: this.action.destination,
      ...(result !== undefined ? { result } : {}),
    };
    // The hook is completed by now: try hard to record it, or the retry can only record "lapsed".
    const recorded = await retryTransient(this.deps, this.end - 500, () =>
      this.deps.inventory.finishLaunch(this.facts.instanceId, this.action.token, this.attempt.id, {
        state,
        event: `lifecycle:${result?.toLowerCase() ?? "lapsed"}`,
        entry,
        ...(detail !== undefined ? { detail } : {}),
      }),
    );
    if (recorded !== "ok") {
      this.deps.logger.warn("the instance moved on before its launch was recorded", {
        instanceId: this.facts.instanceId,
        recorded,
      });
    }
  }

  private async superseded(recorded: LeaseResult, ran: BootstrapOutcome): Promise<Outcome> {
    this.deps.logger.warn("the instance moved on while its bootstrap ran", {
      instanceId: this.facts.instanceId,
      recorded,
    });
    return {
      action: "bootstrap_stopped",
      instanceId: this.facts.instanceId,
      inventory: recorded,
      bootstrap: { status: recorded, ...(ran.commandId !== undefined ? { commandId: ran.commandId } : {}) },
    };
  }
}
