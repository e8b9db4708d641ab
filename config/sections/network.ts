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

/**
 * `pillar:network`, or when it is absent the existing network the other sections name
 * (`deriveNetwork`), with a note saying what it was derived from. `shapeOk`: false when the section
 * was given but its shape failed (then "missing" would be wrong).
 */
export function loadNetwork(
  given: NetworkInput | undefined,
  shapeOk: boolean,
  sections: Parameters<typeof deriveNetwork>[0] & { readonly network?: unknown },
  issues: ConfigIssue[],
  notes: string[],
): NetworkModel | undefined {
  let n = given;
  if (n === undefined && shapeOk && sections.network === undefined) {
    const derived = deriveNetwork(sections);
    if (derived.kind === "derived") {
      n = derived.network;
      notes.push(
        `pillar:network is not set: planned the existing VPC the pillar names, derived from ${derived.from.join("; ")}. Set pillar:network to choose the VPC and its subnet tiers yourself`,
      );
    } else if (derived.kind === "several-vpcs") {
      issues.push({
        path: "pillar:network",
        message: `missing, and the security groups name ${derived.vpcs.length} VPCs (${derived.vpcs.join(", ")}); a stack has one: set pillar:network.vpc_id and the groups' vpc_id to it`,
      });
      return undefined;
    }
  }
  if (n === undefined) {
    if (shapeOk)
      issues.push({
        path: "pillar:network",
        message: "missing: expected vpc_id (an existing VPC) or cidr_block (a VPC this stack creates)",
      });
    return undefined;
  }
  if (n.vpc_id !== undefined && n.cidr_block !== undefined) {
    issues.push({
      path: "pillar:network",
      message: `Only one of [vpc_id] or [cidr_block] can be specified, got vpc_id "${n.vpc_id}" and cidr_block "${n.cidr_block}"`,
    });
    return undefined;
  }
  if (n.vpc_id !== undefined) {
    for (const k of ["availability_zones", "nat_gateways"] as const) {
      if (n[k] !== undefined)
        issues.push({
          path: sub("pillar:network", k),
          message: `${JSON.stringify(n[k])} only applies to a VPC the stack creates (cidr_block)`,
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
          message: `${JSON.stringify(n[k])} only applies to an existing VPC (vpc_id); the stack creates the subnets of its own VPC`,
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

/** What `deriveNetwork` found: the network the pillar implies, or why it implies none. */
export type DerivedNetwork =
  | {
      readonly kind: "derived";
      readonly network: NetworkInput & { readonly vpc_id: string };
      /** What each part was derived from, in words (for the plan's note and the importer's report). */
      readonly from: readonly string[];
    }
  | { readonly kind: "no-vpc" }
  | { readonly kind: "several-vpcs"; readonly vpcs: readonly string[] };

const mapOrUndefined = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const strings = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === "string");

/**
 * An existing network from what the pillar already says, since Salt has no network key: the VPC of
 * the security groups (`vpc_id`), public subnets where an internet-facing ELB sits, private subnets
 * where the instances go (profiles' `subnetid`, autoscale subnets the ELB does not use, an internal
 * ELB's). Only well-formed ids count: a placeholder such as `subnet-<vpc_subnet1>` is left to the
 * section that lists it, which reports it. Takes the sections as written (not yet shape-checked);
 * the loader (when `pillar:network` is absent) and `npm run import` both derive with this.
 */
export function deriveNetwork(sections: {
  readonly security_groups?: unknown;
  readonly elb?: unknown;
  readonly autoscale?: unknown;
  readonly profiles?: unknown;
}): DerivedNetwork {
  const isVpc = new RegExp(VPC_ID.pattern!);
  const isSubnet = new RegExp(SUBNET_ID.pattern!);
  const groups = Array.isArray(sections.security_groups) ? sections.security_groups : [];
  const vpcs = [
    ...new Set(groups.flatMap((g) => strings(mapOrUndefined(g)?.vpc_id)).filter((v) => isVpc.test(v))),
  ];
  if (vpcs.length === 0) return { kind: "no-vpc" };
  if (vpcs.length > 1) return { kind: "several-vpcs", vpcs };
  const elbs = Array.isArray(sections.elb) ? sections.elb : sections.elb !== undefined ? [sections.elb] : [];
  const publicIds: string[] = [];
  const privateIds: string[] = [];
  const add = (list: string[], ids: string[]) => {
    for (const id of ids) if (isSubnet.test(id) && !list.includes(id)) list.push(id);
  };
  for (const e of elbs) {
    const elb = mapOrUndefined(e);
    add(elb?.scheme === "internal" ? privateIds : publicIds, strings(elb?.subnets));
  }
  const asgGroups = mapOrUndefined(sections.autoscale)?.groups;
  const asgSubnets = (Array.isArray(asgGroups) ? asgGroups : []).flatMap((g) =>
    strings(mapOrUndefined(g)?.vpc_zone_identifiers),
  );
  const profileSubnets = Object.values(mapOrUndefined(sections.profiles) ?? {}).flatMap((p) =>
    strings(mapOrUndefined(p)?.subnetid),
  );
  add(
    privateIds,
    [...profileSubnets, ...asgSubnets].filter((s) => !publicIds.includes(s)),
  );
  const from = [`vpc_id ${vpcs[0]} from security_groups[].vpc_id`];
  if (publicIds.length > 0) from.push(`public_subnets from the ELB's subnets (${publicIds.join(", ")})`);
  if (privateIds.length > 0)
    from.push(
      `private_subnets from the profiles' subnetid and the autoscale groups' subnets the ELB does not use (${privateIds.join(", ")})`,
    );
  return {
    kind: "derived",
    network: {
      vpc_id: vpcs[0]!,
      ...(publicIds.length > 0 ? { public_subnets: publicIds } : {}),
      ...(privateIds.length > 0 ? { private_subnets: privateIds } : {}),
    },
    from,
  };
}
