// CloudWatch policies: every alarm acts, every scale-up alarm has a scale-down partner, and log
// groups keep their events long enough.

import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { T } from "./types";
import { field, isUnknown, path, plain, show, toNumber } from "./values";

const ACTION_LISTS = ["alarmActions", "okActions", "insufficientDataActions"] as const;

export const cloudwatchAlarmActionsPresent: ResourceValidationPolicy = {
  name: "cloudwatch-alarm-actions-present",
  description: "Checks that every metric alarm has at least one action and actions enabled.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== T.metricAlarm) {
      return;
    }
    const props = plain(args.props);
    const rule = `Metric alarm "${args.name}" must have at least one action (alarmActions, okActions or insufficientDataActions)`;
    const enabled = field(props, "actionsEnabled");
    if (isUnknown(enabled)) {
      reportViolation(`${rule}; cannot be verified at preview: actionsEnabled is unknown.`);
      return;
    }
    if (enabled === false) {
      reportViolation(`${rule}; it has actionsEnabled false.`);
      return;
    }
    const lists = ACTION_LISTS.map((key) => field(props, key));
    // An element unknown at preview is still an action (an ARN of a resource being created).
    if (lists.some((l) => Array.isArray(l) && l.length > 0)) {
      return;
    }
    if (lists.some(isUnknown)) {
      reportViolation(`${rule}; cannot be verified at preview: its action lists are unknown.`);
    } else {
      reportViolation(`${rule}; it has none.`);
    }
  },
};

type Direction = "up" | "down" | "other" | "unknown";

function direction(operator: unknown): Direction {
  if (isUnknown(operator)) {
    return "unknown";
  }
  if (operator === "LessThanLowerOrGreaterThanUpperThreshold") {
    return "other"; // anomaly band: fires both ways, neither a scale-up nor a scale-down trigger
  }
  if (typeof operator === "string" && operator.startsWith("Greater")) {
    return "up";
  }
  if (typeof operator === "string" && operator.startsWith("Less")) {
    return "down";
  }
  return "other";
}

/** Which way a scaling policy moves its group when an alarm triggers it. */
type Sign = "out" | "in" | "none" | "unknown";

function signOfNumbers(values: readonly unknown[]): Sign {
  if (values.length === 0 || values.some((v) => isUnknown(v) || toNumber(v) === undefined)) {
    return "unknown";
  }
  const numbers = values.map((v) => toNumber(v) ?? 0);
  if (numbers.every((n) => n > 0)) {
    return "out";
  }
  if (numbers.every((n) => n < 0)) {
    return "in";
  }
  return numbers.every((n) => n === 0) ? "none" : "unknown";
}

/**
 * A simple or step scaling policy's direction from its adjustments. ExactCapacity sets a size, not a
 * change, so whether it grows the group depends on the group's size at the time: unknown.
 */
function policySign(policy: PolicyResource): Sign {
  const props = plain(policy.props);
  const adjustmentType = field(props, "adjustmentType");
  if (isUnknown(adjustmentType) || adjustmentType === "ExactCapacity") {
    return "unknown";
  }
  const steps = field(props, "stepAdjustments");
  if (isUnknown(steps)) {
    return "unknown";
  }
  if (Array.isArray(steps) && steps.length > 0) {
    return signOfNumbers(steps.map((s) => field(s, "scalingAdjustment")));
  }
  return signOfNumbers([field(props, "scalingAdjustment")]);
}

/** What an alarm's actions do to autoscaling groups. */
interface Scaling {
  /** Scaling policies of this stack the alarm triggers. */
  readonly policies: ReadonlySet<PolicyResource>;
  /** Why the alarm might scale a group in ways the stack does not show, or undefined. */
  readonly opaque?: string;
}

const SCALING_POLICY_ARN = /^arn:aws[a-z-]*:autoscaling:[^:]*:\d*:scalingPolicy:/;

/** Resolves alarms to the autoscaling groups they watch or act on, by value and by property dependencies. */
class AlarmGraph {
  private readonly groupsByName = new Map<string, PolicyResource>();
  private readonly policiesByArn = new Map<string, PolicyResource>();

  constructor(private readonly resources: readonly PolicyResource[]) {
    for (const r of resources) {
      const props = plain(r.props);
      if (r.type === T.autoscalingGroup) {
        const name = field(props, "name");
        if (typeof name === "string" && !isUnknown(name)) {
          this.groupsByName.set(name, r);
        }
      } else if (r.type === T.scalingPolicy) {
        const arn = field(props, "arn");
        if (typeof arn === "string" && !isUnknown(arn)) {
          this.policiesByArn.set(arn, r);
        }
      }
    }
  }

  private groupsNamed(value: unknown, deps: readonly PolicyResource[]): PolicyResource[] {
    const byValue = typeof value === "string" ? this.groupsByName.get(value) : undefined;
    return [...(byValue ? [byValue] : []), ...deps.filter((d) => d.type === T.autoscalingGroup)];
  }

