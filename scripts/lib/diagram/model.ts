/**
 * The diagram's model: the node and edge types both renderings (dot.ts, mermaid.ts) draw, and the
 * builder buildTopology (topology.ts) fills them with — stable identifier-safe ids, merged edges.
 */

export type NodeKind =
  | "cidr"
  | "securityGroup"
  | "defaultGroup"
  | "elb"
  | "alb"
  | "targetGroup"
  | "launchTemplate"
  | "group"
  | "policy"
  | "alarm"
  | "topic"
  | "lambda"
  | "table"
  | "document"
  | "queue"
  | "instance"
  | "external";

export type ClusterId = "securityGroups" | "tier";

export const CLUSTER_TITLES: Readonly<Record<ClusterId, string>> = {
  securityGroups: "security groups",
  tier: "application tier",
};

export interface TopologyNode {
  /** Stable, identifier-safe id ([A-Za-z0-9_]), the same in DOT and Mermaid. */
  readonly id: string;
  readonly kind: NodeKind;
  /** First line is the node's name in the diagram; further lines are details. */
  readonly lines: readonly string[];
  readonly cluster?: ClusterId;
  /** The URN (or literal id / ARN) the node stands for. */
  readonly ref: string;
}

/**
 * `flow`: traffic or control (rule source → group, ELB → ASG, …). `attachment`: a resource (ELB,
 * launch template, server) that wears a security group, drawn dashed and without arrowheads, from
 * the group to the member so the groups lay out to the left of the tier. `metric`: a resource an
 * alarm watches (dotted), drawn only for alarms that do not act on a scaling policy.
 */
export type EdgeStyle = "flow" | "attachment" | "metric";

export interface TopologyEdge {
  readonly from: string;
  readonly to: string;
  readonly label?: string;
  readonly style: EdgeStyle;
}

export interface Topology {
  readonly nodes: readonly TopologyNode[];
  readonly edges: readonly TopologyEdge[];
}

export class Builder {
  readonly nodes: TopologyNode[] = [];
  readonly edges: TopologyEdge[] = [];
  private readonly byRef = new Map<string, TopologyNode>();
  private readonly usedIds = new Set<string>();
  private readonly edgeKeys = new Map<string, number>();

  node(ref: string, kind: NodeKind, lines: readonly string[], cluster?: ClusterId): TopologyNode {
    const existing = this.byRef.get(ref);
    if (existing) return existing;
    const base = `${kind}_${lines[0] ?? ""}`.replace(/[^A-Za-z0-9]+/g, "_").replace(/_+$/, "");
    let id = base;
    for (let k = 2; this.usedIds.has(id); k++) id = `${base}_${k}`;
    this.usedIds.add(id);
    const n: TopologyNode = { id, kind, lines, cluster, ref };
    this.nodes.push(n);
    this.byRef.set(ref, n);
    return n;
  }

  get(ref: string): TopologyNode | undefined {
    return this.byRef.get(ref);
  }

  edge(from: TopologyNode, to: TopologyNode, style: EdgeStyle, label?: string): void {
    this.edges.push({ from: from.id, to: to.id, style, label });
  }

  /** One edge per (from, to, style), with the labels of all the reasons joined. */
  mergedEdge(from: TopologyNode, to: TopologyNode, style: EdgeStyle, label: string): void {
    const key = `${from.id}\u0000${to.id}\u0000${style}`;
    const at = this.edgeKeys.get(key);
    if (at === undefined) {
      this.edgeKeys.set(key, this.edges.length);
      this.edges.push({ from: from.id, to: to.id, style, label });
      return;
    }
    const prev = this.edges[at];
    if (prev && !(prev.label ?? "").split(", ").includes(label)) {
      this.edges[at] = { ...prev, label: prev.label ? `${prev.label}, ${label}` : label };
    }
  }
}
