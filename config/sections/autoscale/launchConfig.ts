/**
 * A group's `launch_config` (the seed's list of one-key maps, each key set once) → one EC2 launch
 * template model, checked against the allowed instance types and the provider's region.
 */
import { sub } from "../../issues";
import type { BlockDeviceModel, ImageModel } from "../../model";
import { blockDevice, bool, image, Static, str, strList, Type } from "../../schemaKit";
import { toBlockDevice, toBool, toImage } from "../../values";
import type { GroupInput } from "../autoscale";
import { checkGroupRefs, Section } from "../context";
import { checkInstanceType } from "./dayTwo";

export const launchConfigItem = Type.Object(
  {
    image_id: Type.Optional(image),
    key_name: Type.Optional(str),
    instance_type: Type.Optional(str),
    security_groups: Type.Optional(strList),
    region: Type.Optional(str),
    user_data: Type.Optional(Type.String()),
    block_device_mappings: Type.Optional(Type.Array(blockDevice)),
    instance_profile_name: Type.Optional(str),
    associate_public_ip_address: Type.Optional(bool),
    ebs_optimized: Type.Optional(bool),
    instance_monitoring: Type.Optional(bool),
  },
  { minProperties: 1, maxProperties: 1, additionalProperties: false },
);
type LaunchConfigInput = Static<typeof launchConfigItem>;

export interface LaunchTemplateModel {
  /** `launch_config_name` from the seed, used in the template's resource name. */
  readonly name: string;
  readonly image: ImageModel;
  readonly instanceType: string;
  readonly keyName?: string;
  readonly securityGroups: readonly string[];
  readonly userData?: string;
  readonly blockDevices: readonly BlockDeviceModel[];
  /** Existing instance profile name; when absent the stack makes one with SSM core access. */
  readonly iamInstanceProfile?: string;
  readonly associatePublicIpAddress?: boolean;
  readonly ebsOptimized?: boolean;
  readonly detailedMonitoring: boolean;
  readonly path: string;
}

export /** The seed's `launch_config`, a list of one-key maps, as one launch template. */
function loadLaunchConfig(
  g: GroupInput,
  path: string,
  s: Section,
  allowed: readonly string[] | undefined,
): LaunchTemplateModel {
  const lcPath = sub(path, "launch_config");
  const lc: LaunchConfigInput = {};
  const where = new Map<string, string>();
  g.launch_config.forEach((item, i) => {
    for (const [k, v] of Object.entries(item)) {
      const at = sub(lcPath, i);
      if (where.has(k))
        s.issues.push({ path: sub(at, k), message: `"${k}" is already set at ${where.get(k)}` });
      where.set(k, at);
      (lc as Record<string, unknown>)[k] = v;
    }
  });
  const at = (k: string) => sub(where.get(k) ?? lcPath, k);
  if (lc.instance_type === undefined)
    s.issues.push({ path: lcPath, message: 'missing "instance_type" (e.g. "- instance_type: t3.small")' });
  else checkInstanceType(lc.instance_type, at("instance_type"), allowed, s.issues);
  if (lc.region !== undefined && s.cloud && lc.region !== s.cloud.region) {
    s.issues.push({
      path: at("region"),
      message: `region "${lc.region}" differs from the provider's region "${s.cloud.region}"`,
    });
  }
  return {
    name: g.launch_config_name ?? g.name,
    image: toImage(lc.image_id),
    instanceType: String(lc.instance_type),
    ...(lc.key_name !== undefined ? { keyName: lc.key_name } : {}),
    securityGroups: checkGroupRefs(lc.security_groups, at("security_groups"), s),
    ...(lc.user_data !== undefined ? { userData: lc.user_data } : {}),
    blockDevices: (lc.block_device_mappings ?? []).map(toBlockDevice),
    ...(lc.instance_profile_name !== undefined ? { iamInstanceProfile: lc.instance_profile_name } : {}),
    ...(lc.associate_public_ip_address !== undefined
      ? { associatePublicIpAddress: toBool(lc.associate_public_ip_address) }
      : {}),
    ...(lc.ebs_optimized !== undefined ? { ebsOptimized: toBool(lc.ebs_optimized) } : {}),
    detailedMonitoring: lc.instance_monitoring === undefined ? true : toBool(lc.instance_monitoring),
    path: lcPath,
  };
}
