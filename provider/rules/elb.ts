/**
 * Classic load balancers, their policies and listener policies.
 *
 * Sources: terraform-provider-aws internal/service/elb/validate.go (validName, validNamePrefix),
 * load_balancer.go (listener ports 1-65535 and protocols, health check ranges and
 * ValidHeathCheckTarget, idle_timeout 1-4000, ValidAccessLogsInterval), policy.go (the resource id is
 * `<load balancer>:<policy>`, split on ":"), listener_policy.go; AWS Elastic Load Balancing API
 * ConfigureHealthCheck, ModifyLoadBalancerAttributes (ConnectionDraining Timeout 1-3600),
 * CreateLoadBalancerListeners (an HTTPS/SSL listener needs a certificate).
 */
import { intBetween, ProviderRule, q, stringInSlice, validARN, when } from "./kit";
import { TYPES } from "../types";

const ELB = "terraform-provider-aws internal/service/elb";

/** The classic ELB name limit (validName). */
export const ELB_NAME_MAX = 32;

const elbName = (x: unknown): string | undefined => {
  if (typeof x !== "string" || x === "") return undefined;
  if (x.length > ELB_NAME_MAX) return `"name" cannot be longer than 32 characters: ${q(x)}`;
  if (!/^[0-9A-Za-z-]+$/.test(x))
    return `only alphanumeric characters and hyphens allowed in "name": ${q(x)}`;
  if (x.startsWith("-")) return `"name" cannot begin with a hyphen: ${q(x)}`;
  if (x.endsWith("-")) return `"name" cannot end with a hyphen: ${q(x)}`;
  return undefined;
};

const healthTarget = (x: unknown): string | undefined => {
  if (typeof x !== "string") return undefined;
  const m = /^(\w+):(\d+)(.+)?$/.exec(x);
  if (!m) return `"health_check.0.target" contains an invalid Health Check: ${x}`;
  const [, protocol, portText, path] = m as unknown as [string, string, string, string | undefined];
  if (!["http", "https", "ssl", "tcp"].includes(protocol.toLowerCase()))
    return `"health_check.0.target" contains an invalid Health Check protocol ${q(protocol)}. Valid protocols are either "TCP", "SSL", "HTTP", or "HTTPS".`;
  const port = Number(portText);
  if (port < 1 || port > 65535)
    return `"health_check.0.target" contains an invalid Health Check target port "${port}". Valid port is in the range from 1 to 65535 inclusive.`;
  const p = protocol.toLowerCase();
  if ((p === "tcp" || p === "ssl") && path !== undefined)
    return `"health_check.0.target" cannot contain a path in the Health Check target: ${x}`;
  if ((p === "http" || p === "https") && path === undefined)
    return `"health_check.0.target" must contain a path in the Health Check target: ${x}`;
  if (path !== undefined && [...path].length > 1024)
    return `"health_check.0.target" cannot contain a path longer than 1024 characters in the Health Check target: ${x}`;
  return undefined;
};

const PROTOCOLS = ["HTTP", "HTTPS", "SSL", "TCP"];
const port = (property: string, k: string, id: string): ProviderRule => ({
  id,
  property,
  stage: "preview",
  source: `${ELB}/load_balancer.go (${k}: validation.IntBetween(1, 65535))`,
  check: intBetween(k, 1, 65535),
  examples: {
    pass: [{ value: 443 }],
    fail: [{ value: 70000, message: `expected ${k} to be in the range (1 - 65535), got 70000` }],
  },
});
const protocol = (property: string, k: string, id: string): ProviderRule => ({
  id,
  property,
  stage: "preview",
  source: `${ELB}/load_balancer.go (validateListenerProtocol: HTTP, HTTPS, SSL, TCP, any case)`,
  check: stringInSlice(k, PROTOCOLS, true),
  examples: {
    pass: [{ value: "HTTPS" }, { value: "tcp" }],
    fail: [{ value: "UDP", message: `expected ${k} to be one of ["HTTP" "HTTPS" "SSL" "TCP"], got UDP` }],
  },
});
const range = (
  property: string,
  k: string,
  min: number,
  max: number,
  id: string,
  ok: number,
): ProviderRule => ({
  id,
  property,
  stage: "preview",
  source: `${ELB}/load_balancer.go (${k}: validation.IntBetween(${min}, ${max}))`,
  check: intBetween(k, min, max),
  examples: {
    pass: [{ value: ok }],
    fail: [{ value: max + 1, message: `expected ${k} to be in the range (${min} - ${max}), got ${max + 1}` }],
  },
});

