/**
 * What the reactor does for each autoscaling message, per the reactor profile of its group (the
 * seed's `ec2.autoscale.<name>`): record, bootstrap and release launching instances; tombstone and
 * release terminating ones; keep the inventory current from plain notifications.
 *
 * Each message is acted on at most once: the inventory's conditional write is the claim. A
 * redelivery finds its MessageId already applied and does nothing, so two concurrent deliveries
 * never run the bootstrap twice. If an invocation dies between the claim and the completion, the
 * lifecycle hook's heartbeat runs out and its default result applies.
 */
import type { GroupConfig, ProfileConfig, ReactorConfig } from "./config";
import { MessageError } from "./errors";
import type { InstanceFacts, Inventory, TransitionResult } from "./inventory";
import { completeLifecycleAction, runBootstrap, type ActionDeps, type CompletionResult } from "./lifecycle";
import type { AutoscalingMessage } from "./messages";

export interface ReactorDeps extends ActionDeps {
  readonly config: ReactorConfig;
  readonly inventory: Inventory;
}

/** Time kept back from the Lambda deadline to complete the lifecycle action and record it. */
export const COMPLETION_RESERVE_MS = 10_000;

/** What happened, for the structured log line and for tests. */
export interface Outcome {
  readonly action: string;
  readonly instanceId?: string;
  readonly inventory?: TransitionResult;
  readonly lifecycle?: CompletionResult;
  readonly result?: "CONTINUE" | "ABANDON";
  readonly bootstrap?: { readonly status: string; readonly commandId?: string; readonly detail?: string };
}

export async function act(
  deps: ReactorDeps,
  messageId: string,
  msg: AutoscalingMessage,
  remainingMs: () => number,
): Promise<Outcome> {
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
    if (msg.transition === "terminating") {
      const recorded = await deps.inventory.transition(facts, {
        state: "terminated",
        messageId,
        event: "lifecycle:terminating",
      });
      // Completing a terminate hook is idempotent (a second time answers "no active lifecycle
      // action"), so a redelivery completes it again: that is what lets a retried invocation
      // whose first attempt died after the tombstone still release the instance.
      const lifecycle = await completeLifecycleAction(deps, ref, "CONTINUE");
      return {
        action: "terminate",
        instanceId: msg.instanceId,
        inventory: recorded,
        lifecycle,
        result: "CONTINUE",
      };
    }
    return launch(deps, messageId, facts, profile, ref, remainingMs);
  }

  const { event, instanceId } = msg;
  if (instanceId === undefined) return { action: "launch_error_without_instance" };
  if (event === "terminate_error") return { action: "none", instanceId };
  const facts = factsOf(instanceId, msg.group, profile);
  const state = event === "launch" ? "in_service" : event === "launch_error" ? "failed" : "terminated";
  const recorded = await deps.inventory.transition(facts, { state, messageId, event: `event:${event}` });
  return { action: `record_${state}`, instanceId, inventory: recorded };
}

async function launch(
  deps: ReactorDeps,
  messageId: string,
  facts: InstanceFacts,
  profile: ProfileConfig,
  ref: { asgName: string; hookName: string; token: string; instanceId: string },
  remainingMs: () => number,
): Promise<Outcome> {
  const { instanceId } = facts;
  const recorded = await deps.inventory.transition(facts, {
    state: "bootstrapping",
    messageId,
    event: "lifecycle:launching",
  });
  if (recorded === "duplicate") return { action: "none", instanceId, inventory: recorded };
  if (recorded === "stale") {
    // Already tombstoned (or further on): never bootstrap it. Release the hook only for a
    // tombstone, so the ASG does not wait out the heartbeat on an instance that is going away.
    const current = await deps.inventory.get(instanceId);
    if (current?.state !== "terminated") return { action: "none", instanceId, inventory: recorded };
    const lifecycle = await completeLifecycleAction(deps, ref, "ABANDON");
    return { action: "abandon_tombstoned", instanceId, inventory: recorded, lifecycle, result: "ABANDON" };
  }

  const bootstrap = profile.bootstrap;
  if (bootstrap === undefined) {
    const lifecycle = await completeLifecycleAction(deps, ref, "CONTINUE");
    await deps.inventory.transition(facts, {
      state: "in_service",
      messageId,
      step: "completed",
      event: "lifecycle:continue",
    });
    return { action: "launch", instanceId, inventory: recorded, lifecycle, result: "CONTINUE" };
  }

  const start = deps.now().getTime();
  const deadline = start + Math.min(bootstrap.timeoutSeconds * 1000, remainingMs() - COMPLETION_RESERVE_MS);
  const outcome = await runBootstrap(
    deps,
    instanceId,
    bootstrap,
    deadline,
    `pillar reactor: ${facts.group} ${instanceId}`,
  );
  const result = outcome.ok ? "CONTINUE" : "ABANDON";
  const lifecycle = await completeLifecycleAction(deps, ref, result);
  await deps.inventory.transition(facts, {
    state: outcome.ok ? "in_service" : "failed",
    messageId,
    step: "completed",
    event: `lifecycle:${result.toLowerCase()}`,
    ...(outcome.commandId !== undefined ? { bootstrapCommandId: outcome.commandId } : {}),
    ...(outcome.ok ? {} : { detail: `${outcome.status}: ${outcome.detail}` }),
  });
  return {
    action: "launch",
    instanceId,
    inventory: recorded,
    lifecycle,
    result,
    bootstrap: {
      status: outcome.status,
      ...(outcome.commandId !== undefined ? { commandId: outcome.commandId } : {}),
      ...(outcome.ok ? {} : { detail: outcome.detail }),
    },
  };
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
