// Autoscaling group policies: capacity bounds, spread over subnets, ELB health checks.

import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { T } from "./types";
import { field, isUnknown, plain, show, toNumber } from "./values";

export const autoscalingGroupCapacityOrdered: ResourceValidationPolicy = {
  name: "autoscaling-group-capacity-ordered",
  description: "Checks that autoscaling groups keep minSize <= desiredCapacity <= maxSize.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== T.autoscalingGroup) {
      return;
    }
    const props = plain(args.props);
    const min = field(props, "minSize");
    const max = field(props, "maxSize");
    const desired = field(props, "desiredCapacity");
    const rule = `Autoscaling group "${args.name}" must keep minSize <= desiredCapacity <= maxSize`;
    const values = `minSize ${show(min)}, desiredCapacity ${show(desired)}, maxSize ${show(max)}`;
    if ([min, max, desired].some(isUnknown)) {
      reportViolation(`${rule}; cannot be verified at preview: ${values}.`);
      return;
    }
    const lo = toNumber(min);
    const hi = toNumber(max);
    // An unset desiredCapacity starts at minSize, which the min <= max check covers.
    const want = desired === undefined || desired === null ? lo : toNumber(desired);
    if (lo === undefined || hi === undefined || want === undefined || !(lo <= want && want <= hi)) {
      reportViolation(`${rule}; it has ${values}.`);
    }
  },
};

export const autoscalingGroupMultiSubnet: StackValidationPolicy = {
  name: "autoscaling-group-multi-subnet",
  description:
    "Checks that autoscaling groups launch into at least two distinct subnets (vpcZoneIdentifiers).",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    for (const group of args.resources.filter((r) => r.type === T.autoscalingGroup)) {
      const subnets = field(plain(group.props), "vpcZoneIdentifiers");
      const rule = `Autoscaling group "${group.name}" must span at least 2 subnets (vpcZoneIdentifiers)`;
      if (isUnknown(subnets)) {
        // A whole list is unknown when the program passes an Output<string[]> (a created VPC's
        // subnet ids in preview). Its property dependencies name the subnets it was computed from;
        // two or more distinct Subnet resources is accepted as two or more subnets — the one thing
        // this cannot see is a program that computes a shorter list from them.
        const sources = new Set(
          (group.propertyDependencies["vpcZoneIdentifiers"] ?? []).filter((d) => d.type === T.subnet),
        );
        if (sources.size < 2) {
          reportViolation(
            `${rule}; cannot be verified at preview: the subnet list is unknown and computed from ${sources.size} subnet resource(s).`,
            group.urn,
          );
        }
        continue;
      }
      const list = Array.isArray(subnets) ? subnets : [];
      // Unknown entries are ids of subnets this stack creates in this update; distinct resources
      // never share an id, so each counts as one subnet. Known ids are counted once each.
      const known = new Set(list.filter((s) => !isUnknown(s)));
      const count = known.size + list.filter(isUnknown).length;
      if (count < 2) {
        reportViolation(`${rule}; it has ${count} (${show(subnets)}).`, group.urn);
      }
    }
  },
};

export const autoscalingGroupElbHealthCheck: ResourceValidationPolicy = {
  name: "autoscaling-group-elb-health-check",
  description:
    'Checks that autoscaling groups attached to load balancers use healthCheckType "ELB", so instances the balancer finds unhealthy are replaced.',
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    if (args.type !== T.autoscalingGroup) {
      return;
    }
    const props = plain(args.props);
    const balancers = field(props, "loadBalancers");
    const targetGroups = field(props, "targetGroupArns");
    const healthCheck = field(props, "healthCheckType");
    const rule = `Autoscaling group "${args.name}" attached to a load balancer must use healthCheckType "ELB"`;
    const attached = [balancers, targetGroups].some((v) => Array.isArray(v) && v.length > 0);
    const maybeAttached = [balancers, targetGroups].some(isUnknown);
    if (!attached && !maybeAttached) {
      return;
    }
    if (isUnknown(healthCheck)) {
      reportViolation(`${rule}; cannot be verified at preview: healthCheckType is unknown.`);
    } else if (healthCheck !== "ELB") {
      reportViolation(
        attached
          ? `${rule}; it uses ${show(healthCheck ?? "EC2")}.`
          : `${rule}; cannot be verified at preview: its load balancers are unknown and it uses ${show(healthCheck ?? "EC2")}.`,
      );
    }
  },
};
