/**
 * `pillar:network` from what the pillar already says, since Salt has no such key: the VPC of the
 * security groups (`vpc_id`), public subnets where an internet-facing ELB sits, private subnets where
 * the instances go (profiles' `subnetid`, autoscale subnets the ELB does not use, an internal ELB's).
 */
import { asMap } from "./read";
import { OptionEntry, sectionSchema } from "./walk";

/** The subnet-id pattern of pillar:network, from the config schema itself. */
function subnetPattern(): RegExp {
  const props = sectionSchema("network").properties as Record<string, { items: { pattern: string } }>;
  return new RegExp(props.public_subnets!.items.pattern);
}

const strings = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === "string");

export function deriveNetwork(
  sections: { security_groups?: unknown; elb?: unknown; autoscale?: unknown },
  profiles: Record<string, unknown> | undefined,
  entries: OptionEntry[],
): Record<string, unknown> | undefined {
  const isSubnet = subnetPattern();
  const groups = Array.isArray(sections.security_groups) ? sections.security_groups : [];
  const vpcs = [...new Set(groups.flatMap((g) => strings(asMap(g)?.vpc_id)))];
  const elbs = Array.isArray(sections.elb) ? sections.elb : sections.elb !== undefined ? [sections.elb] : [];
  const publicIds: string[] = [];
  const privateIds: string[] = [];
  const add = (list: string[], ids: string[]) => {
    for (const id of ids) if (isSubnet.test(id) && !list.includes(id)) list.push(id);
  };
  for (const e of elbs) {
    const elb = asMap(e);
    add(elb?.scheme === "internal" ? privateIds : publicIds, strings(elb?.subnets));
  }
  const asgSubnets = (
    Array.isArray(asMap(sections.autoscale)?.groups) ? (asMap(sections.autoscale)!.groups as unknown[]) : []
  ).flatMap((g) => strings(asMap(g)?.vpc_zone_identifiers));
  const profileSubnets = Object.values(profiles ?? {}).flatMap((p) => strings(asMap(p)?.subnetid));
  add(
    privateIds,
    [...profileSubnets, ...asgSubnets].filter((s) => !publicIds.includes(s)),
  );

  if (vpcs.length !== 1) {
    entries.push({
      file: "",
      option: "pillar:network",
      action: "decide",
      pillar: "pillar:network",
      note:
        vpcs.length === 0
          ? "the pillar names no VPC (no security group has vpc_id): set pillar:network.vpc_id (an existing VPC, with public_subnets and private_subnets), or cidr_block for a VPC the stack creates"
          : `the security groups name ${vpcs.length} VPCs (${vpcs.join(", ")}); a stack has one: set pillar:network.vpc_id and the groups' vpc_id to it`,
    });
    return undefined;
  }
  const network: Record<string, unknown> = { vpc_id: vpcs[0] };
  if (publicIds.length > 0) network.public_subnets = publicIds;
  if (privateIds.length > 0) network.private_subnets = privateIds;
  const said: string[] = [`vpc_id ${vpcs[0]} from security_groups[].vpc_id`];
  if (publicIds.length > 0) said.push(`public_subnets from the ELB's subnets (${publicIds.join(", ")})`);
  if (privateIds.length > 0)
    said.push(
      `private_subnets from the profiles' subnetid and the autoscale groups' subnets the ELB does not use (${privateIds.join(", ")})`,
    );
  entries.push({
    file: "",
    option: "pillar:network",
    action: "derived",
    pillar: "pillar:network",
    note: `Salt has no network key; derived from what the pillar says: ${said.join("; ")}. Check the tiers: a subnet listed as public must route to an internet gateway`,
  });
  return network;
}
