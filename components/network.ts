import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NetworkModel, SubnetRef } from "../config/model";

export interface NetworkArgs {
  /** An existing VPC (the seed) or one the stack creates. */
  readonly network: NetworkModel;
}

/** Splits a VPC CIDR into per-AZ public and private subnets (a /16 gives /20s). Pure. */
export function planSubnets(cidrBlock: string, azCount: number): { public: string[]; private: string[] } {
  const [addr, prefixText] = cidrBlock.split("/") as [string, string];
  const prefix = Number(prefixText);
  const newPrefix = Math.min(prefix + 4, 28);
  const base = addr.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - newPrefix);
  if (2 * azCount > 2 ** (newPrefix - prefix))
    throw new Error(`${cidrBlock} is too small for ${azCount} public and private subnets`);
  const block = (i: number) => {
    const n = base + i * size;
    return `${[24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".")}/${newPrefix}`;
  };
  return {
    public: Array.from({ length: azCount }, (_, i) => block(i)),
    private: Array.from({ length: azCount }, (_, i) => block(azCount + i)),
  };
}

/**
 * The VPC: an existing one by id (subnets as listed in config) or one the stack creates, with public
 * subnets for the load balancer, private subnets for instances and NAT across at least two AZs.
 * Exposes the VPC's default security group id, so rules and policies can name it.
 */
export class Network extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  public readonly defaultSecurityGroupId: pulumi.Output<string>;
  public readonly publicSubnetIds: pulumi.Output<string[]>;
  public readonly privateSubnetIds: pulumi.Output<string[]>;
  private readonly tiers: {
    readonly public: pulumi.Input<string>[];
    readonly private: pulumi.Input<string>[];
  };

  constructor(name: string, args: NetworkArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("pillar:network:Network", name, {}, opts);
    const { network } = args;
    const o = { parent: this };
    if (network.mode === "existing") {
      this.vpcId = pulumi.output(network.vpcId);
      // Looked up, never adopted: managing an existing VPC's default group would rewrite its rules.
      this.defaultSecurityGroupId = aws.ec2
        .getSecurityGroupOutput({ vpcId: network.vpcId, name: "default" }, o)
        .apply((g) => g.id);
      this.tiers = { public: [...network.publicSubnetIds], private: [...network.privateSubnetIds] };
      this.publicSubnetIds = pulumi.output([...network.publicSubnetIds]);
      this.privateSubnetIds = pulumi.output([...network.privateSubnetIds]);
    } else {
      const vpc = new aws.ec2.Vpc(
        name,
        {
          cidrBlock: network.cidrBlock,
          enableDnsHostnames: true,
          enableDnsSupport: true,
          tags: { Name: name },
        },
        o,
      );
      // Managed with no rules: the created VPC's default group starts locked down (CIS 5.4).
      const defaultSg = new aws.ec2.DefaultSecurityGroup(
        `${name}-default`,
        { vpcId: vpc.id, tags: { Name: `${name}-default` } },
        o,
      );
      const azs = aws
        .getAvailabilityZonesOutput({ state: "available" }, o)
        .apply((z) => z.names.slice(0, network.azCount));
      const cidrs = planSubnets(network.cidrBlock, network.azCount);
      const igw = new aws.ec2.InternetGateway(name, { vpcId: vpc.id, tags: { Name: name } }, o);
      const publicRt = new aws.ec2.RouteTable(
        `${name}-public`,
        {
          vpcId: vpc.id,
          routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
          tags: { Name: `${name}-public` },
        },
        o,
      );
      const publicSubnets = cidrs.public.map((cidr, i) => {
        const subnet = new aws.ec2.Subnet(
          `${name}-public-${i + 1}`,
          {
            vpcId: vpc.id,
            cidrBlock: cidr,
            availabilityZone: azs.apply((z) => z[i]!),
            mapPublicIpOnLaunch: false,
            tags: { Name: `${name}-public-${i + 1}`, "pillar:tier": "public" },
          },
          o,
        );
        new aws.ec2.RouteTableAssociation(
          `${name}-public-${i + 1}`,
          { subnetId: subnet.id, routeTableId: publicRt.id },
          o,
        );
        return subnet;
      });
      const natCount =
        network.natGateways === "none" ? 0 : network.natGateways === "single" ? 1 : network.azCount;
      const nats = Array.from({ length: natCount }, (_, i) => {
        const eip = new aws.ec2.Eip(
          `${name}-nat-${i + 1}`,
          { domain: "vpc", tags: { Name: `${name}-nat-${i + 1}` } },
          o,
        );
        return new aws.ec2.NatGateway(
          `${name}-nat-${i + 1}`,
          { allocationId: eip.id, subnetId: publicSubnets[i]!.id, tags: { Name: `${name}-nat-${i + 1}` } },
          { ...o, dependsOn: [igw] },
        );
      });
      const privateSubnets = cidrs.private.map((cidr, i) => {
        const subnet = new aws.ec2.Subnet(
          `${name}-private-${i + 1}`,
          {
            vpcId: vpc.id,
            cidrBlock: cidr,
            availabilityZone: azs.apply((z) => z[i]!),
            tags: { Name: `${name}-private-${i + 1}`, "pillar:tier": "private" },
          },
          o,
        );
        const nat = nats[natCount === 1 ? 0 : i];
        const rt = new aws.ec2.RouteTable(
          `${name}-private-${i + 1}`,
          {
            vpcId: vpc.id,
            routes: nat ? [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }] : [],
            tags: { Name: `${name}-private-${i + 1}` },
          },
          o,
        );
        new aws.ec2.RouteTableAssociation(
          `${name}-private-${i + 1}`,
          { subnetId: subnet.id, routeTableId: rt.id },
          o,
        );
        return subnet;
      });
      this.vpcId = vpc.id;
      this.defaultSecurityGroupId = defaultSg.id;
      this.tiers = { public: publicSubnets.map((s) => s.id), private: privateSubnets.map((s) => s.id) };
      this.publicSubnetIds = pulumi.all(publicSubnets.map((s) => s.id));
      this.privateSubnetIds = pulumi.all(privateSubnets.map((s) => s.id));
    }
    this.registerOutputs({
      vpcId: this.vpcId,
      defaultSecurityGroupId: this.defaultSecurityGroupId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
    });
  }

  /**
   * Subnet ids for config references: literal ids stay, tiers expand to that tier's subnets. A list of
   * inputs, not an Output of a list, so a preview shows which elements are not yet known.
   */
  public subnetIds(refs: readonly SubnetRef[]): pulumi.Input<string>[] {
    const seen = new Set<pulumi.Input<string>>();
    return refs
      .flatMap((r) => (r.kind === "id" ? [r.id] : this.tiers[r.tier]))
      .filter((id) => (seen.has(id) ? false : (seen.add(id), true)));
  }
}
