// Security group policies: SSH only from the VPC's default group, no world-open ingress beyond
// HTTP/HTTPS, and descriptions on groups and rules.

import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
  INGRESS_TYPES,
  Permission,
  Source,
  coversTcpPort,
  describePermission,
  describeSource,
  ingressPermissions,
  normalizeProtocol,
} from "./ingress";
import { T } from "./types";
import { field, isUnknown, plain, toNumber } from "./values";

const SSH_PORT = 22;
const SSH_RULE = "must allow SSH (tcp 22) only from the default security group";

/** What the stack says about which group ids are a VPC's default group. */
export interface DefaultGroups {
  /** Known ids: the Network component's `defaultSecurityGroupId` output (an AWS lookup for an existing VPC) and known ids of managed default groups. */
  readonly ids: ReadonlySet<string>;
}

export type GroupIdentity =
  | { readonly kind: "default" }
  | { readonly kind: "other"; readonly label: string }
  | { readonly kind: "unknown" };

export function collectDefaultGroups(resources: readonly PolicyResource[]): DefaultGroups {
  const ids = new Set<string>();
  for (const r of resources) {
    const key =
      r.type === T.network ? "defaultSecurityGroupId" : r.type === T.defaultSecurityGroup ? "id" : "";
    const id = key === "" ? undefined : field(plain(r.props), key);
    if (typeof id === "string" && !isUnknown(id) && id !== "") {
      ids.add(id);
    }
  }
  return { ids };
}

function isGroup(r: PolicyResource): boolean {
  return r.type === T.securityGroup || r.type === T.defaultSecurityGroup;
}

/**
 * Which group a reference points at, judged from ground truth: its value against the default group
 * ids the stack knows, and — when the value is unknown at preview or is not recorded yet — the
 * resources the value was computed from (its property dependencies). An unknown id computed only
 * from `aws.ec2.DefaultSecurityGroup` resources is a default group (the engine records every
 * resource an input's value came from, so nothing else can have contributed); one computed from a
 * single other group is that group. Tags and descriptions our own code writes are never consulted.
 */
export function identifyGroup(
  value: unknown,
  deps: readonly PolicyResource[],
  defaults: DefaultGroups,
): GroupIdentity {
  const groupDeps = deps.filter(isGroup);
  const onlyDefaultDeps = groupDeps.length > 0 && groupDeps.every((d) => d.type === T.defaultSecurityGroup);
  const single = groupDeps.length === 1 ? groupDeps[0] : undefined;
  if (isUnknown(value)) {
    if (onlyDefaultDeps) {
      return { kind: "default" };
    }
    return single ? { kind: "other", label: `"${single.name}"` } : { kind: "unknown" };
  }
  // A known id must be one of the default ids the stack records; a known value is never waved
  // through on its dependencies alone, which an apply() could have ignored.
  if (typeof value === "string" && defaults.ids.has(value)) {
    return { kind: "default" };
  }
  return { kind: "other", label: single ? `"${single.name}" (${String(value)})` : String(value) };
}

function identifySource(
  source: Source,
  resource: PolicyResource,
  defaults: DefaultGroups,
): GroupIdentity | "not-a-group" {
  switch (source.kind) {
    case "group":
      return identifyGroup(source.value, resource.propertyDependencies[source.dependencyKey] ?? [], defaults);
    case "self":
      if (resource.type === T.defaultSecurityGroup) {
        return { kind: "default" };
      }
      if (resource.type === T.securityGroup) {
        return { kind: "other", label: `"${resource.name}"` };
      }
      return identifyGroup(
        field(plain(resource.props), "securityGroupId"),
        resource.propertyDependencies["securityGroupId"] ?? [],
        defaults,
      );
    case "unknown":
      return { kind: "unknown" };
    default:
      return "not-a-group";
  }
}

function sshViolations(resource: PolicyResource, defaults: DefaultGroups): string[] {
  const permissions = ingressPermissions(resource.type, resource.name, plain(resource.props));
  if (permissions === "unknown") {
    return [
      `Security group "${resource.name}" ${SSH_RULE}; cannot be verified at preview: its inline ingress rules are unknown.`,
    ];
  }
  const out: string[] = [];
  for (const p of permissions) {
    const coverage = coversTcpPort(p, SSH_PORT);
    if (coverage === "no") {
      continue;
    }
    for (const source of p.sources) {
      const identity = identifySource(source, resource, defaults);
      if (identity !== "not-a-group" && identity.kind === "default") {
        continue;
      }
      const from =
        identity !== "not-a-group" && identity.kind === "other"
          ? `security group ${identity.label}`
          : describeSource(source);
      if (identity !== "not-a-group" && identity.kind === "unknown") {
        out.push(
          `${p.subject} ${SSH_RULE}; cannot be verified at preview: its source security group is unknown and its property dependencies do not identify it.`,
        );
      } else if (coverage === "unknown") {
        out.push(
          `${p.subject} ${SSH_RULE}; cannot be verified at preview: its protocol or ports are unknown and it allows ${from}.`,
        );
      } else {
        out.push(`${p.subject} ${SSH_RULE}; it allows ${describePermission(p)} from ${from}.`);
      }
    }
  }
  return out;
}

