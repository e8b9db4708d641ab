/**
 * The topology of the real planned stacks (prod: existing VPC, looked-up default group; dev: created
 * VPC with its DefaultSecurityGroup): exact node and edge sets in the DOT, the same in Mermaid, and
 * a well-formed SVG that names every node.
 */
import * as assert from "node:assert/strict";
import { renderTopology } from "../../scripts/lib/diagram";
import {
  assertWellFormedXml,
  edgeStrings,
  nodeTitles,
  parseDot,
  parseMermaid,
  planned,
  title,
} from "./support";

const PROD_NODES = [
  "0.0.0.0/0",
  "ASG app-hosts",
  "ApproximateNumberOfMessagesVisible >= 1",
  "CPUUtilization <= 40",
  "CPUUtilization >= 70",
  "DynamoDB reactor-inventory",
  "EC2 mongodb-server",
  "ELB MY-ELB",
  "Errors >= 1",
  "Lambda reactor",
  "SNS alert_salt_php_scale_down",
  "SNS alert_salt_web_scale_up",
  "SNS app-hosts-events",
  "SNS reactor-alerts",
  "SQS reactor-failures",
  "SSM reactor-salt",
  "app-hosts-webhost_scale_down",
  "app-hosts-webhost_scale_up",
  "default",
  "launch template app-hosts-webhost",
  "mongodb",
  "webhost",
];

const PROD_EDGES = [
  // security-group graph: source → group, one edge per ingress rule
  "0.0.0.0/0 -> webhost [flow] tcp 443",
  "0.0.0.0/0 -> webhost [flow] tcp 80",
  "default -> mongodb [flow] tcp 22",
  "default -> webhost [flow] tcp 22",
  "webhost -> mongodb [flow] tcp 27017",
  // members wearing groups (dashed, drawn from the group)
  "default -> EC2 mongodb-server [attachment]",
  "default -> ELB MY-ELB [attachment]",
  "default -> launch template app-hosts-webhost [attachment]",
  "mongodb -> EC2 mongodb-server [attachment]",
  "webhost -> ELB MY-ELB [attachment]",
  "webhost -> launch template app-hosts-webhost [attachment]",
  // application tier
  "ELB MY-ELB -> ASG app-hosts [flow]",
  "launch template app-hosts-webhost -> ASG app-hosts [flow] launches",
  "ASG app-hosts -> app-hosts-webhost_scale_down [flow]",
  "ASG app-hosts -> app-hosts-webhost_scale_up [flow]",
  "CPUUtilization <= 40 -> app-hosts-webhost_scale_down [flow]",
  "CPUUtilization >= 70 -> app-hosts-webhost_scale_up [flow]",
  "CPUUtilization <= 40 -> SNS alert_salt_php_scale_down [flow]",
  "CPUUtilization >= 70 -> SNS alert_salt_web_scale_up [flow]",
  "ASG app-hosts -> SNS app-hosts-events [flow] lifecycle hooks, notifications",
  "SNS app-hosts-events -> Lambda reactor [flow] lambda subscription",
  "Lambda reactor -> DynamoDB reactor-inventory [flow] inventory",
  "Lambda reactor -> SSM reactor-salt [flow] run command",
  "Lambda reactor -> SQS reactor-failures [flow] on failure",
  "Lambda reactor -> Errors >= 1 [metric] metric",
  "Errors >= 1 -> SNS reactor-alerts [flow]",
  "SQS reactor-failures -> ApproximateNumberOfMessagesVisible >= 1 [metric] metric",
  "ApproximateNumberOfMessagesVisible >= 1 -> SNS reactor-alerts [flow]",
].sort();

const DEV_NODES = [
  "0.0.0.0/0",
  "::/0",
  "ASG dev-hosts",
  "ApproximateNumberOfMessagesVisible >= 1",
  "CPUUtilization <= 40",
  "CPUUtilization >= 70",
  "DynamoDB reactor-inventory",
  "ELB dev-elb",
  "Errors >= 1",
  "Lambda reactor",
  "SNS dev-hosts-events",
  "SNS reactor-alerts",
  "SQS reactor-failures",
  "default",
  "dev-hosts-dev_scale_down",
  "dev-hosts-dev_scale_up",
  "launch template dev-hosts-webhost",
  "webhost",
];

const DEV_EDGES = [
  "0.0.0.0/0 -> webhost [flow] tcp 443",
  "0.0.0.0/0 -> webhost [flow] tcp 80",
  "::/0 -> webhost [flow] tcp 443",
  "default -> webhost [flow] tcp 22",
  "default -> launch template dev-hosts-webhost [attachment]",
  "webhost -> ELB dev-elb [attachment]",
  "webhost -> launch template dev-hosts-webhost [attachment]",
  "ELB dev-elb -> ASG dev-hosts [flow]",
  "launch template dev-hosts-webhost -> ASG dev-hosts [flow] launches",
  "ASG dev-hosts -> dev-hosts-dev_scale_down [flow]",
  "ASG dev-hosts -> dev-hosts-dev_scale_up [flow]",
  "CPUUtilization <= 40 -> dev-hosts-dev_scale_down [flow]",
  "CPUUtilization >= 70 -> dev-hosts-dev_scale_up [flow]",
  "ASG dev-hosts -> SNS dev-hosts-events [flow] lifecycle hooks, notifications",
  "SNS dev-hosts-events -> Lambda reactor [flow] lambda subscription",
  "Lambda reactor -> DynamoDB reactor-inventory [flow] inventory",
  "Lambda reactor -> SQS reactor-failures [flow] on failure",
  "Lambda reactor -> Errors >= 1 [metric] metric",
  "Errors >= 1 -> SNS reactor-alerts [flow]",
  "SQS reactor-failures -> ApproximateNumberOfMessagesVisible >= 1 [metric] metric",
  "ApproximateNumberOfMessagesVisible >= 1 -> SNS reactor-alerts [flow]",
].sort();

