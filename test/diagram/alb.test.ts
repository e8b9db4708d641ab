// The diagram of the ALB stacks: ALB → target group → autoscale group, the groups it wears, the
// alarms that watch it, and the legend for the line styles.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { renderTopology } from "../../scripts/lib/diagram";
import { PROJECT_ROOT } from "../../scripts/lib/planner";
import { planFile } from "../harness";
import { edgeStrings, legendOf, parseDot, parseMermaid } from "./support";

const file = (n: string) => path.join(PROJECT_ROOT, "test", "stacks", `Pulumi.${n}.yaml`);

describe("diagram: the ALB stacks", function () {
  this.timeout(120_000);

  it("draws ALB → target group → ASG, with its listeners, health check and watchers", async () => {
    const { resources } = await planFile(file("alb"), { stack: "alb" });
    for (const text of [await renderTopology(resources, "dot"), await renderTopology(resources, "mmd")]) {
      const g = text.startsWith("digraph") ? parseDot(text) : parseMermaid(text);
      const labels = [...g.labels.values()];
      assert.ok(
        labels.includes("ALB web-alb\nHTTP 80 → redirect HTTPS 443\nHTTPS 443 → forward"),
        labels.join("|"),
      );
      assert.ok(labels.includes("target group web-alb-8080\nHTTP 8080 · check HTTP:8080/healthz"));
      const edges = edgeStrings(g).filter((e) => /ALB|target group/.test(e));
      assert.deepEqual(edges, [
        "ALB web-alb -> HTTPCode_ELB_5XX_Count >= 10 [metric] metric",
        "ALB web-alb -> UnHealthyHostCount >= 1 [metric] metric",
        "ALB web-alb -> target group web-alb-8080 [flow]",
        "target group web-alb-8080 -> ASG web-hosts [flow]",
        "target group web-alb-8080 -> UnHealthyHostCount >= 1 [metric] metric",
        "web-alb -> ALB web-alb [attachment]",
      ]);
      assert.deepEqual(legendOf(text), [
        "flow: traffic or control",
        "attachment: wears the security group",
        "metric: metric an alarm watches",
      ]);
    }
  });

  it("during the cutover the group is fed by the classic ELB and the ALB's target group", async () => {
    const { resources } = await planFile(file("prod-migrate"), { stack: "prod" });
    const g = parseDot(await renderTopology(resources, "dot"));
    const intoGroup = edgeStrings(g).filter((e) => e.includes("-> ASG app-hosts"));
    assert.deepEqual(intoGroup, [
      "ELB MY-ELB -> ASG app-hosts [flow]",
      "launch template app-hosts-webhost -> ASG app-hosts [flow] launches",
      "target group MY-ELB-443 -> ASG app-hosts [flow]",
    ]);
  });
});
