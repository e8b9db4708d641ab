/**
 * `pillar:autoscale`: the seed's autoscale groups — sizes, subnets, load balancers, `launch_config`
 * (a list of one-key maps, translated into a launch template: ./autoscale/launchConfig.ts), scaling
 * policies (./autoscale/scaling.ts), the reactor profile that handles their instances, and their
 * day two (./autoscale/dayTwo.ts, ./autoscale/schedule.ts).
 */
import { quoteList, sub } from "../issues";
import type { Grains } from "../model";
import { intSchema, nonNegInt, oneOf, resourceName, Static, str, strList, tags, Type } from "../schemaKit";
import { toList, toTags } from "../values";
import {
  dayTwoProperties,
  loadAllowedTypes,
  loadGroupDayTwo,
  MixedInstancesModel,
  WarmPoolModel,
} from "./autoscale/dayTwo";
import { loadPolicies, scalingPolicySchema, ScalingPolicyModel } from "./autoscale/scaling";
import type { ScheduledActionModel } from "./autoscale/schedule";
import { programName, Section, subnets, uniqueNames } from "./context";
import type { ReactorProfileModel } from "./ec2.autoscale";
import type { LoadBalancerModel } from "./elb";
import type { SubnetRef } from "./network";
import { TYPES } from "../../provider/types";
import { launchConfigItem, loadLaunchConfig, type LaunchTemplateModel } from "./autoscale/launchConfig";

const NOTIFICATIONS = ["launch", "launch_error", "terminate", "terminate_error"] as const;

const group = Type.Object(
  {
    name: resourceName(255),
    desired_capacity: Type.Optional(nonNegInt),
    min_size: nonNegInt,
    max_size: nonNegInt,
    default_cooldown: Type.Optional(nonNegInt),
    vpc_zone_identifiers: Type.Array(str, { minItems: 1 }),
    load_balancers: Type.Optional(strList),
    target_groups: Type.Optional(strList),
    health_check_type: Type.Optional(oneOf(["EC2", "ELB"])),
    health_check_period: Type.Optional(nonNegInt),
    launch_config_name: Type.Optional(resourceName(125)),
    launch_config: Type.Array(launchConfigItem, { minItems: 1 }),
    scaling_policies: Type.Optional(Type.Array(scalingPolicySchema)),
    reactor_profile: Type.Optional(str),
    tags: Type.Optional(tags),
    instance_refresh: Type.Optional(
      Type.Object(
        {
          min_healthy_percentage: Type.Optional(intSchema(0, 100, "a percentage")),
          instance_warmup: Type.Optional(nonNegInt),
        },
        { additionalProperties: false },
      ),
    ),
    notifications: Type.Optional(Type.Array(oneOf(NOTIFICATIONS))),
    ...dayTwoProperties,
  },
  { additionalProperties: false },
);
export type GroupInput = Static<typeof group>;

export const autoscaleSchema = Type.Object(
  { groups: Type.Array(group), allowed_instance_types: Type.Optional(strList) },
  { additionalProperties: false },
);
export type AutoscaleInput = Static<typeof autoscaleSchema>;

/** One target group of one ALB of the stack, by config names. */
export interface TargetGroupRef {
  readonly loadBalancer: string;
  readonly targetGroup: string;
}

