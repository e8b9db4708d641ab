import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SecurityGroupModel } from "../config/model";
import { sortedTags } from "./tags";
import { DEFAULT_GROUP, planSecurityGroups, SecurityGroupEdge, SecurityGroupPlan } from "./securityGroupPlan";

export interface SecurityGroupGraphArgs {
  /** The seed's `security_groups` pillar, validated. */
  readonly groups: readonly SecurityGroupModel[];
  readonly vpcId: pulumi.Input<string>;
  /** Id of the VPC's default group (looked up, or the stack's DefaultSecurityGroup); the name `default`. */
  readonly defaultSecurityGroupId: pulumi.Input<string>;
}

/**
 * Security groups that name each other: every group first, then one
 * `aws.vpc.SecurityGroupIngressRule`/`EgressRule` per (rule, source), so forward references,
 * self-references and cycles need no ordering. Never inline rules, never `aws.ec2.SecurityGroupRule`.
 */
export class SecurityGroupGraph extends pulumi.ComponentResource {
  /** Group ids by config name, including `default`. */
  public readonly groupIds: Readonly<Record<string, pulumi.Output<string>>>;
  public readonly plan: SecurityGroupPlan;

  constructor(name: string, args: SecurityGroupGraphArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("pillar:ec2:SecurityGroupGraph", name, {}, opts);
    this.plan = planSecurityGroups(args.groups);
    const o = { parent: this };
    const ids: Record<string, pulumi.Output<string>> = {
      [DEFAULT_GROUP]: pulumi.output(args.defaultSecurityGroupId),
    };
    for (const g of this.plan.groups) {
      // Named after the group itself, not `${name}-…`: the provider auto-names a group from its
      // logical name, so `webhost` becomes `webhost-1a2b3c4` (or `webhost` under verbatim
      // autonaming), and never `sg-…`, which AWS refuses for a group name.
      const sg = new aws.ec2.SecurityGroup(
        g.name,
        {
          vpcId: args.vpcId,
          description: g.description,
          tags: sortedTags(g.tags, { Name: g.name, "pillar:group": g.name }),
        },
        o,
      );
      ids[g.name] = sg.id;
    }
    this.groupIds = ids;
    for (const edge of this.plan.edges) this.rule(name, edge, o);
    this.registerOutputs({ groupIds: this.groupIds });
  }

  private rule(name: string, edge: SecurityGroupEdge, o: pulumi.CustomResourceOptions): void {
    const source =
      edge.source.kind === "cidr4"
        ? { cidrIpv4: edge.source.cidr }
        : edge.source.kind === "cidr6"
          ? { cidrIpv6: edge.source.cidr }
          : { referencedSecurityGroupId: this.id(edge.source.group) };
    const ports = edge.fromPort === undefined ? {} : { fromPort: edge.fromPort, toPort: edge.toPort };
    const args = {
      securityGroupId: this.id(edge.group),
      ipProtocol: edge.protocol,
      ...ports,
      ...source,
      description: edge.description,
      tags: { Name: edge.key },
    };
    if (edge.direction === "ingress") new aws.vpc.SecurityGroupIngressRule(`${name}-${edge.key}`, args, o);
    else new aws.vpc.SecurityGroupEgressRule(`${name}-${edge.key}`, args, o);
  }

  /** The id of a group by config name; throws for a name the graph does not have. */
  public id(group: string): pulumi.Output<string> {
    const id = this.groupIds[group];
    if (!id) throw new pulumi.ResourceError(`unknown security group "${group}"`, this);
    return id;
  }

  /** Ids for a list of config names, in order. */
  public ids(groups: readonly string[]): pulumi.Output<string>[] {
    return groups.map((g) => this.id(g));
  }
}
