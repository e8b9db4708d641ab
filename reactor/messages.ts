/**
 * Autoscaling payloads inside a verified SNS Notification. We dispatch on the structured `Event` /
 * `LifecycleTransition` fields, never on the Subject (the seed matched "launch" in the Subject, so
 * any publisher who could choose a Subject chose the action).
 */
import type { GroupConfig } from "./contract";
import { MessageError, type MessageCode } from "./errors";

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

/**
 * Where an instance comes from and goes to, as Auto Scaling names it in lifecycle messages when the
 * group has a warm pool (AWS: "Warm pool example events and patterns"). Absent without a warm pool:
 * a launch is then EC2 → AutoScalingGroup and a termination AutoScalingGroup → EC2.
 */
export type Place = "EC2" | "AutoScalingGroup" | "WarmPool";
const PLACES: ReadonlySet<string> = new Set<Place>(["EC2", "AutoScalingGroup", "WarmPool"]);

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
      readonly origin: Place;
      readonly destination: Place;
      /** When Auto Scaling put the instance in its wait state (the message's `Time`), epoch ms; undefined if absent. */
      readonly time?: number;
    }
  | {
      readonly kind: "event";
      readonly event: AutoscalingEvent;
      readonly group: GroupConfig;
      /** Absent only for a launch error that failed before any instance existed. */
      readonly instanceId?: string;
      /** `WarmPool` when the notification is about the warm pool rather than the group itself. */
      readonly destination?: Place;
    };

function bad(code: MessageCode, text: string): never {
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

  const place = (key: "Origin" | "Destination", fallback: Place): Place => {
    const v = m[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== "string" || !PLACES.has(v))
      bad("unknown_place", `${key} ${JSON.stringify(v)} is not EC2, AutoScalingGroup or WarmPool`);
    return v as Place;
  };
  let time: number | undefined;
  if (m.Time !== undefined) {
    time = typeof m.Time === "string" ? Date.parse(m.Time) : NaN;
    if (!Number.isFinite(time)) bad("time", "Time is not an ISO 8601 time");
  }

  if (hasEvent) {
    const event = typeof m.Event === "string" ? EVENTS[m.Event] : undefined;
    if (event === undefined) bad("unknown_event", `unknown Event ${JSON.stringify(m.Event)}`);
    if (event === "test") {
      const asgName = typeof m.AutoScalingGroupName === "string" ? m.AutoScalingGroupName : undefined;
      return { kind: "test", ...(asgName !== undefined ? { asgName } : {}) };
    }
    const g = group(str(m, "AutoScalingGroupName"));
    const destination = m.Destination === undefined ? undefined : place("Destination", "AutoScalingGroup");
    const extra = destination !== undefined ? { destination } : {};
    // A launch can fail before EC2 hands out an instance; AWS then sends an empty EC2InstanceId.
    if (event === "launch_error" && m.EC2InstanceId === "")
      return { kind: "event", event, group: g, ...extra };
    return { kind: "event", event, group: g, instanceId: instance(str(m, "EC2InstanceId")), ...extra };
  }

  const transition =
    typeof m.LifecycleTransition === "string" ? TRANSITIONS[m.LifecycleTransition] : undefined;
  if (transition === undefined)
    bad("unknown_event", `unknown LifecycleTransition ${JSON.stringify(m.LifecycleTransition)}`);
  const launching = transition === "launching";
  return {
    kind: "lifecycle",
    transition,
    group: group(str(m, "AutoScalingGroupName")),
    instanceId: instance(str(m, "EC2InstanceId")),
    hookName: str(m, "LifecycleHookName"),
    token: str(m, "LifecycleActionToken"),
    origin: place("Origin", launching ? "EC2" : "AutoScalingGroup"),
    destination: place("Destination", launching ? "AutoScalingGroup" : "EC2"),
    ...(time !== undefined ? { time } : {}),
  };
}

export interface FreshnessLimits {
  /** Refuse messages whose SNS Timestamp is older than this. */
  readonly maxAgeMs: number;
  /** Refuse messages dated further in the future than this. */
  readonly clockSkewMs: number;
  /** A launch hook's heartbeat timeout: its message is useless, and acting on it harmful, after that. */
  readonly hookTimeoutMs: number;
}

/**
 * Refuses what is too old or dated in the future (a replay, however genuine its signature): a
 * message past `maxAgeMs`, and a launch hook message past the hook's heartbeat timeout — nothing
 * waits for that bootstrap any more, and the instance has long had the hook's default result.
 */
export function checkFresh(
  msg: AutoscalingMessage,
  sentAt: number,
  now: number,
  limits: FreshnessLimits,
): void {
  const times = [sentAt, ...(msg.kind === "lifecycle" && msg.time !== undefined ? [msg.time] : [])];
  if (times.some((t) => t - now > limits.clockSkewMs)) {
    bad(
      "future_message",
      `the message is dated ${Math.round((Math.max(...times) - now) / 1000)}s in the future`,
    );
  }
  if (now - sentAt > limits.maxAgeMs) {
    bad(
      "stale_message",
      `the message is ${Math.round((now - sentAt) / 1000)}s old, over the ${limits.maxAgeMs / 1000}s allowed`,
    );
  }
  if (msg.kind === "lifecycle" && msg.transition === "launching") {
    const started = msg.time ?? sentAt;
    if (now - started > limits.hookTimeoutMs + limits.clockSkewMs) {
      bad(
        "hook_expired",
        `the launch hook is ${Math.round((now - started) / 1000)}s old, past its ${limits.hookTimeoutMs / 1000}s heartbeat`,
      );
    }
  }
}