export interface AutoscaleGroupModel {
  readonly name: string;
  /**
   * The group's physical name, set explicitly because the reactor's IAM scope needs it before the
   * group exists: `<project>-<stack>-<name>`, or as `pulumi:autonaming` says for the type.
   */
  readonly physicalName: string;
  readonly desiredCapacity: number;
  readonly minSize: number;
  readonly maxSize: number;
  readonly defaultCooldown: number;
  readonly subnets: readonly SubnetRef[];
  /** The classic ELBs the group registers with, by config name. */
  readonly loadBalancers: readonly string[];
  /**
   * The ALB target groups it registers with: named in `target_groups`, or every target group of a
   * load balancer named in `load_balancers` (an ALB, or the twin of a classic ELB being migrated).
   */
  readonly targetGroups: readonly TargetGroupRef[];
  readonly healthCheckType: "EC2" | "ELB";
  readonly healthCheckGracePeriod: number;
  readonly launchTemplate: LaunchTemplateModel;
  readonly scalingPolicies: readonly ScalingPolicyModel[];
  /** Reactor profile (`ec2.autoscale.<name>`) that handles this group's instances. */
  readonly reactorProfile?: string;
  /**
   * The reactor profile's grains (none without a profile), as tags propagated at launch; the
   * group's own `tags` are applied over them.
   */
  readonly grains: Grains;
  readonly tags: Readonly<Record<string, string>>;
  readonly instanceRefresh?: { readonly minHealthyPercentage: number; readonly instanceWarmup?: number };
  readonly notifications: readonly string[];
  /**
   * Enforce `desiredCapacity` on every `pulumi up`. Off by default: after creation the group's size
   * belongs to its scaling policies, alarms and scheduled actions.
   */
  readonly manageDesiredCapacity: boolean;
  readonly warmPool?: WarmPoolModel;
  readonly mixedInstances?: MixedInstancesModel;
  readonly scheduledActions: readonly ScheduledActionModel[];
  readonly path: string;
}

const ASG_TYPE = TYPES.autoscaling.Group;

export function loadAutoscale(
  v: AutoscaleInput | undefined,
  s: Section,
  refs: {
    /** The stack's load balancers by name; undefined when that section is itself invalid. */
    loadBalancers: ReadonlyMap<string, LoadBalancerModel> | undefined;
    reactorProfiles: ReadonlyMap<string, ReactorProfileModel> | undefined;
    /** The profiles the seed's `reactor:` hooks name, when given (and all valid): the ones the reactor handles. */
    hookedProfiles?: ReadonlySet<string>;
  },
): AutoscaleGroupModel[] {
  const allowed = loadAllowedTypes(v?.allowed_instance_types, s.issues);
  const unique = uniqueNames(
    s.issues,
    (name, first) => `duplicate autoscale group "${name}" (first at ${first})`,
  );
  return (v?.groups ?? []).map((g, i): AutoscaleGroupModel => {
    const path = sub(sub("pillar:autoscale", "groups"), i);
    const name = g.name;
    unique(name, sub(path, "name"));
    const minSize = g.min_size;
    const maxSize = g.max_size;
    const desired = g.desired_capacity ?? minSize;
    if (minSize > maxSize)
      s.issues.push({
        path: sub(path, "min_size"),
        message: `min_size ${minSize} is greater than max_size ${maxSize}`,
      });
    else if (desired < minSize || desired > maxSize) {
      s.issues.push({
        path: sub(path, "desired_capacity"),
        message: `desired_capacity ${desired} is outside min_size ${minSize} .. max_size ${maxSize}`,
      });
    }
    const { classic: lbs, targetGroups } = attachments(g, path, s, refs.loadBalancers);
    const profile = reactorProfileOf(g, path, s, refs.reactorProfiles, refs.hookedProfiles);
    const ir = g.instance_refresh;
    return {
      name,
      physicalName: programName(s, ASG_TYPE, name),
      desiredCapacity: desired,
      minSize,
      maxSize,
      defaultCooldown: g.default_cooldown ?? 300,
      subnets: subnets(g.vpc_zone_identifiers, sub(path, "vpc_zone_identifiers"), s),
      loadBalancers: lbs,
      targetGroups,
      healthCheckType: g.health_check_type ?? (lbs.length > 0 || targetGroups.length > 0 ? "ELB" : "EC2"),
      healthCheckGracePeriod: g.health_check_period ?? 300,
      launchTemplate: loadLaunchConfig(g, path, s, allowed),
      scalingPolicies: loadPolicies(g.scaling_policies, name, path, s, targetGroups),
      ...(profile.name !== undefined ? { reactorProfile: profile.name } : {}),
      grains: profile.grains,
      tags: toTags(g.tags),
      ...(ir
        ? {
            instanceRefresh: {
              minHealthyPercentage: ir.min_healthy_percentage ?? 90,
              ...(ir.instance_warmup !== undefined ? { instanceWarmup: ir.instance_warmup } : {}),
            },
          }
        : {}),
      notifications: g.notifications === undefined ? [...NOTIFICATIONS] : toList(g.notifications),
      ...loadGroupDayTwo(g, path, { minSize, maxSize }, allowed, s.issues),
      path,
    };
  });
}

