/**
 * The offline plan's topology diagram: the security-group graph (who may reach whom, on which
 * ports) and the application tier (ELB → autoscale group → scaling policies ← alarms; group → SNS
 * topic → reactor Lambda → inventory table and SSM document), derived only from the recorded
 * resources — their types, inputs and property dependencies — never from a stack's names.
 *
 * One model (buildTopology), three renderings: Graphviz DOT (text written here, labels escaped),
 * SVG (that DOT laid out in-process by @viz-js/viz, WebAssembly Graphviz) and Mermaid
 * (`flowchart LR`).
 */
import * as path from "node:path";
import { KNOWN_AFTER_APPLY, RecordedResource } from "./record";
import { TYPES } from "../../provider/types";

export type DiagramFormat = "svg" | "dot" | "mmd";

const T = {
  securityGroup: TYPES.ec2.SecurityGroup,
  defaultSecurityGroup: TYPES.ec2.DefaultSecurityGroup,
  ingressRule: TYPES.vpc.SecurityGroupIngressRule,
  elb: TYPES.elb.LoadBalancer,
  group: TYPES.autoscaling.Group,
  policy: TYPES.autoscaling.Policy,
  notification: TYPES.autoscaling.Notification,
  lifecycleHook: TYPES.autoscaling.LifecycleHook,
  alarm: TYPES.cloudwatch.MetricAlarm,
  topic: TYPES.sns.Topic,
  subscription: TYPES.sns.TopicSubscription,
  lambda: TYPES.lambda.Function,
  invokeConfig: TYPES.lambda.FunctionEventInvokeConfig,
  table: TYPES.dynamodb.Table,
  document: TYPES.ssm.Document,
  queue: TYPES.sqs.Queue,
  instance: TYPES.ec2.Instance,
  launchTemplate: TYPES.ec2.LaunchTemplate,
  launchConfiguration: TYPES.ec2.LaunchConfiguration,
} as const;

export type NodeKind =
  | "cidr"
  | "securityGroup"
  | "defaultGroup"
  | "elb"
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

/** Picks the diagram format from a file name's extension. */
export function formatForPath(file: string): DiagramFormat {
  const ext = path.extname(file).toLowerCase();
  switch (ext) {
    case ".svg":
      return "svg";
    case ".dot":
    case ".gv":
      return "dot";
    case ".mmd":
    case ".mermaid":
      return "mmd";
    default:
      throw new Error(
        `cannot tell the diagram format of ${JSON.stringify(file)}: ` +
          `the extension ${ext === "" ? "is missing" : JSON.stringify(ext) + " is not supported"}; ` +
          `use .svg (rendered Graphviz), .dot or .gv (Graphviz source) or .mmd or .mermaid (Mermaid flowchart)`,
      );
  }
}

/** Draws the topology of the recorded resources as SVG, DOT or Mermaid text. */
export async function renderTopology(
  resources: readonly RecordedResource[],
  format: DiagramFormat,
): Promise<string> {
  const topology = buildTopology(resources);
  switch (format) {
    case "dot":
      return toDot(topology);
    case "mmd":
      return toMermaid(topology);
    case "svg":
      return renderSvg(toDot(topology));
    default:
      throw new Error(`unknown diagram format ${JSON.stringify(format)}: expected svg, dot or mmd`);
  }
}

// ---------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------

function isKnown(value: unknown): boolean {
  return value !== undefined && value !== null && value !== KNOWN_AFTER_APPLY;
}

function str(value: unknown): string {
  return isKnown(value) ? String(value) : "?";
}

function deps(r: RecordedResource, property: string): readonly string[] {
  return r.propertyDependencies[property] ?? [];
}

function allDeps(r: RecordedResource, exclude: readonly string[] = []): string[] {
  const out = new Set<string>();
  for (const [property, urns] of Object.entries(r.propertyDependencies)) {
    if (exclude.includes(property)) continue;
    for (const urn of urns) out.add(urn);
  }
  return [...out];
}

