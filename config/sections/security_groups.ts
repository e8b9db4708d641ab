/**
 * `pillar:security_groups`: groups with rules whose `cidr_ip` is a CIDR, a list, or the name of another
 * group (even one defined later, or the VPC's `default`). Each rule's protocol, ports and sources are
 * checked and resolved here, once: the planner (components/securityGroupPlan.ts) gets typed rules and
 * only expands and names them.
 *
 * Two passes, because a rule may name a group defined further down: `loadSecurityGroups` reads the
 * shapes into drafts (sources still as written), `resolveSecurityGroups` resolves them against every
 * group's name. What one rule's protocol, ports and sources may be is in ./security_groups/rules.ts.
 */
import { ConfigIssue, quoteList, sub } from "../issues";
import { intSchema, Static, strOrList, tags, Type, VPC_ID } from "../schemaKit";
import { optInt, toList, toTags } from "../values";
import { uniqueNames } from "./context";
import {
  checkPorts,
  classifySource,
  edgeKey,
  normalizeProtocol,
  type RuleSource,
} from "./security_groups/rules";
import type { NetworkModel } from "./network";

const rulePort = intSchema(-1, 65535, "", "a port number 0–65535 (or -1: every ICMP type or code)");

const rule = Type.Object(
  {
    ip_protocol: Type.Unsafe<string | number>({ type: ["string", "integer"] }),
    from_port: Type.Optional(rulePort),
    to_port: Type.Optional(rulePort),
    cidr_ip: strOrList,
    description: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 255,
        description: "a rule description of at most 255 characters",
      }),
    ),
  },
  { additionalProperties: false },
);
type RuleInput = Static<typeof rule>;

const securityGroup = Type.Object(
  {
    name: Type.String({
      pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$",
      description: "a group name of letters, digits and . _ -, starting with a letter or digit",
    }),
    description: Type.Optional(
      Type.String({ maxLength: 255, description: "a description of at most 255 characters" }),
    ),
    vpc_id: Type.Optional(VPC_ID),
    rules: Type.Array(rule),
    rules_egress: Type.Optional(Type.Array(rule)),
    tags: Type.Optional(tags),
  },
  { additionalProperties: false },
);

export const securityGroupsSchema = Type.Array(securityGroup);
export type SecurityGroupsInput = Static<typeof securityGroupsSchema>;

/** The VPC's default security group, as the seed names it. */
export const DEFAULT_GROUP = "default";

export { classifySource, edgeKey, normalizeProtocol, type RuleSource };

/** A rule as written, its protocol normalized, its sources not yet resolved. */
export interface RuleDraft {
  /** Protocol normalized to AWS form: "tcp", "udp", "icmp", "icmpv6", "-1", or a protocol number string. */
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly sources: readonly string[];
  /** Config path of each source (`...cidr_ip` for a single string, `...cidr_ip[i]` for a list). */
  readonly sourcePaths: readonly string[];
  readonly description?: string;
  readonly path: string;
}

export interface SecurityGroupDraft {
  readonly name: string;
  readonly description: string;
  readonly rules: readonly RuleDraft[];
  /** undefined: allow all egress (the AWS default), made explicit as a rule by the planner. */
  readonly egress?: readonly RuleDraft[];
  readonly tags: Readonly<Record<string, string>>;
  readonly path: string;
}

/** One rule, resolved: its ports as AWS takes them for the protocol, every source typed. */
export interface RuleModel {
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly sources: readonly RuleSource[];
  readonly sourcePaths: readonly string[];
  readonly description?: string;
  readonly path: string;
}

export interface SecurityGroupModel extends Omit<SecurityGroupDraft, "rules" | "egress"> {
  readonly rules: readonly RuleModel[];
  readonly egress?: readonly RuleModel[];
}

/** Reads the section's shapes into drafts; a protocol that is not one drops its rule. */
export function loadSecurityGroups(
  v: SecurityGroupsInput | undefined,
  network: NetworkModel | undefined,
  issues: ConfigIssue[],
): SecurityGroupModel[] {
  const protocolIssues: ConfigIssue[] = [];
  const drafts = (v ?? []).map((g, i): SecurityGroupDraft => {
    const path = sub("pillar:security_groups", i);
    if (g.vpc_id !== undefined) {
      if (network?.mode === "create") {
        issues.push({
          path: sub(path, "vpc_id"),
          message: `"${g.vpc_id}": the stack creates its VPC; remove vpc_id`,
        });
      } else if (network?.mode === "existing" && g.vpc_id !== network.vpcId) {
        issues.push({
          path: sub(path, "vpc_id"),
          message: `"${g.vpc_id}" is not the stack's VPC "${network.vpcId}" (pillar:network.vpc_id)`,
        });
      }
    }
    const rules = (list: readonly RuleInput[], at: string) =>
      list.flatMap((r, j) => draftRule(r, sub(at, j), protocolIssues) ?? []);
    return {
      name: g.name,
      description: g.description ?? `pillar security group ${g.name}`,
      rules: rules(g.rules, sub(path, "rules")),
      ...(g.rules_egress !== undefined ? { egress: rules(g.rules_egress, sub(path, "rules_egress")) } : {}),
      tags: toTags(g.tags),
      path,
    };
  });
  issues.push(...protocolIssues);
  return resolveSecurityGroups(drafts, issues);
}

