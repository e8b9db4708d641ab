// The Application Load Balancer policies (policies/alb.ts): each with passing, failing and
// unknown-value cases.
import {
  albAccessLogsEnabled,
  albDeletionProtectionEnabled,
  albDropInvalidHeaderFields,
  albListenerTlsPolicyCurrent,
  albTargetsOnlyThroughLoadBalancer,
} from "../../policies/alb";
import { T } from "../../policies/types";
import { assertNoViolations, assertViolations, PropsOf, resourceArgs, StackBuilder, unknown } from "./util";

const LB = "aws:lb/loadBalancer:LoadBalancer" as const;
type LbProps = PropsOf<typeof LB>;
const GOOD: LbProps = {
  loadBalancerType: "application",
  subnets: ["subnet-0a1b2c31", "subnet-0a1b2c32"],
  dropInvalidHeaderFields: true,
  enableDeletionProtection: true,
  accessLogs: { bucket: "logs", enabled: true },
};
const alb = (props: Partial<LbProps>) => resourceArgs(LB, { ...GOOD, ...props }, { name: "web" });

describe("alb-listener-tls-policy-current (advisory)", () => {
  const https = (sslPolicy: unknown, protocol: unknown = "HTTPS") =>
    resourceArgs(
      T.lbListener,
      {
        loadBalancerArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1",
        port: 443,
        protocol: protocol as string,
        certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/c",
        ...(sslPolicy !== undefined ? { sslPolicy: sslPolicy as string } : {}),
        defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }],
      },
      { name: "web-443" },
    );
  const RULE = `Listener "web-443" on port 443 must use a current TLS policy (sslPolicy ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09 or another ELBSecurityPolicy-TLS13-1-2-…)`;

  it("accepts the TLS 1.3 policies whose minimum is 1.2 or 1.3, and plain HTTP listeners", async () => {
    for (const p of [
      "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
      "ELBSecurityPolicy-TLS13-1-2-2021-06",
      "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
    ])
      await assertNoViolations(albListenerTlsPolicyCurrent, https(p));
    await assertNoViolations(albListenerTlsPolicyCurrent, https(undefined, "HTTP"));
  });

  it("flags no policy (the API's 2016-08 default) and ones that accept TLS 1.0 or 1.1", async () => {
    await assertViolations(albListenerTlsPolicyCurrent, https(undefined), [
      `${RULE}; it sets none, so AWS applies ELBSecurityPolicy-2016-08 (TLS 1.0 and up).`,
    ]);
    await assertViolations(albListenerTlsPolicyCurrent, https("ELBSecurityPolicy-2016-08"), [
      `${RULE}; it uses "ELBSecurityPolicy-2016-08".`,
    ]);
    await assertViolations(albListenerTlsPolicyCurrent, https("ELBSecurityPolicy-TLS13-1-0-2021-06"), [
      `${RULE}; it uses "ELBSecurityPolicy-TLS13-1-0-2021-06".`,
    ]);
  });

  it("reports what it cannot see at preview", async () => {
    await assertViolations(albListenerTlsPolicyCurrent, https(unknown<string>()), [
      `${RULE}; cannot be verified at preview: sslPolicy is unknown.`,
    ]);
    await assertViolations(albListenerTlsPolicyCurrent, https("x", unknown<string>()), [
      `${RULE}; cannot be verified at preview: its protocol is unknown.`,
    ]);
  });
});

describe("alb-drop-invalid-header-fields (advisory)", () => {
  const RULE = `Application Load Balancer "web" must set dropInvalidHeaderFields true`;
  it("accepts true, and ignores network load balancers", async () => {
    await assertNoViolations(albDropInvalidHeaderFields, alb({}));
    await assertNoViolations(
      albDropInvalidHeaderFields,
      alb({ loadBalancerType: "network", dropInvalidHeaderFields: false }),
    );
  });
  it("flags false and unset (the provider's default is false)", async () => {
    await assertViolations(albDropInvalidHeaderFields, alb({ dropInvalidHeaderFields: false }), [
      `${RULE}; it is false: headers with invalid names reach the targets.`,
    ]);
    const { dropInvalidHeaderFields: _d, ...unset } = GOOD;
    await assertViolations(albDropInvalidHeaderFields, resourceArgs(LB, unset, { name: "web" }), [
      `${RULE}; it is unset (false): headers with invalid names reach the targets.`,
    ]);
  });
  it("reports unknown values", async () => {
    await assertViolations(albDropInvalidHeaderFields, alb({ dropInvalidHeaderFields: unknown<boolean>() }), [
      `${RULE}; cannot be verified at preview: dropInvalidHeaderFields is unknown.`,
    ]);
    await assertViolations(albDropInvalidHeaderFields, alb({ loadBalancerType: unknown<string>() }), [
      `${RULE}; cannot be verified at preview: its type is unknown.`,
    ]);
  });
});

describe("alb-deletion-protection-enabled (advisory)", () => {
  const RULE = `Application Load Balancer "web" must set enableDeletionProtection true`;
  it("accepts true", () => assertNoViolations(albDeletionProtectionEnabled, alb({})));
  it("flags false", () =>
    assertViolations(albDeletionProtectionEnabled, alb({ enableDeletionProtection: false }), [
      `${RULE}; it is false: a destroy or a replacement deletes the load balancer and its DNS name.`,
    ]));
  it("reports an unknown value", () =>
    assertViolations(albDeletionProtectionEnabled, alb({ enableDeletionProtection: unknown<boolean>() }), [
      `${RULE}; cannot be verified at preview: enableDeletionProtection is unknown.`,
    ]));
});

