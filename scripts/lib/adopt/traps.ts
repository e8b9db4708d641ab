/**
 * Replacement traps: what the first `pulumi up` after `pulumi import` would replace, because an input
 * that forces replacement differs between the stack and the live resource, or because the program
 * sets an input an imported resource can never have.
 *
 * Sources (terraform-provider-aws, the schemas pulumi-aws bridges):
 * - security group (internal/service/ec2/vpc_security_group.go): `name`, `name_prefix`,
 *   `description`, `vpc_id` are ForceNew; pulumi-aws defaults `description` to "Managed by Pulumi";
 * - classic ELB (internal/service/elb/load_balancer.go): `name`, `internal` ForceNew, and a change of
 *   `subnets` forces replacement when it removes every current subnet;
 * - Auto Scaling group (internal/service/autoscaling/group.go): `name` and `initial_lifecycle_hook`
 *   ForceNew, and the hooks are create-only, never read back, so an imported group has none: a
 *   program that sets them replaces the group (hashicorp/terraform-provider-aws#49226);
 *   `launch_configuration` → `launch_template` is an in-place UpdateAutoScalingGroup;
 * - scaling policy: `name`, `autoscaling_group_name` ForceNew; alarm `alarm_name`, topic `name`;
 * - instance (internal/service/ec2/ec2_instance.go): `ami`, `subnet_id`, `key_name` and
 *   `root_block_device.encrypted` ForceNew.
 */
import { StackModel } from "../../../config/model";
import { RecordedResource, UNKNOWN_SENTINEL } from "../record";
import { T } from "./model";

export interface Finding {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** replace: the first pulumi up would replace it; move: an in-place change worth knowing. */
  readonly level: "replace" | "move";
  readonly message: string;
}

/** Which inputs force replacement, per type, and where the stack's value comes from in config. */
const FORCE_NEW: Readonly<Record<string, readonly string[]>> = {
  [T.group]: ["name", "description", "vpcId"],
  [T.elb]: ["name", "internal"],
  [T.asg]: ["name"],
  [T.policy]: ["name", "autoscalingGroupName"],
  [T.alarm]: ["name"],
  [T.topic]: ["name"],
  [T.instance]: ["ami", "subnetId", "keyName"],
  [T.volume]: ["encrypted", "availabilityZone"],
};

function configPath(r: RecordedResource, key: string, model: StackModel): string | undefined {
  if (r.type === T.group) {
    const g = model.securityGroups.find((x) => x.name === r.name);
    if (g) return key === "vpcId" ? "pillar:network.vpc_id" : `${g.path}.${key}`;
  }
  if (r.type === T.elb) {
    const lb = model.loadBalancers.find((x) => x.name === r.name);
    if (lb) return key === "internal" ? `${lb.path}.scheme` : lb.path;
  }
  if (r.type === T.instance) {
    const p = model.profiles.find((x) => r.name === x.name || r.name.startsWith(`${x.name}-`));
    if (p) return `${p.path}.${{ ami: "image", subnetId: "subnetid", keyName: "keyname" }[key] ?? key}`;
  }
  return undefined;
}

/** The stack's value of an input: the physical name for `name`, else the recorded input when known. */
function stackValue(r: RecordedResource, key: string): unknown {
  if (key === "name" && r.physicalName?.property === "name") return r.physicalName.value;
  const v = r.wireInputs[key];
  return v === UNKNOWN_SENTINEL ? undefined : v;
}

const show = (v: unknown) => (typeof v === "string" ? `"${v}"` : JSON.stringify(v));

/**
 * What importing these resources with these live values would lead to on the first `pulumi up`:
 * `live` maps a URN to the live inputs adopt recorded (the import file's `inputs`).
 */
