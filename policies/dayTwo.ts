// Day-two policies: what a later `pulumi up` must not destroy or undo. A stateful server keeps its
// data (termination protection, volumes that outlive it, snapshots); a group's size belongs to the
// scalers that change it.

import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { T } from "./types";
import { field, isObject, isUnknown, plain, show, toBoolean, toNumber } from "./values";

/** The tag pillar writes on every instance; an instance without it is treated as stateful (safe by default). */
export const STATEFUL_TAG = "pillar:stateful";

type Verdict = "yes" | "no" | "unknown";

/**
 * Whether one DLM policy snapshots an instance with these tags: enabled, EBS snapshots of INSTANCE
 * resources, and every one of its target tags on the instance. Requiring all target tags is right
 * whether DLM matches any or all of them.
 */
function snapshots(policy: unknown, tags: unknown): Verdict {
  const state = field(policy, "state");
  const details = field(policy, "policyDetails");
  const type = field(details, "policyType");
  const types = field(details, "resourceTypes");
  const targets = field(details, "targetTags");
  if ([state, details, type, types, targets].some(isUnknown)) {
    return "unknown";
  }
  if (state === "DISABLED" || (type !== undefined && type !== "EBS_SNAPSHOT_MANAGEMENT")) {
    return "no";
  }
  if (!Array.isArray(types) || !isObject(targets) || Object.keys(targets).length === 0) {
    return "no";
  }
  if (!types.includes("INSTANCE")) {
    return types.some(isUnknown) ? "unknown" : "no";
  }
  let verdict: Verdict = "yes";
  for (const [key, value] of Object.entries(targets)) {
    const have = field(tags, key);
    if (isUnknown(value) || isUnknown(have)) {
      verdict = "unknown";
    } else if (have !== value) {
      return "no";
    }
  }
  return verdict;
}

/** Problems with the volumes of an instance: each must outlive it. */
function volumeProblems(props: unknown, rule: string): string[] {
  const root = field(props, "rootBlockDevice");
  const out: string[] = [];
  if (isUnknown(root)) {
    out.push(`${rule}; cannot be verified at preview: rootBlockDevice is unknown.`);
  } else if (!isObject(root)) {
    out.push(
      field(props, "launchTemplate")
        ? `${rule}; cannot be verified: its volumes come from a launch template.`
        : `${rule}; it declares no rootBlockDevice, so its root volume is deleted with it (the provider's default).`,
    );
  } else {
    const keep = field(root, "deleteOnTermination");
    if (isUnknown(keep)) {
      out.push(`${rule}; cannot be verified at preview: rootBlockDevice.deleteOnTermination is unknown.`);
    } else if (toBoolean(keep) !== false) {
      out.push(`${rule}; rootBlockDevice.deleteOnTermination is ${show(keep)} (unset means true).`);
    }
  }
  const ebs = field(props, "ebsBlockDevices");
  if (isUnknown(ebs)) {
    out.push(`${rule}; cannot be verified at preview: ebsBlockDevices is unknown.`);
  } else if (Array.isArray(ebs)) {
    ebs.forEach((d, i) => {
      const keep = field(d, "deleteOnTermination");
      if (isUnknown(keep)) {
        out.push(
          `${rule}; cannot be verified at preview: ebsBlockDevices[${i}].deleteOnTermination is unknown.`,
        );
      } else if (toBoolean(keep) !== false) {
        out.push(`${rule}; ebsBlockDevices[${i}].deleteOnTermination is ${show(keep)} (unset means true).`);
      }
    });
  }
  return out;
}

export const ec2StatefulInstanceProtected: StackValidationPolicy = {
  name: "ec2-stateful-instance-protected",
  description:
    'Checks that EC2 instances of stateful profiles (every instance not tagged pillar:stateful "false") have termination protection, volumes that outlive them, and an enabled Data Lifecycle Manager policy that snapshots them by their tags.',
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    'Keep the profile stateful (the default) so pillar sets disableApiTermination, deleteOnTermination false and a DLM policy on the "pillar:snapshots" tag; for a server without data, set stateful: false in its profile.',
  validateStack: (args, reportViolation) => {
    const policies = args.resources.filter((r) => r.type === T.dlmLifecyclePolicy).map((r) => plain(r.props));
    for (const instance of args.resources.filter((r) => r.type === T.instance)) {
      const props = plain(instance.props);
      const subject = `Instance "${instance.name}" of a stateful profile`;
      const report = (m: string) => reportViolation(m, instance.urn);
      const tags = field(props, "tags");
      const marker = field(tags, STATEFUL_TAG);
      if (isUnknown(marker)) {
        report(
          `${subject} must keep its data; cannot be verified at preview: its ${STATEFUL_TAG} tag is unknown.`,
        );
        continue;
      }
      if (marker === "false") {
        continue;
      }
      const protection = field(props, "disableApiTermination");
      const termination = `${subject} must have termination protection (disableApiTermination true)`;
      if (isUnknown(protection)) {
        report(`${termination}; cannot be verified at preview: disableApiTermination is unknown.`);
      } else if (toBoolean(protection) !== true) {
        report(`${termination}; it has ${show(protection)}.`);
      }
      volumeProblems(
        props,
        `${subject} must keep its volumes when terminated (deleteOnTermination false)`,
      ).forEach(report);
      const verdicts = policies.map((p) => snapshots(p, tags));
      const covered = `${subject} must be snapshotted by an enabled Data Lifecycle Manager policy for INSTANCE resources whose target tags it carries`;
      if (verdicts.includes("yes")) {
        continue;
      }
      if (verdicts.includes("unknown")) {
        report(
          `${covered}; cannot be verified at preview: a policy's targets or the instance's tags are unknown.`,
        );
      } else {
        report(`${covered}; none of the stack's ${policies.length} policies targets its tags.`);
      }
    }
  },
};