  /**
   * The scaling policies an alarm's actions trigger. An unknown action is one of the resources its
   * property dependencies name (the engine records every resource a value came from); with none
   * named it could be anything, and a scaling policy's ARN from outside the stack has a direction
   * nobody here can see: both are opaque.
   */
  scalingOf(alarm: PolicyResource): Scaling {
    const actions = field(plain(alarm.props), "alarmActions");
    const deps = alarm.propertyDependencies["alarmActions"] ?? [];
    const policies = new Set<PolicyResource>(deps.filter((d) => d.type === T.scalingPolicy));
    let opaque: string | undefined;
    if (isUnknown(actions) && deps.length === 0) {
      opaque = "its alarm actions are unknown";
    }
    for (const a of Array.isArray(actions) ? actions : []) {
      if (isUnknown(a)) {
        if (deps.length === 0) {
          opaque = "an alarm action is unknown and its dependencies name no resource";
        }
        continue;
      }
      const p = typeof a === "string" ? this.policiesByArn.get(a) : undefined;
      if (p) {
        policies.add(p);
      } else if (typeof a === "string" && SCALING_POLICY_ARN.test(a)) {
        opaque = `its action ${a} is a scaling policy outside this stack`;
      }
    }
    return { policies, ...(opaque !== undefined ? { opaque } : {}) };
  }

  /** The groups an alarm is about; `unresolved` when its group dimension is unknown and untraceable. */
  groupsOf(alarm: PolicyResource, scaling: Scaling): { groups: Set<PolicyResource>; unresolved: boolean } {
    const props = plain(alarm.props);
    const groups = new Set<PolicyResource>();
    const dimension = path(props, "dimensions", "AutoScalingGroupName");
    const dimensionGroups = this.groupsNamed(dimension, alarm.propertyDependencies["dimensions"] ?? []);
    dimensionGroups.forEach((g) => groups.add(g));
    const unresolved = isUnknown(dimension) && dimensionGroups.length === 0;
    for (const p of scaling.policies) {
      this.groupOfPolicy(p).forEach((g) => groups.add(g));
    }
    return { groups, unresolved };
  }

  groupOfPolicy(p: PolicyResource): PolicyResource[] {
    const name = field(plain(p.props), "autoscalingGroupName");
    return this.groupsNamed(name, p.propertyDependencies["autoscalingGroupName"] ?? []);
  }

  alarms(): PolicyResource[] {
    return this.resources.filter((r) => r.type === T.metricAlarm);
  }
}

/** How surely an alarm moves a group one way: for sure, perhaps (the reason), or not at all. */
type Moves = { readonly sure: true } | { readonly sure: false; readonly why: string } | undefined;

function moves(graph: AlarmGraph, scaling: Scaling, group: PolicyResource, way: "out" | "in"): Moves {
  let maybe: string | undefined = scaling.opaque;
  for (const p of scaling.policies) {
    const groups = graph.groupOfPolicy(p);
    if (!groups.includes(group) && groups.length > 0) {
      continue;
    }
    const sign = policySign(p);
    if (sign === way && groups.includes(group)) {
      return { sure: true };
    }
    if (sign === "unknown" || (sign === way && groups.length === 0)) {
      maybe ??= `the adjustment or group of scaling policy "${p.name}" is unknown`;
    }
  }
  return maybe !== undefined ? { sure: false, why: maybe } : undefined;
}