const CASES = [
  { stack: "prod", nodes: PROD_NODES, edges: PROD_EDGES, groups: ["default", "mongodb", "webhost"] },
  { stack: "dev", nodes: DEV_NODES, edges: DEV_EDGES, groups: ["default", "webhost"] },
];

describe("diagram: topology of the planned stacks", () => {
  for (const c of CASES) {
    describe(`${c.stack} stack`, () => {
      it("DOT has exactly the expected nodes", async () => {
        const dot = parseDot(await renderTopology(await planned(c.stack), "dot"));
        assert.deepEqual(nodeTitles(dot), [...c.nodes].sort());
      });

      it("DOT has exactly the expected edges", async () => {
        const dot = parseDot(await renderTopology(await planned(c.stack), "dot"));
        assert.deepEqual(edgeStrings(dot), c.edges);
      });

      it("groups sit in the 'security groups' cluster, the tier in 'application tier', CIDRs outside", async () => {
        const dot = parseDot(await renderTopology(await planned(c.stack), "dot"));
        const inCluster = (name: string) =>
          [...dot.clusters.entries()]
            .filter(([, cluster]) => cluster === name)
            .map(([id]) => title(dot, id))
            .sort();
        assert.deepEqual(inCluster("security groups"), c.groups);
        const tier = inCluster("application tier");
        for (const t of tier) assert.ok(!/^[0-9a-f:.]+\/\d+$/.test(t), `CIDR ${t} inside the tier cluster`);
        assert.ok(tier.some((t) => t.startsWith("ELB ")));
        assert.ok(tier.some((t) => t.startsWith("ASG ")));
        assert.ok(tier.some((t) => t.startsWith("Lambda ")));
        const cidrs = [...dot.labels.keys()].filter((id) => /^[0-9a-f:.]+\/\d+$/.test(title(dot, id)));
        assert.ok(cidrs.length > 0);
        for (const id of cidrs) assert.equal(dot.clusters.get(id), undefined);
      });

      it("Mermaid (flowchart LR) has the same nodes, edges and clusters as the DOT", async () => {
        const resources = await planned(c.stack);
        const mmdText = await renderTopology(resources, "mmd");
        assert.match(mmdText, /^flowchart LR\n/);
        const mmd = parseMermaid(mmdText);
        const dot = parseDot(await renderTopology(resources, "dot"));
        assert.deepEqual(nodeTitles(mmd), [...c.nodes].sort());
        assert.deepEqual(edgeStrings(mmd), c.edges);
        assert.deepEqual([...mmd.labels.entries()].sort(), [...dot.labels.entries()].sort());
        assert.deepEqual([...mmd.clusters.entries()].sort(), [...dot.clusters.entries()].sort());
      });

      it("SVG is well-formed and names every node", async () => {
        const svg = await renderTopology(await planned(c.stack), "svg");
        assert.match(svg, /^(<\?xml[^>]*\?>\s*(<!DOCTYPE[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*)?<svg[\s>]/);
        assert.match(svg.trimEnd(), /<\/svg>$/);
        assertWellFormedXml(svg);
        assert.equal((svg.match(/<svg[\s>]/g) ?? []).length, 1);
        // Besides the legend's sample points and lines (test "has a legend for its line styles").
        assert.equal(
          (svg.match(/<g id="node\d+" class="node">\s*<title>(?!legend_)/g) ?? []).length,
          c.nodes.length,
        );
        assert.equal(
          (svg.match(/<g id="edge\d+" class="edge">\s*<title>(?!legend_)/g) ?? []).length,
          c.edges.length,
        );
        const text = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
          (m[1] ?? "")
            .replace(/&lt;/g, "<")
            .replace(/&gt;/g, ">")
            .replace(/&quot;/g, '"')
            .replace(/&#45;/g, "-")
            .replace(/&amp;/g, "&"),
        );
        for (const node of c.nodes) assert.ok(text.includes(node), `SVG has no text ${JSON.stringify(node)}`);
        assert.ok(text.includes("security groups") && text.includes("application tier"));
      });
    });
  }

  it("labels the alarms with metric, comparison and threshold, the ELB with its listeners", async () => {
    const dot = parseDot(await renderTopology(await planned("prod"), "dot"));
    const labels = [...dot.labels.values()];
    assert.ok(labels.includes("CPUUtilization >= 70\nwebhost_cpu_scale_up\naverage of 5 × 60 s"));
    assert.ok(labels.includes("ELB MY-ELB\nHTTPS 443 → HTTPS 443\nHTTP 80 → HTTP 80"));
    assert.ok(labels.includes("ASG app-hosts\nmin 2 · desired 2 · max 10"));
  });

  it("plans both stacks in one process", async () => {
    const dev = await planned("dev");
    const prod = await planned("prod");
    assert.ok(dev.every((r) => r.urn.startsWith("urn:pulumi:dev::")));
    assert.ok(prod.every((r) => r.urn.startsWith("urn:pulumi:prod::")));
  });
});