/** Every string anywhere inside a value (inputs are plain JSON). */
function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out);
  else if (value !== null && typeof value === "object")
    for (const v of Object.values(value)) stringsIn(v, out);
  return out;
}

function tag(r: RecordedResource, key: string): string | undefined {
  const tags = r.inputs.tags;
  if (tags !== null && typeof tags === "object" && !Array.isArray(tags)) {
    const v = (tags as Record<string, unknown>)[key];
    if (typeof v === "string" && isKnown(v)) return v;
  }
  return undefined;
}

const PROTOCOLS: Readonly<Record<string, string>> = {
  "-1": "all",
  "6": "tcp",
  "17": "udp",
  "1": "icmp",
  "58": "icmpv6",
};

/** "tcp 22", "tcp 80-90", "all", "icmp", "udp all". */
export function portLabel(ipProtocol: unknown, fromPort: unknown, toPort: unknown): string {
  const raw = str(ipProtocol).toLowerCase();
  const proto = PROTOCOLS[raw] ?? raw;
  if (proto === "all") return "all";
  const from = str(fromPort);
  const to = isKnown(toPort) ? String(toPort) : from;
  if (proto === "icmp" || proto === "icmpv6") {
    if (from === "-1" || fromPort === undefined) return proto;
    return to === "-1" ? `${proto} ${from}` : `${proto} ${from}/${to}`;
  }
  if (fromPort === undefined && toPort === undefined) return `${proto} all`;
  if ((from === "0" || from === "-1") && (to === "65535" || to === "-1")) return `${proto} all`;
  return from === to ? `${proto} ${from}` : `${proto} ${from}-${to}`;
}

const COMPARISONS: Readonly<Record<string, string>> = {
  GreaterThanOrEqualToThreshold: ">=",
  GreaterThanThreshold: ">",
  LessThanThreshold: "<",
  LessThanOrEqualToThreshold: "<=",
  LessThanLowerOrGreaterThanUpperThreshold: "outside band",
  LessThanLowerThreshold: "below band",
  GreaterThanUpperThreshold: "above band",
};

/** "CPUUtilization >= 70". */
export function alarmLabel(inputs: Record<string, unknown>): string {
  const metric = isKnown(inputs.metricName) ? String(inputs.metricName) : "metric query";
  const op = COMPARISONS[str(inputs.comparisonOperator)] ?? str(inputs.comparisonOperator);
  const threshold = isKnown(inputs.threshold)
    ? String(inputs.threshold)
    : isKnown(inputs.thresholdMetricId)
      ? String(inputs.thresholdMetricId)
      : "?";
  return op.endsWith("band") ? `${metric} ${op}` : `${metric} ${op} ${threshold}`;
}

function alarmDetail(inputs: Record<string, unknown>): string | undefined {
  const stat = isKnown(inputs.statistic)
    ? String(inputs.statistic)
    : isKnown(inputs.extendedStatistic)
      ? String(inputs.extendedStatistic)
      : undefined;
  if (stat === undefined || !isKnown(inputs.evaluationPeriods) || !isKnown(inputs.period)) return stat;
  return `${stat.toLowerCase()} of ${String(inputs.evaluationPeriods)} × ${String(inputs.period)} s`;
}

function policyDetail(inputs: Record<string, unknown>): string {
  const adj = inputs.scalingAdjustment;
  if (!isKnown(adj)) return str(inputs.policyType);
  const n = Number(adj);
  switch (inputs.adjustmentType) {
    case "PercentChangeInCapacity":
      return `${n > 0 ? "+" : ""}${n} %`;
    case "ExactCapacity":
      return `= ${n} instance${n === 1 ? "" : "s"}`;
    default:
      return `${n > 0 ? "+" : ""}${n} instance${Math.abs(n) === 1 ? "" : "s"}`;
  }
}