export const cloudwatchScaleUpAlarmHasScaleDown: StackValidationPolicy = {
  name: "cloudwatch-scale-up-alarm-has-scale-down",
  description:
    "Checks that every scale-up alarm (Greater* comparison, an action that scales the group out) on an autoscaling group has a scale-down alarm (Less* comparison, an action that scales it in) on the same group and metric with a strictly lower threshold, so the group cannot flap. Alarms that only notify need no partner.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const graph = new AlarmGraph(args.resources);
    const alarms = graph.alarms().map((alarm) => {
      const props = plain(alarm.props);
      const scaling = graph.scalingOf(alarm);
      return {
        alarm,
        scaling,
        operator: field(props, "comparisonOperator"),
        direction: direction(field(props, "comparisonOperator")),
        threshold: field(props, "threshold"),
        metric: `${String(field(props, "namespace"))}/${String(field(props, "metricName"))}`,
        ...graph.groupsOf(alarm, scaling),
      };
    });
    for (const up of alarms) {
      if (up.direction === "down" || up.direction === "other") {
        continue;
      }
      if (up.unresolved && up.groups.size === 0) {
        // Only an alarm that may scale something out needs a partner: a notify-only alarm does not.
        const scales = up.scaling.opaque !== undefined || up.scaling.policies.size > 0;
        if (up.direction === "up" && scales) {
          reportViolation(
            `Scale-up alarm "${up.alarm.name}" must have a scale-down alarm (Less* comparison) on the same autoscaling group with a lower threshold; cannot be verified at preview: its AutoScalingGroupName dimension is unknown and its dependencies name no group.`,
            up.alarm.urn,
          );
        }
        continue;
      }
      for (const group of up.groups) {
        const out = moves(graph, up.scaling, group, "out");
        if (out === undefined) {
          continue; // it watches the group but never scales it out: no flapping to prevent
        }
        const rule = `Scale-up alarm "${up.alarm.name}" (${isUnknown(up.operator) ? show(up.operator) : String(up.operator)} ${show(up.threshold)}) on autoscaling group "${group.name}" must have a scale-down alarm (Less* comparison) on the same group with a lower threshold`;
        if (up.direction === "unknown") {
          reportViolation(
            `Alarm "${up.alarm.name}" on autoscaling group "${group.name}" must, if it scales up, have a scale-down alarm (Less* comparison) on the same group with a lower threshold; cannot be verified at preview: comparisonOperator is unknown.`,
            up.alarm.urn,
          );
          continue;
        }
        const upThreshold = toNumber(up.threshold);
        // A partner watches the same metric (CPU >= 70 paired with NetworkIn <= 10 still flaps) and
        // scales the same group in.
        const candidates = alarms.filter(
          (d) => d.direction === "down" && d.groups.has(group) && d.metric === up.metric,
        );
        const downs = candidates.filter((d) => moves(graph, d.scaling, group, "in")?.sure === true);
        const lower = (d: (typeof alarms)[number]): boolean =>
          upThreshold !== undefined && (toNumber(d.threshold) ?? Infinity) < upThreshold;
        if (out.sure && downs.some(lower)) {
          continue;
        }
        // Alarms that might be the partner but cannot be placed: unknown direction on this group, a
        // scale-down alarm whose group is unknown, or one whose scaling cannot be seen.
        const undecided = alarms.filter(
          (d) =>
            d !== up &&
            ((d.direction === "unknown" && d.groups.has(group)) ||
              (d.direction === "down" &&
                d.unresolved &&
                d.groups.size === 0 &&
                (d.scaling.opaque !== undefined || d.scaling.policies.size > 0))),
        );
        const maybeDowns = candidates.filter((d) => moves(graph, d.scaling, group, "in")?.sure === false);
        if (!out.sure && !downs.some(lower)) {
          reportViolation(`${rule}; cannot be verified at preview: ${out.why}.`, up.alarm.urn);
        } else if (!out.sure) {
          continue; // a partner is there whether or not this alarm scales out
        } else if (isUnknown(up.threshold) || downs.some((d) => isUnknown(d.threshold))) {
          reportViolation(`${rule}; cannot be verified at preview: a threshold is unknown.`, up.alarm.urn);
        } else if (undecided.length > 0 || maybeDowns.some(lower)) {
          const names = [...undecided, ...maybeDowns.filter(lower)]
            .map((d) => `"${d.alarm.name}"`)
            .join(", ");
          reportViolation(
            `${rule}; cannot be verified at preview: the comparison, group or scaling of ${names} is unknown.`,
            up.alarm.urn,
          );
        } else if (downs.length === 0) {
          reportViolation(`${rule}; found none.`, up.alarm.urn);
        } else {
          const found = downs.map((d) => `"${d.alarm.name}" ${show(d.threshold)}`).join(", ");
          reportViolation(`${rule}; found only ${found}.`, up.alarm.urn);
        }
      }
    }
  },
};

/**
 * The minimum retention Security Hub's CloudWatch.16 uses by default (one year); a stack that keeps
 * logs shorter on purpose sets config `minimumRetentionDays`.
 */
export const DEFAULT_MINIMUM_RETENTION_DAYS = 365;

export interface RetentionConfig {
  readonly minimumRetentionDays?: number;
}

export const cloudwatchLogGroupRetentionMinimum: ResourceValidationPolicy = {
  name: "cloudwatch-log-group-retention-minimum",
  description: `Checks that log groups keep events at least the configured number of days (config "minimumRetentionDays", default ${DEFAULT_MINIMUM_RETENTION_DAYS}); no retention (never expire) passes.`,
  enforcementLevel: "advisory",
  configSchema: {
    properties: {
      minimumRetentionDays: { type: "integer", minimum: 1, default: DEFAULT_MINIMUM_RETENTION_DAYS },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== T.logGroup) {
      return;
    }
    const minimum = args.getConfig<RetentionConfig>().minimumRetentionDays ?? DEFAULT_MINIMUM_RETENTION_DAYS;
    const days = field(plain(args.props), "retentionInDays");
    const rule = `Log group "${args.name}" must keep its events at least ${minimum} days (retentionInDays)`;
    if (isUnknown(days)) {
      reportViolation(`${rule}; cannot be verified at preview: retentionInDays is unknown.`);
      return;
    }
    const n = toNumber(days);
    // 0 or unset: the events never expire.
    if (n !== undefined && n > 0 && n < minimum) {
      reportViolation(`${rule}; it keeps them ${n} days.`);
    }
  },
};