describe("alb-access-logs-enabled (advisory)", () => {
  const RULE = `Application Load Balancer "web" must write access logs (accessLogs.bucket, enabled true)`;
  it("accepts a bucket with logging enabled", () => assertNoViolations(albAccessLogsEnabled, alb({})));
  it("flags no bucket, and a bucket without enabled (the provider's default is false)", async () => {
    const { accessLogs: _a, ...none } = GOOD;
    await assertViolations(albAccessLogsEnabled, resourceArgs(LB, none, { name: "web" }), [
      `${RULE}; it has no access log bucket.`,
    ]);
    await assertViolations(albAccessLogsEnabled, alb({ accessLogs: { bucket: "logs" } }), [
      `${RULE}; accessLogs.enabled is unset (false).`,
    ]);
    await assertViolations(albAccessLogsEnabled, alb({ accessLogs: { bucket: "logs", enabled: false } }), [
      `${RULE}; accessLogs.enabled is false.`,
    ]);
  });
  it("reports unknown values", () =>
    assertViolations(
      albAccessLogsEnabled,
      alb({ accessLogs: { bucket: "logs", enabled: unknown<boolean>() } }),
      [`${RULE}; cannot be verified at preview: accessLogs is unknown.`],
    ));
});

describe("alb-targets-only-through-load-balancer (advisory)", () => {
  /** A group registered with a target group, launching from a template in `webhost`, with one ingress rule. */
  function targets(
    rule: { cidrIpv4?: string; cidrIpv6?: string; fromAlbGroup?: boolean },
    tgs: unknown = [unknown<string>()],
  ) {
    const stack = new StackBuilder();
    const albGroup = stack.add(T.securityGroup, "web-alb", { description: "ALB", vpcId: "vpc-1" });
    const web = stack.add(T.securityGroup, "webhost", { description: "web", vpcId: "vpc-1" });
    stack.add(
      T.ingressRule,
      "sg-webhost-in-tcp-8080",
      {
        securityGroupId: unknown<string>(),
        ipProtocol: "tcp",
        fromPort: 8080,
        toPort: 8080,
        ...(rule.cidrIpv4 !== undefined ? { cidrIpv4: rule.cidrIpv4 } : {}),
        ...(rule.cidrIpv6 !== undefined ? { cidrIpv6: rule.cidrIpv6 } : {}),
        ...(rule.fromAlbGroup ? { referencedSecurityGroupId: unknown<string>() } : {}),
      },
      {
        propertyDependencies: {
          securityGroupId: [web],
          ...(rule.fromAlbGroup ? { referencedSecurityGroupId: [albGroup] } : {}),
        },
      },
    );
    const lt = stack.add(
      T.launchTemplate,
      "web-hosts-webhost",
      { networkInterfaces: [{ deviceIndex: 0, securityGroups: [unknown<string>()] }] },
      { propertyDependencies: { networkInterfaces: [web] } },
    );
    stack.add(
      T.autoscalingGroup,
      "web-hosts",
      {
        maxSize: 4,
        minSize: 2,
        targetGroupArns: tgs as string[],
        launchTemplate: { id: unknown<string>(), version: unknown<string>() },
      },
      { propertyDependencies: { launchTemplate: [lt] } },
    );
    return stack.args();
  }
  const RULE = `Autoscaling group "web-hosts" is a load balancer target and its instances must be reached only through it`;
  const FIX = `Allow the instance ports from the load balancer's security group instead (pillar: cidr_ip: <its group's name>).`;

  it("accepts targets open only to the ALB's group, and groups with no target groups", async () => {
    await assertNoViolations(albTargetsOnlyThroughLoadBalancer, targets({ fromAlbGroup: true }));
    await assertNoViolations(albTargetsOnlyThroughLoadBalancer, targets({ cidrIpv4: "0.0.0.0/0" }, []));
    await assertNoViolations(albTargetsOnlyThroughLoadBalancer, targets({ cidrIpv4: "10.0.0.0/16" }));
  });

  it("flags world ingress on a target's security group", async () => {
    await assertViolations(albTargetsOnlyThroughLoadBalancer, targets({ cidrIpv4: "0.0.0.0/0" }), [
      `${RULE}; security group "webhost" (launch template "web-hosts-webhost") lets 0.0.0.0/0 in on tcp 8080 (ingress rule "sg-webhost-in-tcp-8080"). ${FIX}`,
    ]);
    await assertViolations(albTargetsOnlyThroughLoadBalancer, targets({ cidrIpv6: "::/0" }), [
      `${RULE}; security group "webhost" (launch template "web-hosts-webhost") lets ::/0 in on tcp 8080 (ingress rule "sg-webhost-in-tcp-8080"). ${FIX}`,
    ]);
  });

  it("reports a source it cannot see at preview", () =>
    assertViolations(albTargetsOnlyThroughLoadBalancer, targets({ cidrIpv4: unknown<string>() }), [
      `${RULE}; cannot be verified at preview: the source of ingress rule "sg-webhost-in-tcp-8080" on security group "webhost" is unknown.`,
    ]));
});
