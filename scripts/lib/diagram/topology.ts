/**
 * The diagram's one model: the security-group graph (who may reach whom, on which ports) and the
 * application tier (ELB or ALB → target group → autoscale group → scaling policies ← alarms; group
 * → SNS topic → reactor Lambda → inventory table and SSM document), derived only from the recorded
 * resources — their types, inputs and property dependencies — never from a stack's names.
 */
import { TYPES } from "../../../provider/types";
import type { RecordedResource } from "../record";
import {
  albListenerLine,
  alarmDetail,
  alarmLabel,
  allDeps,
  deps,
  externalLines,
  isKnown,
  listenerLines,
  policyDetail,
  portLabel,
  str,
  stringsIn,
  tag,
} from "./labels";
import { Builder, type Topology, type TopologyNode } from "./model";

const T = {
  securityGroup: TYPES.ec2.SecurityGroup,
  defaultSecurityGroup: TYPES.ec2.DefaultSecurityGroup,
  ingressRule: TYPES.vpc.SecurityGroupIngressRule,
  elb: TYPES.elb.LoadBalancer,
  alb: TYPES.lb.LoadBalancer,
  targetGroup: TYPES.lb.TargetGroup,
  listener: TYPES.lb.Listener,
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
  // An ALB lists its listeners; each forwarding listener is an edge to its target group.
  const listeners = ofType(T.listener);
  for (const r of ofType(T.alb)) {
    const own = listeners.filter((l) => deps(l, "loadBalancerArn").includes(r.urn));
    const n = b.node(r.urn, "alb", [`ALB ${r.name}`, ...own.map((l) => albListenerLine(l.inputs))], "tier");
    attach(n, r);
  }
  for (const r of ofType(T.targetGroup)) {
    const i = r.inputs;
    const hc = (i.healthCheck ?? {}) as Record<string, unknown>;
    b.node(
      r.urn,
      "targetGroup",
      [
        `target group ${r.name}`,
        `${str(i.protocol)} ${str(i.port)} · check ${str(hc.protocol)}:${str(hc.port)}${str(hc.path ?? "")}`,
      ],
      "tier",
    );
  }
  // Unlabelled: the ALB's node lists its listeners, and an edge label would cost the layout a rank.
  const forwarded = new Set<string>();
  for (const l of listeners) {
    const lb = deps(l, "loadBalancerArn")
      .map((u) => b.get(u))
      .find((n) => n?.kind === "alb");
    if (!lb) continue;
    for (const urn of deps(l, "defaultActions")) {
      const tg = b.get(urn);
      if (tg?.kind !== "targetGroup" || forwarded.has(`${lb.id} ${tg.id}`)) continue;
      forwarded.add(`${lb.id} ${tg.id}`);
      b.edge(lb, tg, "flow");
    }
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
