import * as assert from "node:assert/strict";
import { PolicyResource } from "@pulumi/policy";
import {
  elbAccessLogsEnabled,
  elbCrossZoneEnabled,
  elbHttpListenerRedirectsToHttps,
  elbHttpsListenerCertificate,
} from "../../policies/elb";
import { elbListenerTlsPolicyCurrent, elbSslNegotiationPolicyCurrent } from "../../policies/elbTls";
import { T } from "../../policies/types";
import { PropsOf, StackBuilder, assertNoViolations, assertViolations, resourceArgs, unknown } from "./util";

const CERT = "arn:aws:iam::123456789012:server-certificate/www";

/** The seed's ELB: HTTPS 443 with an IAM certificate and HTTP 80, cross-zone on. */
const SEED_ELB: PropsOf<typeof T.loadBalancer> = {
  name: "MY-ELB",
  subnets: ["subnet-0a", "subnet-0b", "subnet-0c"],
  listeners: [
    {
      lbPort: 443,
      lbProtocol: "HTTPS",
      instancePort: 443,
      instanceProtocol: "HTTPS",
      sslCertificateId: CERT,
    },
    { lbPort: 80, lbProtocol: "HTTP", instancePort: 80, instanceProtocol: "HTTP" },
  ],
  healthCheck: {
    target: "HTTPS:443/check.html",
    healthyThreshold: 2,
    unhealthyThreshold: 2,
    interval: 30,
    timeout: 5,
  },
  crossZoneLoadBalancing: true,
  accessLogs: { bucket: "pillar-elb-logs", interval: 60 },
};

const elb = (props: Partial<PropsOf<typeof T.loadBalancer>>) =>
  resourceArgs(T.loadBalancer, { ...SEED_ELB, ...props }, { name: "web" });

const CERT_RULE = `Load balancer "web" must have an HTTPS listener with a certificate (sslCertificateId)`;

describe("elb-https-listener-certificate (advisory)", () => {
  it("accepts the seed's listeners", async () => {
    await assertNoViolations(elbHttpsListenerCertificate, elb({}));
  });

  it("flags HTTP-only balancers and HTTPS listeners without a certificate", async () => {
    await assertViolations(
      elbHttpsListenerCertificate,
      elb({ listeners: [{ lbPort: 80, lbProtocol: "http", instancePort: 80, instanceProtocol: "http" }] }),
      [`${CERT_RULE}; it has only ["http"] listeners.`],
    );
    await assertViolations(
      elbHttpsListenerCertificate,
      elb({
        listeners: [{ lbPort: 443, lbProtocol: "https", instancePort: 443, instanceProtocol: "https" }],
      }),
      [`${CERT_RULE}; its "https" listener on port 443 has none.`],
    );
  });

  it("reports unknown listeners at preview, and accepts a certificate ARN not known yet", async () => {
    await assertViolations(elbHttpsListenerCertificate, elb({ listeners: unknown<[]>() }), [
      `${CERT_RULE}; cannot be verified at preview: its listeners are unknown.`,
    ]);
    await assertNoViolations(
      elbHttpsListenerCertificate,
      elb({
        listeners: [
          {
            lbPort: 443,
            lbProtocol: "HTTPS",
            instancePort: 443,
            instanceProtocol: "HTTPS",
            sslCertificateId: unknown(),
          },
        ],
      }),
    );
  });
});

function tlsStack(
  reference: string | undefined,
  wiring: "dependencies" | "names" = "dependencies",
  lbProps: Partial<PropsOf<typeof T.loadBalancer>> = {},
) {
  const stack = new StackBuilder();
  const lb = stack.add(T.loadBalancer, "web", { ...SEED_ELB, ...lbProps });
  if (reference === undefined) {
    return stack;
  }
  const byDependency = wiring === "dependencies";
  const tls: PolicyResource = stack.add(
    T.loadBalancerPolicy,
    "web-tls",
    {
      loadBalancerName: byDependency ? unknown<string>() : "MY-ELB",
      policyName: "web-tls",
      policyTypeName: "SSLNegotiationPolicyType",
      policyAttributes: [{ name: "Reference-Security-Policy", value: reference }],
    },
    byDependency ? { propertyDependencies: { loadBalancerName: [lb] } } : {},
  );
  stack.add(
    T.listenerPolicy,
    "web-443-tls",
    {
      loadBalancerName: byDependency ? unknown<string>() : "MY-ELB",
      loadBalancerPort: 443,
      policyNames: [byDependency ? unknown<string>() : "web-tls"],
    },
    byDependency ? { propertyDependencies: { loadBalancerName: [lb], policyNames: [tls] } } : {},
  );
  return stack;
}