const SCALER_KINDS: Readonly<Record<string, string>> = {
  [T.scalingPolicy]: "scaling policy",
  [T.scheduledAction]: "scheduled action",
  [T.metricAlarm]: "alarm",
};

/** The Auto Scaling policy ARNs an alarm acts on, or unknown entries that could be. */
function actsOnScalingPolicy(alarm: PolicyResource): boolean {
  const actions = field(plain(alarm.props), "alarmActions");
  if ((alarm.propertyDependencies["alarmActions"] ?? []).some((d) => d.type === T.scalingPolicy)) {
    return true;
  }
  return (
    isUnknown(actions) ||
    (Array.isArray(actions) &&
      actions.some(
        (a) => isUnknown(a) || (typeof a === "string" && /:autoscaling:.*:scalingPolicy:/.test(a)),
      ))
  );
}

/** Which group a scaler names: "yes" for this group, "unknown" when its reference cannot be traced. */
function names(scaler: PolicyResource, group: PolicyResource, groupName: unknown): Verdict {
  const props = plain(scaler.props);
  const [value, key] =
    scaler.type === T.metricAlarm
      ? [field(field(props, "dimensions"), "AutoScalingGroupName"), "dimensions"]
      : [field(props, "autoscalingGroupName"), "autoscalingGroupName"];
  const deps = scaler.propertyDependencies[key] ?? [];
  if (deps.some((d) => d.urn === group.urn)) {
    return "yes";
  }
  if (isUnknown(value)) {
    return deps.some((d) => d.type === T.autoscalingGroup) ? "no" : "unknown";
  }
  return typeof value === "string" && value === groupName ? "yes" : "no";
}

export const autoscalingGroupDesiredCapacityIgnored: StackValidationPolicy = {
  name: "autoscaling-group-desired-capacity-ignored",
  description:
    'Checks that an autoscaling group whose size scaling policies, alarms or scheduled actions change leaves desiredCapacity out of pulumi up (ignoreChanges ["desiredCapacity"]), so a deploy never undoes scaling.',
  enforcementLevel: "advisory",
  severity: "medium",
  remediationSteps:
    'Leave manage_desired_capacity unset (pillar then sets ignoreChanges ["desiredCapacity"] on the group), or set the group\'s ignoreChanges yourself.',
  validateStack: (args, reportViolation) => {
    const scalers = args.resources.filter(
      (r) => SCALER_KINDS[r.type] !== undefined && (r.type !== T.metricAlarm || actsOnScalingPolicy(r)),
    );
    for (const group of args.resources.filter((r) => r.type === T.autoscalingGroup)) {
      const props = plain(group.props);
      const desired = field(props, "desiredCapacity");
      // Unset, the provider does not manage it (it is computed): nothing to undo.
      if (group.opts.ignoreChanges.includes("desiredCapacity") || desired === undefined || desired === null) {
        continue;
      }
      const groupName = field(props, "name");
      const rule = `Autoscaling group "${group.name}" must leave desiredCapacity to its scalers (ignoreChanges ["desiredCapacity"])`;
      const found = scalers.map((s) => [s, names(s, group, groupName)] as const);
      const label = (r: PolicyResource) => `${SCALER_KINDS[r.type]} "${r.name}"`;
      const acting = found
        .filter(([, v]) => v === "yes")
        .map(([r]) => label(r))
        .sort();
      const unclear = found.find(([, v]) => v === "unknown")?.[0];
      const at = isUnknown(desired) ? "its configured value" : String(toNumber(desired) ?? show(desired));
      if (acting.length > 0) {
        reportViolation(
          `${rule}: its size is changed by ${acting.join(", ")}, and every pulumi up resets it to ${at}.`,
          group.urn,
        );
      } else if (unclear) {
        reportViolation(
          `${rule}; cannot be verified at preview: ${SCALER_KINDS[unclear.type]} "${unclear.name}" names a group that is unknown.`,
          group.urn,
        );
      }
    }
  },
};
