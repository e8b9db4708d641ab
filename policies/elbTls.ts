// TLS negotiation on classic load balancers (advisory): every HTTPS/SSL listener has an SSL
// negotiation policy attached, and every such policy references a current predefined policy, which
// a remediation can set.

import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { T } from "./types";
import { field, isObject, isUnknown, plain, show, toNumber } from "./values";

export function isTls(protocol: unknown): boolean {
  return typeof protocol === "string" && ["https", "ssl"].includes(protocol.toLowerCase());
}

/**
 * Predefined classic-ELB negotiation policies that allow only TLS 1.2 and strong ciphers. The first
 * is what the remediation sets. Source: Elastic Load Balancing User Guide, "Predefined SSL security
 * policies for Classic Load Balancers".
 */
export const CURRENT_TLS_POLICIES: readonly string[] = ["ELBSecurityPolicy-TLS-1-2-2017-01"];

const SSL_NEGOTIATION = "SSLNegotiationPolicyType";
const REFERENCE = "Reference-Security-Policy";

/** The predefined policy a LoadBalancerPolicy's attributes reference, from its props. */
function referencedPolicy(props: unknown): unknown {
  const attributes = field(props, "policyAttributes");
  if (isUnknown(attributes)) {
    return attributes;
  }
  const ref = (Array.isArray(attributes) ? attributes : []).find((a) => field(a, "name") === REFERENCE);
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

/**
 * current: a current predefined policy is attached; attached: an SSL negotiation policy of the stack
 * is, and elb-ssl-negotiation-policy-current judges what it references; outdated: an older predefined
 * policy is named directly; unknown: something that decides is unknown; none: nothing is attached.
 */
type Verdict = "current" | "attached" | "outdated" | "unknown" | "none";

function tlsVerdict(lb: PolicyResource, port: number, resources: readonly PolicyResource[]): Verdict {
  const lbPolicies = resources.filter((r) => r.type === T.loadBalancerPolicy && belongsTo(r, lb) !== false);
  let verdict = "none" as Verdict;
  for (const lp of resources.filter((r) => r.type === T.listenerPolicy)) {
    const owner = belongsTo(lp, lb);
    const lpPort = field(plain(lp.props), "loadBalancerPort");
    if (owner === false || (!isUnknown(lpPort) && toNumber(lpPort) !== port)) {
      continue;
    }
    const listed = field(plain(lp.props), "policyNames");
    const direct = owner === true && !isUnknown(lpPort) && Array.isArray(listed) ? listed : [];
    // A predefined policy named directly, without a LoadBalancerPolicy instantiating it.
    if (direct.some((n) => typeof n === "string" && CURRENT_TLS_POLICIES.includes(n))) {
      return "current";
    }
    for (const policy of lbPolicies) {
      const named = names(lp, policy);
      if (named === false) {
        continue;
      }
      const type = field(plain(policy.props), "policyTypeName");
      const sure = owner === true && named === true && !isUnknown(lpPort) && belongsTo(policy, lb) === true;
      if (!sure || isUnknown(type)) {
        verdict = verdict === "attached" ? "attached" : "unknown";
      } else if (type === SSL_NEGOTIATION) {
        const ref = referencedPolicy(plain(policy.props));
        if (typeof ref === "string" && CURRENT_TLS_POLICIES.includes(ref)) {
          return "current";
        }
        verdict = isUnknown(ref) && verdict !== "attached" ? "unknown" : "attached";
      }
    }
    if (
      verdict === "none" &&
      direct.some(
        (n) =>
          typeof n === "string" &&
          n.startsWith("ELBSecurityPolicy-") &&
          !lbPolicies.some((p) => field(plain(p.props), "policyName") === n),
      )
    ) {
      verdict = "outdated";
    }
  }
  return verdict;
}

export const elbListenerTlsPolicyCurrent: StackValidationPolicy = {
  name: "elb-listener-tls-policy-current",
  description: `Checks that every HTTPS/SSL listener of a classic load balancer has a listener policy with an SSL negotiation policy (or names a current predefined one, ${CURRENT_TLS_POLICIES.join(", ")}); elb-ssl-negotiation-policy-current judges what a negotiation policy references.`,
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
          reportViolation(`${rule}; its listener policy names an older predefined policy.`, lb.urn);
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

/** A negotiation policy's attributes with the reference set to the current policy. */
function withCurrentReference(attributes: readonly unknown[]): unknown[] {
  return attributes.map((a) =>
    isObject(a) && field(a, "name") === REFERENCE ? { ...a, value: CURRENT_TLS_POLICIES[0] } : a,
  );
}

export const elbSslNegotiationPolicyCurrent: ResourceValidationPolicy = {
  name: "elb-ssl-negotiation-policy-current",
  description: `Checks that classic load balancer SSL negotiation policies reference a current predefined policy (${CURRENT_TLS_POLICIES.join(", ")}); at enforcement level "remediate" it sets that reference on a policy that names an older predefined one.`,
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    if (args.type !== T.loadBalancerPolicy) {
      return;
    }
    const props = plain(args.props);
    const type = field(props, "policyTypeName");
    const rule = `Load balancer policy "${args.name}" must reference a current TLS policy (${REFERENCE} ${CURRENT_TLS_POLICIES.join(", ")})`;
    if (isUnknown(type)) {
      reportViolation(`${rule}; cannot be verified at preview: policyTypeName is unknown.`);
      return;
    }
    if (type !== SSL_NEGOTIATION) {
      return;
    }
    const ref = referencedPolicy(props);
    if (isUnknown(ref)) {
      reportViolation(`${rule}; cannot be verified at preview: its ${REFERENCE} is unknown.`);
    } else if (typeof ref !== "string") {
      reportViolation(
        `${rule}; it lists its own protocols and ciphers, which nobody keeps current: reference a predefined policy instead.`,
      );
    } else if (!CURRENT_TLS_POLICIES.includes(ref)) {
      reportViolation(
        `${rule}; it references ${show(ref)}, which still allows TLS 1.0 or 1.1 or weak ciphers.`,
      );
    }
  },
  // Safe and unambiguous: an older *predefined* policy has exactly one current replacement, and the
  // provider updates the policy in place (it re-creates it under the same name and re-attaches it to
  // its listeners). A custom attribute list is left alone: what it should become is the user's call.
  remediateResource: (args) => {
    if (args.type !== T.loadBalancerPolicy) {
      return undefined;
    }
    const props = plain(args.props);
    const attributes = field(props, "policyAttributes");
    const ref = referencedPolicy(props);
    if (
      field(props, "policyTypeName") !== SSL_NEGOTIATION ||
      !Array.isArray(attributes) ||
      typeof ref !== "string" ||
      isUnknown(ref) ||
      !ref.startsWith("ELBSecurityPolicy-") ||
      CURRENT_TLS_POLICIES.includes(ref)
    ) {
      return undefined;
    }
    return { ...(props as Record<string, unknown>), policyAttributes: withCurrentReference(attributes) };
  },
};
