/**
 * Which live resource each planned resource is, from the offline plan's recorded resources (their
 * physical names as the provider computes them under `pulumi:autonaming`, their known inputs and
 * their property dependencies) and what the AWS APIs answer. Pure: no AWS calls here.
 *
 * Import ids (the @pulumi/aws 7.48 docs' "Import" sections): a security group by `sg-` id, a rule by
 * its `sgr-` id, a classic ELB by name, an Auto Scaling group by name, a scaling policy by
 * `<group>/<policy>`, an alarm by name, a topic by ARN, an instance by `i-` id, a volume by `vol-` id,
 * a volume attachment by `<device>:<volume>:<instance>`.
 */
import type { SecurityGroupRule } from "@aws-sdk/client-ec2";
import { normalizeProtocol } from "../../../config/sections/security_groups/rules";
import { StackModel } from "../../../config/model";
import { RecordedResource } from "../record";
import { TYPES } from "../../../provider/types";
import { Adoption, fixedName, Found, known, LiveData, NOT_IMPORTABLE, T } from "./model";

/** The VPC of a rule's group or of a group: by its recorded input. */
function ruleKey(
  protocol: string,
  from: number | undefined,
  to: number | undefined,
  source: string,
  groupId: string,
  egress: boolean,
): string {
  const p = normalizeProtocol(protocol) ?? protocol;
  return [groupId, egress ? "out" : "in", p, from ?? -1, to ?? -1, source].join("|");
}

function liveRuleKey(r: SecurityGroupRule): string {
  const source = r.CidrIpv4
    ? `cidr:${r.CidrIpv4}`
    : r.CidrIpv6
      ? `cidr:${r.CidrIpv6}`
      : r.ReferencedGroupInfo?.GroupId
        ? `sg:${r.ReferencedGroupInfo.GroupId}`
        : r.PrefixListId
          ? `pl:${r.PrefixListId}`
          : "?";
  const p = r.IpProtocol ?? "-1";
  // AWS answers -1/-1 for all-protocol rules; the stack leaves the ports out.
  return ruleKey(p, r.FromPort, r.ToPort, source, r.GroupId ?? "", r.IsEgress === true);
}

function describeRule(r: SecurityGroupRule): string {
  const ports =
    r.IpProtocol === "-1"
      ? "all traffic"
      : `${r.IpProtocol} ${r.FromPort === r.ToPort ? r.FromPort : `${r.FromPort}-${r.ToPort}`}`;
  const source = r.CidrIpv4 ?? r.CidrIpv6 ?? r.ReferencedGroupInfo?.GroupId ?? r.PrefixListId ?? "?";
  return `${r.IsEgress ? "egress" : "ingress"} ${ports} ${r.IsEgress ? "to" : "from"} ${source}`;
}

const short = (type: string) => type.replace(/^aws:([a-z0-9]+)\/[a-zA-Z0-9]+:/, "aws:$1:");

