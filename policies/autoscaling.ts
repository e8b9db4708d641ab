// Autoscaling group policies: capacity bounds, spread over subnets, ELB health checks.

import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
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

/** A subnet's Availability Zone as the stack knows it: a name or id, unknown, or not set. */
function zoneOf(subnet: PolicyResource): unknown {
  const props = plain(subnet.props);
  const zone = field(props, "availabilityZone");
  return zone === undefined || zone === null || zone === "" ? field(props, "availabilityZoneId") : zone;
}

const names = (subnets: readonly PolicyResource[]): string => subnets.map((s) => `"${s.name}"`).join(", ");

/**
 * The fewest zones `count` subnets drawn from `pool` can span on top of the zones `fixed` already
 * covers: whatever the program picks, the group spans at least this many.
 */
function fewestZones(fixed: ReadonlySet<unknown>, pool: readonly PolicyResource[], count: number): number {
  const byZone = new Map<unknown, number>();
  for (const s of pool) {
    byZone.set(zoneOf(s), (byZone.get(zoneOf(s)) ?? 0) + 1);
  }
  const zones = new Set(fixed);
  let left = count;
  for (const zone of fixed) {
    left -= byZone.get(zone) ?? 0;
  }
  const rest = [...byZone.entries()].filter(([z]) => !fixed.has(z)).sort(([, a], [, b]) => b - a);
  for (const [zone, n] of rest) {
    if (left <= 0) {
      break;
    }
    zones.add(zone);
    left -= n;
  }
  return zones.size;
}

export const autoscalingGroupMultiSubnet: StackValidationPolicy = {
  name: "autoscaling-group-multi-subnet",
  description:
    "Checks that autoscaling groups launch into at least two distinct subnets (vpcZoneIdentifiers), counted by subnet resource where ids are unknown, in at least two Availability Zones where the subnets' zones are known.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const allSubnets = args.resources.filter((r) => r.type === T.subnet);
    for (const group of args.resources.filter((r) => r.type === T.autoscalingGroup)) {
      const subnets = field(plain(group.props), "vpcZoneIdentifiers");
      const rule = `Autoscaling group "${group.name}" must span at least 2 subnets (vpcZoneIdentifiers)`;
      // The Subnet resources the list was computed from: an unknown id is one of theirs (the engine
      // records every resource an input's value came from), and one subnet has one id however often
      // the program repeats it.
      const sources = [
        ...new Set(
          (group.propertyDependencies["vpcZoneIdentifiers"] ?? []).filter((d) => d.type === T.subnet),
        ),
      ];
      const list = isUnknown(subnets) ? [] : Array.isArray(subnets) ? subnets : [];
      const knownIds = [...new Set(list.filter((s) => !isUnknown(s)))];
      const byId = (id: unknown) => allSubnets.find((s) => field(plain(s.props), "id") === id);
      const knownResources = knownIds.map(byId).filter((s): s is PolicyResource => s !== undefined);
      const pool = sources.filter((s) => !knownResources.includes(s));
      // A list unknown as a whole (an Output<string[]>) is taken to use every subnet it came from;
      // the one thing this cannot see is a program that computes a shorter list from them.
      const unknownCount = isUnknown(subnets) ? pool.length : list.filter(isUnknown).length;
      const traced = Math.min(unknownCount, pool.length);
      const untraced = unknownCount > 0 && pool.length === 0;
      const count = knownIds.length + traced;
      if (isUnknown(subnets) && count < 2) {
        reportViolation(
          `${rule}; cannot be verified at preview: the subnet list is unknown and computed from ${sources.length} subnet resource(s).`,
          group.urn,
        );
        continue;
      }
      if (count < 2) {
        if (untraced) {
          reportViolation(
            `${rule}; cannot be verified at preview: ${unknownCount} subnet ids are unknown and their dependencies name no subnet.`,
            group.urn,
          );
        } else if (unknownCount > 0) {
          reportViolation(
            `${rule}; it has ${count} (${unknownCount} ids unknown at preview, computed from subnet ${names(pool)}).`,
            group.urn,
          );
        } else {
          reportViolation(`${rule}; it has ${count} (${show(subnets)}).`, group.urn);
        }
        continue;
      }
      // Availability Zones, where every subnet the group may use is in the stack with a known zone.
      // Ids of an existing VPC's subnets carry no zone here: only their count is judged.
      if (knownResources.length < knownIds.length || untraced) {
        continue;
      }
      const candidates = [...knownResources, ...pool];
      const zoneRule = `Autoscaling group "${group.name}" must span at least 2 Availability Zones`;
      const unknownZone = candidates.find((s) => isUnknown(zoneOf(s)));
      if (unknownZone !== undefined) {
        reportViolation(
          `${zoneRule}; cannot be verified at preview: the Availability Zone of subnet "${unknownZone.name}" is unknown.`,
          group.urn,
        );
        continue;
      }
      if (candidates.some((s) => typeof zoneOf(s) !== "string")) {
        continue; // a subnet without a zone in its inputs: AWS picks one, not visible here
      }
      const fixed = new Set(knownResources.map(zoneOf));
      if (fewestZones(fixed, pool, unknownCount) < 2) {
        const zones = [...new Set(candidates.map(zoneOf))].map(String).join(", ");
        reportViolation(
          candidates.length === count
            ? `${zoneRule}; its subnets ${names(candidates)} are all in ${zones}.`
            : `${zoneRule}; it takes ${count} of subnets ${names(candidates)} (in ${zones}), which may all be in one zone.`,
          group.urn,
        );
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
