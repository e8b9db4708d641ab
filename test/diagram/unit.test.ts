/**
 * The diagram on hand-built resource lists: everything comes from types, inputs and property
 * dependencies (no stack's names), labels are escaped in DOT, SVG and Mermaid, and file names map to
 * formats.
 */
import * as assert from "node:assert/strict";
import {
  alarmLabel,
  buildTopology,
  dotString,
  formatForPath,
  mermaidText,
  portLabel,
  renderTopology,
  type DiagramFormat,
} from "../../scripts/lib/diagram";
import { KNOWN_AFTER_APPLY, RecordedResource } from "../../scripts/lib/record";
import { assertWellFormedXml, edgeStrings, nodeTitles, parseDot, parseMermaid } from "./support";
import { TYPES } from "../../provider/types";

const U = KNOWN_AFTER_APPLY;

function res(
  type: string,
  name: string,
  inputs: Record<string, unknown> = {},
  propertyDependencies: Record<string, string[]> = {},
): RecordedResource {
  return {
    urn: urn(type, name),
    type,
    name,
    custom: true,
    inputs,
    wireInputs: inputs,
    dependencies: [...new Set(Object.values(propertyDependencies).flat())],
    propertyDependencies,
    outputs: {},
    options: {
      protect: false,
      ignoreChanges: [],
      deleteBeforeReplace: false,
      retainOnDelete: false,
      aliases: [],
      additionalSecretOutputs: [],
    },
  };
}

function urn(type: string, name: string): string {
  return `urn:pulumi:test::other::${type}::${name}`;
}

const SG = TYPES.ec2.SecurityGroup;
const DEFAULT_SG = TYPES.ec2.DefaultSecurityGroup;
const RULE = TYPES.vpc.SecurityGroupIngressRule;
const ELB = TYPES.elb.LoadBalancer;
const ASG = TYPES.autoscaling.Group;
const POLICY = TYPES.autoscaling.Policy;
const HOOK = TYPES.autoscaling.LifecycleHook;
const ALARM = TYPES.cloudwatch.MetricAlarm;
const TOPIC = TYPES.sns.Topic;
const SUB = TYPES.sns.TopicSubscription;
const LAMBDA = TYPES.lambda.Function;
const TABLE = TYPES.dynamodb.Table;
const INSTANCE = TYPES.ec2.Instance;

