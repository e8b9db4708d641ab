/**
 * `pillar:network`: an existing VPC (`vpc_id` and subnet ids, as in the seed) or one the stack
 * creates (`cidr_block`, number of AZs, NAT), and how the other sections' subnet references resolve
 * against it.
 */
import { ConfigIssue, quoteList, sub } from "../issues";
import { intSchema, oneOf, Static, SUBNET_ID, Type, VPC_ID } from "../schemaKit";

export const networkSchema = Type.Object(
  {
    vpc_id: Type.Optional(VPC_ID),
    public_subnets: Type.Optional(Type.Array(SUBNET_ID)),
    private_subnets: Type.Optional(Type.Array(SUBNET_ID)),
    cidr_block: Type.Optional(
      Type.String({
        pattern: "^[0-9]{1,3}(\\.[0-9]{1,3}){3}/(1[6-9]|2[0-4])$",
        description: "an IPv4 CIDR block from /16 to /24, like 10.20.0.0/16",
      }),
    ),
    availability_zones: Type.Optional(intSchema(2, 6, "a number of availability zones")),
    nat_gateways: Type.Optional(oneOf(["single", "one_per_az", "none"])),
  },
  { additionalProperties: false },
);
export type NetworkInput = Static<typeof networkSchema>;

/** A subnet reference: a literal id, or every subnet of a tier of the network. */
export type SubnetRef =
  | { readonly kind: "id"; readonly id: string }
  | { readonly kind: "tier"; readonly tier: "public" | "private" };

export type NetworkModel =
  | {
      readonly mode: "existing";
      readonly vpcId: string;
      /** Known subnets by tier; empty when the config does not list them. */
      readonly publicSubnetIds: readonly string[];
      readonly privateSubnetIds: readonly string[];
    }
  | {
      readonly mode: "create";
      readonly cidrBlock: string;
      /** Number of availability zones, at least 2. */
      readonly azCount: number;
      readonly natGateways: "single" | "one_per_az" | "none";
    };

/** `shapeOk`: false when the section was given but its shape failed (then "missing" would be wrong). */
export function loadNetwork(
  n: NetworkInput | undefined,
  shapeOk: boolean,
  issues: ConfigIssue[],
): NetworkModel | undefined {
  if (n === undefined) {
    if (shapeOk)
      issues.push({
        path: "pillar:network",
        message: "missing: expected vpc_id (an existing VPC) or cidr_block (a VPC this stack creates)",
      });
    return undefined;
  }
  if (n.vpc_id !== undefined && n.cidr_block !== undefined) {
    issues.push({ path: "pillar:network", message: "Only one of [vpc_id] or [cidr_block] can be specified" });
    return undefined;
  }
  if (n.vpc_id !== undefined) {
    for (const k of ["availability_zones", "nat_gateways"] as const) {
      if (n[k] !== undefined)
        issues.push({
          path: sub("pillar:network", k),
          message: "only applies to a VPC the stack creates (cidr_block)",
        });
    }
    return {
      mode: "existing",
      vpcId: n.vpc_id,
      publicSubnetIds: [...(n.public_subnets ?? [])],
      privateSubnetIds: [...(n.private_subnets ?? [])],
    };
  }
  if (n.cidr_block !== undefined) {
    for (const k of ["public_subnets", "private_subnets"] as const) {
      if (n[k] !== undefined)
        issues.push({
          path: sub("pillar:network", k),
          message: "only applies to an existing VPC (vpc_id); the stack creates the subnets of its own VPC",
        });
    }
    return {
      mode: "create",
      cidrBlock: n.cidr_block,
      azCount: n.availability_zones ?? 2,
      natGateways: n.nat_gateways ?? "single",
    };
  }
  issues.push({
    path: "pillar:network",
    message: "expected vpc_id (an existing VPC) or cidr_block (a VPC this stack creates)",
  });
  return undefined;
}

/** A subnet id or a tier name (`public`, `private`), checked against the network section. */
export function resolveSubnet(
  ref: string,
  path: string,
  network: NetworkModel | undefined,
  issues: ConfigIssue[],
): SubnetRef | undefined {
  if (ref === "public" || ref === "private") {
    if (network?.mode === "existing") {
      const ids = ref === "public" ? network.publicSubnetIds : network.privateSubnetIds;
      if (ids.length === 0) {
        issues.push({
          path,
          message: `tier "${ref}" names no subnets: list ${ref}_subnets in pillar:network`,
        });
        return undefined;
      }
    }
    return { kind: "tier", tier: ref };
  }
  if (!/^subnet-[0-9a-f]{7,17}$/.test(ref)) {
    issues.push({
      path,
      message: `expected a subnet id (subnet-…) or a tier ("public" or "private"), got "${ref}"`,
    });
    return undefined;
  }
  if (network?.mode === "create") {
    issues.push({
      path,
      message: `the stack creates its VPC, so "${ref}" cannot be in it; use the tier "public" or "private"`,
    });
    return undefined;
  }
  if (network?.mode === "existing") {
    const known = [...network.publicSubnetIds, ...network.privateSubnetIds];
    if (known.length > 0 && !known.includes(ref)) {
      issues.push({
        path,
        message: `subnet "${ref}" is not in pillar:network; known subnets: ${quoteList(known)}`,
      });
      return undefined;
    }
  }
  return { kind: "id", id: ref };
}
