/**
 * Application Load Balancers (ELBv2): load balancers, target groups and listeners.
 *
 * Sources: terraform-provider-aws internal/service/elbv2/validate.go (validName, validNamePrefix,
 * validTargetGroupName, validTargetGroupNamePrefix), load_balancer.go (load_balancer_type enum),
 * target_group.go (port IntBetween(1, 65535), protocol enum.Validate[ProtocolEnum],
 * deregistration_delay 0-3600, health_check: healthy/unhealthy_threshold IntBetween(2, 10),
 * interval IntBetween(5, 300), timeout IntBetween(2, 120), path StringLenBetween(1, 1024) and
 * StringHasPrefix("/"), port validTargetGroupHealthCheckPort, protocol HTTP/HTTPS/TCP any case;
 * resourceTargetGroupCustomizeDiff: no TCP health check on an HTTP/HTTPS target group),
 * consts.go (load_balancing_cross_zone_enabled values), listener.go (port IsPortNumber, protocol
 * enum, certificate_arn ValidARN, default_action type enum, redirect protocol and status_code);
 * AWS Elastic Load Balancing v2 API: CreateLoadBalancer (an Application Load Balancer needs subnets
 * in at least two Availability Zones), CreateListener (an HTTPS listener needs a certificate),
 * CreateTargetGroup (the health check timeout must be smaller than the interval; ALB matcher codes
 * 200-499), ModifyLoadBalancerAttributes (idle_timeout.timeout_seconds 1-4000); ELB User Guide,
 * "Access logs for your Application Load Balancer" (the prefix must not include AWSLogs).
 */
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { all, intBetween, ProviderRule, q, stringInSlice, validARN, when } from "./kit";
import { TYPES } from "../types";

const TF = "terraform-provider-aws internal/service/elbv2";
const API = "AWS Elastic Load Balancing v2 API";

/** ELBv2 load balancer and target group names (validName, validTargetGroupName). */
export const LB_NAME_MAX = 32;

const lbName = (x: unknown): string | undefined => {
  if (typeof x !== "string" || x === "") return undefined;
  const k = q("name");
  if (x.length > LB_NAME_MAX) return `${k} cannot be longer than 32 characters: ${q(x)}`;
  if (!/^[0-9A-Za-z-]+$/.test(x)) return `only alphanumeric characters and hyphens allowed in ${k}: ${q(x)}`;
  if (x.startsWith("-")) return `${k} cannot begin with a hyphen: ${q(x)}`;
  if (x.endsWith("-")) return `${k} cannot end with a hyphen: ${q(x)}`;
  if (x.startsWith("internal-")) return `${k} cannot begin with "internal-": ${q(x)}`;
  return undefined;
};

const targetGroupName = (x: unknown): string | undefined => {
  if (typeof x !== "string") return undefined;
  const k = q("name");
  if (x.length > LB_NAME_MAX) return `${k} cannot be longer than 32 characters`;
  if (!/^[0-9A-Za-z-]+$/.test(x)) return `only alphanumeric characters and hyphens allowed in ${k}`;
  if (x.startsWith("-")) return `${k} cannot begin with a hyphen`;
  if (x.endsWith("-")) return `${k} cannot end with a hyphen`;
  return undefined;
};

const namePrefix = (max: number, internal: boolean) => (x: unknown) => {
  if (typeof x !== "string") return undefined;
  const k = q("name_prefix");
  if (!/^[0-9A-Za-z-]+$/.test(x)) return `only alphanumeric characters and hyphens allowed in ${k}: ${q(x)}`;
  if (x.length > max) return `${k} cannot be longer than ${max} characters${internal ? `: ${q(x)}` : ""}`;
  if (x.startsWith("-")) return `${k} cannot begin with a hyphen: ${q(x)}`;
  if (internal && x.startsWith("internal-")) return `${k} cannot begin with "internal-": ${q(x)}`;
  return undefined;
};

/** ProtocolEnum of the ELBv2 API (aws-sdk-go-v2 elasticloadbalancingv2/types). */
const PROTOCOLS = ["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE", "QUIC", "TCP_QUIC"];
/** ActionTypeEnum. */
const ACTION_TYPES = [
  "forward",
  "authenticate-oidc",
  "authenticate-cognito",
  "redirect",
  "fixed-response",
  "jwt-validation",
];