/** A differently named stack: nothing in the diagram may depend on pillar's prod names. */
function otherStack(): RecordedResource[] {
  return [
    res(SG, "frontdoor", { tags: { "pillar:group": "front" } }),
    res(SG, "sg-db", { tags: { Name: "database" } }),
    res(DEFAULT_SG, "net-default", { vpcId: U }, { vpcId: [urn(TYPES.ec2.Vpc, "net")] }),
    res(
      RULE,
      "r1",
      { ipProtocol: "tcp", fromPort: 80, toPort: 90, cidrIpv4: "10.0.0.0/8", securityGroupId: U },
      { securityGroupId: [urn(SG, "frontdoor")] },
    ),
    res(
      RULE,
      "r2",
      { ipProtocol: "-1", cidrIpv6: "::/0", securityGroupId: U },
      { securityGroupId: [urn(SG, "frontdoor")] },
    ),
    res(
      RULE,
      "r3",
      { ipProtocol: "udp", fromPort: 53, toPort: 53, referencedSecurityGroupId: U, securityGroupId: U },
      { referencedSecurityGroupId: [urn(SG, "frontdoor")], securityGroupId: [urn(SG, "sg-db")] },
    ),
    res(
      RULE,
      "r4",
      { ipProtocol: "tcp", fromPort: 22, toPort: 22, referencedSecurityGroupId: U, securityGroupId: U },
      { referencedSecurityGroupId: [urn(DEFAULT_SG, "net-default")], securityGroupId: [urn(SG, "sg-db")] },
    ),
    res(
      RULE,
      "r5",
      { ipProtocol: "icmp", fromPort: -1, toPort: -1, cidrIpv4: "192.168.0.0/16", securityGroupId: U },
      { securityGroupId: [urn(SG, "sg-db")] },
    ),
    res(
      ELB,
      "edge",
      {
        listeners: [{ lbProtocol: "tcp", lbPort: 8080, instanceProtocol: "tcp", instancePort: 8081 }],
        securityGroups: [U],
      },
      { securityGroups: [urn(SG, "frontdoor")], subnets: [urn(TYPES.ec2.Subnet, "a")] },
    ),
    res(
      ASG,
      "workers",
      { minSize: 1, maxSize: 4, desiredCapacity: U, loadBalancers: [U] },
      { loadBalancers: [urn(ELB, "edge")] },
    ),
    res(TOPIC, "events"),
    res(
      HOOK,
      "hook",
      { notificationTargetArn: U, autoscalingGroupName: U },
      { autoscalingGroupName: [urn(ASG, "workers")], notificationTargetArn: [urn(TOPIC, "events")] },
    ),
    res(
      POLICY,
      "grow",
      { scalingAdjustment: 2, adjustmentType: "ChangeInCapacity" },
      { autoscalingGroupName: [urn(ASG, "workers")] },
    ),
    res(
      ALARM,
      "busy",
      {
        metricName: "RequestCount",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0.5,
        alarmActions: [U],
      },
      { alarmActions: [urn(POLICY, "grow")], dimensions: [urn(ASG, "workers")] },
    ),
    res(
      LAMBDA,
      "handler",
      { runtime: "nodejs22.x", environment: { variables: { T: U } } },
      { environment: [urn(TABLE, "things")], role: [urn(TYPES.iam.Role, "r")] },
    ),
    res(TABLE, "things"),
    res(
      SUB,
      "sub",
      { protocol: "lambda", topic: U, endpoint: U },
      { topic: [urn(TOPIC, "events")], endpoint: [urn(LAMBDA, "handler")] },
    ),
    res(
      INSTANCE,
      "bastion",
      { instanceType: "t3.nano", vpcSecurityGroupIds: [U] },
      { vpcSecurityGroupIds: [urn(DEFAULT_SG, "net-default")] },
    ),
  ];
}

