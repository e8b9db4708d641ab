// Egress: all traffic to the whole internet is the AWS default, and what lets a compromised host
// talk to anything. Advisory: the seed keeps it (explicitly), many stacks must.

import { ResourceValidationPolicy } from "@pulumi/policy";
import { normalizeProtocol } from "./ingress";
import { T } from "./types";
import { field, isUnknown, plain, toNumber } from "./values";

interface Outbound {
  readonly subject: string;
  readonly protocol: unknown;
  readonly fromPort: unknown;
  readonly toPort: unknown;
  readonly cidrs: readonly unknown[];
}

function listOf(value: unknown): unknown[] {
  return isUnknown(value) ? [value] : Array.isArray(value) ? value : [];
}

function inline(subject: string, rule: unknown): Outbound {
  return {
    subject,
    protocol: field(rule, "protocol"),
    fromPort: field(rule, "fromPort"),
    toPort: field(rule, "toPort"),
    cidrs: [...listOf(field(rule, "cidrBlocks")), ...listOf(field(rule, "ipv6CidrBlocks"))],
  };
}

function outbound(type: string, name: string, props: unknown): Outbound[] | "unknown" {
  switch (type) {
    case T.egressRule:
      return [
        {
          subject: `Egress rule "${name}"`,
          protocol: field(props, "ipProtocol"),
          fromPort: field(props, "fromPort"),
          toPort: field(props, "toPort"),
          cidrs: [field(props, "cidrIpv4"), field(props, "cidrIpv6")].filter(
            (c) => c !== undefined && c !== null,
          ),
        },
      ];
    case T.securityGroupRule:
      return field(props, "type") === "egress" ? [inline(`Security group rule "${name}"`, props)] : [];
    case T.securityGroup:
    case T.defaultSecurityGroup: {
      const egress = field(props, "egress");
      if (isUnknown(egress)) {
        return "unknown";
      }
      const kind = type === T.securityGroup ? "Security group" : "Default security group";
      return (Array.isArray(egress) ? egress : []).map((e, i) => inline(`${kind} "${name}" egress[${i}]`, e));
    }
    default:
      return [];
  }
}

/** "yes" when the rule covers every port of every protocol (-1, or tcp and udp 0-65535 count as ports only). */
function allTraffic(o: Outbound): "yes" | "no" | "unknown" {
  const protocol = normalizeProtocol(o.protocol);
  if (protocol === "unknown") {
    return "unknown";
  }
  if (protocol === "all") {
    return "yes";
  }
  if (protocol !== "tcp" && protocol !== "udp") {
    return "no";
  }
  if (isUnknown(o.fromPort) || isUnknown(o.toPort)) {
    return "unknown";
  }
  return toNumber(o.fromPort) === 0 && toNumber(o.toPort) === 65535 ? "yes" : "no";
}

const isWorld = (cidr: unknown): boolean => typeof cidr === "string" && /\/0+$/.test(cidr.trim());

export const ec2EgressWorldNotAllPorts: ResourceValidationPolicy = {
  name: "ec2-egress-world-not-all-ports",
  description:
    "Checks that no security group allows all traffic (every protocol, or every tcp/udp port) out to 0.0.0.0/0 or ::/0: egress limited to what the hosts need stops a compromised host from reaching anything.",
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    const rules = outbound(args.type, args.name, plain(args.props));
    if (rules === "unknown") {
      reportViolation(
        `Security group "${args.name}" must not allow all traffic out to the world; cannot be verified at preview: its inline egress rules are unknown.`,
      );
      return;
    }
    for (const o of rules) {
      const all = allTraffic(o);
      for (const cidr of o.cidrs) {
        const rule = `${o.subject} must not allow all traffic out to the world`;
        if (isUnknown(cidr) && all !== "no") {
          reportViolation(`${rule}; cannot be verified at preview: its destination is unknown.`);
        } else if (isWorld(cidr) && all === "unknown") {
          reportViolation(
            `${rule}; cannot be verified at preview: its protocol or ports are unknown and it goes to ${String(cidr)}.`,
          );
        } else if (isWorld(cidr) && all === "yes") {
          reportViolation(
            `${rule}; it allows every port to ${String(cidr)}. Limit egress to what the hosts need (for example tcp 443 to package mirrors and AWS APIs, the Salt master's 4505-4506), or keep the AWS default deliberately and set this policy to disabled.`,
          );
        }
      }
    }
  },
};