const range = (
  property: string,
  k: string,
  min: number,
  max: number,
  id: string,
  ok: number,
  source: string,
): ProviderRule => ({
  id,
  property,
  stage: "preview",
  source: `${TF}/${source} (${k.split(".").pop()}: validation.IntBetween(${min}, ${max}))`,
  check: intBetween(k, min, max),
  examples: {
    pass: [{ value: ok }],
    fail: [{ value: max + 1, message: `expected ${k} to be in the range (${min} - ${max}), got ${max + 1}` }],
  },
});

/** Health check settings of a target group. */
const healthCheck: ProviderRule[] = [
  range(
    "healthCheck.healthyThreshold",
    "health_check.0.healthy_threshold",
    2,
    10,
    "lb-target-group-healthy-threshold",
    10,
    "target_group.go",
  ),
  range(
    "healthCheck.unhealthyThreshold",
    "health_check.0.unhealthy_threshold",
    2,
    10,
    "lb-target-group-unhealthy-threshold",
    2,
    "target_group.go",
  ),
  range(
    "healthCheck.interval",
    "health_check.0.interval",
    5,
    300,
    "lb-target-group-interval",
    30,
    "target_group.go",
  ),
  range(
    "healthCheck.timeout",
    "health_check.0.timeout",
    2,
    120,
    "lb-target-group-timeout",
    5,
    "target_group.go",
  ),
  {
    id: "lb-target-group-health-path",
    property: "healthCheck.path",
    stage: "preview",
    source: `${TF}/target_group.go (path: StringLenBetween(1, 1024), verify.StringHasPrefix("/"))`,
    check: (x) =>
      typeof x !== "string"
        ? undefined
        : x.length < 1 || x.length > 1024
          ? `expected length of health_check.0.path to be in the range (1 - 1024), got ${x}`
          : !x.startsWith("/")
            ? `expected value of health_check.0.path to have prefix ${q("/")}, got ${x}`
            : undefined,
    examples: {
      pass: [{ value: "/check.html" }],
      fail: [
        {
          value: "check.html",
          message: `expected value of health_check.0.path to have prefix "/", got check.html`,
        },
      ],
    },
  },
  {
    id: "lb-target-group-health-port",
    property: "healthCheck.port",
    stage: "preview",
    source: `${TF}/target_group.go (validTargetGroupHealthCheckPort: "traffic-port" or 1-65536)`,
    check: (x) => {
      if (typeof x !== "string" || x === "traffic-port") return undefined;
      const n = /^[0-9]+$/.test(x) ? Number(x) : NaN;
      return Number.isInteger(n) && n >= 1 && n <= 65536
        ? undefined
        : `"health_check.0.port" must be a valid port number (1-65536) or "traffic-port"`;
    },
    examples: {
      pass: [{ value: "443" }, { value: "traffic-port" }],
      fail: [
        {
          value: "https",
          message: `"health_check.0.port" must be a valid port number (1-65536) or "traffic-port"`,
        },
      ],
    },
  },
  {
    id: "lb-target-group-health-protocol",
    property: "healthCheck.protocol",
    stage: "preview",
    source: `${TF}/target_group.go (health_check protocol: StringInSlice(HTTP, HTTPS, TCP), any case; resourceTargetGroupCustomizeDiff: not TCP on an HTTP/HTTPS target group)`,
    check: (x, inputs) => {
      const bad = stringInSlice("health_check.0.protocol", ["HTTP", "HTTPS", "TCP"], true)(x, inputs, inputs);
      if (bad !== undefined) return bad;
      const tg = typeof inputs.protocol === "string" ? inputs.protocol.toUpperCase() : undefined;
      return String(x).toUpperCase() === "TCP" && (tg === "HTTP" || tg === "HTTPS")
        ? `Attribute "health_check[0].protocol" cannot have value "TCP" when "protocol" is ${q(tg)}.`
        : undefined;
    },
    examples: {
      pass: [{ value: "HTTPS", inputs: { protocol: "HTTPS" } }],
      fail: [
        {
          value: "TCP",
          inputs: { protocol: "HTTPS" },
          message: `Attribute "health_check[0].protocol" cannot have value "TCP" when "protocol" is "HTTPS".`,
        },
        {
          value: "SSL",
          inputs: { protocol: "HTTPS" },
          message: `expected health_check.0.protocol to be one of ["HTTP" "HTTPS" "TCP"], got SSL`,
        },
      ],
    },
  },
  {
    id: "lb-target-group-health-timeout-below-interval",
    property: "healthCheck.timeout",
    stage: "apply",
    source: `${API} CreateTargetGroup (HealthCheckTimeoutSeconds must be smaller than HealthCheckIntervalSeconds)`,
    check: when(
      (x, _i, hc) => typeof x === "number" && typeof hc.interval === "number" && x >= hc.interval,
      (x, _i, hc) =>
        `AWS refuses a health check timeout of ${String(x)} s with an interval of ${String(hc.interval)} s: the timeout must be smaller`,
    ),
    examples: {
      pass: [{ value: 5, parent: { interval: 30 } }],
      fail: [
        {
          value: 30,
          parent: { interval: 30 },
          message:
            "AWS refuses a health check timeout of 30 s with an interval of 30 s: the timeout must be smaller",
        },
      ],
    },
  },
  {
    id: "lb-target-group-health-matcher",
    property: "healthCheck.matcher",
    stage: "apply",
    source: `${API} CreateTargetGroup (Matcher HttpCode: for an Application Load Balancer 200-499, single codes, lists or ranges)`,
    check: (x, inputs) => {
      if (typeof x !== "string" || x === "") return undefined;
      const tg = typeof inputs.protocol === "string" ? inputs.protocol.toUpperCase() : undefined;
      if (tg !== "HTTP" && tg !== "HTTPS") return undefined;
      const ok =
        /^[0-9]{3}(-[0-9]{3})?(,[0-9]{3}(-[0-9]{3})?)*$/.test(x) &&
        x.split(/[,-]/).every((c) => Number(c) >= 200 && Number(c) <= 499);
      return ok
        ? undefined
        : `AWS refuses the health check matcher ${q(x)}: HTTP codes 200-499, like "200", "200,202" or "200-299"`;
    },
    examples: {
      pass: [
        { value: "200", inputs: { protocol: "HTTPS" } },
        { value: "200-399", inputs: { protocol: "HTTP" } },
      ],
      fail: [
        {
          value: "500",
          inputs: { protocol: "HTTP" },
          message: `AWS refuses the health check matcher "500": HTTP codes 200-499, like "200", "200,202" or "200-299"`,
        },
      ],
    },
  },
];

