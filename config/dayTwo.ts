/**
 * The day-two settings of profiles and autoscale groups: stateful servers and their snapshots, who
 * owns a group's desired capacity, warm pools, mixed instances and Spot, scheduled actions. Each
 * loader checks ranges and cross-field rules the schema cannot say in words, pushing every problem
 * with its path, and returns what it could load.
 */
import { ConfigIssue, quoteList, sub } from "./issues";
import { MixedInstancesModel, ScheduledActionModel, SnapshotScheduleModel, WarmPoolModel } from "./model";
import {
  checkRecurrence,
  checkSnapshotCron,
  checkTimeOfDay,
  checkTimeZone,
  parseUtcTimestamp,
} from "./schedules";
import { obj, Obj, optInt, toBool, toList } from "./values";

/** Daily at 03:00 UTC, seven kept: a week of restore points for a database server. */
export const DEFAULT_SNAPSHOTS: SnapshotScheduleModel = {
  create: { kind: "interval", intervalHours: 24, time: "03:00" },
  retain: 7,
};

// DLM CreateRule.Interval and RetainRule.Count (terraform-provider-aws dlm IntInSlice / IntBetween).
const DLM_INTERVALS = [1, 2, 3, 4, 6, 8, 12, 24];
const DLM_MAX_RETAIN = 1000;
/** Auto Scaling takes up to 40 instance types in a mixed instances policy. */
const MAX_OVERRIDES = 40;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
const ACTION_NAME = /^[A-Za-z0-9._-]{1,255}$/;

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
export function loadAllowedTypes(v: unknown, issues: ConfigIssue[]): string[] | undefined {
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

function wholeNumber(
  v: unknown,
  path: string,
  issues: ConfigIssue[],
  range: { min: number; max?: number; what?: string },
): number | undefined {
  const n = optInt(v);
  if (n === undefined) return undefined;
  if (n < range.min || (range.max !== undefined && n > range.max)) {
    issues.push({
      path,
      message:
        range.max === undefined
          ? `expected a whole number of at least ${range.min}, got ${n}`
          : `expected ${range.what ?? "a whole number"} from ${range.min} to ${range.max}, got ${n}`,
    });
  }
  return n;
}

/**
 * The device names EC2 images boot from (Ubuntu and most others `/dev/sda1`, Amazon Linux
 * `/dev/xvda`). A stateful profile's volumes must be known before its image is looked up, since each
 * data volume is its own protected resource: a mapping on one of these names is the root volume
 * (the component checks it against the image's real root device), every other one a data volume.
 */
export const ROOT_DEVICE_NAMES: readonly string[] = ["/dev/sda1", "/dev/xvda"];

/** A stateful profile's mappings: the root volume's (if configured) and its data volumes. */
export function splitStatefulDevices<T extends { readonly deviceName: string }>(
  devices: readonly T[],
): { root?: T; data: T[] } {
  const root = devices.find((d) => ROOT_DEVICE_NAMES.includes(d.deviceName));
  return { ...(root ? { root } : {}), data: devices.filter((d) => d !== root) };
}

function checkStatefulVolumes(p: Obj, path: string, issues: ConfigIssue[]): void {
  const list = Array.isArray(p.block_device_mappings) ? p.block_device_mappings.map(obj) : [];
  const roots = list.filter((m) => ROOT_DEVICE_NAMES.includes(String(m.DeviceName)));
  list.forEach((m, i) => {
    const at = sub(sub(path, "block_device_mappings"), i);
    if (m["Ebs.DeleteOnTermination"] !== undefined && toBool(m["Ebs.DeleteOnTermination"]))
      issues.push({
        path: sub(at, "Ebs.DeleteOnTermination"),
        message:
          "a stateful profile keeps its volumes when the instance goes; set stateful: false for a throwaway server",
      });
    if (roots.length > 1 && roots.includes(m) && m !== roots[0])
      issues.push({
        path: sub(at, "DeviceName"),
        message: `only one root volume: ${String(roots[0]!.DeviceName)} is already mapped`,
      });
    else if (!roots.includes(m) && m["Ebs.VolumeSize"] === undefined)
      issues.push({
        path: at,
        message: `a stateful profile's data volume (${String(m.DeviceName)}) is its own EBS volume and needs Ebs.VolumeSize in GiB`,
      });
  });
}

/** `stateful` (default true) and, for a stateful profile, its snapshot schedule. */
export function loadStateful(
  p: Obj,
  path: string,
  issues: ConfigIssue[],
): { stateful: boolean; snapshots?: SnapshotScheduleModel } {
  const stateful = p.stateful === undefined ? true : toBool(p.stateful);
  const sp = sub(path, "snapshots");
  if (stateful) checkStatefulVolumes(p, path, issues);
  if (!stateful) {
    if (p.snapshots !== undefined)
      issues.push({
        path: sp,
        message: "snapshots only apply to a stateful profile; remove them or drop stateful: false",
      });
    return { stateful };
  }
  if (p.snapshots === undefined) return { stateful, snapshots: DEFAULT_SNAPSHOTS };
  const s = obj(p.snapshots);
  const retain =
    wholeNumber(s.retain, sub(sp, "retain"), issues, {
      min: 1,
      max: DLM_MAX_RETAIN,
      what: "a number of snapshots to keep",
    }) ?? DEFAULT_SNAPSHOTS.retain;
  if (typeof s.cron === "string") {
    if (s.interval_hours !== undefined || s.time !== undefined)
      issues.push({ path: sp, message: "Only one of [cron] or [interval_hours/time] can be specified" });
    const err = checkSnapshotCron(s.cron);
    if (err !== undefined) issues.push({ path: sub(sp, "cron"), message: err });
    return { stateful, snapshots: { create: { kind: "cron", expression: s.cron }, retain } };
  }
  const intervalHours = optInt(s.interval_hours) ?? 24;
  if (!DLM_INTERVALS.includes(intervalHours))
    issues.push({
      path: sub(sp, "interval_hours"),
      message: `Data Lifecycle Manager snapshots every 1, 2, 3, 4, 6, 8, 12 or 24 hours, got ${intervalHours} (use cron for other schedules)`,
    });
  const time = typeof s.time === "string" ? s.time : "03:00";
  const err = checkTimeOfDay(time);
  if (err !== undefined) issues.push({ path: sub(sp, "time"), message: err });
  return { stateful, snapshots: { create: { kind: "interval", intervalHours, time }, retain } };
}

/** The sizes a group's day-two settings are checked against. */
export interface GroupSizes {
  readonly minSize: number;
  readonly maxSize: number;
}

function loadWarmPool(v: Obj, path: string, sizes: GroupSizes, issues: ConfigIssue[]): WarmPoolModel {
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
    poolState: (v.pool_state as WarmPoolModel["poolState"] | undefined) ?? "Stopped",
    reuseOnScaleIn: v.reuse_on_scale_in === undefined ? false : toBool(v.reuse_on_scale_in),
  };
}

