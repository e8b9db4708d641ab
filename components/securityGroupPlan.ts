/**
 * Pure planner for the security-group graph: expands each resolved rule (config/sections/
 * security_groups.ts has checked and typed every source) into one edge per (rule, source), adds the
 * implicit all-egress rule of a group that lists none, and names and describes each edge from its
 * content only, so reordering YAML lists never renames a resource.
 */
import { sub } from "../config/issues";
import { RuleModel, RuleSource, SecurityGroupModel } from "../config/model";
import { DEFAULT_GROUP, edgeKey } from "../config/sections/security_groups";

export { DEFAULT_GROUP };
export type EdgeSource = RuleSource;

export interface SecurityGroupEdge {
  /** Content-derived name suffix, unique within the graph, e.g. `webhost-in-tcp-22-from-default`. */
  readonly key: string;
  readonly group: string;
  readonly direction: "ingress" | "egress";
  /** AWS form: "tcp", "udp", "icmp", "icmpv6", "-1" or a protocol number. */
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly source: EdgeSource;
  readonly description: string;
  /** Config path of the rule (or of the group's `rules_egress`, for the implicit all-egress edge). */
  readonly path: string;
}

export interface SecurityGroupPlan {
  readonly groups: readonly {
    readonly name: string;
    readonly description: string;
    readonly tags: Readonly<Record<string, string>>;
  }[];
  readonly edges: readonly SecurityGroupEdge[];
  /** Whether any edge names the VPC's default group. */
  readonly usesDefault: boolean;
}

function sourceText(s: EdgeSource): string {
  return s.kind === "group" ? `security group ${s.group}` : s.cidr;
}

function protocolText(protocol: string, from?: number, to?: number): string {
  if (protocol === "-1") return "all traffic";
  const name = /^[0-9]+$/.test(protocol) ? `protocol ${protocol}` : protocol;
  if (from === undefined || to === undefined) return name;
  if (protocol === "icmp" || protocol === "icmpv6") return `${name} type ${from} code ${to}`;
  return from === to ? `${name} ${from}` : `${name} ${from}-${to}`;
}

const byName =
  <T>(k: (x: T) => string) =>
  (a: T, b: T): number =>
    k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0;

/** Plans the graph of resolved groups: every edge, sorted by name, and the groups, sorted by name. */
export function planSecurityGroups(groups: readonly SecurityGroupModel[]): SecurityGroupPlan {
  const edges: SecurityGroupEdge[] = [];
  const expand = (g: SecurityGroupModel, rule: RuleModel, direction: "ingress" | "egress") => {
    const ports = rule.fromPort === undefined ? {} : { fromPort: rule.fromPort, toPort: rule.toPort };
    for (const source of rule.sources) {
      const what = `${protocolText(rule.protocol, rule.fromPort, rule.toPort)} ${direction === "ingress" ? "from" : "to"} ${sourceText(source)}`;
      edges.push({
        key: edgeKey(g.name, direction, rule, source),
        group: g.name,
        direction,
        protocol: rule.protocol,
        ...ports,
        source,
        description: rule.description ?? `pillar ${g.name}: ${what}`,
        path: rule.path,
      });
    }
  };
  for (const g of groups) {
    for (const r of g.rules) expand(g, r, "ingress");
    const egress = g.egress ?? [
      {
        protocol: "-1",
        sources: [{ kind: "cidr4", cidr: "0.0.0.0/0" }],
        sourcePaths: [sub(g.path, "rules_egress")],
        description: `pillar ${g.name}: all egress (the AWS default, made explicit)`,
        path: sub(g.path, "rules_egress"),
      },
    ];
    for (const r of egress) expand(g, r, "egress");
  }
  return {
    groups: groups
      .map((g) => ({ name: g.name, description: g.description, tags: g.tags }))
      .sort(byName((g) => g.name)),
    edges: edges.sort(byName((e) => e.key)),
    usesDefault: edges.some((e) => e.source.kind === "group" && e.source.group === DEFAULT_GROUP),
  };
}
