// Application Load Balancer policies (advisory): a current TLS 1.3 policy on every HTTPS listener,
// invalid header fields dropped, access logs, deletion protection, and targets that only the ALB
// reaches. HTTP listeners redirecting to HTTPS is elb-http-listener-redirects-to-https (elb.ts),
// which judges ALB listeners too.

import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { launchTemplatesOf } from "./launchTemplates";
import { T } from "./types";
import { field, isUnknown, plain, show } from "./values";

const LB = "aws:lb/loadBalancer:LoadBalancer";
const ALB_LB = "aws:alb/loadBalancer:LoadBalancer";
const LISTENERS = new Set<string>([T.lbListener, T.albListener]);

/**
 * AWS's recommended ALB policy (ELB User Guide, "Security policies for your Application Load
 * Balancer", 2025-09 revision): TLS 1.3 and 1.2 only, restricted ciphers, hybrid post-quantum key
 * exchange. What pillar sets and what the policy's message recommends.
 */
export const RECOMMENDED_ALB_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";

/**
 * Current ALB policies: the TLS 1.3 family whose minimum is TLS 1.2 or 1.3 (ELBSecurityPolicy-TLS13-1-2-…,
 * -TLS13-1-3-…, FIPS and PQ variants included). The TLS13-1-0 and -1-1 ones still accept TLS 1.0/1.1,
 * and ELBSecurityPolicy-2016-08 (the API's default when none is set) accepts TLS 1.0.
 */
export function isCurrentAlbTlsPolicy(name: unknown): boolean {
  return typeof name === "string" && /^ELBSecurityPolicy-TLS13-1-[23]-/.test(name);
}

const isAlb = (type: string, props: unknown): boolean | "unknown" => {
  if (type !== LB && type !== ALB_LB) return false;
  const t = field(props, "loadBalancerType");
  if (isUnknown(t)) return "unknown";
  return t === undefined || t === "application";
};

export const albListenerTlsPolicyCurrent: ResourceValidationPolicy = {
  name: "alb-listener-tls-policy-current",
  description:
    "Checks that every HTTPS listener of an Application Load Balancer names a current TLS 1.3 security policy (ELBSecurityPolicy-TLS13-1-2-… or -TLS13-1-3-…); without one AWS applies ELBSecurityPolicy-2016-08, which accepts TLS 1.0.",
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    if (!LISTENERS.has(args.type)) return;
    const props = plain(args.props);
    const protocol = field(props, "protocol");
    const rule = `Listener "${args.name}" on port ${show(field(props, "port"))} must use a current TLS policy (sslPolicy ${RECOMMENDED_ALB_TLS_POLICY} or another ELBSecurityPolicy-TLS13-1-2-…)`;
    if (isUnknown(protocol)) {
      reportViolation(`${rule}; cannot be verified at preview: its protocol is unknown.`);
      return;
    }
    if (typeof protocol !== "string" || protocol.toUpperCase() !== "HTTPS") return;
    const policy = field(props, "sslPolicy");
    if (isUnknown(policy)) reportViolation(`${rule}; cannot be verified at preview: sslPolicy is unknown.`);
    else if (policy === undefined || policy === null || policy === "")
      reportViolation(`${rule}; it sets none, so AWS applies ELBSecurityPolicy-2016-08 (TLS 1.0 and up).`);
    else if (!isCurrentAlbTlsPolicy(policy)) reportViolation(`${rule}; it uses ${show(policy)}.`);
  },
};

/** An ALB boolean attribute that must be true, with what its default is. */
function albFlag(name: string, key: string, description: string, why: string): ResourceValidationPolicy {
  return {
    name,
    description,
    enforcementLevel: "advisory",
    validateResource: (args, reportViolation) => {
      const props = plain(args.props);
      const alb = isAlb(args.type, props);
      if (alb === false) return;
      const rule = `Application Load Balancer "${args.name}" must set ${key} true`;
      const value = field(props, key);
      if (alb === "unknown" || isUnknown(value)) {
        reportViolation(
          `${rule}; cannot be verified at preview: ${alb === "unknown" ? "its type" : key} is unknown.`,
        );
      } else if (value !== true) {
        reportViolation(`${rule}; it is ${value === undefined ? "unset (false)" : show(value)}: ${why}.`);
      }
    },
  };
}

export const albDropInvalidHeaderFields = albFlag(
  "alb-drop-invalid-header-fields",
  "dropInvalidHeaderFields",
  "Checks that Application Load Balancers drop HTTP headers with invalid names (dropInvalidHeaderFields), which request smuggling and header injection rely on.",
  "headers with invalid names reach the targets",
);

export const albDeletionProtectionEnabled = albFlag(
  "alb-deletion-protection-enabled",
  "enableDeletionProtection",
  "Checks that Application Load Balancers have deletion protection (enableDeletionProtection), so a destroy or a replacement cannot take the tier's front door away; turn it off deliberately in stacks that are torn down.",
  "a destroy or a replacement deletes the load balancer and its DNS name",
);

