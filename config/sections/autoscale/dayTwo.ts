/**
 * The day-two settings of an autoscale group: who owns its desired capacity, warm pools, mixed
 * instances and Spot, scheduled actions, and the stack's instance type allow-list. Each loader checks
 * ranges and cross-field rules the schema cannot say in words, pushing every problem with its path,
 * and returns what it could load.
 */
import { ConfigIssue, quoteList, sub } from "../../issues";
import { bool, int, oneOf, Static, str, TObject, Type } from "../../schemaKit";
import { toBool, toList } from "../../values";
import { uniqueNames, wholeNumber } from "../context";
import { GroupSizes, loadScheduledActions, scheduledActionSchema, ScheduledActionModel } from "./schedule";

export const warmPoolSchema = Type.Object(
  {
    min_size: Type.Optional(int),
    max_group_prepared_capacity: Type.Optional(int),
    pool_state: Type.Optional(oneOf(["Stopped", "Hibernated", "Running"])),
    reuse_on_scale_in: Type.Optional(bool),
  },
  { additionalProperties: false },
);

export const mixedInstancesSchema = Type.Object(
  {
    instance_types: Type.Array(str, { minItems: 1 }),
    on_demand_base_capacity: Type.Optional(int),
    on_demand_percentage_above_base: Type.Optional(int),
    spot_allocation_strategy: Type.Optional(
      oneOf([
        "price-capacity-optimized",
        "capacity-optimized",
        "capacity-optimized-prioritized",
        "lowest-price",
      ]),
    ),
    capacity_rebalance: Type.Optional(bool),
  },
  { additionalProperties: false },
);

/** The group fields this file reads (the rest of the group's schema is in ../autoscale.ts). */
export const dayTwoProperties = {
  manage_desired_capacity: Type.Optional(bool),
  warm_pool: Type.Optional(warmPoolSchema),
  mixed_instances: Type.Optional(mixedInstancesSchema),
  scheduled_actions: Type.Optional(Type.Array(scheduledActionSchema)),
};
type DayTwoInput = Static<TObject<typeof dayTwoProperties>>;

/** A pool of instances bootstrapped ahead of need, which scale-out draws on (PutWarmPool). */
export interface WarmPoolModel {
  readonly minSize: number;
  /** Instances in the group and the pool together; AWS uses the group's max size when absent. */
  readonly maxGroupPreparedCapacity?: number;
  readonly poolState: "Stopped" | "Hibernated" | "Running";
  readonly reuseOnScaleIn: boolean;
}

/** Instance type overrides and the On-Demand/Spot split; the launch template gives everything else. */
export interface MixedInstancesModel {
  readonly instanceTypes: readonly string[];
  readonly onDemandBaseCapacity: number;
  readonly onDemandPercentageAboveBase: number;
  readonly spotAllocationStrategy: string;
  readonly capacityRebalance: boolean;
}

/** Auto Scaling takes up to 40 instance types in a mixed instances policy. */
const MAX_OVERRIDES = 40;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;

/** Whether `type` matches an allow-list entry: an exact type (`t3.small`) or a family (`t3.*`), as the policy pack reads it. */
export function instanceTypeListed(type: string, allowed: readonly string[]): boolean {
  return allowed.some((e) => (e.endsWith(".*") ? type.startsWith(e.slice(0, -1)) : type === e));
}

/** Checks an instance type's shape and, when the stack has an allow-list, its membership. */
export function checkInstanceType(
  type: string,
  path: string,
  allowed: readonly string[] | undefined,
  issues: ConfigIssue[],
): void {
  if (!INSTANCE_TYPE.test(type)) {
    issues.push({ path, message: `expected an EC2 instance type such as "t3.small", got "${type}"` });
  } else if (allowed !== undefined && !instanceTypeListed(type, allowed)) {
    issues.push({
      path,
      message: `instance type "${type}" is not in pillar:autoscale.allowed_instance_types: ${quoteList(allowed)}`,
    });
  }
}

/** The stack's instance type allow-list (`pillar:autoscale.allowed_instance_types`), checked entry by entry. */
export function loadAllowedTypes(
  v: readonly string[] | undefined,
  issues: ConfigIssue[],
): string[] | undefined {
  if (v === undefined) return undefined;
  const path = "pillar:autoscale.allowed_instance_types";
  const list = toList(v);
  list.forEach((e, i) => {
    const type = e.endsWith(".*") ? `${e.slice(0, -2)}.x` : e;
    if (!INSTANCE_TYPE.test(type))
      issues.push({
        path: sub(path, i),
        message: `expected an instance type ("t3.small") or a family ("t3.*"), got "${e}"`,
      });
  });
  return list;
}

