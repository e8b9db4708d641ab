/**
 * `pillar:profiles`: salt-cloud profiles, one instance (or `count`) per entry — size, image, subnet,
 * block devices, grains, security groups — and their day two: a profile is a stateful server unless
 * it says otherwise (volumes kept, snapshots on a schedule Data Lifecycle Manager takes).
 */
import { ConfigIssue, sub } from "../issues";
import type { BlockDeviceModel, Grains, ImageModel } from "../model";
import {
  blockDevice,
  BlockDeviceInput,
  bool,
  grains,
  image,
  int,
  intSchema,
  mapOf,
  oneOf,
  Static,
  str,
  strList,
  Type,
} from "../schemaKit";
import { optInt, toBlockDevice, toBool, toGrains, toImage } from "../values";
import { checkCloudProvider, checkGroupRefs, Section, wholeNumber } from "./context";
import type { SubnetRef } from "./network";

const profile = Type.Object(
  {
    provider: Type.Optional(str),
    size: str,
    image: Type.Optional(image),
    ssh_interface: Type.Optional(oneOf(["private_ips", "public_ips"])),
    ssh_username: Type.Optional(str),
    block_device_mappings: Type.Optional(Type.Array(blockDevice)),
    subnetid: Type.Optional(str),
    security_groups: Type.Optional(strList),
    grains: Type.Optional(grains),
    keyname: Type.Optional(str),
    count: Type.Optional(intSchema(1, undefined, "a count")),
    stateful: Type.Optional(bool),
    // Ranges and forms are checked by loadStateful, which can say them in words.
    snapshots: Type.Optional(
      Type.Object(
        {
          interval_hours: Type.Optional(int),
          time: Type.Optional(str),
          cron: Type.Optional(str),
          retain: Type.Optional(int),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
type ProfileInput = Static<typeof profile>;

export const profilesSchema = mapOf(profile);
export type ProfilesInput = Static<typeof profilesSchema>;

/**
 * When Data Lifecycle Manager snapshots a stateful profile's instances (every attached volume, in one
 * crash-consistent set) and how many snapshots it keeps.
 */
export interface SnapshotScheduleModel {
  readonly create:
    | { readonly kind: "interval"; readonly intervalHours: number; readonly time: string }
    | { readonly kind: "cron"; readonly expression: string };
  readonly retain: number;
}

/** A salt-cloud profile: one instance (or `count` instances) per entry. */
export interface ProfileModel {
  readonly name: string;
  readonly size: string;
  readonly image: ImageModel;
  readonly subnet?: SubnetRef;
  readonly blockDevices: readonly BlockDeviceModel[];
  readonly grains: Grains;
  readonly securityGroups: readonly string[];
  /** The profile's own `keyname`; the provider's key pair when absent. */
  readonly keyName?: string;
  readonly sshUsername?: string;
  readonly count: number;
  /**
   * A server that keeps data (the default): termination protection, Pulumi `protect` on the instance
   * and its volumes, volumes that outlive it, the image pinned once resolved, and snapshots.
   */
  readonly stateful: boolean;
  /** Present exactly when `stateful`. */
  readonly snapshots?: SnapshotScheduleModel;
  /** Configuration path of the profile, for error messages. */
  readonly path: string;
}

export function loadProfiles(v: ProfilesInput | undefined, s: Section): ProfileModel[] {
  return Object.entries(v ?? {}).map(([name, p]) => {
    const path = sub("pillar:profiles", name);
    checkCloudProvider(p.provider, path, s);
    const subnet = p.subnetid !== undefined ? s.subnet(p.subnetid, sub(path, "subnetid")) : undefined;
    // Without subnetid an instance goes to the first private subnet, which an existing VPC must list.
    if (
      p.subnetid === undefined &&
      s.network?.mode === "existing" &&
      s.network.privateSubnetIds.length === 0
    ) {
      s.issues.push({
        path: sub(path, "subnetid"),
        message:
          "missing: the profile's instances need a subnet; give subnetid, or list private_subnets in pillar:network",
      });
    }
    return {
      name,
      size: p.size,
      image: toImage(p.image),
      ...(subnet ? { subnet } : {}),
      blockDevices: (p.block_device_mappings ?? []).map(toBlockDevice),
      grains: toGrains(p.grains),
      securityGroups: checkGroupRefs(p.security_groups, sub(path, "security_groups"), s),
      ...(p.keyname !== undefined ? { keyName: p.keyname } : {}),
      ...(p.ssh_username !== undefined ? { sshUsername: p.ssh_username } : {}),
      count: optInt(p.count) ?? 1,
      ...loadStateful(p, path, s.issues),
      path,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Day two: stateful servers and their snapshots

/** Daily at 03:00 UTC, seven kept: a week of restore points for a database server. */
export const DEFAULT_SNAPSHOTS: SnapshotScheduleModel = {
  create: { kind: "interval", intervalHours: 24, time: "03:00" },
  retain: 7,
};

// DLM CreateRule.Interval and RetainRule.Count (terraform-provider-aws dlm IntInSlice / IntBetween).
const DLM_INTERVALS = [1, 2, 3, 4, 6, 8, 12, 24];
const DLM_MAX_RETAIN = 1000;

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

function checkStatefulVolumes(list: readonly BlockDeviceInput[], path: string, issues: ConfigIssue[]): void {
  const roots = list.filter((m) => ROOT_DEVICE_NAMES.includes(m.DeviceName));
  list.forEach((m, i) => {
    const at = sub(sub(path, "block_device_mappings"), i);
    if (m["Ebs.DeleteOnTermination"] !== undefined && toBool(m["Ebs.DeleteOnTermination"]))
      issues.push({
        path: sub(at, "Ebs.DeleteOnTermination"),
        message: `${JSON.stringify(m["Ebs.DeleteOnTermination"])} deletes the volume with its instance, but a stateful profile keeps its volumes when the instance goes; set stateful: false for a throwaway server`,
      });
    if (roots.length > 1 && roots.includes(m) && m !== roots[0])
      issues.push({
        path: sub(at, "DeviceName"),
        message: `only one root volume: ${roots[0]!.DeviceName} is already mapped`,
      });
    else if (!roots.includes(m) && m["Ebs.VolumeSize"] === undefined)
      issues.push({
        path: at,
        message: `a stateful profile's data volume (${m.DeviceName}) is its own EBS volume and needs Ebs.VolumeSize in GiB`,
      });
  });
}

/** `stateful` (default true) and, for a stateful profile, its snapshot schedule. */
export function loadStateful(
  p: Pick<ProfileInput, "stateful" | "snapshots" | "block_device_mappings">,
  path: string,
  issues: ConfigIssue[],
): { stateful: boolean; snapshots?: SnapshotScheduleModel } {
  const stateful = p.stateful === undefined ? true : toBool(p.stateful);
  const sp = sub(path, "snapshots");
  if (stateful) checkStatefulVolumes(p.block_device_mappings ?? [], path, issues);
  if (!stateful) {
    if (p.snapshots !== undefined)
      issues.push({
        path: sp,
        message: "snapshots only apply to a stateful profile; remove them or drop stateful: false",
      });
    return { stateful };
  }
  const s = p.snapshots;
  if (s === undefined) return { stateful, snapshots: DEFAULT_SNAPSHOTS };
  const retain =
    wholeNumber(s.retain, sub(sp, "retain"), issues, {
      min: 1,
      max: DLM_MAX_RETAIN,
      what: "a number of snapshots to keep",
    }) ?? DEFAULT_SNAPSHOTS.retain;
  if (s.cron !== undefined) {
    if (s.interval_hours !== undefined || s.time !== undefined)
      issues.push({ path: sp, message: "Only one of [cron] or [interval_hours/time] can be specified" });
    const err = checkSnapshotCron(s.cron);
    if (err !== undefined) issues.push({ path: sub(sp, "cron"), message: err });
    return { stateful, snapshots: { create: { kind: "cron", expression: s.cron }, retain } };
  }
  const intervalHours = s.interval_hours ?? 24;
  if (!DLM_INTERVALS.includes(intervalHours))
    issues.push({
      path: sub(sp, "interval_hours"),
      message: `Data Lifecycle Manager snapshots every 1, 2, 3, 4, 6, 8, 12 or 24 hours, got ${intervalHours} (use cron for other schedules)`,
    });
  const time = s.time ?? "03:00";
  const err = checkTimeOfDay(time);
  if (err !== undefined) issues.push({ path: sub(sp, "time"), message: err });
  return { stateful, snapshots: { create: { kind: "interval", intervalHours, time }, retain } };
}

/**
 * A Data Lifecycle Manager cron: `cron(minutes hours day-of-month month day-of-week year)`, with `?`
 * in exactly one of the two day fields (EventBridge rules), 11 to 100 characters inside the
 * parentheses (terraform-provider-aws dlm validator `^cron\([^\n]{11,100}\)$`).
 */
export function checkSnapshotCron(expr: string): string | undefined {
  const m = /^cron\((.*)\)$/.exec(expr);
  const example = 'e.g. "cron(0 3 ? * SUN *)" for Sundays at 03:00 UTC';
  if (!m)
    return `expected an EventBridge cron expression "cron(minutes hours day-of-month month day-of-week year)", ${example}`;
  const inner = m[1]!;
  if (inner.length < 11 || inner.length > 100 || inner.includes("\n"))
    return `the expression inside cron(...) must be 11 to 100 characters on one line, got ${inner.length}`;
  const fields = inner.trim().split(/\s+/);
  if (fields.length !== 6)
    return `expected six fields inside cron(...) (minutes hours day-of-month month day-of-week year), got ${fields.length}; ${example}`;
  if ((fields[2] === "?") === (fields[4] === "?"))
    return `exactly one of day-of-month and day-of-week must be "?", ${example}`;
  return undefined;
}

/** A DLM start time of day, `HH:MM` in UTC (terraform-provider-aws `^(0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]$`). */
export function checkTimeOfDay(text: string): string | undefined {
  return /^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(text)
    ? undefined
    : `expected a UTC time of day as HH:MM from 00:00 to 23:59 (e.g. "03:00"), got "${text}"`;
}