export const albAccessLogsEnabled: ResourceValidationPolicy = {
  name: "alb-access-logs-enabled",
  description:
    "Checks that Application Load Balancers write access logs to an S3 bucket (accessLogs.enabled).",
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    const props = plain(args.props);
    const alb = isAlb(args.type, props);
    if (alb === false) return;
    const logs = field(props, "accessLogs");
    const enabled = field(logs, "enabled");
    const rule = `Application Load Balancer "${args.name}" must write access logs (accessLogs.bucket, enabled true)`;
    if (alb === "unknown" || isUnknown(logs) || isUnknown(enabled)) {
      reportViolation(
        `${rule}; cannot be verified at preview: ${alb === "unknown" ? "its type" : "accessLogs"} is unknown.`,
      );
      return;
    }
    const bucket = field(logs, "bucket");
    if (bucket === undefined || bucket === null || bucket === "")
      reportViolation(`${rule}; it has no access log bucket.`);
    // The provider's default for accessLogs.enabled is false: a bucket alone logs nothing.
    else if (enabled !== true)
      reportViolation(
        `${rule}; accessLogs.enabled is ${enabled === undefined ? "unset (false)" : show(enabled)}.`,
      );
  },
};

const WORLD = new Set(["0.0.0.0/0", "::/0"]);

/** The security groups of this stack a launch template puts instances in, and whether others are unseen. */
function templateGroups(
  template: PolicyResource,
  groups: readonly PolicyResource[],
): { groups: PolicyResource[]; unknown: boolean } {
  const out = new Set<PolicyResource>();
  let unknown = false;
  for (const key of ["networkInterfaces", "vpcSecurityGroupIds"]) {
    for (const d of template.propertyDependencies[key] ?? []) if (groups.includes(d)) out.add(d);
    const value = field(plain(template.props), key);
    if (isUnknown(value) && (template.propertyDependencies[key] ?? []).length === 0) unknown = true;
  }
  return { groups: [...out], unknown };
}

/** Ingress rules of this stack on `group`, by dependency or by its known id. */
function rulesOn(group: PolicyResource, resources: readonly PolicyResource[]): PolicyResource[] {
  const id = field(plain(group.props), "id");
  return resources.filter(
    (r) =>
      r.type === T.ingressRule &&
      ((r.propertyDependencies["securityGroupId"] ?? []).includes(group) ||
        (typeof id === "string" && !isUnknown(id) && field(plain(r.props), "securityGroupId") === id)),
  );
}

export const albTargetsOnlyThroughLoadBalancer: StackValidationPolicy = {
  name: "alb-targets-only-through-load-balancer",
  description:
    "Checks that the instances of autoscaling groups registered with target groups (targetGroupArns) take no ingress from 0.0.0.0/0 or ::/0, so that clients reach them only through the load balancer, its TLS policy and its header checks; allow the instance ports from the load balancer's security group instead.",
  enforcementLevel: "advisory",
  validateStack: (args, reportViolation) => {
    const resources = args.resources;
    const groups = resources.filter((r) => r.type === T.securityGroup);
    for (const asg of resources.filter((r) => r.type === T.autoscalingGroup)) {
      const tgs = field(plain(asg.props), "targetGroupArns");
      if (!isUnknown(tgs) && !(Array.isArray(tgs) && tgs.length > 0)) continue;
      const rule = `Autoscaling group "${asg.name}" is a load balancer target and its instances must be reached only through it`;
      const { templates, unplaced } = launchTemplatesOf(asg, resources);
      if (templates.length === 0) {
        if (unplaced)
          reportViolation(`${rule}; cannot be verified: its launch template is not in this stack.`, asg.urn);
        continue;
      }
      for (const t of templates) {
        const seen = templateGroups(t, groups);
        if (seen.unknown)
          reportViolation(
            `${rule}; cannot be verified at preview: the security groups of launch template "${t.name}" are unknown.`,
            asg.urn,
          );
        for (const g of seen.groups) {
          for (const r of rulesOn(g, resources)) {
            const p = plain(r.props);
            const cidrs = [field(p, "cidrIpv4"), field(p, "cidrIpv6")];
            const port = `${String(field(p, "ipProtocol"))} ${String(field(p, "fromPort"))}`;
            if (cidrs.some(isUnknown))
              reportViolation(
                `${rule}; cannot be verified at preview: the source of ingress rule "${r.name}" on security group "${g.name}" is unknown.`,
                asg.urn,
              );
            const world = cidrs.find((c) => typeof c === "string" && WORLD.has(c));
            if (world !== undefined)
              reportViolation(
                `${rule}; security group "${g.name}" (launch template "${t.name}") lets ${String(world)} in on ${port} (ingress rule "${r.name}"). Allow the instance ports from the load balancer's security group instead (pillar: cidr_ip: <its group's name>).`,
                asg.urn,
              );
          }
        }
      }
    }
  },
};
