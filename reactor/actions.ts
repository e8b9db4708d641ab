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
import { deadline, FINISH_RESERVE_MS, type Attempt, type Outcome, type ReactorDeps } from "./attempt";
import type { GroupConfig, ProfileConfig, ReactorConfig } from "./contract";
import { MessageError } from "./errors";
import type { InstanceFacts } from "./inventory";
import { completeLifecycleAction, type LifecycleActionRef } from "./lifecycle";
import { Launch } from "./launch";
import type { AutoscalingMessage, Place } from "./messages";

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