const TLS_RULE = `Load balancer "web" HTTPS listener on port 443 must use a current TLS policy (ELBSecurityPolicy-TLS-1-2-2017-01)`;

describe("elb-listener-tls-policy-current (advisory)", () => {
  it("accepts a listener policy referencing ELBSecurityPolicy-TLS-1-2-2017-01 (by dependency or by name)", async () => {
    await assertNoViolations(
      elbListenerTlsPolicyCurrent,
      tlsStack("ELBSecurityPolicy-TLS-1-2-2017-01").args(),
    );
    await assertNoViolations(
      elbListenerTlsPolicyCurrent,
      tlsStack("ELBSecurityPolicy-TLS-1-2-2017-01", "names").args(),
    );
  });

  it("accepts a listener policy naming the predefined policy directly", async () => {
    const stack = tlsStack(undefined);
    stack.add(T.listenerPolicy, "web-443-tls", {
      loadBalancerName: "MY-ELB",
      loadBalancerPort: 443,
      policyNames: ["ELBSecurityPolicy-TLS-1-2-2017-01"],
    });
    await assertNoViolations(elbListenerTlsPolicyCurrent, stack.args());
  });

  it("flags a listener without a policy, and one naming an older predefined policy directly", async () => {
    await assertViolations(elbListenerTlsPolicyCurrent, tlsStack(undefined).args(), [
      `${TLS_RULE}; it has no listener policy, so the ELB default (which allows TLS 1.0) applies.`,
    ]);
    const stack = tlsStack(undefined);
    stack.add(T.listenerPolicy, "web-443-tls", {
      loadBalancerName: "MY-ELB",
      loadBalancerPort: 443,
      policyNames: ["ELBSecurityPolicy-2016-08"],
    });
    await assertViolations(elbListenerTlsPolicyCurrent, stack.args(), [
      `${TLS_RULE}; its listener policy names an older predefined policy.`,
    ]);
  });

  it("leaves an attached negotiation policy's reference to elb-ssl-negotiation-policy-current", async () => {
    for (const wiring of ["dependencies", "names"] as const) {
      await assertNoViolations(
        elbListenerTlsPolicyCurrent,
        tlsStack("ELBSecurityPolicy-2016-08", wiring).args(),
      );
    }
  });

  it("reports listeners unknown at preview, and a listener whose protocol is unknown", async () => {
    await assertViolations(
      elbListenerTlsPolicyCurrent,
      tlsStack(undefined, "dependencies", { listeners: unknown<[]>() }).args(),
      [
        `Load balancer "web" HTTPS listeners must use a current TLS policy (ELBSecurityPolicy-TLS-1-2-2017-01); cannot be verified at preview: its listeners are unknown.`,
      ],
    );
    const unknownProtocol = {
      listeners: [
        { lbPort: 443, lbProtocol: unknown<string>(), instancePort: 443, instanceProtocol: "HTTPS" },
      ],
    };
    await assertViolations(
      elbListenerTlsPolicyCurrent,
      tlsStack(undefined, "dependencies", unknownProtocol).args(),
      [
        `Load balancer "web" listener on port 443 must, if it is HTTPS or SSL, use a current TLS policy (ELBSecurityPolicy-TLS-1-2-2017-01); cannot be verified at preview: its protocol is unknown and it has no listener policy.`,
      ],
    );
    // Whatever the protocol turns out to be, a current policy is attached: nothing to report.
    await assertNoViolations(
      elbListenerTlsPolicyCurrent,
      tlsStack("ELBSecurityPolicy-TLS-1-2-2017-01", "dependencies", unknownProtocol).args(),
    );
  });

  it("reports a referenced policy unknown at preview", async () => {
    await assertViolations(elbListenerTlsPolicyCurrent, tlsStack(unknown<string>()).args(), [
      `${TLS_RULE}; cannot be verified at preview: its listener or load balancer policies are unknown.`,
    ]);
  });
});

type LbPolicyProps = PropsOf<typeof T.loadBalancerPolicy>;

const negotiation = (reference: string | undefined, extra: Partial<LbPolicyProps> = {}): LbPolicyProps => ({
  loadBalancerName: "MY-ELB",
  policyName: "web-tls",
  policyTypeName: "SSLNegotiationPolicyType",
  policyAttributes: reference === undefined ? [] : [{ name: "Reference-Security-Policy", value: reference }],
  ...extra,
});