function listenerLines(inputs: Record<string, unknown>): string[] {
  const listeners = Array.isArray(inputs.listeners) ? (inputs.listeners as Record<string, unknown>[]) : [];
  return listeners.map((l) => {
    const front = `${str(l.lbProtocol).toUpperCase()} ${str(l.lbPort)}`;
    const back = `${str(l.instanceProtocol).toUpperCase()} ${str(l.instancePort)}`;
    return `${front} → ${back}`;
  });
}

/** Label for an action given as a literal ARN (an existing topic, an EC2 action, …). */
function externalLines(arn: string): string[] {
  const parts = arn.split(":");
  const service = parts[2] ?? "";
  const resource = parts.slice(5).join(":");
  if (service === "sns") return [`SNS ${resource}`, "(existing topic)"];
  return [resource || arn, `(existing ${service || "resource"})`];
}

class Builder {
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

/** Derives the diagram's nodes and edges from the recorded resources. */
export function buildTopology(resources: readonly RecordedResource[]): Topology {
  const b = new Builder();
  const ofType = (type: string) => resources.filter((r) => r.type === type);

  // ---- security groups -------------------------------------------------------------------------
  for (const r of ofType(T.securityGroup))
    b.node(r.urn, "securityGroup", [tag(r, "pillar:group") ?? r.name], "securityGroups");
  for (const r of ofType(T.defaultSecurityGroup))
    b.node(r.urn, "defaultGroup", ["default"], "securityGroups");

  // A referenced group id with no dependency is a looked-up group of an existing VPC: its default group.
  const rules = ofType(T.ingressRule);
  const literalRefs = [
    ...new Set(
      rules
        .filter(
          (r) =>
            deps(r, "referencedSecurityGroupId").length === 0 && isKnown(r.inputs.referencedSecurityGroupId),
        )
        .map((r) => String(r.inputs.referencedSecurityGroupId)),
    ),
  ];
  for (const id of literalRefs) {
    b.node(
      `literal:${id}`,
      "defaultGroup",
      literalRefs.length === 1 ? ["default"] : ["default", id],
      "securityGroups",
    );
  }
  const groupNode = (urnOrId: string): TopologyNode | undefined => {
    const n = b.get(urnOrId) ?? b.get(`literal:${urnOrId}`);
    return n?.kind === "securityGroup" || n?.kind === "defaultGroup" ? n : undefined;
  };

  for (const r of rules) {
    const target = deps(r, "securityGroupId")
      .map(groupNode)
      .find((n) => n !== undefined);
    if (!target) continue;
    let source: TopologyNode | undefined;
    const refDeps = deps(r, "referencedSecurityGroupId");
    if (refDeps.length > 0) source = refDeps.map(groupNode).find((n) => n !== undefined);
    else if (isKnown(r.inputs.referencedSecurityGroupId))
      source = groupNode(String(r.inputs.referencedSecurityGroupId));
    else {
      const cidr = [r.inputs.cidrIpv4, r.inputs.cidrIpv6, r.inputs.prefixListId].find(isKnown);
      if (cidr !== undefined) source = b.node(`cidr:${String(cidr)}`, "cidr", [String(cidr)]);
    }
    if (!source) source = b.node(`unknown-source:${r.urn}`, "external", ["?", "(source known after apply)"]);
    b.edge(source, target, "flow", portLabel(r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort));
  }

  /** A member (ELB, launch template, server) wears the groups it depends on, and literal default ids. */
  const attach = (member: TopologyNode, r: RecordedResource) => {
    const seen = new Set<string>();
    const worn = [...allDeps(r), ...stringsIn(r.inputs)]
      .map(groupNode)
      .filter((n): n is TopologyNode => n !== undefined);
    for (const g of worn) {
      if (seen.has(g.id)) continue;
      seen.add(g.id);
      b.edge(g, member, "attachment");
    }
  };

  // ---- application tier ------------------------------------------------------------------------
  for (const r of ofType(T.elb)) {
    const n = b.node(r.urn, "elb", [`ELB ${r.name}`, ...listenerLines(r.inputs)], "tier");
    attach(n, r);
  }
  for (const r of [...ofType(T.launchTemplate), ...ofType(T.launchConfiguration)]) {
    const what = r.type === T.launchTemplate ? "launch template" : "launch configuration";
    const type = r.inputs.instanceType;
    const n = b.node(
      r.urn,
      "launchTemplate",
      [`${what} ${r.name}`, ...(isKnown(type) ? [String(type)] : [])],
      "tier",
    );
    attach(n, r);
  }
  for (const r of ofType(T.group)) {
    const i = r.inputs;
    const g = b.node(
      r.urn,
      "group",
      [`ASG ${r.name}`, `min ${str(i.minSize)} · desired ${str(i.desiredCapacity)} · max ${str(i.maxSize)}`],
      "tier",
    );
    for (const urn of [...deps(r, "loadBalancers"), ...deps(r, "targetGroupArns")]) {
      const lb = b.get(urn);
      if (lb) b.edge(lb, g, "flow");
    }
    for (const urn of [
      ...deps(r, "launchTemplate"),
      ...deps(r, "mixedInstancesPolicy"),
      ...deps(r, "launchConfiguration"),
    ]) {
      const lt = b.get(urn);
      if (lt?.kind === "launchTemplate") b.edge(lt, g, "flow", "launches");
    }
  }
  for (const r of ofType(T.policy)) {
    const p = b.node(r.urn, "policy", [r.name, policyDetail(r.inputs)], "tier");
    for (const urn of deps(r, "autoscalingGroupName")) {
      const g = b.get(urn);
      if (g) b.edge(g, p, "flow");
    }
  }
  for (const r of ofType(T.topic)) b.node(r.urn, "topic", [`SNS ${r.name}`], "tier");
  for (const r of ofType(T.lambda)) {
    const runtime = r.inputs.runtime;
    b.node(r.urn, "lambda", [`Lambda ${r.name}`, ...(isKnown(runtime) ? [String(runtime)] : [])], "tier");
  }
  for (const r of ofType(T.table)) b.node(r.urn, "table", [`DynamoDB ${r.name}`], "tier");
  for (const r of ofType(T.document))
    b.node(
      r.urn,
      "document",
      [`SSM ${r.name}`, ...(isKnown(r.inputs.documentType) ? [String(r.inputs.documentType)] : [])],
      "tier",
    );
  for (const r of ofType(T.queue)) b.node(r.urn, "queue", [`SQS ${r.name}`], "tier");

  // group → topic: notifications and lifecycle hooks
  const topicsIn = (urns: readonly string[]) =>
    urns.map((u) => b.get(u)).filter((n): n is TopologyNode => n?.kind === "topic");
  const groupsIn = (urns: readonly string[]) =>
    urns.map((u) => b.get(u)).filter((n): n is TopologyNode => n?.kind === "group");
  for (const r of ofType(T.group)) {
    const g = b.get(r.urn);
    if (g)
      for (const t of topicsIn(deps(r, "initialLifecycleHooks")))
        b.mergedEdge(g, t, "flow", "lifecycle hooks");
  }
  for (const r of ofType(T.lifecycleHook)) {
    for (const g of groupsIn(deps(r, "autoscalingGroupName")))
      for (const t of topicsIn(deps(r, "notificationTargetArn")))
        b.mergedEdge(g, t, "flow", "lifecycle hooks");
  }
  for (const r of ofType(T.notification)) {
    for (const g of groupsIn(deps(r, "groupNames")))
      for (const t of topicsIn(deps(r, "topicArn"))) b.mergedEdge(g, t, "flow", "notifications");
  }

  // topic → subscriber
  for (const r of ofType(T.subscription)) {
    const endpoint = deps(r, "endpoint")
      .map((u) => b.get(u))
      .find((n) => n !== undefined);
    if (!endpoint) continue;
    for (const t of topicsIn(deps(r, "topic")))
      b.mergedEdge(t, endpoint, "flow", `${str(r.inputs.protocol)} subscription`);
  }

  // lambda → what it uses (inventory table, SSM document, queues); its failure destination
  for (const r of ofType(T.lambda)) {
    const fn = b.get(r.urn);
    if (!fn) continue;
    for (const urn of allDeps(r, ["role", "loggingConfig", "code", "deadLetterConfig"])) {
      const used = b.get(urn);
      if (used?.kind === "table") b.mergedEdge(fn, used, "flow", "inventory");
      else if (used?.kind === "document") b.mergedEdge(fn, used, "flow", "run command");
    }
    for (const urn of deps(r, "deadLetterConfig")) {
      const dlq = b.get(urn);
      if (dlq) b.mergedEdge(fn, dlq, "flow", "dead letters");
    }
  }
  for (const r of ofType(T.invokeConfig)) {
    const fn = deps(r, "functionName")
      .map((u) => b.get(u))
      .find((n) => n?.kind === "lambda");
    if (!fn) continue;
    for (const urn of deps(r, "destinationConfig")) {
      const dest = b.get(urn);
      if (dest) b.mergedEdge(fn, dest, "flow", "on failure");
    }
  }

  // alarms → scaling policies, topics, existing ARNs
  for (const r of ofType(T.alarm)) {
    const detail = alarmDetail(r.inputs);
    const a = b.node(r.urn, "alarm", [alarmLabel(r.inputs), r.name, ...(detail ? [detail] : [])], "tier");
    let actsOnPolicy = false;
    const actionProps: [string, string | undefined][] = [
      ["alarmActions", undefined],
      ["okActions", "OK"],
      ["insufficientDataActions", "insufficient data"],
    ];
    for (const [property, label] of actionProps) {
      for (const urn of deps(r, property)) {
        const target = b.get(urn);
        if (!target) continue;
        if (target.kind === "policy") actsOnPolicy = true;
        b.edge(a, target, "flow", label);
      }
      const literal = Array.isArray(r.inputs[property]) ? (r.inputs[property] as unknown[]) : [];
      for (const arn of literal) {
        if (typeof arn !== "string" || !arn.startsWith("arn:")) continue;
        b.edge(a, b.node(`arn:${arn}`, "external", externalLines(arn)), "flow", label);
      }
    }
    if (!actsOnPolicy) {
      for (const urn of deps(r, "dimensions")) {
        const watched = b.get(urn);
        if (watched) b.edge(watched, a, "metric", "metric");
      }
    }
  }

  // standalone servers, attached to their groups
  for (const r of ofType(T.instance)) {
    const type = r.inputs.instanceType;
    const n = b.node(r.urn, "instance", [`EC2 ${r.name}`, ...(isKnown(type) ? [String(type)] : [])]);
    attach(n, r);
  }

  return { nodes: b.nodes, edges: b.edges };
}

// ---------------------------------------------------------------------------------------------
// DOT
// ---------------------------------------------------------------------------------------------

/** A DOT double-quoted string: backslashes and quotes escaped, newlines as the `\n` escape. */
export function dotString(text: string): string {
  const escaped = text
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\r\n|\r|\n/g, "\\n");
  return `"${escaped}"`;
}