export const ELB_RULES: Readonly<Record<string, readonly ProviderRule[]>> = {
  [TYPES.elb.LoadBalancer]: [
    {
      id: "elb-name",
      property: "name",
      stage: "preview",
      source: `${ELB}/validate.go (validName: at most 32 letters, digits and hyphens, no hyphen first or last)`,
      check: elbName,
      examples: {
        pass: [{ value: "MY-ELB-1a2b3c4" }],
        fail: [
          {
            value: "MY-VERY-LONG-LOAD-BALANCER-NAME-1a2b3c4",
            message: `"name" cannot be longer than 32 characters: "MY-VERY-LONG-LOAD-BALANCER-NAME-1a2b3c4"`,
          },
          {
            value: "MY_ELB",
            message: `only alphanumeric characters and hyphens allowed in "name": "MY_ELB"`,
          },
          { value: "MY-ELB-", message: `"name" cannot end with a hyphen: "MY-ELB-"` },
          { value: "-MY-ELB", message: `"name" cannot begin with a hyphen: "-MY-ELB"` },
        ],
      },
    },
    {
      id: "elb-name-prefix",
      property: "namePrefix",
      stage: "preview",
      source: `${ELB}/validate.go (validNamePrefix: at most 6 letters, digits and hyphens)`,
      check: (x) =>
        typeof x !== "string"
          ? undefined
          : x.length > 6
            ? `"name_prefix" cannot be longer than 6 characters: ${q(x)}`
            : undefined,
      examples: {
        pass: [{ value: "web-" }],
        fail: [
          { value: "webhost-", message: `"name_prefix" cannot be longer than 6 characters: "webhost-"` },
        ],
      },
    },
    port("listeners[].lbPort", "lb_port", "elb-listener-lb-port"),
    port("listeners[].instancePort", "instance_port", "elb-listener-instance-port"),
    protocol("listeners[].lbProtocol", "lb_protocol", "elb-listener-lb-protocol"),
    protocol("listeners[].instanceProtocol", "instance_protocol", "elb-listener-instance-protocol"),
    {
      id: "elb-listener-certificate",
      property: "listeners[].lbProtocol",
      stage: "apply",
      source:
        "AWS Elastic Load Balancing API CreateLoadBalancerListeners (HTTPS and SSL listeners need SSLCertificateId)",
      check: when(
        (x, _i, l) =>
          typeof x === "string" && ["https", "ssl"].includes(x.toLowerCase()) && !l.sslCertificateId,
        (x, _i, l) =>
          `AWS refuses an ${String(x).toUpperCase()} listener on port ${String(l.lbPort)} without a certificate`,
      ),
      examples: {
        pass: [
          {
            value: "HTTPS",
            parent: { lbPort: 443, sslCertificateId: "arn:aws:iam::123456789012:server-certificate/c" },
          },
        ],
        fail: [
          {
            value: "HTTPS",
            parent: { lbPort: 443 },
            message: "AWS refuses an HTTPS listener on port 443 without a certificate",
          },
        ],
      },
    },
    {
      id: "elb-listener-certificate-arn",
      property: "listeners[].sslCertificateId",
      stage: "preview",
      source: `${ELB}/load_balancer.go (ssl_certificate_id: verify.ValidARN)`,
      check: validARN("ssl_certificate_id"),
      examples: {
        pass: [{ value: "arn:aws:acm:us-east-1:123456789012:certificate/abc" }],
        fail: [
          {
            value: "my-certificate",
            message: `"ssl_certificate_id" (my-certificate) is an invalid ARN: arn: invalid prefix`,
          },
        ],
      },
    },
    {
      id: "elb-health-check-target",
      property: "healthCheck.target",
      stage: "preview",
      source: `${ELB}/load_balancer.go (ValidHeathCheckTarget)`,
      check: healthTarget,
      examples: {
        pass: [{ value: "HTTPS:443/check.html" }, { value: "TCP:22" }],
        fail: [
          {
            value: "HTTP:80",
            message: `"health_check.0.target" must contain a path in the Health Check target: HTTP:80`,
          },
          {
            value: "TCP:22/x",
            message: `"health_check.0.target" cannot contain a path in the Health Check target: TCP:22/x`,
          },
          {
            value: "UDP:53",
            message: `"health_check.0.target" contains an invalid Health Check protocol "UDP". Valid protocols are either "TCP", "SSL", "HTTP", or "HTTPS".`,
          },
          {
            value: "check.html",
            message: `"health_check.0.target" contains an invalid Health Check: check.html`,
          },
        ],
      },
    },
    range("healthCheck.interval", "interval", 5, 300, "elb-health-check-interval", 30),
    range("healthCheck.timeout", "timeout", 2, 60, "elb-health-check-timeout", 5),
    range("healthCheck.healthyThreshold", "healthy_threshold", 2, 10, "elb-health-check-healthy", 10),
    range("healthCheck.unhealthyThreshold", "unhealthy_threshold", 2, 10, "elb-health-check-unhealthy", 2),
    range("idleTimeout", "idle_timeout", 1, 4000, "elb-idle-timeout", 60),
    {
      id: "elb-connection-draining-timeout",
      property: "connectionDrainingTimeout",
      stage: "apply",
      source:
        "AWS Elastic Load Balancing API ModifyLoadBalancerAttributes (ConnectionDraining.Timeout 1-3600)",
      check: when(
        (x) => typeof x === "number" && (x < 1 || x > 3600),
        (x) => `AWS refuses a connection draining timeout of ${String(x)} s: 1-3600`,
      ),
      examples: {
        pass: [{ value: 300 }],
        fail: [{ value: 7200, message: "AWS refuses a connection draining timeout of 7200 s: 1-3600" }],
      },
    },
    {
      id: "elb-access-logs-interval",
      property: "accessLogs.interval",
      stage: "preview",
      source: `${ELB}/load_balancer.go (ValidAccessLogsInterval: 5 or 60)`,
      check: (x) =>
        typeof x === "number" && x !== 5 && x !== 60
          ? `"interval" contains an invalid Access Logs interval "${x}". Valid intervals are either 5 or 60 (minutes).`
          : undefined,
      examples: {
        pass: [{ value: 60 }],
        fail: [
          {
            value: 10,
            message: `"interval" contains an invalid Access Logs interval "10". Valid intervals are either 5 or 60 (minutes).`,
          },
        ],
      },
    },
  ],
  [TYPES.elb.LoadBalancerPolicy]: [
    {
      id: "elb-policy-name",
      property: "policyName",
      stage: "apply",
      source: `${ELB}/policy.go (the id is "<load balancer>:<policy>" and PolicyParseResourceID splits it on ":")`,
      check: when(
        (x) => typeof x === "string" && (x === "" || x.includes(":")),
        (x) =>
          `the provider cannot track policy ${q(String(x))}: a policy name must be non-empty and free of ":" (its id is "<load balancer>:<policy>")`,
      ),
      examples: {
        pass: [{ value: "MY-ELB-tls" }],
        fail: [
          {
            value: "tls:2017",
            message:
              'the provider cannot track policy "tls:2017": a policy name must be non-empty and free of ":" (its id is "<load balancer>:<policy>")',
          },
        ],
      },
    },
  ],
  [TYPES.elb.ListenerPolicy]: [
    {
      id: "elb-listener-policy-port",
      property: "loadBalancerPort",
      stage: "apply",
      source: "AWS Elastic Load Balancing API SetLoadBalancerPoliciesOfListener (LoadBalancerPort 1-65535)",
      check: when(
        (x) => typeof x === "number" && (x < 1 || x > 65535),
        (x) => `AWS refuses listener port ${String(x)}: 1-65535`,
      ),
      examples: {
        pass: [{ value: 443 }],
        fail: [{ value: 0, message: "AWS refuses listener port 0: 1-65535" }],
      },
    },
  ],
};