const NEGOTIATION = `Load balancer policy "web-tls" must reference a current TLS policy (Reference-Security-Policy ELBSecurityPolicy-TLS-1-2-2017-01)`;

describe("elb-ssl-negotiation-policy-current (advisory, remediable)", () => {
  it("accepts the current predefined policy, and other policy types", async () => {
    await assertNoViolations(
      elbSslNegotiationPolicyCurrent,
      resourceArgs(T.loadBalancerPolicy, negotiation("ELBSecurityPolicy-TLS-1-2-2017-01")),
    );
    await assertNoViolations(
      elbSslNegotiationPolicyCurrent,
      resourceArgs(T.loadBalancerPolicy, {
        loadBalancerName: "MY-ELB",
        policyName: "proxy",
        policyTypeName: "ProxyProtocolPolicyType",
        policyAttributes: [{ name: "ProxyProtocol", value: "true" }],
      }),
    );
  });

  it("flags an older predefined policy and a custom cipher list", async () => {
    await assertViolations(
      elbSslNegotiationPolicyCurrent,
      resourceArgs(T.loadBalancerPolicy, negotiation("ELBSecurityPolicy-2016-08"), { name: "web-tls" }),
      [
        `${NEGOTIATION}; it references "ELBSecurityPolicy-2016-08", which still allows TLS 1.0 or 1.1 or weak ciphers.`,
      ],
    );
    await assertViolations(
      elbSslNegotiationPolicyCurrent,
      resourceArgs(
        T.loadBalancerPolicy,
        negotiation(undefined, { policyAttributes: [{ name: "Protocol-TLSv1.2", value: "true" }] }),
        { name: "web-tls" },
      ),
      [
        `${NEGOTIATION}; it lists its own protocols and ciphers, which nobody keeps current: reference a predefined policy instead.`,
      ],
    );
  });

  it("reports unknown values at preview", async () => {
    await assertViolations(
      elbSslNegotiationPolicyCurrent,
      resourceArgs(T.loadBalancerPolicy, negotiation(unknown<string>()), { name: "web-tls" }),
      [`${NEGOTIATION}; cannot be verified at preview: its Reference-Security-Policy is unknown.`],
    );
    await assertViolations(
      elbSslNegotiationPolicyCurrent,
      resourceArgs(T.loadBalancerPolicy, negotiation("x", { policyTypeName: unknown<string>() }), {
        name: "web-tls",
      }),
      [`${NEGOTIATION}; cannot be verified at preview: policyTypeName is unknown.`],
    );
  });

  it("remediates an older predefined reference, keeping everything else, and nothing else", async () => {
    const remediate = elbSslNegotiationPolicyCurrent.remediateResource!;
    assert.deepEqual(
      await remediate(resourceArgs(T.loadBalancerPolicy, negotiation("ELBSecurityPolicy-2016-08"))),
      negotiation("ELBSecurityPolicy-TLS-1-2-2017-01"),
    );
    for (const props of [
      negotiation("ELBSecurityPolicy-TLS-1-2-2017-01"),
      negotiation(undefined, { policyAttributes: [{ name: "Protocol-TLSv1.2", value: "true" }] }),
      negotiation(unknown<string>()),
      negotiation("ELBSecurityPolicy-2016-08", { policyTypeName: "ProxyProtocolPolicyType" }),
    ]) {
      assert.equal(await remediate(resourceArgs(T.loadBalancerPolicy, props)), undefined);
    }
  });
});

const REDIRECT = (port: number) => `Load balancer "web" HTTP listener on port ${port} must redirect to HTTPS`;
const CLASSIC_ADVICE =
  'A classic load balancer cannot redirect: answer the port on the instances with a 301 to https:// (for example nginx: if ($http_x_forwarded_proto = "http") { return 301 https://$host$request_uri; }) and name the balancer in config redirectingLoadBalancers, or move to an Application Load Balancer, whose HTTP listener can redirect by itself.';