/** Matches every planned resource against what runs. */
export function matchLive(
  resources: readonly RecordedResource[],
  model: StackModel,
  live: LiveData,
  opts: { readonly instances?: Readonly<Record<string, string>> } = {},
): Adoption {
  const found = new Map<string, Found>();
  const creates: Adoption["creates"] = [];
  const unmatched: Adoption["unmatched"] = [];
  const ambiguous: Adoption["ambiguous"] = [];
  const create = (r: RecordedResource, why: string) =>
    creates.push({ urn: r.urn, type: r.type, name: r.name, why });
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const custom = resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
  const randomName = (r: RecordedResource) =>
    `its name is generated with a random suffix (${r.physicalName?.value ?? "known after apply"}), so no live resource can be it: pulumi up creates it`;

  // Security groups: by name within their VPC; AWS compares the names without regard to case.
  const groupIds = new Map<string, string>();
  for (const r of custom.filter((x) => x.type === T.group)) {
    const name = fixedName(r, model);
    const vpc = known(r, "vpcId");
    if (name === undefined) create(r, randomName(r));
    else if (vpc === undefined) create(r, "its VPC is created by this stack: pulumi up creates it");
    else {
      const inVpc = live.groups.get(vpc) ?? [];
      const exact = inVpc.filter((g) => g.GroupName === name);
      const folded = inVpc.filter(
        (g) => g.GroupName !== name && g.GroupName?.toLowerCase() === name.toLowerCase(),
      );
      if (exact.length > 1)
        ambiguous.push({
          urn: r.urn,
          type: r.type,
          name: r.name,
          why: `${exact.length} live groups are named ${name} in ${vpc}: ${exact.map((g) => g.GroupId).join(", ")}`,
        });
      else if (exact.length === 1) {
        const g = exact[0]!;
        groupIds.set(r.urn, g.GroupId!);
        found.set(r.urn, {
          id: g.GroupId!,
          inputs: { name: g.GroupName, description: g.Description, vpcId: g.VpcId },
        });
      } else if (folded.length > 0)
        ambiguous.push({
          urn: r.urn,
          type: r.type,
          name: r.name,
          why: `the live group ${folded[0]!.GroupName} (${folded[0]!.GroupId}) differs from "${name}" only in case: AWS would refuse to create "${name}" beside it, and a name forces replacement; write the live name in the pillar`,
        });
      else create(r, `no group named ${name} in ${vpc}: pulumi up creates it`);
    }
  }

  // Rules: one per (group, direction, protocol, ports, source), matched on all of them.
  const planned = new Map<string, RecordedResource>();
  for (const r of custom.filter((x) => x.type === T.ingress || x.type === T.egress)) {
    const groupUrn = r.propertyDependencies.securityGroupId?.[0];
    const groupId = groupUrn ? groupIds.get(groupUrn) : known(r, "securityGroupId");
    if (groupId === undefined) {
      create(r, "its group is not live: pulumi up creates it with the group");
      continue;
    }
    let source: string | undefined;
    const cidr = known(r, "cidrIpv4") ?? known(r, "cidrIpv6");
    if (cidr) source = `cidr:${cidr}`;
    else if (known(r, "prefixListId")) source = `pl:${known(r, "prefixListId")}`;
    else {
      const refUrn = r.propertyDependencies.referencedSecurityGroupId?.[0];
      const refId =
        refUrn && byUrn.get(refUrn)?.type === T.group
          ? groupIds.get(refUrn)
          : known(r, "referencedSecurityGroupId");
      if (refId !== undefined) source = `sg:${refId}`;
    }
    if (source === undefined) {
      create(r, "the group it refers to is not live: pulumi up creates it");
      continue;
    }
    const from = r.wireInputs.fromPort as number | undefined;
    const to = r.wireInputs.toPort as number | undefined;
    planned.set(ruleKey(String(r.wireInputs.ipProtocol), from, to, source, groupId, r.type === T.egress), r);
  }
  const matchedRules = new Set<string>();
  for (const rule of live.rules) {
    const key = liveRuleKey(rule);
    const r = planned.get(key);
    if (r && !found.has(r.urn)) {
      found.set(r.urn, { id: rule.SecurityGroupRuleId!, inputs: {} });
      matchedRules.add(r.urn);
    } else {
      const group = [...groupIds].find(([, id]) => id === rule.GroupId)?.[0];
      const groupName = group ? byUrn.get(group)!.name : rule.GroupId;
      const configPath = model.securityGroups.find((g) => g.name === groupName)?.path;
      unmatched.push({
        what: `rule of group ${groupName} (${rule.GroupId}): ${describeRule(rule)}`,
        id: rule.SecurityGroupRuleId ?? "?",
        why: `live but not in the pillar: pulumi does not manage it and never deletes it (the stack keeps no inline rules on the group); add it to ${configPath ?? "pillar:security_groups"}.${rule.IsEgress ? "rules_egress" : "rules"} to manage it, or delete it yourself (Salt's boto_secgroup would have deleted it on its next run)`,
      });
    }
  }
  for (const r of planned.values()) if (!matchedRules.has(r.urn)) create(r, "not live: pulumi up creates it");

  // Classic ELBs, Auto Scaling groups, policies, alarms: by name (names that are their ids).
  for (const r of custom.filter((x) => x.type === T.elb)) {
    const name = fixedName(r, model);
    if (name === undefined) {
      create(r, randomName(r));
      continue;
    }
    const lb = live.loadBalancers.find((l) => l.LoadBalancerName === name);
    const folded = live.loadBalancers.filter(
      (l) => l.LoadBalancerName !== name && l.LoadBalancerName?.toLowerCase() === name.toLowerCase(),
    );
    if (!lb && folded.length > 0)
      ambiguous.push({
        urn: r.urn,
        type: r.type,
        name: r.name,
        why: `no load balancer is named ${name}, but ${folded.map((l) => l.LoadBalancerName).join(", ")} ${folded.length > 1 ? "are" : "is"} the same name in another case: a name forces replacement, so write the live one in the pillar`,
      });
    else if (!lb) create(r, `no classic load balancer named ${name}: pulumi up creates it`);
    else
      found.set(r.urn, {
        id: name,
        inputs: { name, internal: lb.Scheme === "internal", subnets: [...(lb.Subnets ?? [])].sort() },
      });
  }
  for (const r of custom.filter((x) => x.type === T.asg)) {
    const name = fixedName(r, model);
    const g =
      name === undefined ? undefined : live.autoScalingGroups.find((x) => x.AutoScalingGroupName === name);
    if (name === undefined) create(r, randomName(r));
    else if (!g) create(r, `no Auto Scaling group named ${name}: pulumi up creates it`);
    else {
      const notes: string[] = [];
      if (g.LaunchConfigurationName)
        notes.push(
          `moves from launch configuration ${g.LaunchConfigurationName} to the stack's launch template in place (UpdateAutoScalingGroup: neither launch_configuration nor launch_template forces replacement); running instances stay until they are replaced (start an instance refresh to roll them), and the launch configuration is left for you to delete`,
        );
      found.set(r.urn, {
        id: name,
        inputs: {
          name,
          ...(g.LaunchConfigurationName ? { launchConfiguration: g.LaunchConfigurationName } : {}),
        },
        notes,
      });
    }
  }
  for (const r of custom.filter((x) => x.type === T.policy)) {
    const name = fixedName(r, model);
    const group = known(r, "autoscalingGroupName");
    const p = name && group ? (live.policies.get(group) ?? []).find((x) => x.PolicyName === name) : undefined;
    if (name === undefined || group === undefined) create(r, randomName(r));
    else if (!p) create(r, `no policy ${name} on group ${group}: pulumi up creates it`);
    else found.set(r.urn, { id: `${group}/${name}`, inputs: { name, autoscalingGroupName: group } });
  }
  for (const r of custom.filter((x) => x.type === T.alarm)) {
    const name = fixedName(r, model);
    const a = name === undefined ? undefined : live.alarms.find((x) => x.AlarmName === name);
    if (name === undefined) create(r, randomName(r));
    else if (!a) create(r, `no alarm named ${name}: pulumi up creates it`);
    else found.set(r.urn, { id: name, inputs: { name } });
  }
  for (const r of custom.filter((x) => x.type === T.topic)) {
    const name = fixedName(r, model);
    const arns = name === undefined ? [] : live.topics.filter((a) => a.split(":").pop() === name);
    if (name === undefined) create(r, randomName(r));
    else if (arns.length === 0) create(r, `no topic named ${name}: pulumi up creates it`);
    else found.set(r.urn, { id: arns[0]!, inputs: { name } });
  }

  // Instances: salt-cloud names them on its command line, which no file keeps, so the user says which.
  for (const r of custom.filter((x) => x.type === T.instance)) {
    const profile = r.name.replace(/-\d+$/, "");
    const id = opts.instances?.[r.name] ?? opts.instances?.[profile];
    const i = id === undefined ? undefined : live.instances.find((x) => x.InstanceId === id);
    if (id === undefined)
      create(
        r,
        `salt-cloud names an instance by the name given on its command line, which no Salt file keeps: give --instance ${r.name}=i-… to adopt the running one, or pulumi up creates a new server beside it`,
      );
    else if (!i)
      ambiguous.push({
        urn: r.urn,
        type: r.type,
        name: r.name,
        why: `--instance names ${id}, which does not exist in the region`,
      });
    else {
      const root = (i.BlockDeviceMappings ?? []).find((b) => b.DeviceName === i.RootDeviceName);
      const rootVolume = live.volumes.find((v) => v.VolumeId === root?.Ebs?.VolumeId);
      found.set(r.urn, {
        id,
        inputs: {
          ami: i.ImageId,
          subnetId: i.SubnetId,
          ...(i.KeyName ? { keyName: i.KeyName } : {}),
          ...(rootVolume
            ? {
                rootBlockDevice: {
                  encrypted: rootVolume.Encrypted === true,
                  ...(rootVolume.VolumeType ? { volumeType: rootVolume.VolumeType } : {}),
                  ...(rootVolume.Size !== undefined ? { volumeSize: rootVolume.Size } : {}),
                },
              }
            : {}),
        },
      });
      // The stack's data volumes and their attachments, by device name.
      for (const v of custom.filter(
        (x) => x.type === T.volume && x.parent === r.parent && x.name.startsWith(`${r.name}-`),
      )) {
        const device = `/dev/${v.name.slice(r.name.length + 1)}`;
        const mapping = (i.BlockDeviceMappings ?? []).find((b) => b.DeviceName === device);
        const attachment = custom.find((x) => x.type === T.attachment && x.name === v.name);
        if (!mapping?.Ebs?.VolumeId) {
          create(v, `${id} has no volume at ${device}: pulumi up creates and attaches one`);
          if (attachment) create(attachment, `${id} has no volume at ${device}`);
          continue;
        }
        const vol = live.volumes.find((x) => x.VolumeId === mapping.Ebs!.VolumeId);
        found.set(v.urn, {
          id: mapping.Ebs.VolumeId,
          inputs: {
            ...(vol ? { encrypted: vol.Encrypted === true, availabilityZone: vol.AvailabilityZone } : {}),
          },
        });
        if (attachment)
          found.set(attachment.urn, { id: `${device}:${mapping.Ebs.VolumeId}:${id}`, inputs: {} });
      }
    }
  }

  // Everything else is new with pillar.
  const decided = new Set([...found.keys(), ...creates.map((c) => c.urn), ...ambiguous.map((a) => a.urn)]);
  for (const r of custom) {
    if (decided.has(r.urn)) continue;
    if (r.type === TYPES.autoscaling.LifecycleHook)
      create(
        r,
        `the reactor's hook, put on the group in place (PutLifecycleHook), live or not: the group keeps running`,
      );
    else create(r, NOT_IMPORTABLE[r.type] ?? `new with pillar (${short(r.type)}): pulumi up creates it`);
  }
  return { found, creates, unmatched, ambiguous };
}