const DOT_NODE_STYLE: Readonly<Record<NodeKind, string>> = {
  cidr: 'shape=ellipse, style=filled, fillcolor="#fde2e1", color="#c0392b"',
  securityGroup: 'shape=box, style="rounded,filled", fillcolor="#fff4cc", color="#b7950b", penwidth=1.4',
  defaultGroup: 'shape=box, style="rounded,filled,dashed", fillcolor="#f2f2f2", color="#7f8c8d"',
  elb: 'shape=box, style="filled", fillcolor="#d6eaf8", color="#2e86c1", penwidth=1.4',
  launchTemplate: 'shape=note, style=filled, fillcolor="#eaf2f8", color="#5d6d7e"',
  group: 'shape=box3d, style=filled, fillcolor="#d5f5e3", color="#1e8449", penwidth=1.4',
  policy: 'shape=box, style="rounded,filled", fillcolor="#e8f8f5", color="#148f77"',
  alarm: 'shape=box, style="rounded,filled", fillcolor="#fdebd0", color="#ca6f1e"',
  topic: 'shape=cds, style=filled, fillcolor="#f5eef8", color="#7d3c98"',
  lambda: 'shape=component, style=filled, fillcolor="#fef5e7", color="#d68910", penwidth=1.4',
  table: 'shape=cylinder, style=filled, fillcolor="#ebf5fb", color="#2874a6"',
  document: 'shape=note, style=filled, fillcolor="#f4f6f6", color="#566573"',
  queue: 'shape=cylinder, style=filled, fillcolor="#fbeee6", color="#a04000"',
  instance: 'shape=box3d, style=filled, fillcolor="#eafaf1", color="#196f3d"',
  external: 'shape=box, style="dashed", color="#7f8c8d", fontcolor="#555555"',
};