describe("elb-http-listener-redirects-to-https (advisory)", () => {
  it("flags the seed's HTTP listener, saying what a classic load balancer needs instead", async () => {
    await assertViolations(elbHttpListenerRedirectsToHttps, elb({}), [
      `${REDIRECT(80)}; plaintext requests reach the instances. ${CLASSIC_ADVICE}`,
    ]);
    await assertViolations(
      elbHttpListenerRedirectsToHttps,
      elb({ listeners: [{ lbPort: 80, lbProtocol: "HTTP", instancePort: 80, instanceProtocol: "HTTP" }] }),
      [
        `${REDIRECT(80)}; plaintext requests reach the instances, and it has no HTTPS listener to redirect to. ${CLASSIC_ADVICE}`,
      ],
    );
  });

  it("accepts HTTPS-only balancers and those whose instances redirect (config)", async () => {
    await assertNoViolations(
      elbHttpListenerRedirectsToHttps,
      elb({ listeners: SEED_ELB.listeners.slice(0, 1) }),
    );
    for (const name of ["web", "MY-ELB"]) {
      await assertNoViolations(
        elbHttpListenerRedirectsToHttps,
        resourceArgs(T.loadBalancer, SEED_ELB, { name: "web", config: { redirectingLoadBalancers: [name] } }),
      );
    }
  });

  it("accepts an ALB listener that redirects, and flags one that forwards plaintext", async () => {
    const listener = (defaultActions: PropsOf<typeof T.lbListener>["defaultActions"]) =>
      resourceArgs(
        T.lbListener,
        { loadBalancerArn: "arn:aws:elasticloadbalancing:lb", port: 80, protocol: "HTTP", defaultActions },
        { name: "http" },
      );
    await assertNoViolations(
      elbHttpListenerRedirectsToHttps,
      listener([{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]),
    );
    const RULE = `Listener "http" on port 80 must redirect HTTP to HTTPS (defaultActions type "redirect", protocol "HTTPS")`;
    await assertViolations(
      elbHttpListenerRedirectsToHttps,
      listener([{ type: "forward", targetGroupArn: "arn:tg" }]),
      [`${RULE}; it forwards plaintext.`],
    );
    await assertViolations(
      elbHttpListenerRedirectsToHttps,
      listener([{ type: "redirect", redirect: { protocol: unknown<string>(), statusCode: "HTTP_301" } }]),
      [`${RULE}; cannot be verified at preview: its redirect protocol is unknown.`],
    );
  });

  it("reports unknown listeners and protocols at preview", async () => {
    await assertViolations(elbHttpListenerRedirectsToHttps, elb({ listeners: unknown<[]>() }), [
      `Load balancer "web" HTTP listeners must redirect to HTTPS; cannot be verified at preview: its listeners are unknown.`,
    ]);
    await assertViolations(
      elbHttpListenerRedirectsToHttps,
      elb({
        listeners: [
          { lbPort: 80, lbProtocol: unknown<string>(), instancePort: 80, instanceProtocol: "HTTP" },
        ],
      }),
      [`${REDIRECT(80)}; cannot be verified at preview: its protocol is unknown.`],
    );
  });
});

const LOGS = `Load balancer "web" must write access logs (accessLogs.bucket, enabled)`;

describe("elb-access-logs-enabled (advisory)", () => {
  it("accepts a log bucket, even one being created", async () => {
    await assertNoViolations(elbAccessLogsEnabled, elb({}));
    await assertNoViolations(elbAccessLogsEnabled, elb({ accessLogs: { bucket: unknown<string>() } }));
  });

  it("flags missing or disabled logs", async () => {
    await assertViolations(elbAccessLogsEnabled, elb({ accessLogs: undefined }), [
      `${LOGS}; it has no access log bucket.`,
    ]);
    await assertViolations(elbAccessLogsEnabled, elb({ accessLogs: { bucket: "logs", enabled: false } }), [
      `${LOGS}; it has accessLogs.enabled false.`,
    ]);
  });

  it("reports unknown log settings at preview", async () => {
    await assertViolations(
      elbAccessLogsEnabled,
      elb({ accessLogs: { bucket: "logs", enabled: unknown<boolean>() } }),
      [`${LOGS}; cannot be verified at preview: accessLogs is unknown.`],
    );
  });
});

describe("elb-cross-zone-enabled (advisory)", () => {
  it("accepts true and unset (the provider defaults to true)", async () => {
    await assertNoViolations(elbCrossZoneEnabled, elb({}));
    await assertNoViolations(elbCrossZoneEnabled, elb({ crossZoneLoadBalancing: undefined }));
  });

  it("flags false", async () => {
    await assertViolations(elbCrossZoneEnabled, elb({ crossZoneLoadBalancing: false }), [
      `Load balancer "web" must enable crossZoneLoadBalancing; it is false.`,
    ]);
  });

  it("reports unknown at preview", async () => {
    await assertViolations(elbCrossZoneEnabled, elb({ crossZoneLoadBalancing: unknown<boolean>() }), [
      `Load balancer "web" must enable crossZoneLoadBalancing; cannot be verified at preview: it is unknown.`,
    ]);
  });
});
