// Classic ELB policies (advisory): HTTPS with a certificate and a current TLS policy, access logs,
// cross-zone balancing.

import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { T } from "./types";
import { field, isUnknown, plain, show, toNumber } from "./values";

function isTls(protocol: unknown): boolean {
  return typeof protocol === "string" && ["https", "ssl"].includes(protocol.toLowerCase());
}

export const elbHttpsListenerCertificate: ResourceValidationPolicy = {
  name: "elb-https-listener-certificate",
  description:
    "Checks that classic load balancers have an HTTPS (or SSL) listener and that every such listener has a certificate.",
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    if (args.type !== T.loadBalancer) {
      return;
    }
    const listeners = field(plain(args.props), "listeners");
    const rule = `Load balancer "${args.name}" must have an HTTPS listener with a certificate (sslCertificateId)`;
    if (isUnknown(listeners)) {
      reportViolation(`${rule}; cannot be verified at preview: its listeners are unknown.`);
      return;
    }
    const list = Array.isArray(listeners) ? listeners : [];
    const protocols = list.map((l) => field(l, "lbProtocol"));
    if (protocols.some(isUnknown) && !protocols.some(isTls)) {
      reportViolation(`${rule}; cannot be verified at preview: a listener's protocol is unknown.`);
      return;
    }
    if (!protocols.some(isTls)) {
      reportViolation(`${rule}; it has only ${show(protocols)} listeners.`);
    }
    list.forEach((l) => {
      const cert = field(l, "sslCertificateId");
      if (isTls(field(l, "lbProtocol")) && (cert === undefined || cert === null || cert === "")) {
        reportViolation(
          `${rule}; its ${show(field(l, "lbProtocol"))} listener on port ${show(field(l, "lbPort"))} has none.`,
        );
      }
    });
  },
};

/** Predefined classic-ELB negotiation policies that allow only TLS 1.2 and strong ciphers. */
export const CURRENT_TLS_POLICIES: readonly string[] = ["ELBSecurityPolicy-TLS-1-2-2017-01"];

function referencedPolicy(p: PolicyResource): unknown {
  const attributes = field(plain(p.props), "policyAttributes");
  if (isUnknown(attributes)) {
    return attributes;
  }
  const ref = (Array.isArray(attributes) ? attributes : []).find(
    (a) => field(a, "name") === "Reference-Security-Policy",
  );
  return field(ref, "value");
}

/** Whether `r` (a ListenerPolicy or LoadBalancerPolicy) belongs to `lb`, by dependency or by name. */
function belongsTo(r: PolicyResource, lb: PolicyResource): boolean | "unknown" {
  if ((r.propertyDependencies["loadBalancerName"] ?? []).includes(lb)) {
    return true;
  }
  const name = field(plain(r.props), "loadBalancerName");
  const lbName = field(plain(lb.props), "name");
  if (isUnknown(name) || isUnknown(lbName)) {
    return "unknown";
  }
  return typeof name === "string" && name === lbName;
}

/** Whether a listener policy names `policy` among its policyNames, by dependency or by value. */
function names(listenerPolicy: PolicyResource, policy: PolicyResource): boolean | "unknown" {
  if ((listenerPolicy.propertyDependencies["policyNames"] ?? []).includes(policy)) {
    return true;
  }
  const list = field(plain(listenerPolicy.props), "policyNames");
  const policyName = field(plain(policy.props), "policyName");
  if (isUnknown(list) || isUnknown(policyName)) {
    return "unknown";
  }
  return Array.isArray(list) && list.includes(policyName);
}

type Verdict = "current" | "outdated" | "unknown" | "none";

function tlsVerdict(lb: PolicyResource, port: number, resources: readonly PolicyResource[]): Verdict {
  const lbPolicies = resources.filter((r) => r.type === T.loadBalancerPolicy && belongsTo(r, lb) !== false);
  let verdict: Verdict = "none";
  for (const lp of resources.filter((r) => r.type === T.listenerPolicy)) {
    const owner = belongsTo(lp, lb);
    const lpPort = field(plain(lp.props), "loadBalancerPort");
    if (owner === false || (!isUnknown(lpPort) && toNumber(lpPort) !== port)) {
      continue;
    }
    const listed = field(plain(lp.props), "policyNames");
    // A predefined policy named directly, without a LoadBalancerPolicy instantiating it.
    if (
      owner === true &&
      !isUnknown(lpPort) &&
      Array.isArray(listed) &&
      listed.some((n) => typeof n === "string" && CURRENT_TLS_POLICIES.includes(n))
    ) {
      return "current";
    }
    for (const policy of lbPolicies) {
      const named = names(lp, policy);
      if (named === false) {
        continue;
      }
      const ref = referencedPolicy(policy);
      const sure = owner === true && named === true && !isUnknown(lpPort) && belongsTo(policy, lb) === true;
      if (typeof ref === "string" && CURRENT_TLS_POLICIES.includes(ref) && sure) {
        return "current";
      }
      verdict = isUnknown(ref) || !sure ? "unknown" : verdict === "unknown" ? "unknown" : "outdated";
    }
  }
  return verdict;
}

