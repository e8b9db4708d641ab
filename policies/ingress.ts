// One view of "who may send what to a security group", whatever resource shape the program used:
// the standalone `aws.vpc.SecurityGroupIngressRule` pillar creates, and — so that a program that
// strays from the design is still checked — inline `ingress` blocks and `aws.ec2.SecurityGroupRule`.

import { T } from "./types";
import { UNKNOWN, field, isUnknown, show, toNumber } from "./values";

export type Source =
  | { readonly kind: "cidr"; readonly value: unknown }
  | { readonly kind: "prefix-list"; readonly value: unknown }
  | { readonly kind: "group"; readonly value: unknown; readonly dependencyKey: string }
  | { readonly kind: "self" }
  | { readonly kind: "unknown" };

export interface Permission {
  /** How messages name this permission, e.g. `Ingress rule "web-https"` or `Security group "web" ingress[0]`. */
  readonly subject: string;
  readonly protocol: unknown;
  readonly fromPort: unknown;
  readonly toPort: unknown;
  readonly sources: readonly Source[];
  readonly description: unknown;
}

export const INGRESS_TYPES: ReadonlySet<string> = new Set([
  T.ingressRule,
  T.securityGroup,
  T.defaultSecurityGroup,
  T.securityGroupRule,
]);

/**
 * The ingress permissions a resource declares. `"unknown"` when the list of inline rules itself is
 * unknown at preview, so nothing about it can be said.
 */
export function ingressPermissions(type: string, name: string, props: unknown): Permission[] | "unknown" {
  switch (type) {
    case T.ingressRule:
      return [
        {
          subject: `Ingress rule "${name}"`,
          protocol: field(props, "ipProtocol"),
          fromPort: field(props, "fromPort"),
          toPort: field(props, "toPort"),
          sources: [
            ...present("cidr", field(props, "cidrIpv4")),
            ...present("cidr", field(props, "cidrIpv6")),
            ...present("prefix-list", field(props, "prefixListId")),
            ...groupSource(field(props, "referencedSecurityGroupId"), "referencedSecurityGroupId"),
          ],
          description: field(props, "description"),
        },
      ];
    case T.securityGroupRule:
      if (field(props, "type") === "egress") {
        return [];
      }
      return [inlineLike(`Security group rule "${name}"`, props, "sourceSecurityGroupId")];
    case T.securityGroup:
    case T.defaultSecurityGroup: {
      const ingress = field(props, "ingress");
      if (isUnknown(ingress)) {
        return "unknown";
      }
      if (!Array.isArray(ingress)) {
        return [];
      }
      const kind = type === T.securityGroup ? "Security group" : "Default security group";
      return ingress.map((rule, i) => {
        if (isUnknown(rule)) {
          return unknownPermission(`${kind} "${name}" ingress[${i}]`);
        }
        return inlineLike(`${kind} "${name}" ingress[${i}]`, rule, "ingress");
      });
    }
    default:
      return [];
  }
}

function unknownPermission(subject: string): Permission {
  return {
    subject,
    protocol: UNKNOWN,
    fromPort: UNKNOWN,
    toPort: UNKNOWN,
    sources: [{ kind: "unknown" }],
    description: UNKNOWN,
  };
}

function inlineLike(subject: string, rule: unknown, groupDependencyKey: string): Permission {
  const groups = field(rule, "securityGroups");
  const single = field(rule, "sourceSecurityGroupId");
  return {
    subject,
    protocol: field(rule, "protocol"),
    fromPort: field(rule, "fromPort"),
    toPort: field(rule, "toPort"),
    sources: [
      ...listOf(field(rule, "cidrBlocks")).map((value) => ({ kind: "cidr" as const, value })),
      ...listOf(field(rule, "ipv6CidrBlocks")).map((value) => ({ kind: "cidr" as const, value })),
      ...listOf(field(rule, "prefixListIds")).map((value) => ({ kind: "prefix-list" as const, value })),
      ...listOf(groups).flatMap((value) => groupSource(value, groupDependencyKey)),
      ...groupSource(single, groupDependencyKey),
      ...(field(rule, "self") === true ? [{ kind: "self" as const }] : []),
    ],
    description: field(rule, "description"),
  };
}

/** A list's elements; an unknown list becomes one unknown element so it is judged, not skipped. */
function listOf(value: unknown): unknown[] {
  if (isUnknown(value)) {
    return [value];
  }
  return Array.isArray(value) ? value : [];
}

function present(kind: "cidr" | "prefix-list", value: unknown): Source[] {
  return value === undefined || value === null || value === "" ? [] : [{ kind, value }];
}

function groupSource(value: unknown, dependencyKey: string): Source[] {
  return value === undefined || value === null || value === ""
    ? []
    : [{ kind: "group", value, dependencyKey }];
}

export type Coverage = "yes" | "no" | "unknown";

/** Whether a permission lets TCP traffic to `port` through. */
export function coversTcpPort(p: Permission, port: number): Coverage {
  const protocol = normalizeProtocol(p.protocol);
  if (protocol === "unknown") {
    return "unknown";
  }
  if (protocol === "all") {
    return "yes";
  }
  if (protocol !== "tcp") {
    return "no";
  }
  const from = toNumber(p.fromPort);
  const to = toNumber(p.toPort);
  if (isUnknown(p.fromPort) || isUnknown(p.toPort)) {
    return "unknown";
  }
  if (from === undefined || to === undefined) {
    // A TCP rule without ports is rejected by AWS; treat it as covering everything rather than nothing.
    return "yes";
  }
  return from <= port && port <= to ? "yes" : "no";
}

/** "all", "tcp", "udp", "icmp", "icmpv6", another protocol number, or "unknown". */
export function normalizeProtocol(protocol: unknown): string {
  if (isUnknown(protocol)) {
    return "unknown";
  }
  const text = String(protocol).toLowerCase();
  switch (text) {
    case "-1":
    case "all":
      return "all";
    case "6":
      return "tcp";
    case "17":
      return "udp";
    case "1":
      return "icmp";
    case "58":
      return "icmpv6";
    default:
      return text;
  }
}

/** "tcp 22", "tcp 0-65535", "all traffic", "udp 53" for messages. */
export function describePermission(p: Permission): string {
  const protocol = normalizeProtocol(p.protocol);
  if (protocol === "unknown") {
    return "protocol (unknown at preview)";
  }
  if (protocol === "all") {
    return "all traffic";
  }
  const from = isUnknown(p.fromPort) ? "(unknown)" : String(p.fromPort ?? "*");
  const to = isUnknown(p.toPort) ? "(unknown)" : String(p.toPort ?? "*");
  return from === to ? `${protocol} ${from}` : `${protocol} ${from}-${to}`;
}

export function describeSource(source: Source): string {
  switch (source.kind) {
    case "cidr":
      return `CIDR ${isUnknown(source.value) ? "(unknown at preview)" : String(source.value)}`;
    case "prefix-list":
      return `prefix list ${show(source.value)}`;
    case "group":
      return `security group ${show(source.value)}`;
    case "self":
      return "the group itself (self)";
    case "unknown":
      return "a source unknown at preview";
  }
}