describe("diagram: derived from types, inputs and property dependencies", () => {
  it("draws another stack's groups, rules and tier with its own names", async () => {
    const g = parseDot(await renderTopology(otherStack(), "dot"));
    assert.deepEqual(nodeTitles(g), [
      "10.0.0.0/8",
      "192.168.0.0/16",
      "::/0",
      "ASG workers",
      "DynamoDB things",
      "EC2 bastion",
      "ELB edge",
      "Lambda handler",
      "RequestCount > 0.5",
      "SNS events",
      "default",
      "front",
      "grow",
      "sg-db",
    ]);
    assert.deepEqual(
      edgeStrings(g),
      [
        "10.0.0.0/8 -> front [flow] tcp 80-90",
        "::/0 -> front [flow] all",
        "front -> sg-db [flow] udp 53",
        "default -> sg-db [flow] tcp 22",
        "192.168.0.0/16 -> sg-db [flow] icmp",
        "front -> ELB edge [attachment]",
        "ELB edge -> ASG workers [flow]",
        "ASG workers -> grow [flow]",
        "RequestCount > 0.5 -> grow [flow]",
        "ASG workers -> SNS events [flow] lifecycle hooks",
        "SNS events -> Lambda handler [flow] lambda subscription",
        "Lambda handler -> DynamoDB things [flow] inventory",
        "default -> EC2 bastion [attachment]",
      ].sort(),
    );
    const labels = [...g.labels.values()];
    assert.ok(labels.includes("ELB edge\nTCP 8080 → TCP 8081"));
    assert.ok(labels.includes("ASG workers\nmin 1 · desired ? · max 4"));
    assert.ok(labels.includes("grow\n+2 instances"));
  });

  it("a looked-up group id without a dependency is the default group, also where the ELB wears it", () => {
    const t = buildTopology([
      res(SG, "web", { tags: { "pillar:group": "web" } }),
      res(
        RULE,
        "ssh",
        {
          ipProtocol: "tcp",
          fromPort: 22,
          toPort: 22,
          referencedSecurityGroupId: "sg-0123",
          securityGroupId: U,
        },
        { securityGroupId: [urn(SG, "web")], referencedSecurityGroupId: [] },
      ),
      res(ELB, "lb", { securityGroups: ["sg-0123", U] }, { securityGroups: [urn(SG, "web")] }),
    ]);
    const title = (id: string) => t.nodes.find((n) => n.id === id)?.lines[0];
    assert.deepEqual(
      t.edges.map((e) => `${title(e.from)} -> ${title(e.to)} ${e.style} ${e.label ?? ""}`.trim()).sort(),
      ["default -> ELB lb attachment", "default -> web flow tcp 22", "web -> ELB lb attachment"],
    );
    assert.deepEqual(t.nodes.find((n) => n.lines[0] === "default")?.cluster, "securityGroups");
  });

  it("two different looked-up ids are two nodes, each showing its id; an unknown source is '?'", () => {
    const t = buildTopology([
      res(SG, "web"),
      res(
        RULE,
        "a",
        {
          ipProtocol: "tcp",
          fromPort: 22,
          toPort: 22,
          referencedSecurityGroupId: "sg-1",
          securityGroupId: U,
        },
        { securityGroupId: [urn(SG, "web")] },
      ),
      res(
        RULE,
        "b",
        {
          ipProtocol: "tcp",
          fromPort: 22,
          toPort: 22,
          referencedSecurityGroupId: "sg-2",
          securityGroupId: U,
        },
        { securityGroupId: [urn(SG, "web")] },
      ),
      res(
        RULE,
        "c",
        { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: U, securityGroupId: U },
        { securityGroupId: [urn(SG, "web")] },
      ),
    ]);
    assert.deepEqual(t.nodes.map((n) => n.lines.join("/")).sort(), [
      "?/(source known after apply)",
      "default/sg-1",
      "default/sg-2",
      "web",
    ]);
    assert.equal(t.edges.length, 3);
  });

  it("port and alarm labels", () => {
    assert.equal(portLabel("tcp", 22, 22), "tcp 22");
    assert.equal(portLabel("tcp", 80, 90), "tcp 80-90");
    assert.equal(portLabel("6", 443, 443), "tcp 443");
    assert.equal(portLabel("-1", undefined, undefined), "all");
    assert.equal(portLabel("udp", 0, 65535), "udp all");
    assert.equal(portLabel("icmp", -1, -1), "icmp");
    assert.equal(portLabel("icmp", 8, 0), "icmp 8/0");
    assert.equal(portLabel("tcp", U, U), "tcp ?");
    assert.equal(
      alarmLabel({
        metricName: "CPUUtilization",
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: 70,
      }),
      "CPUUtilization >= 70",
    );
    assert.equal(
      alarmLabel({ metricName: "CPUUtilization", comparisonOperator: "LessThanThreshold", threshold: U }),
      "CPUUtilization < ?",
    );
    assert.equal(
      alarmLabel({
        metricName: "Latency",
        comparisonOperator: "LessThanLowerOrGreaterThanUpperThreshold",
        thresholdMetricId: "ad1",
      }),
      "Latency outside band",
    );
  });
});

