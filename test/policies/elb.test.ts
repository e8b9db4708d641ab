import { PolicyResource } from "@pulumi/policy";
import {
  elbAccessLogsEnabled,
  elbCrossZoneEnabled,
  elbHttpsListenerCertificate,
  elbListenerTlsPolicyCurrent,
} from "../../policies/elb";
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

  it("flags a listener without a policy and one on an older policy", async () => {
    await assertViolations(elbListenerTlsPolicyCurrent, tlsStack(undefined).args(), [
      `${TLS_RULE}; it has no listener policy, so the ELB default (which allows TLS 1.0) applies.`,
    ]);
    await assertViolations(
      elbListenerTlsPolicyCurrent,
      tlsStack("ELBSecurityPolicy-2016-08", "names").args(),
      [`${TLS_RULE}; its listener policy references an older or custom policy.`],
    );
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