export const ec2SshOnlyFromDefaultGroup: StackValidationPolicy = {
  name: "ec2-ssh-only-from-default-group",
  description:
    "Checks that SSH (tcp 22, including all-protocol rules and port ranges covering 22) is allowed only from the VPC's default security group, judged from each rule's referenced group and property dependencies.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const defaults = collectDefaultGroups(args.resources);
    for (const resource of args.resources) {
      if (!INGRESS_TYPES.has(resource.type)) {
        continue;
      }
      for (const message of sshViolations(resource, defaults)) {
        reportViolation(message, resource.urn);
      }
    }
  },
};

const WEB_PORTS: ReadonlySet<number> = new Set([80, 443]);
const WORLD_RULE = "must open 0.0.0.0/0 and ::/0 only to tcp 80 or tcp 443";

/** "yes" when the permission is exactly one of tcp 80 or tcp 443. */
function onlyWebPort(p: Permission): "yes" | "no" | "unknown" {
  const protocol = normalizeProtocol(p.protocol);
  if (protocol === "unknown") {
    return "unknown";
  }
  if (protocol !== "tcp") {
    return "no";
  }
  if (isUnknown(p.fromPort) || isUnknown(p.toPort)) {
    return "unknown";
  }
  const from = toNumber(p.fromPort);
  const to = toNumber(p.toPort);
  return from !== undefined && from === to && WEB_PORTS.has(from) ? "yes" : "no";
}

/** Any prefix length of zero is the whole address space, whatever address precedes it. */
function isWorld(cidr: string): boolean {
  return /\/0+$/.test(cidr.trim());
}

export const ec2IngressWorldOnlyHttpHttps: ResourceValidationPolicy = {
  name: "ec2-ingress-world-only-http-https",
  description:
    "Checks that ingress from 0.0.0.0/0 or ::/0 is limited to tcp 80 and tcp 443, each as a single-port rule.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (!INGRESS_TYPES.has(args.type)) {
      return;
    }
    const permissions = ingressPermissions(args.type, args.name, plain(args.props));
    if (permissions === "unknown") {
      reportViolation(
        `Security group "${args.name}" ${WORLD_RULE}; cannot be verified at preview: its inline ingress rules are unknown.`,
      );
      return;
    }
    for (const p of permissions) {
      const web = onlyWebPort(p);
      if (web === "yes") {
        continue;
      }
      for (const source of p.sources) {
        if (source.kind === "unknown" || (source.kind === "cidr" && isUnknown(source.value))) {
          reportViolation(
            `${p.subject} ${WORLD_RULE}; cannot be verified at preview: its source is unknown and it opens ${describePermission(p)}.`,
          );
        } else if (source.kind === "cidr" && typeof source.value === "string" && isWorld(source.value)) {
          reportViolation(
            web === "unknown"
              ? `${p.subject} ${WORLD_RULE}; cannot be verified at preview: its protocol or ports are unknown and it opens ${source.value}.`
              : `${p.subject} ${WORLD_RULE}; it opens ${describePermission(p)} to ${source.value}.`,
          );
        }
      }
    }
  },
};

// The provider's default group description; AWS shows it for every group that did not say why it exists.
const PROVIDER_DEFAULT_DESCRIPTION = "Managed by Pulumi";

export const ec2SecurityGroupDescriptionsPresent: ResourceValidationPolicy = {
  name: "ec2-security-group-descriptions-present",
  description: "Checks that security groups and their rules carry a description saying why they exist.",
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    const props = plain(args.props);
    const check = (subject: string, description: unknown, what: string): void => {
      if (isUnknown(description)) {
        reportViolation(`${subject} must have a description; cannot be verified at preview: it is unknown.`);
      } else if (typeof description !== "string" || description.trim() === "") {
        reportViolation(`${subject} must have a description ${what}; it has none.`);
      } else if (description === PROVIDER_DEFAULT_DESCRIPTION) {
        reportViolation(
          `${subject} must have a description ${what}; it has the provider default "${description}".`,
        );
      }
    };
    const why = "saying why the traffic is allowed";
    switch (args.type) {
      case T.securityGroup:
        check(`Security group "${args.name}"`, field(props, "description"), "saying what it guards");
        break;
      case T.egressRule:
        check(`Egress rule "${args.name}"`, field(props, "description"), why);
        return;
      case T.securityGroupRule:
        if (field(props, "type") !== "ingress") {
          // Egress (or a type unknown at preview): the rule's own description, like any rule's.
          check(`Security group rule "${args.name}"`, field(props, "description"), why);
          return;
        }
        break;
      case T.ingressRule:
      case T.defaultSecurityGroup:
        break;
      default:
        return;
    }
    if (args.type === T.securityGroup || args.type === T.defaultSecurityGroup) {
      // Inline egress blocks: ingressPermissions reads only ingress, so look at these here.
      const egress = field(props, "egress");
      const kind = args.type === T.securityGroup ? "Security group" : "Default security group";
      if (Array.isArray(egress)) {
        egress.forEach((rule, i) =>
          check(`${kind} "${args.name}" egress[${i}]`, field(rule, "description"), why),
        );
      } else if (isUnknown(egress)) {
        check(`${kind} "${args.name}" egress`, egress, why);
      }
    }
    const permissions = ingressPermissions(args.type, args.name, props);
    if (permissions === "unknown") {
      return; // ec2-ingress-world-only-http-https already reports unknown inline rules
    }
    for (const p of permissions) {
      check(p.subject, p.description, "saying why the traffic is allowed");
    }
  },
};
