/**
 * `pillar:network` from what the pillar already says, since Salt has no such key: the derivation is
 * the loader's own (config/sections/network.ts `deriveNetwork`), so a stack file written without
 * `pillar:network` plans with the same network the importer would have written; here it becomes a
 * report entry.
 */
import { deriveNetwork as deriveFromPillar } from "../../../config/sections/network";
import { OptionEntry } from "./walk";

export function deriveNetwork(
  sections: { security_groups?: unknown; elb?: unknown; autoscale?: unknown },
  profiles: Record<string, unknown> | undefined,
  entries: OptionEntry[],
): Record<string, unknown> | undefined {
  const derived = deriveFromPillar({ ...sections, profiles });
  if (derived.kind !== "derived") {
    entries.push({
      file: "",
      option: "pillar:network",
      action: "decide",
      pillar: "pillar:network",
      note:
        derived.kind === "no-vpc"
          ? "the pillar names no VPC (no security group has vpc_id): set pillar:network.vpc_id (an existing VPC, with public_subnets and private_subnets), or cidr_block for a VPC the stack creates"
          : `the security groups name ${derived.vpcs.length} VPCs (${derived.vpcs.join(", ")}); a stack has one: set pillar:network.vpc_id and the groups' vpc_id to it`,
    });
    return undefined;
  }
  entries.push({
    file: "",
    option: "pillar:network",
    action: "derived",
    pillar: "pillar:network",
    note: `Salt has no network key; derived from what the pillar says: ${derived.from.join("; ")}. Check the tiers: a subnet listed as public must route to an internet gateway`,
  });
  return { ...derived.network };
}