export const elbListenerTlsPolicyCurrent: StackValidationPolicy = {
  name: "elb-listener-tls-policy-current",
  description: `Checks that every HTTPS/SSL listener of a classic load balancer has a listener policy referencing a current TLS negotiation policy (${CURRENT_TLS_POLICIES.join(", ")}).`,
  enforcementLevel: "advisory",
  validateStack: (args, reportViolation) => {
    const current = CURRENT_TLS_POLICIES.join(", ");
    for (const lb of args.resources.filter((r) => r.type === T.loadBalancer)) {
      const listeners = field(plain(lb.props), "listeners");
      if (isUnknown(listeners)) {
        reportViolation(
          `Load balancer "${lb.name}" HTTPS listeners must use a current TLS policy (${current}); cannot be verified at preview: its listeners are unknown.`,
          lb.urn,
        );
        continue;
      }
      for (const listener of Array.isArray(listeners) ? listeners : []) {
        const protocol = field(listener, "lbProtocol");
        if (!isTls(protocol) && !isUnknown(protocol) && !isUnknown(listener)) {
          continue;
        }
        const port = toNumber(field(listener, "lbPort"));
        const verdict = port === undefined ? "unknown" : tlsVerdict(lb, port, args.resources);
        if (!isTls(protocol)) {
          // An HTTP listener needs no TLS policy; one whose protocol is unknown needs one if it is HTTPS.
          if (verdict !== "current") {
            reportViolation(
              `Load balancer "${lb.name}" listener on port ${show(field(listener, "lbPort"))} must, if it is HTTPS or SSL, use a current TLS policy (${current}); cannot be verified at preview: its protocol is unknown${verdict === "none" ? " and it has no listener policy" : ""}.`,
              lb.urn,
            );
          }
          continue;
        }
        const rule = `Load balancer "${lb.name}" HTTPS listener on port ${show(field(listener, "lbPort"))} must use a current TLS policy (${current})`;
        if (verdict === "none") {
          reportViolation(
            `${rule}; it has no listener policy, so the ELB default (which allows TLS 1.0) applies.`,
            lb.urn,
          );
        } else if (verdict === "outdated") {
          reportViolation(`${rule}; its listener policy references an older or custom policy.`, lb.urn);
        } else if (verdict === "unknown") {
          reportViolation(
            `${rule}; cannot be verified at preview: its listener or load balancer policies are unknown.`,
            lb.urn,
          );
        }
      }
    }
  },
};

export const elbAccessLogsEnabled: ResourceValidationPolicy = {
  name: "elb-access-logs-enabled",
  description: "Checks that classic load balancers write access logs to an S3 bucket.",
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    if (args.type !== T.loadBalancer) {
      return;
    }
    const logs = field(plain(args.props), "accessLogs");
    const bucket = field(logs, "bucket");
    const enabled = field(logs, "enabled");
    const rule = `Load balancer "${args.name}" must write access logs (accessLogs.bucket, enabled)`;
    if (isUnknown(logs) || isUnknown(enabled)) {
      reportViolation(`${rule}; cannot be verified at preview: accessLogs is unknown.`);
      return;
    }
    // An unknown bucket name is a bucket this update creates: logging is configured.
    if (bucket === undefined || bucket === null || bucket === "") {
      reportViolation(`${rule}; it has no access log bucket.`);
    } else if (enabled === false) {
      reportViolation(`${rule}; it has accessLogs.enabled false.`);
    }
  },
};

export const elbCrossZoneEnabled: ResourceValidationPolicy = {
  name: "elb-cross-zone-enabled",
  description:
    "Checks that classic load balancers balance across availability zones (crossZoneLoadBalancing).",
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    if (args.type !== T.loadBalancer) {
      return;
    }
    const crossZone = field(plain(args.props), "crossZoneLoadBalancing");
    const rule = `Load balancer "${args.name}" must enable crossZoneLoadBalancing`;
    if (isUnknown(crossZone)) {
      reportViolation(`${rule}; cannot be verified at preview: it is unknown.`);
    } else if (crossZone === false) {
      // Unset is fine: the provider's default for crossZoneLoadBalancing is true.
      reportViolation(`${rule}; it is false.`);
    }
  },
};