const DOT_EDGE_STYLE: Readonly<Record<EdgeStyle, string>> = {
  flow: 'color="#34495e"',
  attachment: 'style=dashed, dir=none, color="#b7950b"',
  metric: 'style=dotted, color="#ca6f1e", fontcolor="#ca6f1e"',
};

/** The topology as Graphviz DOT source. */
export function toDot(t: Topology): string {
  const out: string[] = [
    "digraph topology {",
    '  graph [rankdir=LR, fontname="Helvetica", nodesep=0.35, ranksep=0.7, newrank=true, compound=true, label="pillar topology (offline plan)", labelloc=t, fontsize=14];',
    '  node [fontname="Helvetica", fontsize=10, margin="0.15,0.06"];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  const nodeLine = (n: TopologyNode, indent: string) =>
    `${indent}${dotString(n.id)} [label=${dotString(n.lines.join("\n"))}, ${DOT_NODE_STYLE[n.kind]}];`;
  for (const n of t.nodes.filter((x) => x.cluster === undefined)) out.push(nodeLine(n, "  "));
  for (const cluster of Object.keys(CLUSTER_TITLES) as ClusterId[]) {
    const members = t.nodes.filter((n) => n.cluster === cluster);
    if (members.length === 0) continue;
    out.push(`  subgraph ${dotString(`cluster_${cluster}`)} {`);
    out.push(
      `    label=${dotString(CLUSTER_TITLES[cluster])}; style="rounded,filled"; color="#aab7b8"; fillcolor="${cluster === "tier" ? "#fbfcfc" : "#fffdf5"}"; fontsize=12;`,
    );
    for (const n of members) out.push(nodeLine(n, "    "));
    out.push("  }");
  }
  for (const e of t.edges) {
    const attrs = [DOT_EDGE_STYLE[e.style]];
    if (e.label) attrs.unshift(`label=${dotString(e.label)}`);
    out.push(`  ${dotString(e.from)} -> ${dotString(e.to)} [${attrs.join(", ")}];`);
  }
  out.push("}");
  return `${out.join("\n")}\n`;
}

// ---------------------------------------------------------------------------------------------
// SVG
// ---------------------------------------------------------------------------------------------

type VizInstance = { renderString(input: string, options?: { format?: string; engine?: string }): string };
let vizPromise: Promise<VizInstance> | undefined;

async function renderSvg(dot: string): Promise<string> {
  vizPromise ??= (async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const viz = require("@viz-js/viz") as { instance(): Promise<VizInstance> };
    return viz.instance();
  })();
  const viz = await vizPromise;
  return viz.renderString(dot, { format: "svg", engine: "dot" });
}

