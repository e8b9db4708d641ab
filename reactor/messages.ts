/**
 * Autoscaling payloads inside a verified SNS Notification. We dispatch on the structured `Event` /
 * `LifecycleTransition` fields, never on the Subject (the seed matched "launch" in the Subject, so
 * any publisher who could choose a Subject chose the action).
 */
import type { GroupConfig } from "./config";
import { MessageError } from "./errors";

export const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

export type AutoscalingEvent = "launch" | "launch_error" | "terminate" | "terminate_error";

const EVENTS: Readonly<Record<string, AutoscalingEvent | "test">> = {
  "autoscaling:EC2_INSTANCE_LAUNCH": "launch",
  "autoscaling:EC2_INSTANCE_LAUNCH_ERROR": "launch_error",
  "autoscaling:EC2_INSTANCE_TERMINATE": "terminate",
  "autoscaling:EC2_INSTANCE_TERMINATE_ERROR": "terminate_error",
  "autoscaling:TEST_NOTIFICATION": "test",
};

const TRANSITIONS: Readonly<Record<string, "launching" | "terminating">> = {
  "autoscaling:EC2_INSTANCE_LAUNCHING": "launching",
  "autoscaling:EC2_INSTANCE_TERMINATING": "terminating",
};

export type AutoscalingMessage =
  /** Sent when notifications or a hook are configured; acknowledged, nothing else. */
  | { readonly kind: "test"; readonly asgName?: string }
  | {
      readonly kind: "lifecycle";
      readonly transition: "launching" | "terminating";
      readonly group: GroupConfig;
      readonly instanceId: string;
      readonly hookName: string;
      readonly token: string;
    }
  | {
      readonly kind: "event";
      readonly event: AutoscalingEvent;
      readonly group: GroupConfig;
      /** Absent only for a launch error that failed before any instance existed. */
      readonly instanceId?: string;
    };

function bad(code: string, text: string): never {
  throw new MessageError(code, text);
}

function str(m: Record<string, unknown>, key: string): string {
  const v = m[key];
  if (typeof v !== "string" || v === "") bad("missing_field", `${key} must be a non-empty string`);
  return v;
}

/** Parses an autoscaling message body; throws `MessageError` for anything we must not act on. */
export function parseAutoscalingMessage(
  body: string,
  groups: Readonly<Record<string, GroupConfig>>,
): AutoscalingMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new MessageError("not_json", "the SNS Message is not JSON", { cause: error });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    bad("not_object", "the SNS Message is not a JSON object");
  }
  const m = parsed as Record<string, unknown>;
  const hasEvent = m.Event !== undefined;
  const hasTransition = m.LifecycleTransition !== undefined;
  if (hasEvent === hasTransition)
    bad("no_event", "exactly one of Event or LifecycleTransition must be present");

  const group = (asgName: string): GroupConfig => {
    const g = Object.prototype.hasOwnProperty.call(groups, asgName) ? groups[asgName] : undefined;
    if (g === undefined)
      bad("unknown_group", `Auto Scaling group ${JSON.stringify(asgName)} is not managed here`);
    return g;
  };
  const instance = (id: string): string => {
    if (!INSTANCE_ID.test(id)) bad("instance_id", "EC2InstanceId is not an instance id");
    return id;
  };

  if (hasEvent) {
    const event = typeof m.Event === "string" ? EVENTS[m.Event] : undefined;
    if (event === undefined) bad("unknown_event", `unknown Event ${JSON.stringify(m.Event)}`);
    if (event === "test") {
      const asgName = typeof m.AutoScalingGroupName === "string" ? m.AutoScalingGroupName : undefined;
      return { kind: "test", ...(asgName !== undefined ? { asgName } : {}) };
    }
    const g = group(str(m, "AutoScalingGroupName"));
    // A launch can fail before EC2 hands out an instance; AWS then sends an empty EC2InstanceId.
    if (event === "launch_error" && m.EC2InstanceId === "") return { kind: "event", event, group: g };
    return { kind: "event", event, group: g, instanceId: instance(str(m, "EC2InstanceId")) };
  }

  const transition =
    typeof m.LifecycleTransition === "string" ? TRANSITIONS[m.LifecycleTransition] : undefined;
  if (transition === undefined)
    bad("unknown_event", `unknown LifecycleTransition ${JSON.stringify(m.LifecycleTransition)}`);
  return {
    kind: "lifecycle",
    transition,
    group: group(str(m, "AutoScalingGroupName")),
    instanceId: instance(str(m, "EC2InstanceId")),
    hookName: str(m, "LifecycleHookName"),
    token: str(m, "LifecycleActionToken"),
  };
}