function draftRule(r: RuleInput, path: string, issues: ConfigIssue[]): RuleDraft | undefined {
  const protocol = normalizeProtocol(r.ip_protocol);
  if (protocol === undefined) {
    issues.push({
      path: sub(path, "ip_protocol"),
      message: `expected tcp, udp, icmp, icmpv6, all/-1 or a protocol number 0-255, got "${String(r.ip_protocol)}"`,
    });
    return undefined;
  }
  const sources = toList(r.cidr_ip);
  return {
    protocol,
    fromPort: optInt(r.from_port),
    toPort: optInt(r.to_port),
    sources,
    sourcePaths: Array.isArray(r.cidr_ip)
      ? sources.map((_, j) => sub(sub(path, "cidr_ip"), j))
      : [sub(path, "cidr_ip")],
    ...(r.description !== undefined ? { description: r.description } : {}),
    path,
  };
}

/**
 * Resolves every rule's sources against the groups (forward references, self-references and cycles
 * are fine) and checks ports, names and duplicates, pushing each problem with its config path. Returns
 * the groups that can be planned, each rule with only the sources that resolved.
 */
export function resolveSecurityGroups(
  groups: readonly SecurityGroupDraft[],
  issues: ConfigIssue[],
): SecurityGroupModel[] {
  const isNew = uniqueNames(
    issues,
    (name, first) => `duplicate security group name "${name}" (first defined at ${first})`,
  );
  const planned = groups.filter((g) => {
    if (g.name !== DEFAULT_GROUP) return isNew(g.name, sub(g.path, "name"));
    issues.push({
      path: sub(g.path, "name"),
      message: `"default" is the VPC's default security group and cannot be defined here; pick another name`,
    });
    return false;
  });
  const known = new Set([...planned.map((g) => g.name), DEFAULT_GROUP]);
  const keys = new Map<string, string>();

  const resolve = (g: SecurityGroupDraft, rule: RuleDraft, direction: "ingress" | "egress") => {
    const ports = checkPorts(rule, issues);
    const sources: RuleSource[] = [];
    const sourcePaths: string[] = [];
    rule.sources.forEach((raw, i) => {
      const srcPath = rule.sourcePaths[i] ?? rule.path;
      const source = classifySource(raw);
      if ("error" in source) {
        issues.push({ path: srcPath, message: source.error });
        return;
      }
      if (source.kind === "group" && !known.has(source.group)) {
        issues.push({
          path: srcPath,
          message: `unknown security group "${source.group}"; known groups: ${quoteList(known)}`,
        });
        return;
      }
      if (source.kind === "cidr6" && rule.protocol === "icmp") {
        issues.push({
          path: srcPath,
          message: `ICMP for IPv6 is protocol "icmpv6", not "icmp", for source ${source.cidr}`,
        });
        return;
      }
      if (!ports) return;
      const key = edgeKey(g.name, direction, { protocol: rule.protocol, ...ports }, source);
      const dup = keys.get(key);
      if (dup !== undefined) {
        issues.push({
          path: srcPath,
          message: `duplicate rule: ${g.name} already has this ${direction} rule at ${dup}`,
        });
        return;
      }
      keys.set(key, srcPath);
      sources.push(source);
      sourcePaths.push(srcPath);
    });
    if (!ports) return [];
    const resolved: RuleModel = {
      protocol: rule.protocol,
      ...ports,
      sources,
      sourcePaths,
      ...(rule.description !== undefined ? { description: rule.description } : {}),
      path: rule.path,
    };
    return [resolved];
  };

  return planned.map((g): SecurityGroupModel => {
    const rules = g.rules.flatMap((r) => resolve(g, r, "ingress"));
    const egress = g.egress?.flatMap((r) => resolve(g, r, "egress"));
    return {
      name: g.name,
      description: g.description,
      rules,
      ...(egress ? { egress } : {}),
      tags: g.tags,
      path: g.path,
    };
  });
}