describe("diagram: escaping", () => {
  const NASTY = 'we"b\\ <x> & #1 | [a] {b} `c`\nsecond line';
  const INJECT = 'a"]; "evil" -> "x" [label="';
  const METRIC = 'Lat"ency<p99>';
  const escapes = (): RecordedResource[] => [
    res(SG, "nasty", { tags: { "pillar:group": NASTY } }),
    res(SG, "inject", { tags: { "pillar:group": INJECT } }),
    res(
      RULE,
      "r",
      { ipProtocol: "tcp", fromPort: 1, toPort: 2, referencedSecurityGroupId: U, securityGroupId: U },
      { referencedSecurityGroupId: [urn(SG, "inject")], securityGroupId: [urn(SG, "nasty")] },
    ),
    res(ASG, 'g"1', { minSize: 1, maxSize: 2, desiredCapacity: 1 }),
    res(POLICY, "p<1>", { scalingAdjustment: 1 }, { autoscalingGroupName: [urn(ASG, 'g"1')] }),
    res(
      ALARM,
      "a&b",
      { metricName: METRIC, comparisonOperator: "GreaterThanOrEqualToThreshold", threshold: 1 },
      { alarmActions: [urn(POLICY, "p<1>")] },
    ),
  ];
  const expectedEdges = [
    'ASG g"1 -> p<1> [flow]',
    `${INJECT} -> we"b\\ <x> & #1 | [a] {b} \`c\` [flow] tcp 1-2`,
    `${METRIC} >= 1 -> p<1> [flow]`,
  ].sort();

  it("dotString escapes quotes, backslashes and newlines", () => {
    assert.equal(dotString('a"b\\c\nd'), '"a\\"b\\\\c\\nd"');
  });

  it("DOT: labels round-trip, one statement per line, nothing injected", async () => {
    const dot = await renderTopology(escapes(), "dot");
    assert.ok(dot.includes(dotString(NASTY)));
    assert.ok(dot.includes(dotString(INJECT)));
    const g = parseDot(dot);
    assert.ok([...g.labels.values()].includes(NASTY));
    assert.ok([...g.labels.values()].includes(INJECT));
    assert.deepEqual(edgeStrings(g), expectedEdges);
  });

  it("SVG: Graphviz reads the escaped DOT as intended (same nodes and edges, text escaped as XML)", async () => {
    const svg = await renderTopology(escapes(), "svg");
    assertWellFormedXml(svg);
    // The stack's nodes and edges, besides the legend's samples.
    assert.equal((svg.match(/class="node">\s*<title>(?!legend_)/g) ?? []).length, 5);
    assert.equal((svg.match(/class="edge">\s*<title>(?!legend_)/g) ?? []).length, 3);
    assert.ok(!svg.includes("evil</text>"));
    const text = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? "");
    assert.ok(text.includes("we&quot;b\\ &lt;x&gt; &amp; #1 | [a] {b} `c`"), JSON.stringify(text));
    assert.ok(text.includes("second line"));
    assert.ok(
      text.includes("a&quot;]; &quot;evil&quot; &#45;&gt; &quot;x&quot; [label=&quot;"),
      JSON.stringify(text),
    );
  });

  it("Mermaid: labels use entity codes, round-trip, nothing injected", async () => {
    const mmd = await renderTopology(escapes(), "mmd");
    assert.equal(mermaidText('a"b<c>#d\ne'), "a#quot;b#lt;c#gt;#35;d<br/>e");
    for (const line of mmd.split("\n")) {
      const quoted = line.match(/"[^"]*"/g) ?? [];
      for (const q of quoted)
        assert.ok(!/[<>](?!br\/>)/.test(q.replace(/<br\/>/g, "")), `raw angle bracket in ${q}`);
      assert.ok((line.match(/"/g) ?? []).length % 2 === 0, `unbalanced quotes in ${line}`);
    }
    const g = parseMermaid(mmd);
    assert.ok([...g.labels.values()].includes(NASTY));
    assert.ok([...g.labels.values()].includes(INJECT));
    assert.deepEqual(edgeStrings(g), expectedEdges);
  });
});

describe("diagram: formats", () => {
  it("formatForPath picks the format from the extension", () => {
    assert.equal(formatForPath("out/topology.svg"), "svg");
    assert.equal(formatForPath("TOPOLOGY.SVG"), "svg");
    assert.equal(formatForPath("/tmp/a.dot"), "dot");
    assert.equal(formatForPath("a.gv"), "dot");
    assert.equal(formatForPath("a.mmd"), "mmd");
    assert.equal(formatForPath("a.mermaid"), "mmd");
  });

  it("formatForPath rejects other extensions with a clear error", () => {
    assert.throws(
      () => formatForPath("diagram.png"),
      /diagram\.png.*"\.png" is not supported.*\.svg.*\.dot.*\.mmd/,
    );
    assert.throws(() => formatForPath("diagram"), /extension is missing/);
    assert.throws(() => formatForPath("dir.svg/diagram.txt"), /"\.txt" is not supported/);
  });

  it("renderTopology rejects an unknown format", async () => {
    await assert.rejects(renderTopology([], "png" as DiagramFormat), /unknown diagram format "png"/);
  });

  it("an empty plan is an empty but valid graph in every format", async () => {
    assert.match(await renderTopology([], "dot"), /^digraph topology \{[\s\S]*\}\n$/);
    assert.equal(await renderTopology([], "mmd"), "flowchart LR\n");
    assertWellFormedXml(await renderTopology([], "svg"));
  });
});