// ---------------------------------------------------------------------------------------------
// Mermaid
// ---------------------------------------------------------------------------------------------

/**
 * Text inside a Mermaid `"…"` label: entity codes for the characters Mermaid or its HTML labels
 * would read (`"` `#` `&` `<` `>`, and `|` and the backtick of markdown strings), newlines as `<br/>`.
 */
export function mermaidText(text: string): string {
  const codes: Record<string, string> = {
    "#": "#35;",
    '"': "#quot;",
    "&": "#amp;",
    "<": "#lt;",
    ">": "#gt;",
    "|": "#124;",
    "`": "#96;",
  };
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(/[#"&<>|`]/g, (c) => codes[c] ?? c))
    .join("<br/>");
}

const MERMAID_SHAPE: Readonly<Record<NodeKind, [string, string]>> = {
  cidr: ["((", "))"],
  securityGroup: ["(", ")"],
  defaultGroup: ["(", ")"],
  elb: ["[", "]"],
  launchTemplate: ["[/", "/]"],
  group: ["[[", "]]"],
  policy: ["(", ")"],
  alarm: ["{{", "}}"],
  topic: [">", "]"],
  lambda: ["[", "]"],
  table: ["[(", ")]"],
  document: ["[/", "/]"],
  queue: ["[(", ")]"],
  instance: ["[[", "]]"],
  external: ["[", "]"],
};

/** The topology as a Mermaid flowchart. */
export function toMermaid(t: Topology): string {
  const out: string[] = ["flowchart LR"];
  const nodeLine = (n: TopologyNode, indent: string) => {
    const [open, close] = MERMAID_SHAPE[n.kind];
    return `${indent}${n.id}${open}"${mermaidText(n.lines.join("\n"))}"${close}`;
  };
  for (const cluster of Object.keys(CLUSTER_TITLES) as ClusterId[]) {
    const members = t.nodes.filter((n) => n.cluster === cluster);
    if (members.length === 0) continue;
    out.push(`  subgraph ${cluster}["${mermaidText(CLUSTER_TITLES[cluster])}"]`);
    for (const n of members) out.push(nodeLine(n, "    "));
    out.push("  end");
  }
  for (const n of t.nodes.filter((x) => x.cluster === undefined)) out.push(nodeLine(n, "  "));
  for (const e of t.edges) {
    const arrow = e.style === "attachment" ? "-.-" : e.style === "metric" ? "-.->" : "-->";
    const label = e.label ? `|"${mermaidText(e.label)}"|` : "";
    out.push(`  ${e.from} ${arrow}${label} ${e.to}`);
  }
  const classes: Partial<Record<NodeKind, string>> = {
    cidr: "fill:#fde2e1,stroke:#c0392b",
    securityGroup: "fill:#fff4cc,stroke:#b7950b",
    defaultGroup: "fill:#f2f2f2,stroke:#7f8c8d,stroke-dasharray:4 3",
    elb: "fill:#d6eaf8,stroke:#2e86c1",
    group: "fill:#d5f5e3,stroke:#1e8449",
    alarm: "fill:#fdebd0,stroke:#ca6f1e",
    topic: "fill:#f5eef8,stroke:#7d3c98",
    lambda: "fill:#fef5e7,stroke:#d68910",
    external: "fill:#ffffff,stroke:#7f8c8d,stroke-dasharray:4 3",
  };
  for (const [kind, style] of Object.entries(classes)) {
    const ids = t.nodes.filter((n) => n.kind === kind).map((n) => n.id);
    if (ids.length === 0) continue;
    out.push(`  classDef ${kind} ${style}`);
    out.push(`  class ${ids.join(",")} ${kind}`);
  }
  return `${out.join("\n")}\n`;
}