function loadMixed(
  v: Obj,
  path: string,
  allowed: readonly string[] | undefined,
  issues: ConfigIssue[],
): MixedInstancesModel {
  const tp = sub(path, "instance_types");
  const instanceTypes = toList(v.instance_types);
  const seen = new Map<string, string>();
  instanceTypes.forEach((t, i) => {
    const at = sub(tp, i);
    if (seen.has(t)) issues.push({ path: at, message: `"${t}" is already listed at ${seen.get(t)}` });
    seen.set(t, at);
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
    spotAllocationStrategy:
      typeof v.spot_allocation_strategy === "string"
        ? v.spot_allocation_strategy
        : "price-capacity-optimized",
    capacityRebalance:
      v.capacity_rebalance === undefined ? onDemandPercentageAboveBase < 100 : toBool(v.capacity_rebalance),
  };
}

function loadScheduledActions(
  list: unknown[],
  path: string,
  sizes: GroupSizes,
  issues: ConfigIssue[],
): ScheduledActionModel[] {
  const names = new Map<string, string>();
  return list.map((av, i): ScheduledActionModel => {
    const a = obj(av);
    const ap = sub(path, i);
    const name = String(a.name);
    if (!ACTION_NAME.test(name))
      issues.push({
        path: sub(ap, "name"),
        message: `expected a name of letters, digits, ".", "_" and "-" (at most 255), got "${name}"`,
      });
    if (names.has(name))
      issues.push({
        path: sub(ap, "name"),
        message: `duplicate scheduled action "${name}" (first at ${names.get(name)})`,
      });
    names.set(name, sub(ap, "name"));
    const size = (k: string) => wholeNumber(a[k], sub(ap, k), issues, { min: 0 });
    const minSize = size("min_size");
    const maxSize = size("max_size");
    const desired = size("desired_capacity");
    if (minSize === undefined && maxSize === undefined && desired === undefined)
      issues.push({
        path: ap,
        message: "a scheduled action must set at least one of min_size, max_size or desired_capacity",
      });
    const lo = minSize ?? sizes.minSize;
    const hi = maxSize ?? sizes.maxSize;
    const whose = (own: number | undefined) => (own === undefined ? " (the group's)" : "");
    if (lo > hi)
      issues.push({
        path: sub(ap, minSize !== undefined ? "min_size" : "max_size"),
        message: `min_size ${lo}${whose(minSize)} is greater than max_size ${hi}${whose(maxSize)} when this action runs`,
      });
    else if (desired !== undefined && (desired < lo || desired > hi))
      issues.push({
        path: sub(ap, "desired_capacity"),
        message: `desired_capacity ${desired} is outside min_size ${lo}${whose(minSize)} .. max_size ${hi}${whose(maxSize)} when this action runs`,
      });
    const recurrence = typeof a.recurrence === "string" ? a.recurrence : undefined;
    const startTime = typeof a.start_time === "string" ? a.start_time : undefined;
    const endTime = typeof a.end_time === "string" ? a.end_time : undefined;
    const timeZone = typeof a.time_zone === "string" ? a.time_zone : undefined;
    if (recurrence === undefined && startTime === undefined)
      issues.push({
        path: ap,
        message: "a scheduled action needs a recurrence (cron, repeating) or a start_time (once)",
      });
    if (recurrence !== undefined) {
      const err = checkRecurrence(recurrence);
      if (err !== undefined) issues.push({ path: sub(ap, "recurrence"), message: err });
    }
    if (timeZone !== undefined) {
      const err =
        recurrence === undefined
          ? "time_zone applies to the recurrence only; start_time and end_time are always UTC"
          : checkTimeZone(timeZone);
      if (err !== undefined) issues.push({ path: sub(ap, "time_zone"), message: err });
    }
    const start = startTime === undefined ? undefined : parseUtcTimestamp(startTime);
    const end = endTime === undefined ? undefined : parseUtcTimestamp(endTime);
    if (typeof start === "string") issues.push({ path: sub(ap, "start_time"), message: start });
    if (typeof end === "string") issues.push({ path: sub(ap, "end_time"), message: end });
    if (endTime !== undefined && recurrence === undefined)
      issues.push({ path: sub(ap, "end_time"), message: "end_time ends a recurrence; this action has none" });
    else if (typeof start === "number" && typeof end === "number" && end <= start)
      issues.push({
        path: sub(ap, "end_time"),
        message: `end_time ${endTime} must be after start_time ${startTime}`,
      });
    return {
      name,
      ...(recurrence !== undefined ? { recurrence } : {}),
      ...(timeZone !== undefined ? { timeZone } : {}),
      ...(startTime !== undefined ? { startTime } : {}),
      ...(endTime !== undefined ? { endTime } : {}),
      ...(minSize !== undefined ? { minSize } : {}),
      ...(maxSize !== undefined ? { maxSize } : {}),
      ...(desired !== undefined ? { desiredCapacity: desired } : {}),
      path: ap,
    };
  });
}

/** A group's `manage_desired_capacity`, `warm_pool`, `mixed_instances` and `scheduled_actions`. */
export function loadGroupDayTwo(
  g: Obj,
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
    g.warm_pool === undefined
      ? undefined
      : loadWarmPool(obj(g.warm_pool), sub(path, "warm_pool"), sizes, issues);
  const mixedInstances =
    g.mixed_instances === undefined
      ? undefined
      : loadMixed(obj(g.mixed_instances), sub(path, "mixed_instances"), allowed, issues);
  if (warmPool && mixedInstances)
    issues.push({
      path: sub(path, "warm_pool"),
      message:
        "a warm pool cannot be used with mixed_instances: AWS refuses warm pools on groups with a mixed instances policy or Spot Instances",
    });
  const scheduledActions = loadScheduledActions(
    Array.isArray(g.scheduled_actions) ? g.scheduled_actions : [],
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
