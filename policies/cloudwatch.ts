// CloudWatch alarm policies: every alarm acts, and every scale-up alarm has a scale-down partner.

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

  /** The groups an alarm is about; `unresolved` when its group dimension is unknown and untraceable. */
  groupsOf(alarm: PolicyResource): { groups: Set<PolicyResource>; unresolved: boolean } {
    const props = plain(alarm.props);
    const groups = new Set<PolicyResource>();
    const dimension = path(props, "dimensions", "AutoScalingGroupName");
    const dimensionGroups = this.groupsNamed(dimension, alarm.propertyDependencies["dimensions"] ?? []);
    dimensionGroups.forEach((g) => groups.add(g));
    const unresolved = isUnknown(dimension) && dimensionGroups.length === 0;

    const actions = field(props, "alarmActions");
    const policies = new Set<PolicyResource>(
      (alarm.propertyDependencies["alarmActions"] ?? []).filter((d) => d.type === T.scalingPolicy),
    );
    if (Array.isArray(actions)) {
      for (const a of actions) {
        const p = typeof a === "string" ? this.policiesByArn.get(a) : undefined;
        if (p) {
          policies.add(p);
        }
      }
    }
    for (const p of policies) {
      const name = field(plain(p.props), "autoscalingGroupName");
      this.groupsNamed(name, p.propertyDependencies["autoscalingGroupName"] ?? []).forEach((g) =>
        groups.add(g),
      );
    }
    return { groups, unresolved };
  }

  alarms(): PolicyResource[] {
    return this.resources.filter((r) => r.type === T.metricAlarm);
  }
}

export const cloudwatchScaleUpAlarmHasScaleDown: StackValidationPolicy = {
  name: "cloudwatch-scale-up-alarm-has-scale-down",
  description:
    "Checks that every scale-up alarm (Greater* comparison) on an autoscaling group has a scale-down alarm (Less* comparison) on the same group with a strictly lower threshold, so the group cannot flap.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const graph = new AlarmGraph(args.resources);
    const alarms = graph.alarms().map((alarm) => {
      const props = plain(alarm.props);
      return {
        alarm,
        operator: field(props, "comparisonOperator"),
        direction: direction(field(props, "comparisonOperator")),
        threshold: field(props, "threshold"),
        metric: `${String(field(props, "namespace"))}/${String(field(props, "metricName"))}`,
        ...graph.groupsOf(alarm),
      };
    });
    for (const up of alarms) {
      if (up.direction === "down" || up.direction === "other") {
        continue;
      }
      if (up.unresolved && up.groups.size === 0) {
        if (up.direction === "up") {
          reportViolation(
            `Scale-up alarm "${up.alarm.name}" must have a scale-down alarm (Less* comparison) on the same autoscaling group with a lower threshold; cannot be verified at preview: its AutoScalingGroupName dimension is unknown and its dependencies name no group.`,
            up.alarm.urn,
          );
        }
        continue;
      }
      for (const group of up.groups) {
        const rule = `Scale-up alarm "${up.alarm.name}" (${isUnknown(up.operator) ? show(up.operator) : String(up.operator)} ${show(up.threshold)}) on autoscaling group "${group.name}" must have a scale-down alarm (Less* comparison) on the same group with a lower threshold`;
        if (up.direction === "unknown") {
          reportViolation(
            `Alarm "${up.alarm.name}" on autoscaling group "${group.name}" must, if it scales up, have a scale-down alarm (Less* comparison) on the same group with a lower threshold; cannot be verified at preview: comparisonOperator is unknown.`,
            up.alarm.urn,
          );
          continue;
        }
        const upThreshold = toNumber(up.threshold);
        // A partner watches the same metric: CPU >= 70 paired with NetworkIn <= 10 still flaps.
        const downs = alarms.filter(
          (d) => d.direction === "down" && d.groups.has(group) && d.metric === up.metric,
        );
        if (
          upThreshold !== undefined &&
          downs.some((d) => (toNumber(d.threshold) ?? Infinity) < upThreshold)
        ) {
          continue;
        }
        // Alarms that might be the partner but cannot be placed: unknown direction on this group, or
        // a scale-down alarm whose group is unknown.
        const undecided = alarms.filter(
          (d) =>
            d !== up &&
            ((d.direction === "unknown" && d.groups.has(group)) ||
              (d.direction === "down" && d.unresolved && d.groups.size === 0)),
        );
        if (isUnknown(up.threshold) || downs.some((d) => isUnknown(d.threshold))) {
          reportViolation(`${rule}; cannot be verified at preview: a threshold is unknown.`, up.alarm.urn);
        } else if (undecided.length > 0) {
          const names = undecided.map((d) => `"${d.alarm.name}"`).join(", ");
          reportViolation(
            `${rule}; cannot be verified at preview: the comparison or group of ${names} is unknown.`,
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
