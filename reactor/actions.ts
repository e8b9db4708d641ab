/**
 * What the reactor does for each autoscaling message, per the reactor profile of its group (the
 * seed's `ec2.autoscale.<name>`): claim, bootstrap and release launching instances; tombstone and
 * release terminating ones (or send them back to the warm pool); keep the inventory current from
 * plain notifications without ever pre-empting a lifecycle flow.
 *
 * The launch flow is resumable, not at-most-once: each step is recorded under a lease on the
 * (instance, action token) claim, so a retry of the same action — Lambda's async retry, an SNS
 * redelivery, an SDK retry whose first answer was lost — picks up where the last attempt stopped,
 * while another delivery of the same action is a duplicate. An attempt that cannot finish throws
 * (after releasing its lease), so Lambda retries it and the last failure reaches the on-failure
 * destination and its alarm.
 */
import type { GroupConfig, ProfileConfig, ReactorConfig } from "./contract";
import { ActionError, MessageError } from "./errors";
import type {
  HistoryEntry,
  InstanceFacts,
  Inventory,
  InventoryItem,
  LaunchAction,
  LeaseResult,
} from "./inventory";
import {
  completeLifecycleAction,
  describe,
  recordHeartbeat,
  retryTransient,
  runBootstrap,
  type ActionDeps,
  type BootstrapOutcome,
  type CompletionResult,
  type LifecycleActionRef,
  type PollVerdict,
} from "./lifecycle";
import type { AutoscalingMessage, Place } from "./messages";

export interface ReactorDeps extends ActionDeps {
  readonly config: ReactorConfig;
  readonly inventory: Inventory;
}

/** Time kept back from the Lambda deadline to complete the lifecycle action and record it. */
export const COMPLETION_RESERVE_MS = 10_000;
/** Time kept back from the Lambda deadline after the last completion attempt, to record and return. */
const FINISH_RESERVE_MS = 2_000;
/**
 * How long a claim stays ours without renewal. The holder renews it before every poll (seconds
 * apart); a holder that died lets a retry take over after this, or at the invocation's deadline,
 * whichever is sooner.
 */
export const LEASE_MS = 60_000;
/** A holder that wrote within this long is alive (it renews before every poll, seconds apart). */
const HOLDER_ALIVE_MS = 15_000;
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

export async function act(deps: ReactorDeps, attempt: Attempt, msg: AutoscalingMessage): Promise<Outcome> {
  if (msg.kind === "test") return { action: "test_notification" };
  const profile = profileOf(deps.config, msg.group);
  if (msg.kind === "lifecycle") {
    const facts = factsOf(msg.instanceId, msg.group, profile);
    const ref = {
      asgName: msg.group.asgName,
      hookName: msg.hookName,
      token: msg.token,
      instanceId: msg.instanceId,
    };
    const time = msg.time ?? attempt.sentAt;
    if (msg.transition === "launching") {
      return new Launch(deps, attempt, facts, profile, ref, {
        token: msg.token,
        hookName: msg.hookName,
        messageId: attempt.messageId,
        origin: msg.origin,
        destination: msg.destination,
        time,
      }).run();
    }
    return terminating(deps, attempt, facts, ref, msg.origin, msg.destination, time);
  }

  const { event, instanceId } = msg;
  if (instanceId === undefined) return { action: "launch_error_without_instance" };
  if (event === "terminate_error") return { action: "none", instanceId };
  const facts = factsOf(instanceId, msg.group, profile);
  const inv = deps.inventory;
  const mid = attempt.messageId;
  const toPool = msg.destination === "WarmPool";
  if (event === "terminate") {
    // With instance reuse a scale-in sends the instance back to the pool; it is not gone.
    if (toPool) {
      const recorded = await inv.notify(
        facts,
        mid,
        "event:terminate →WarmPool",
        "warmed",
        ["in_service", "lapsed"],
        false,
      );
      return { action: "record_warmed", instanceId, inventory: recorded };
    }
    const recorded = await inv.tombstone(facts, mid, mid, "event:terminate");
    return { action: "record_terminated", instanceId, inventory: recorded };
  }
  if (event === "launch_error") {
    // A launch error ends any flow: Auto Scaling has given the instance up.
    const recorded = await inv.notify(
      facts,
      mid,
      "event:launch_error",
      "failed",
      ["pending", "lapsed", "launching"],
      true,
    );
    return { action: "record_failed", instanceId, inventory: recorded };
  }
  // A launch notification may overtake its lifecycle hook; it must not claim what the flow decides.
  // It settles only a flow whose hook lapsed (AWS says the launch went on), or notes the instance.
  const to = toPool ? "warmed" : "in_service";
  let recorded = await inv.notify(
    facts,
    mid,
    `event:launch${toPool ? " →WarmPool" : ""}`,
    to,
    ["lapsed"],
    false,
  );
  if (recorded === "applied") return { action: `record_${to}`, instanceId, inventory: recorded };
  if (recorded === "ignored") recorded = await inv.notify(facts, mid, "event:launch", "pending", [], true);
  return { action: recorded === "applied" ? "record_pending" : "none", instanceId, inventory: recorded };
}

async function terminating(
  deps: ReactorDeps,
  attempt: Attempt,
  facts: InstanceFacts,
  ref: LifecycleActionRef,
  origin: Place,
  destination: Place,
  time: number,
): Promise<Outcome> {
  const entry = {
    event: "lifecycle:terminating",
    from: origin,
    to: destination,
    result: "CONTINUE" as const,
  };
  const recorded =
    destination === "WarmPool"
      ? await deps.inventory.returnToPool(facts, ref.token, attempt.messageId, time, entry)
      : await deps.inventory.tombstone(
          facts,
          ref.token,
          attempt.messageId,
          `lifecycle:terminating ${origin}→${destination}`,
          entry,
        );
  // Completing a terminate hook again only answers "no active lifecycle action", so a redelivery
  // completes it again: that is what lets a retry whose first attempt died after the write still
  // release the instance.
  const completion = await completeLifecycleAction(
    deps,
    ref,
    "CONTINUE",
    deadline(deps, attempt, FINISH_RESERVE_MS),
  );
  return {
    action: destination === "WarmPool" ? "return_to_pool" : "terminate",
    instanceId: ref.instanceId,
    inventory: recorded,
    lifecycle: completion.result,
    result: "CONTINUE",
  };
}

function deadline(deps: ActionDeps, attempt: Attempt, reserve: number): number {
  const now = deps.now().getTime();
  return Math.min(now + attempt.remainingMs() - reserve, now + COMPLETION_RETRY_MS);
}

/** One attempt at a launch lifecycle action. */
class Launch {
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

function profileOf(config: ReactorConfig, group: GroupConfig): ProfileConfig {
  const profile = config.profiles[group.profile];
  // loadConfig checks every group's profile exists; this guards hand-built configs in tests.
  if (profile === undefined)
    throw new MessageError("unknown_profile", `group ${group.group} names no known profile`);
  return profile;
}

function factsOf(instanceId: string, group: GroupConfig, profile: ProfileConfig): InstanceFacts {
  const roles = profile.grains.roles;
  const env = profile.grains.env;
  return {
    instanceId,
    group: group.group,
    asgName: group.asgName,
    profile: profile.name,
    roles: roles === undefined ? [] : typeof roles === "string" ? [roles] : [...roles],
    ...(env !== undefined ? { env: typeof env === "string" ? env : env.join(",") } : {}),
  };
}