function loadWarmPool(
  v: Static<typeof warmPoolSchema>,
  path: string,
  sizes: GroupSizes,
  issues: ConfigIssue[],
): WarmPoolModel {
  const minSize = wholeNumber(v.min_size, sub(path, "min_size"), issues, { min: 0 }) ?? 0;
  const cap = wholeNumber(v.max_group_prepared_capacity, sub(path, "max_group_prepared_capacity"), issues, {
    min: 0,
  });
  if (minSize > sizes.maxSize)
    issues.push({
      path: sub(path, "min_size"),
      message: `a warm pool of at least ${minSize} instances is larger than the group's max_size ${sizes.maxSize}: the group could never take them all into service`,
    });
  if (cap !== undefined && cap > sizes.maxSize)
    issues.push({
      path: sub(path, "max_group_prepared_capacity"),
      message: `${cap} is larger than the group's max_size ${sizes.maxSize}: the group never runs more than ${sizes.maxSize} instances, so the rest of the pool would be paid for and never used`,
    });
  else if (cap !== undefined && cap < minSize)
    issues.push({
      path: sub(path, "max_group_prepared_capacity"),
      message: `${cap} is smaller than the warm pool's own min_size ${minSize}`,
    });
  return {
    minSize,
    ...(cap !== undefined ? { maxGroupPreparedCapacity: cap } : {}),
    poolState: v.pool_state ?? "Stopped",
    reuseOnScaleIn: v.reuse_on_scale_in === undefined ? false : toBool(v.reuse_on_scale_in),
  };
}

function loadMixed(
  v: Static<typeof mixedInstancesSchema>,
  path: string,
  allowed: readonly string[] | undefined,
  issues: ConfigIssue[],
): MixedInstancesModel {
  const tp = sub(path, "instance_types");
  const instanceTypes = toList(v.instance_types);
  const unique = uniqueNames(issues, (t, first) => `"${t}" is already listed at ${first}`);
  instanceTypes.forEach((t, i) => {
    const at = sub(tp, i);
    unique(t, at);
    checkInstanceType(t, at, allowed, issues);
  });
  if (instanceTypes.length > MAX_OVERRIDES)
    issues.push({
      path: tp,
      message: `at most ${MAX_OVERRIDES} instance types (an Auto Scaling limit), got ${instanceTypes.length}`,
    });
  const base = wholeNumber(v.on_demand_base_capacity, sub(path, "on_demand_base_capacity"), issues, {
    min: 0,
  });
  const pct = wholeNumber(
    v.on_demand_percentage_above_base,
    sub(path, "on_demand_percentage_above_base"),
    issues,
    { min: 0, max: 100, what: "a percentage" },
  );
  // AWS's default is all On-Demand: Spot is an explicit choice, and so is capacity rebalancing for it.
  const onDemandPercentageAboveBase = pct ?? 100;
  return {
    instanceTypes,
    onDemandBaseCapacity: base ?? 0,
    onDemandPercentageAboveBase,
    spotAllocationStrategy: v.spot_allocation_strategy ?? "price-capacity-optimized",
    capacityRebalance:
      v.capacity_rebalance === undefined ? onDemandPercentageAboveBase < 100 : toBool(v.capacity_rebalance),
  };
}

/** A group's `manage_desired_capacity`, `warm_pool`, `mixed_instances` and `scheduled_actions`. */
export function loadGroupDayTwo(
  g: DayTwoInput,
  path: string,
  sizes: GroupSizes,
  allowed: readonly string[] | undefined,
  issues: ConfigIssue[],
): {
  manageDesiredCapacity: boolean;
  warmPool?: WarmPoolModel;
  mixedInstances?: MixedInstancesModel;
  scheduledActions: ScheduledActionModel[];
} {
  const manageDesiredCapacity =
    g.manage_desired_capacity === undefined ? false : toBool(g.manage_desired_capacity);
  const warmPool =
    g.warm_pool === undefined ? undefined : loadWarmPool(g.warm_pool, sub(path, "warm_pool"), sizes, issues);
  const mixedInstances =
    g.mixed_instances === undefined
      ? undefined
      : loadMixed(g.mixed_instances, sub(path, "mixed_instances"), allowed, issues);
  if (warmPool && mixedInstances)
    issues.push({
      path: sub(path, "warm_pool"),
      message:
        "a warm pool cannot be used with mixed_instances: AWS refuses warm pools on groups with a mixed instances policy or Spot Instances",
    });
  const scheduledActions = loadScheduledActions(
    g.scheduled_actions ?? [],
    sub(path, "scheduled_actions"),
    sizes,
    issues,
  );
  if (manageDesiredCapacity) {
    const clash = scheduledActions.find((a) => a.desiredCapacity !== undefined);
    if (clash)
      issues.push({
        path: sub(path, "manage_desired_capacity"),
        message: `every pulumi up would reset the desired capacity and undo scheduled action "${clash.name}" (${clash.path}); leave the desired capacity to the schedule`,
      });
  }
  return {
    manageDesiredCapacity,
    ...(warmPool ? { warmPool } : {}),
    ...(mixedInstances ? { mixedInstances } : {}),
    scheduledActions,
  };
}
