/**
 * pillar:elb `type: application` and `migrate_to: application` in config: what the ALB model is
 * built of, the migration wizard's limits, and bad input as exact config errors.
 */
import * as assert from "node:assert/strict";
import { notesOf } from "../../config/loader";
import { issuesOf, load, SeedDoc, seedWith } from "../configHelpers";

const RECOMMENDED = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";
const CERT = "arn:aws:iam::123456789012:server-certificate/my-certificate";

describe("pillar:elb type and migrate_to (config)", () => {
  it("keeps the classic ELB the default: the seed builds no ALB", () => {
    const lb = load(seedWith(() => {})).loadBalancers[0]!;
    assert.equal(lb.type, "classic");
    assert.equal(lb.application, undefined);
  });

  it("maps the seed's keys onto an ALB: listeners, one target group per instance port, the health check", () => {
    const m = load(seedWith((v) => void (v.elb.type = "application")));
    const lb = m.loadBalancers[0]!;
    assert.equal(lb.type, "application");
    const alb = lb.application!;
    assert.equal(alb.origin, "type");
    assert.deepEqual(
      alb.listeners.map(({ path: _p, ...l }) => l),
      [
        {
          port: 443,
          protocol: "HTTPS",
          certificateArn: CERT,
          action: { kind: "forward", targetGroup: "MY-ELB-443" },
        },
        { port: 80, protocol: "HTTP", action: { kind: "redirect", port: 443 } },
      ],
    );
    assert.deepEqual(alb.targetGroups, [
      {
        name: "MY-ELB-443",
        protocol: "HTTPS",
        port: 443,
        healthCheck: {
          protocol: "HTTPS",
          port: 443,
          path: "/check.html",
          matcher: "200",
          interval: 30,
          timeout: 5,
          healthyThreshold: 10,
          unhealthyThreshold: 2,
        },
        deregistrationDelay: 300,
        crossZone: true,
      },
    ]);
    assert.equal(alb.sslPolicy, RECOMMENDED);
    assert.deepEqual(
      [alb.dropInvalidHeaderFields, alb.deletionProtection, alb.http2, alb.internal, alb.idleTimeout],
      [true, true, true, false, 60],
    );
    // The group named MY-ELB in load_balancers registers with its target group, checked by the ELB.
    const g = m.autoscaleGroups[0]!;
    assert.deepEqual(g.loadBalancers, []);
    assert.deepEqual(g.targetGroups, [{ loadBalancer: "MY-ELB", targetGroup: "MY-ELB-443" }]);
    assert.equal(g.healthCheckType, "ELB");
    assert.deepEqual(notesOf(m), []);
  });

  it("forwards HTTP when the listener says so, and carries draining, idle timeout and access logs", () => {
    const m = load(
      seedWith((v) => {
        v.elb.type = "application";
        v.elb.listeners[1].action = "forward";
        v.elb.attributes.connection_draining = { enabled: false };
        v.elb.attributes.connecting_settings = { idle_timeout: 300 };
        v.elb.attributes.access_log = { s3_bucket_name: "logs", s3_bucket_prefix: "web" };
        v.elb.deletion_protection = false;
      }),
    );
    const alb = m.loadBalancers[0]!.application!;
    assert.deepEqual(alb.listeners[1]!.action, { kind: "forward", targetGroup: "MY-ELB-80" });
    assert.deepEqual(
      alb.targetGroups.map((t) => [t.name, t.protocol, t.port, t.deregistrationDelay]),
      [
        ["MY-ELB-443", "HTTPS", 443, 0],
        ["MY-ELB-80", "HTTP", 80, 0],
      ],
    );
    assert.equal(alb.idleTimeout, 300);
    assert.deepEqual(alb.accessLogs, { bucket: "logs", prefix: "web", enabled: true });
    assert.equal(alb.deletionProtection, false);
  });

  it("migrate_to keeps the classic ELB and builds the twin; the group registers with both", () => {
    const m = load(seedWith((v) => void (v.elb.migrate_to = "application")));
    const lb = m.loadBalancers[0]!;
    assert.equal(lb.type, "classic");
    assert.equal(lb.application!.origin, "migrate_to");
    const g = m.autoscaleGroups[0]!;
    assert.deepEqual(g.loadBalancers, ["MY-ELB"]);
    assert.deepEqual(g.targetGroups, [{ loadBalancer: "MY-ELB", targetGroup: "MY-ELB-443" }]);
  });

  describe("the migration wizard's limits", () => {
    it("a TCP health check on HTTP(S) becomes a check of '/' (HTTPS on a port served over TLS), with a note", () => {
      const m = load(
        seedWith((v) => {
          v.elb.migrate_to = "application";
          v.elb.health_check.target = "TCP:443";
        }),
      );
      assert.deepEqual(
        (({ protocol, port, path }) => ({ protocol, port, path }))(
          m.loadBalancers[0]!.application!.targetGroups[0]!.healthCheck,
        ),
        { protocol: "HTTPS", port: 443, path: "/" },
      );
      assert.deepEqual(notesOf(m), [
        {
          path: "pillar:elb.health_check.target",
          message:
            'an Application Load Balancer cannot check TCP on an HTTP/HTTPS target group, so it checks HTTPS:443/ and expects 200 from "/": make "/" answer it, or give health_check.target a path (e.g. "HTTPS:443/check.html")',
        },
      ]);
    });

    it("a TCP check of a plain HTTP port becomes HTTP '/'", () => {
      const m = load(
        seedWith((v) => {
          v.elb.type = "application";
          v.elb.listeners = [{ elb_port: 80, instance_port: 80, elb_protocol: "HTTP", action: "forward" }];
          v.elb.health_check = { target: "TCP:80" };
        }),
      );
      const hc = m.loadBalancers[0]!.application!.targetGroups[0]!.healthCheck;
      assert.deepEqual([hc.protocol, hc.port, hc.path], ["HTTP", 80, "/"]);
    });

    it("a classic TLS policy on the twin becomes the current recommended one, with a note", () => {
      const m = load(
        seedWith((v) => {
          v.elb.migrate_to = "application";
          v.elb.ssl_policy = "my-custom-policy";
        }),
      );
      assert.equal(m.loadBalancers[0]!.sslPolicy, "my-custom-policy");
      assert.equal(m.loadBalancers[0]!.application!.sslPolicy, RECOMMENDED);
      assert.deepEqual(
        notesOf(m).map((n) => n.path),
        ["pillar:elb.ssl_policy"],
      );
      assert.match(
        notesOf(m)[0]!.message,
        /^the classic ELB keeps my-custom-policy; its ALB twin uses ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09 /,
      );
    });

    it("cross-zone off is said: an ALB balances across zones, only its target groups can opt out", () => {
      const m = load(
        seedWith((v) => {
          v.elb.migrate_to = "application";
          v.elb.attributes.cross_zone_load_balancing.enabled = false;
        }),
      );
      assert.equal(m.loadBalancers[0]!.application!.targetGroups[0]!.crossZone, false);
      assert.deepEqual(
        notesOf(m).map((n) => n.path),
        ["pillar:elb.attributes.cross_zone_load_balancing.enabled"],
      );
    });
  });

  const ERRORS: [string, (v: SeedDoc) => void, string[]][] = [
    [
      "an unknown type",
      (v) => void (v.elb.type = "gateway"),
      [
        'pillar:elb.type: unknown load balancer type "gateway"; expected one of "application", "classic" (classic is the default)',
      ],
    ],
    [
      "type network",
      (v) => void (v.elb.type = "network"),
      [
        'pillar:elb.type: pillar builds "classic" and "application" load balancers; a Network Load Balancer (TCP, TLS, UDP) is not built yet: keep TCP and SSL listeners on a classic load balancer',
      ],
    ],
    [
      "a TCP listener on an ALB",
      (v) => {
        v.elb.type = "application";
        v.elb.listeners.push({ elb_port: 22, instance_port: 22, elb_protocol: "TCP" });
      },
      [
        "pillar:elb.listeners[2].elb_protocol: an Application Load Balancer serves HTTP and HTTPS only; a TCP listener needs a Network Load Balancer, which pillar does not build: keep this load balancer classic (no type) or drop the listener",
      ],
    ],
    [
      "an SSL listener on a twin",
      (v) => {
        v.elb.migrate_to = "application";
        v.elb.listeners.push({ elb_port: 8443, instance_port: 8443, elb_protocol: "SSL", certificate: CERT });
      },
      [
        "pillar:elb.listeners[2].elb_protocol: migrate_to: application cannot carry the SSL listener on port 8443: an Application Load Balancer serves HTTP and HTTPS only (AWS's migration wizard moves SSL listeners to a Network Load Balancer, which pillar does not build); remove the listener or keep this load balancer classic",
      ],
    ],
    [
      "HTTPS without a certificate",
      (v) => {
        v.elb.type = "application";
        delete v.elb.listeners[0].certificate;
      },
      [
        "pillar:elb.listeners[0].certificate: required for an HTTPS listener: an IAM server certificate or ACM certificate ARN",
      ],
    ],
    [
      "a one-subnet classic ELB migrating",
      (v) => {
        v.elb.migrate_to = "application";
        v.elb.subnets = ["subnet-0a1b2c31"];
      },
      [
        "pillar:elb.subnets: an Application Load Balancer needs subnets in at least two Availability Zones; this classic ELB has 1: add a subnet in another zone (AWS's migration wizard asks for one too)",
      ],
    ],
    [
      "a matcher AWS refuses",
      (v) => {
        v.elb.type = "application";
        v.elb.health_check.matcher = "500";
      },
      [
        "pillar:elb.health_check.matcher: an Application Load Balancer accepts health check codes from 200 to 499, got 500",
      ],
    ],
    [
      "a health check timeout not below its interval",
      (v) => {
        v.elb.type = "application";
        v.elb.health_check.timeout = 30;
      },
      ["pillar:elb.health_check.timeout: timeout 30s must be less than interval 30s"],
    ],
    [
      "a custom TLS policy on an ALB",
      (v) => {
        v.elb.type = "application";
        v.elb.ssl_policy = "my-custom-policy";
      },
      [
        `pillar:elb.ssl_policy: an Application Load Balancer takes only AWS's predefined security policies (ELBSecurityPolicy-…), no custom ones; got "my-custom-policy" (recommended: ${RECOMMENDED})`,
      ],
    ],
    [
      "migrate_to something else",
      (v) => void (v.elb.migrate_to = "network"),
      [
        'pillar:elb.migrate_to: a classic load balancer migrates to "application" (an ALB twin beside it), got "network"',
      ],
    ],
    [
      "migrate_to on an ALB",
      (v) => {
        v.elb.type = "application";
        v.elb.migrate_to = "application";
      },
      [
        "pillar:elb.migrate_to: migrate_to builds an ALB twin beside a classic load balancer; this entry is already type application: remove migrate_to",
      ],
    ],
    [
      "an ALB-only key on a classic ELB",
      (v) => void (v.elb.drop_invalid_header_fields = true),
      [
        "pillar:elb.drop_invalid_header_fields: only applies to an Application Load Balancer: set type: application, or migrate_to: application for an ALB twin beside this classic ELB",
      ],
    ],
    [
      "an HTTP redirect with no HTTPS listener",
      (v) => {
        v.elb.type = "application";
        v.elb.listeners.splice(0, 1);
      },
      [
        "pillar:elb.listeners[0]: an HTTP listener redirects to HTTPS by default, but this load balancer has no HTTPS listener: add one (with a certificate), or say action: forward to serve plain HTTP",
      ],
    ],
    [
      "an unknown target group",
      (v) => {
        v.elb.type = "application";
        v.autoscale.groups[0].target_groups = ["MY-ELB-8443"];
      },
      [
        'pillar:autoscale.groups[0].target_groups[0]: unknown target group "MY-ELB-8443"; known target groups (<load balancer>-<instance port>): "MY-ELB-443"',
      ],
    ],
    [
      "an AWS/ApplicationELB alarm on a load balancer the stack does not have",
      (v) => {
        v.elb.type = "application";
        v.cloudwatch.alarms[0].attributes.namespace = "AWS/ApplicationELB";
        v.cloudwatch.alarms[0].attributes.dimensions = { LoadBalancer: ["OTHER"] };
      },
      [
        'pillar:cloudwatch.alarms[0].attributes.dimensions.LoadBalancer[0]: unknown Application Load Balancer "OTHER"; expected one of the stack\'s ("MY-ELB") or an ARN suffix like "app/my-alb/50dc6c495c0c9188"',
      ],
    ],
    [
      "ALBRequestCountPerTarget on a group with no target group",
      (v) => {
        v.autoscale.groups[0].scaling_policies = [
          { name: "rq", target_tracking: { metric: "ALBRequestCountPerTarget", target_value: 100 } },
        ];
        v.cloudwatch.alarms = [];
      },
      [
        "pillar:autoscale.groups[0].scaling_policies[0].target_tracking.metric: ALBRequestCountPerTarget counts the requests of an Application Load Balancer's target group, and this group registers with none: attach it (load_balancers or target_groups) or track another metric",
      ],
    ],
    [
      "a name whose target group cannot fit the provider's suffix",
      (v) => {
        v.elb.type = "application";
        v.elb.name = "ABCDEFGHIJKLMNOPQRSTUV";
        v.autoscale.groups[0].load_balancers = ["ABCDEFGHIJKLMNOPQRSTUV"];
      },
      [
        `pillar:elb.name: "ABCDEFGHIJKLMNOPQRSTUV" is 22 characters; the target group "ABCDEFGHIJKLMNOPQRSTUV-443" with the provider's 8-character suffix would be 34, over AWS's 32 (keep it to 20)`,
      ],
    ],
  ];
  for (const [what, edit, expected] of ERRORS)
    it(`refuses ${what}`, () => assert.deepEqual(issuesOf(seedWith(edit)), expected));
});