export function adoptionFindings(
  resources: readonly RecordedResource[],
  live: ReadonlyMap<string, Readonly<Record<string, unknown>>>,
  model: StackModel,
): Finding[] {
  const out: Finding[] = [];
  for (const r of resources) {
    const values = live.get(r.urn);
    if (values === undefined) continue;
    const what = `${r.type.split(":").pop()} ${r.name}`;
    const push = (level: Finding["level"], message: string) =>
      out.push({ urn: r.urn, type: r.type, name: r.name, level, message });
    for (const key of FORCE_NEW[r.type] ?? []) {
      if (!(key in values)) continue;
      if (key === "ami" && r.options.ignoreChanges.includes("ami")) continue;
      const mine = stackValue(r, key);
      const theirs = values[key];
      if (mine === undefined || JSON.stringify(mine) === JSON.stringify(theirs)) continue;
      const at = configPath(r, key, model);
      push(
        "replace",
        `${what}: ${key} is ${show(theirs)} live but ${show(mine)} in the stack; ${key} forces replacement, so the first pulumi up would replace it${at ? `: set ${at} to the live value` : ""}`,
      );
    }
    if (r.type === T.elb && Array.isArray(values.subnets)) {
      const mine =
        (r.wireInputs.subnets as unknown[] | undefined)?.filter(
          (s): s is string => typeof s === "string" && s !== UNKNOWN_SENTINEL,
        ) ?? [];
      const theirs = values.subnets as string[];
      if (mine.length > 0 && theirs.length > 0 && !mine.some((s) => theirs.includes(s)))
        push(
          "replace",
          `${what}: the stack's subnets (${mine.join(", ")}) share none with the live ones (${theirs.join(", ")}); removing every current subnet forces replacement: keep at least one live subnet in the ELB's subnets`,
        );
    }
    if (r.type === T.instance) {
      const root = (values.rootBlockDevice as { encrypted?: boolean } | undefined)?.encrypted;
      const mine = (r.wireInputs.rootBlockDevice as { encrypted?: unknown } | undefined)?.encrypted;
      if (
        root !== undefined &&
        mine !== undefined &&
        mine !== UNKNOWN_SENTINEL &&
        String(mine) !== String(root)
      ) {
        const at = configPath(r, "block_device_mappings", model);
        push(
          "replace",
          `${what}: its root volume is ${root ? "" : "not "}encrypted live but the stack says encrypted ${String(mine)}; root_block_device.encrypted forces replacement, so the first pulumi up would replace the server: set Ebs.Encrypted: ${String(root)} on its root device${at ? ` (${at})` : ""}, then encrypt it by a snapshot copy when you can take the downtime`,
        );
      }
    }
    if (r.type === T.instance) {
      // Type and size change in place (ModifyVolume), but "with previous-generation instance types, resizing
      // an EBS volume might require … stopping and restarting the instance" (EC2 API ModifyVolume).
      const live = values.rootBlockDevice as { volumeType?: string; volumeSize?: number } | undefined;
      const mine = r.wireInputs.rootBlockDevice as { volumeType?: unknown; volumeSize?: unknown } | undefined;
      const changes: string[] = [];
      if (
        live?.volumeType !== undefined &&
        typeof mine?.volumeType === "string" &&
        mine.volumeType !== live.volumeType
      )
        changes.push(`type ${live.volumeType} → ${mine.volumeType}`);
      if (
        live?.volumeSize !== undefined &&
        typeof mine?.volumeSize === "number" &&
        mine.volumeSize !== live.volumeSize
      )
        changes.push(`size ${live.volumeSize} → ${mine.volumeSize} GiB`);
      if (changes.length > 0)
        push(
          "move",
          `${what}: its root volume changes in place (ModifyVolume: ${changes.join(", ")}); on a previous-generation instance type the change may need the instance stopped and started (EC2 ModifyVolume): to leave the volume as it is, write its live type and size in the profile's block_device_mappings (Ebs.VolumeType, Ebs.VolumeSize)`,
        );
    }
    if (r.type === T.asg) {
      const hooks = r.wireInputs.initialLifecycleHooks;
      if (
        Array.isArray(hooks) &&
        hooks.length > 0 &&
        !r.options.ignoreChanges.includes("initialLifecycleHooks")
      )
        push(
          "replace",
          `${what}: the stack sets initialLifecycleHooks (the reactor's launch and terminate hooks), which only apply when a group is created and are never read back, so an imported group has none and the first pulumi up would replace it (initial_lifecycle_hook forces replacement; hashicorp/terraform-provider-aws#49226). The stack keeps them with ignoreChanges on initialLifecycleHooks and puts them as lifecycle hooks of their own; restore that before pulumi up`,
        );
      if (typeof values.launchConfiguration === "string")
        push(
          "move",
          `${what}: moves from launch configuration ${values.launchConfiguration} to the stack's launch template in place (UpdateAutoScalingGroup); running instances stay until they are replaced`,
        );
    }
  }
  return out;
}
