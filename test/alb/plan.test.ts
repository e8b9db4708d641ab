/**
 * The two ALB test stacks under the offline plan, with exact resources: test/stacks/Pulumi.alb.yaml
 * (a dev-like stack with type: application) and test/stacks/Pulumi.prod-migrate.yaml (the prod stack
 * with migrate_to: application, the cutover's first step).
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { checkProvider } from "../../provider/rules";
import { TYPES } from "../../provider/types";
import { PROJECT_ROOT } from "../../scripts/lib/planner";
import { KNOWN_AFTER_APPLY as K } from "../../scripts/lib/record";
import * as fs from "node:fs";
import { Planned, planFile, planYaml, runPlan } from "../harness";

const LB = TYPES.lb.LoadBalancer;
const TG = TYPES.lb.TargetGroup;
const LISTENER = TYPES.lb.Listener;
const ASG = "aws:autoscaling/group:Group";
const POLICY = "aws:autoscaling/policy:Policy";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TLS = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";
const stackFile = (n: string) => path.join(PROJECT_ROOT, "test", "stacks", `Pulumi.${n}.yaml`);

describe("ALB stacks under the offline plan", function () {
  this.timeout(120_000);

  describe("type: application (test/stacks/Pulumi.alb.yaml)", () => {
    let p: Planned;
    before(async () => {
      p = await planFile(stackFile("alb"), { stack: "alb" });
    });

    it("builds the ALB and no classic ELB", () => {
      assert.deepEqual(p.ofType("aws:elb/loadBalancer:LoadBalancer"), []);
      const lb = p.get(LB, "web-alb");
      assert.equal(lb.parent, "urn:pulumi:alb::pillar::pillar:elb:ApplicationLoadBalancer::web-alb");
      assert.deepEqual(lb.inputs, {
        loadBalancerType: "application",
        internal: false,
        subnets: [K, K],
        securityGroups: [K],
        idleTimeout: 120,
        dropInvalidHeaderFields: true,
        enableDeletionProtection: true,
        enableHttp2: true,
        accessLogs: { bucket: "pillar-dev-alb-logs", enabled: true, prefix: "web-alb" },
        tags: { Name: "web-alb", "pillar:elb": "web-alb" },
      });
      assert.ok(lb.dependencies.some((d) => d.endsWith("aws:ec2/securityGroup:SecurityGroup::web-alb")));
    });

    it("one target group for instance port 8080, checked as health_check says", () => {
      assert.deepEqual(
        p.ofType(TG).map((r) => r.name),
        ["web-alb-8080"],
      );
      assert.deepEqual(p.get(TG, "web-alb-8080").inputs, {
        targetType: "instance",
        protocol: "HTTP",
        port: 8080,
        deregistrationDelay: 60,
        healthCheck: {
          enabled: true,
          protocol: "HTTP",
          port: "8080",
          path: "/healthz",
          matcher: "200",
          interval: 15,
          timeout: 5,
          healthyThreshold: 3,
          unhealthyThreshold: 2,
        },
        vpcId: K,
        tags: { Name: "web-alb", "pillar:elb": "web-alb", "pillar:target-group": "web-alb-8080" },
      });
    });

    it("HTTPS forwards with the certificate and the TLS 1.3 policy; HTTP redirects to HTTPS", () => {
      assert.deepEqual(
        p.ofType(LISTENER).map((r) => r.name),
        ["web-alb-443", "web-alb-80"],
      );
      const tags = { Name: "web-alb", "pillar:elb": "web-alb" };
      const https = p.get(LISTENER, "web-alb-443");
      assert.deepEqual(https.inputs, {
        loadBalancerArn: K,
        port: 443,
        protocol: "HTTPS",
        certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
        sslPolicy: TLS,
        defaultActions: [{ type: "forward", targetGroupArn: K }],
        tags,
      });
      assert.ok(https.dependencies.some((d) => d.endsWith(`${TG}::web-alb-8080`)));
      assert.deepEqual(p.get(LISTENER, "web-alb-80").inputs, {
        loadBalancerArn: K,
        port: 80,
        protocol: "HTTP",
        defaultActions: [
          { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
        ],
        tags,
      });
    });

    it("the group registers with the target group after the listeners, checked by the ELB", () => {
      const g = p.get(ASG, "web-hosts");
      assert.deepEqual(g.inputs.targetGroupArns, [K]);
      assert.deepEqual(g.inputs.loadBalancers, []);
      assert.equal(g.inputs.healthCheckType, "ELB");
      for (const l of ["web-alb-443", "web-alb-80"])
        assert.ok(
          g.dependencies.some((d) => d.endsWith(`${LISTENER}::${l}`)),
          l,
        );
      assert.ok(g.dependencies.some((d) => d.endsWith(`${TG}::web-alb-8080`)));
    });

    it("target tracking counts requests per target with the ALB's and target group's label", () => {
      const policy = p.get(POLICY, "web-hosts-requests_per_host");
      assert.deepEqual(policy.inputs.targetTrackingConfiguration, {
        predefinedMetricSpecification: { predefinedMetricType: "ALBRequestCountPerTarget", resourceLabel: K },
        targetValue: 500,
        disableScaleIn: false,
      });
      const deps = policy.dependencies.map((d) => d.split("::").pop());
      for (const d of ["web-hosts", "web-alb", "web-alb-8080"]) assert.ok(deps.includes(d), d);
    });

    it("alarms watch the ALB and its target group by their ARN suffixes", () => {
      const hosts = p.get(ALARM, "web_unhealthy_hosts");
      assert.deepEqual(hosts.inputs.dimensions, { LoadBalancer: K, TargetGroup: K });
      assert.equal(hosts.inputs.namespace, "AWS/ApplicationELB");
      const deps = (r: typeof hosts) => r.dependencies.map((d) => d.split("$").pop());
      assert.ok(deps(hosts).includes(`${LB}::web-alb`));
      assert.ok(deps(hosts).includes(`${TG}::web-alb-8080`));
      const errors = p.get(ALARM, "web_alb_5xx");
      assert.deepEqual(errors.inputs.dimensions, { LoadBalancer: K });
      assert.ok(deps(errors).includes(`${LB}::web-alb`));
      assert.ok(!deps(errors).includes(`${TG}::web-alb-8080`));
    });

    it("the provider accepts every resource", () => {
      assert.deepEqual(checkProvider(p.resources), []);
    });
  });

  describe("migrate_to: application (test/stacks/Pulumi.prod-migrate.yaml)", () => {
    let p: Planned;
    let prod: Planned;
    before(async () => {
      p = await planFile(stackFile("prod-migrate"), { stack: "prod" });
      prod = await planFile(undefined, { stack: "prod" });
    });

    it("keeps every resource of the prod stack with its URN and inputs but the group's target groups", () => {
      const byUrn = new Map(p.resources.map((r) => [r.urn, r]));
      const changed: string[] = [];
      for (const r of prod.resources) {
        const twin = byUrn.get(r.urn);
        assert.ok(twin, `${r.urn} is kept`);
        if (JSON.stringify(twin.inputs) !== JSON.stringify(r.inputs)) changed.push(r.name);
      }
      assert.deepEqual(changed, ["app-hosts"]);
      const { targetGroupArns, ...rest } = p.get(ASG, "app-hosts").inputs;
      assert.deepEqual(targetGroupArns, [K]);
      assert.deepEqual(rest, prod.get(ASG, "app-hosts").inputs);
    });

    it("adds the twin: the ALB, one target group, two listeners, and the new alarm", () => {
      const prodUrns = new Set(prod.resources.map((r) => r.urn));
      assert.deepEqual(
        p.resources
          .filter((r) => !prodUrns.has(r.urn))
          .map((r) => `${r.type}::${r.name}`)
          .sort(),
        [
          `${ALARM}::webhost_unhealthy_targets`,
          `${LISTENER}::MY-ELB-443`,
          `${LISTENER}::MY-ELB-80`,
          `${LB}::MY-ELB`,
          `${TG}::MY-ELB-443`,
          "pillar:elb:ApplicationLoadBalancer::MY-ELB",
        ],
      );
    });

    it("the twin copies the classic ELB: subnets, groups, HTTPS with the IAM certificate, the check of /check.html", () => {
      const lb = p.get(LB, "MY-ELB");
      assert.deepEqual(lb.inputs.subnets, ["subnet-0a1b2c31", "subnet-0a1b2c32", "subnet-0a1b2c33"]);
      assert.deepEqual(lb.inputs.securityGroups, ["sg-0fe8f26b0eb06da20", K]);
      assert.equal(lb.inputs.enableDeletionProtection, true);
      assert.equal(lb.inputs.dropInvalidHeaderFields, true);
      assert.deepEqual(p.get(TG, "MY-ELB-443").inputs.healthCheck, {
        enabled: true,
        protocol: "HTTPS",
        port: "443",
        path: "/check.html",
        matcher: "200",
        interval: 30,
        timeout: 5,
        healthyThreshold: 10,
        unhealthyThreshold: 2,
      });
      const https = p.get(LISTENER, "MY-ELB-443").inputs;
      assert.equal(https.certificateArn, "arn:aws:iam::123456789012:server-certificate/my-certificate");
      assert.equal(https.sslPolicy, TLS);
      assert.deepEqual(p.get(LISTENER, "MY-ELB-80").inputs.defaultActions, [
        { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
      ]);
    });

    it("the group registers with both: the classic ELB by name and the twin's target group", () => {
      const g = p.get(ASG, "app-hosts");
      assert.equal(g.inputs.healthCheckType, "ELB");
      assert.equal((g.inputs.loadBalancers as unknown[]).length, 1);
      assert.ok(g.dependencies.some((d) => d.endsWith("aws:elb/loadBalancer:LoadBalancer::MY-ELB")));
      assert.ok(g.dependencies.some((d) => d.endsWith(`${TG}::MY-ELB-443`)));
    });

    it("the new alarm watches the twin's target group", () => {
      const a = p.get(ALARM, "webhost_unhealthy_targets");
      assert.deepEqual(a.inputs.dimensions, { LoadBalancer: K, TargetGroup: K });
      assert.ok(a.dependencies.some((d) => d.endsWith(`${TG}::MY-ELB-443`)));
    });

    it("the provider accepts every resource", () => {
      assert.deepEqual(checkProvider(p.resources), []);
    });

    it("the last step (type: application instead of migrate_to) keeps the ALB, drops only the classic ELB", async () => {
      const text = fs
        .readFileSync(stackFile("prod-migrate"), "utf8")
        .replace("    migrate_to: application\n", "    type: application\n");
      const last = await planYaml(text, { stack: "prod" });
      const byUrn = new Map(last.resources.map((r) => [r.urn, r]));
      const gone = p.resources.filter((r) => !byUrn.has(r.urn)).map((r) => `${r.type}::${r.name}`);
      assert.deepEqual(gone.sort(), [
        "aws:elb/listenerPolicy:ListenerPolicy::MY-ELB-tls-443",
        "aws:elb/loadBalancer:LoadBalancer::MY-ELB",
        "aws:elb/loadBalancerPolicy:LoadBalancerPolicy::MY-ELB-tls",
        "pillar:elb:LoadBalancer::MY-ELB",
      ]);
      assert.equal(last.resources.length, p.resources.length - 4);
      for (const r of p.resources.filter((x) => x.type.startsWith("aws:lb/")))
        assert.deepEqual(byUrn.get(r.urn)!.inputs, r.inputs, r.name);
      assert.deepEqual(last.get(ASG, "app-hosts").inputs.loadBalancers, []);
    });
  });

  describe("the policy pack over both stacks (npm run plan --json)", () => {
    const violations = (n: string) => {
      const r = runPlan("--stack-file", stackFile(n), "--json");
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout) as {
        policies: { violations: { policy: string; level: string; urn: string | null; message: string }[] };
      };
      return doc.policies.violations;
    };
    const lbPolicies = (v: ReturnType<typeof violations>) =>
      v
        .filter((x) => /^(alb|elb|autoscaling-group-elb)-/.test(x.policy))
        .map((x) => `${x.level} ${x.policy} ${x.urn?.split("::").pop()}`)
        .sort();

    it("the ALB stack: no mandatory violation, no load balancer finding", () => {
      const v = violations("alb");
      assert.deepEqual(
        v.filter((x) => x.level === "mandatory"),
        [],
      );
      assert.deepEqual(lbPolicies(v), []);
    });

    it("prod during the cutover: no mandatory violation; the seed's own gaps, said for both load balancers", () => {
      const v = violations("prod-migrate");
      assert.deepEqual(
        v.filter((x) => x.level === "mandatory"),
        [],
      );
      assert.deepEqual(lbPolicies(v), [
        "advisory alb-access-logs-enabled MY-ELB",
        "advisory alb-targets-only-through-load-balancer app-hosts",
        "advisory alb-targets-only-through-load-balancer app-hosts",
        "advisory elb-access-logs-enabled MY-ELB",
        "advisory elb-http-listener-redirects-to-https MY-ELB",
      ]);
    });
  });
});