export const LB_RULES: Readonly<Record<string, readonly ProviderRule[]>> = {
  [TYPES.lb.LoadBalancer]: [
    {
      id: "lb-name",
      property: "name",
      stage: "preview",
      source: `${TF}/validate.go (validName: at most 32 letters, digits and hyphens, no hyphen first or last, not "internal-" first)`,
      check: lbName,
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
          {
            value: "internal-web-1a2b3c4",
            message: `"name" cannot begin with "internal-": "internal-web-1a2b3c4"`,
          },
        ],
      },
    },
    {
      id: "lb-name-prefix",
      property: "namePrefix",
      stage: "preview",
      source: `${TF}/validate.go (validNamePrefix: at most 6 letters, digits and hyphens)`,
      check: namePrefix(6, true),
      examples: {
        pass: [{ value: "web-" }],
        fail: [
          { value: "webhost-", message: `"name_prefix" cannot be longer than 6 characters: "webhost-"` },
        ],
      },
    },
    {
      id: "lb-type",
      property: "loadBalancerType",
      stage: "preview",
      source: `${TF}/load_balancer.go (load_balancer_type: enum.Validate[LoadBalancerTypeEnum])`,
      check: stringInSlice("load_balancer_type", ["application", "network", "gateway"]),
      examples: {
        pass: [{ value: "application" }],
        fail: [
          {
            value: "classic",
            message: `expected load_balancer_type to be one of ["application" "network" "gateway"], got classic`,
          },
        ],
      },
    },
    {
      id: "lb-application-subnets",
      property: "subnets",
      stage: "apply",
      source: `${API} CreateLoadBalancer (an Application Load Balancer needs subnets from at least two Availability Zones)`,
      allowUnknown: true,
      // Unknown ids (subnets the stack creates) are distinct subnets unless the list is too short.
      check: when(
        (x, i) =>
          Array.isArray(x) &&
          (i.loadBalancerType === undefined || i.loadBalancerType === "application") &&
          (x.some((e) => e === unknownValue) ? x.length < 2 : new Set(x).size < 2),
        (x) =>
          `AWS refuses an Application Load Balancer in ${new Set(x as unknown[]).size} subnet(s): it needs subnets in at least two Availability Zones`,
      ),
      examples: {
        pass: [
          { value: ["subnet-0a1b2c31", "subnet-0a1b2c32"], inputs: { loadBalancerType: "application" } },
        ],
        fail: [
          {
            value: ["subnet-0a1b2c31"],
            inputs: { loadBalancerType: "application" },
            message:
              "AWS refuses an Application Load Balancer in 1 subnet(s): it needs subnets in at least two Availability Zones",
          },
        ],
      },
    },
    {
      id: "lb-idle-timeout",
      property: "idleTimeout",
      stage: "apply",
      source: `${API} ModifyLoadBalancerAttributes (idle_timeout.timeout_seconds 1-4000)`,
      check: when(
        (x) => typeof x === "number" && (x < 1 || x > 4000),
        (x) => `AWS refuses an idle timeout of ${String(x)} s: 1-4000`,
      ),
      examples: {
        pass: [{ value: 60 }],
        fail: [{ value: 4001, message: "AWS refuses an idle timeout of 4001 s: 1-4000" }],
      },
    },
    {
      id: "lb-access-logs-prefix",
      property: "accessLogs.prefix",
      stage: "apply",
      source: `ELB User Guide, "Access logs for your Application Load Balancer" (the prefix must not include AWSLogs)`,
      check: when(
        (x) => typeof x === "string" && x.includes("AWSLogs"),
        (x) => `AWS refuses the access log prefix ${q(String(x))}: it must not include "AWSLogs"`,
      ),
      examples: {
        pass: [{ value: "web/prod" }],
        fail: [
          {
            value: "AWSLogs/web",
            message: `AWS refuses the access log prefix "AWSLogs/web": it must not include "AWSLogs"`,
          },
        ],
      },
    },
  ],
  [TYPES.lb.TargetGroup]: [
    {
      id: "lb-target-group-name",
      property: "name",
      stage: "preview",
      source: `${TF}/validate.go (validTargetGroupName: at most 32 letters, digits and hyphens, no hyphen first or last)`,
      check: targetGroupName,
      examples: {
        pass: [{ value: "MY-ELB-443-1a2b3c4" }],
        fail: [
          {
            value: "a-very-long-load-balancer-443-1a2b3c4",
            message: `"name" cannot be longer than 32 characters`,
          },
          { value: "MY_ELB-443", message: `only alphanumeric characters and hyphens allowed in "name"` },
          { value: "-MY-ELB-443", message: `"name" cannot begin with a hyphen` },
        ],
      },
    },
    {
      id: "lb-target-group-name-prefix",
      property: "namePrefix",
      stage: "preview",
      source: `${TF}/validate.go (validTargetGroupNamePrefix: at most 32 - 26 = 6 characters)`,
      check: namePrefix(6, false),
      examples: {
        pass: [{ value: "web-" }],
        fail: [{ value: "webhost-", message: `"name_prefix" cannot be longer than 6 characters` }],
      },
    },
    range("port", "port", 1, 65535, "lb-target-group-port", 443, "target_group.go"),
    {
      id: "lb-target-group-protocol",
      property: "protocol",
      stage: "preview",
      source: `${TF}/target_group.go (protocol: enum.Validate[ProtocolEnum])`,
      check: stringInSlice("protocol", PROTOCOLS),
      examples: {
        pass: [{ value: "HTTPS" }],
        fail: [
          {
            value: "SSL",
            message: `expected protocol to be one of ["HTTP" "HTTPS" "TCP" "TLS" "UDP" "TCP_UDP" "GENEVE" "QUIC" "TCP_QUIC"], got SSL`,
          },
        ],
      },
    },
    range(
      "deregistrationDelay",
      "deregistration_delay",
      0,
      3600,
      "lb-target-group-deregistration-delay",
      300,
      "target_group.go",
    ),
    {
      id: "lb-target-group-cross-zone",
      property: "loadBalancingCrossZoneEnabled",
      stage: "preview",
      source: `${TF}/target_group.go, consts.go (load_balancing_cross_zone_enabled: StringInSlice(true, false, use_load_balancer_configuration))`,
      check: stringInSlice("load_balancing_cross_zone_enabled", [
        "true",
        "false",
        "use_load_balancer_configuration",
      ]),
      examples: {
        pass: [{ value: "false" }],
        fail: [
          {
            value: "off",
            message: `expected load_balancing_cross_zone_enabled to be one of ["true" "false" "use_load_balancer_configuration"], got off`,
          },
        ],
      },
    },
    ...healthCheck,
  ],
  [TYPES.lb.Listener]: [
    {
      id: "lb-listener-port",
      property: "port",
      stage: "preview",
      source: `${TF}/listener.go (port: validation.IsPortNumber)`,
      check: (x) =>
        typeof x === "number" && (!Number.isInteger(x) || x < 1 || x > 65535)
          ? `expected port to be a valid port number, got: ${x}`
          : undefined,
      examples: {
        pass: [{ value: 443 }],
        fail: [{ value: 0, message: "expected port to be a valid port number, got: 0" }],
      },
    },
    {
      id: "lb-listener-protocol",
      property: "protocol",
      stage: "preview",
      source: `${TF}/listener.go (protocol: StringInSlice(ProtocolEnum, any case))`,
      check: stringInSlice("protocol", PROTOCOLS, true),
      examples: {
        pass: [{ value: "https" }],
        fail: [
          {
            value: "SSL",
            message: `expected protocol to be one of ["HTTP" "HTTPS" "TCP" "TLS" "UDP" "TCP_UDP" "GENEVE" "QUIC" "TCP_QUIC"], got SSL`,
          },
        ],
      },
    },
    {
      id: "lb-listener-certificate-arn",
      property: "certificateArn",
      stage: "preview",
      source: `${TF}/listener.go (certificate_arn: verify.ValidARN)`,
      check: validARN("certificate_arn"),
      examples: {
        pass: [{ value: "arn:aws:acm:us-east-1:123456789012:certificate/abc" }],
        fail: [
          {
            value: "my-certificate",
            message: `"certificate_arn" (my-certificate) is an invalid ARN: arn: invalid prefix`,
          },
        ],
      },
    },
    {
      id: "lb-listener-https-certificate",
      property: "protocol",
      stage: "apply",
      source: `${API} CreateListener (an HTTPS or TLS listener needs exactly one default certificate)`,
      check: when(
        (x, i) => typeof x === "string" && ["HTTPS", "TLS"].includes(x.toUpperCase()) && !i.certificateArn,
        (x, i) =>
          `AWS refuses an ${String(x).toUpperCase()} listener on port ${String(i.port)} without a certificate`,
      ),
      examples: {
        pass: [
          {
            value: "HTTPS",
            inputs: { port: 443, certificateArn: "arn:aws:iam::123456789012:server-certificate/c" },
          },
        ],
        fail: [
          {
            value: "HTTPS",
            inputs: { port: 443 },
            message: "AWS refuses an HTTPS listener on port 443 without a certificate",
          },
        ],
      },
    },
    {
      id: "lb-listener-action-type",
      property: "defaultActions[].type",
      stage: "preview",
      source: `${TF}/listener.go (default_action type: StringInSlice(ActionTypeEnum, any case))`,
      check: stringInSlice("default_action.0.type", ACTION_TYPES, true),
      examples: {
        pass: [{ value: "redirect" }],
        fail: [
          {
            value: "rewrite",
            message: `expected default_action.0.type to be one of ["forward" "authenticate-oidc" "authenticate-cognito" "redirect" "fixed-response" "jwt-validation"], got rewrite`,
          },
        ],
      },
    },
    {
      id: "lb-listener-redirect",
      property: "defaultActions[].redirect",
      stage: "preview",
      source: `${TF}/listener.go (redirect: status_code Required, HTTP_301 or HTTP_302; protocol "#{protocol}", HTTP or HTTPS)`,
      check: all(
        (x) =>
          x !== null && typeof x === "object" && (x as { statusCode?: unknown }).statusCode === undefined
            ? `The argument "default_action.0.redirect.0.status_code" is required, but no definition was found.`
            : undefined,
        (x) =>
          stringInSlice("default_action.0.redirect.0.status_code", ["HTTP_301", "HTTP_302"])(
            (x as { statusCode?: unknown }).statusCode ?? "HTTP_301",
            {},
            {},
          ),
        (x) => {
          const p = (x as { protocol?: unknown }).protocol;
          return p === undefined
            ? undefined
            : stringInSlice("default_action.0.redirect.0.protocol", ["#{protocol}", "HTTP", "HTTPS"])(
                p,
                {},
                {},
              );
        },
      ),
      examples: {
        pass: [{ value: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
        fail: [
          {
            value: { protocol: "HTTPS", statusCode: "301" },
            message: `expected default_action.0.redirect.0.status_code to be one of ["HTTP_301" "HTTP_302"], got 301`,
          },
          {
            value: { protocol: "https", statusCode: "HTTP_301" },
            message: `expected default_action.0.redirect.0.protocol to be one of ["#{protocol}" "HTTP" "HTTPS"], got https`,
          },
          {
            value: { protocol: "HTTPS" },
            message: `The argument "default_action.0.redirect.0.status_code" is required, but no definition was found.`,
          },
        ],
      },
    },
  ],
};