/**
 * What a group registers with: classic ELBs by `load_balancers`, ALB target groups by `target_groups`
 * or by naming their load balancer in `load_balancers` (as the seed names its ELB). A classic ELB
 * being migrated gives both: the group serves the classic ELB and the ALB twin through the cutover.
 */
function attachments(
  g: GroupInput,
  path: string,
  s: Section,
  known: ReadonlyMap<string, LoadBalancerModel> | undefined,
): { classic: string[]; targetGroups: TargetGroupRef[] } {
  const classic: string[] = [];
  const targetGroups: TargetGroupRef[] = [];
  const add = (ref: TargetGroupRef) => {
    if (!targetGroups.some((t) => t.targetGroup === ref.targetGroup)) targetGroups.push(ref);
  };
  toList(g.load_balancers).forEach((lb, j) => {
    if (!known) return void classic.push(lb);
    const model = known.get(lb);
    if (!model) {
      s.issues.push({
        path: sub(sub(path, "load_balancers"), j),
        message: `unknown load balancer "${lb}"; known load balancers: ${quoteList(known.keys())}`,
      });
      return;
    }
    if (model.type === "classic") classic.push(lb);
    for (const tg of model.application?.targetGroups ?? []) add({ loadBalancer: lb, targetGroup: tg.name });
  });
  const all = [...(known?.values() ?? [])].flatMap((l) =>
    (l.application?.targetGroups ?? []).map((tg) => ({ loadBalancer: l.name, targetGroup: tg.name })),
  );
  toList(g.target_groups).forEach((name, j) => {
    if (!known) return;
    const ref = all.find((t) => t.targetGroup === name);
    if (ref) add(ref);
    else
      s.issues.push({
        path: sub(sub(path, "target_groups"), j),
        message:
          all.length === 0
            ? `unknown target group "${name}"; the stack has none: target groups belong to load balancers of type application (one per instance port a listener forwards to, named <load balancer>-<port>)`
            : `unknown target group "${name}"; known target groups (<load balancer>-<instance port>): ${quoteList(all.map((t) => t.targetGroup))}`,
      });
  });
  return { classic, targetGroups };
}

/**
 * The reactor profile that handles a group's instances. The seed's reactor handled every group's
 * events: with one reactor profile and no choice made, that profile reacts; with several, the group
 * must say which. When the seed's `reactor:` hooks are given, they name the profiles the reactor
 * handles: the choice is among those, and a group's profile without a hook is a contradiction.
 */
function reactorProfileOf(
  g: GroupInput,
  path: string,
  s: Section,
  profiles: ReadonlyMap<string, ReactorProfileModel> | undefined,
  hooked: ReadonlySet<string> | undefined,
): { name?: string; grains: Grains } {
  let name = g.reactor_profile;
  const candidates = hooked ? [...hooked] : [...(profiles?.keys() ?? [])];
  if (name === undefined && profiles && candidates.length > 0) {
    if (candidates.length === 1) name = candidates[0];
    else
      s.issues.push({
        path: sub(path, "reactor_profile"),
        message: hooked
          ? `missing: the pillar:reactor hooks name ${candidates.length} reactor profiles, so say which one handles this group's instances: ${quoteList(candidates)}`
          : `missing: pillar:ec2.autoscale has ${profiles.size} reactor profiles, so say which one handles this group's instances: ${quoteList(profiles.keys())}`,
      });
  }
  if (name === undefined || !profiles) return { ...(name !== undefined ? { name } : {}), grains: {} };
  const profile = profiles.get(name);
  if (profile && hooked && !hooked.has(name)) {
    s.issues.push({
      path: sub(path, "reactor_profile"),
      message: `"${name}" has no hook in pillar:reactor, whose hooks name only ${quoteList(hooked)}: add the hook salt/netapi/hook/autoscale/${name}/up (and /down), or pick a profile the hooks name`,
    });
    return { name, grains: profile.grains };
  }
  if (profile) return { name, grains: profile.grains };
  s.issues.push({
    path: sub(path, "reactor_profile"),
    message: `unknown reactor profile "${name}"; known profiles (pillar:ec2.autoscale): ${quoteList(profiles.keys())}`,
  });
  return { name, grains: {} };
}
