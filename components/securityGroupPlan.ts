/**
 * Pure planner for the security-group graph: expands the seed's rules (where `cidr_ip` is a CIDR, a
 * list, or the name of another group) into one edge per (rule, source), resolves group names, and
 * derives resource names from content only, so reordering YAML lists never renames a resource.
 */
import * as net from "node:net";
import { ConfigIssue, quoteList, sub } from "../config/issues";
import { RuleModel, SecurityGroupModel } from "../config/model";

/** The VPC's default security group, as the seed names it. */
export const DEFAULT_GROUP = "default";

export type EdgeSource =
  | { readonly kind: "cidr4"; readonly cidr: string }
  | { readonly kind: "cidr6"; readonly cidr: string }
  | { readonly kind: "group"; readonly group: string };

export interface SecurityGroupEdge {
  /** Content-derived name suffix, unique within the graph, e.g. `webhost-in-tcp-22-from-default`. */
  readonly key: string;
  readonly group: string;
  readonly direction: "ingress" | "egress";
  /** AWS form: "tcp", "udp", "icmp", "icmpv6", "-1" or a protocol number. */
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly source: EdgeSource;
  readonly description: string;
  /** Config path of the rule (or of the group, for the implicit all-egress edge). */
  readonly path: string;
}

export interface SecurityGroupPlan {
  readonly groups: readonly {
    readonly name: string;
    readonly description: string;
    readonly tags: Readonly<Record<string, string>>;
  }[];
  readonly edges: readonly SecurityGroupEdge[];
  /** Whether any edge names the VPC's default group. */
  readonly usesDefault: boolean;
}

const PROTOCOL_NAMES: Readonly<Record<string, string>> = {
  tcp: "tcp",
  "6": "tcp",
  udp: "udp",
  "17": "udp",
  icmp: "icmp",
  "1": "icmp",
  icmpv6: "icmpv6",
  "58": "icmpv6",
  "-1": "-1",
  all: "-1",
};

/** Normalizes a protocol name or number to the AWS form, or undefined when it is not one. */
export function normalizeProtocol(p: string | number): string | undefined {
  const s = String(p).trim().toLowerCase();
  if (PROTOCOL_NAMES[s]) return PROTOCOL_NAMES[s];
  if (/^[0-9]+$/.test(s) && Number(s) <= 255) return String(Number(s));
  return undefined;
}

/** Classifies a `cidr_ip` entry: an IPv4 CIDR, an IPv6 CIDR, a group name, or an error text. */
export function classifySource(value: string): EdgeSource | { readonly error: string } {
  const v = value.trim();
  const slash = v.indexOf("/");
  const addr = slash < 0 ? v : v.slice(0, slash);
  if (net.isIPv4(addr) || net.isIPv6(addr)) {
    const v6 = net.isIPv6(addr);
    if (slash < 0)
      return {
        error: `expected a CIDR block, got the bare address "${v}"; did you mean "${v}/${v6 ? 128 : 32}"?`,
      };
    const prefixText = v.slice(slash + 1);
    const max = v6 ? 128 : 32;
    const prefix = Number(prefixText);
    if (!/^[0-9]{1,3}$/.test(prefixText) || prefix > max) {
      return { error: `expected a prefix length 0-${max} in CIDR "${v}"` };
    }
    if (!v6) {
      const canonical = canonicalV4(addr, prefix);
      if (canonical !== `${addr}/${prefix}`)
        return { error: `CIDR "${v}" has host bits set; did you mean "${canonical}"?` };
      return { kind: "cidr4", cidr: canonical };
    }
    return { kind: "cidr6", cidr: `${addr.toLowerCase()}/${prefix}` };
  }
  if (/^[0-9.:/]+$/.test(v))
    return { error: `expected an IPv4/IPv6 CIDR or a security group name, got "${v}"` };
  return { kind: "group", group: v };
}

function canonicalV4(addr: string, prefix: number): string {
  const n = addr.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const net4 = (n & mask) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (net4 >>> s) & 255).join(".")}/${prefix}`;
}

function portsSlug(protocol: string, from?: number, to?: number): string {
  if (from === undefined || to === undefined) return "all";
  if (protocol === "icmp" || protocol === "icmpv6") return `type${from}-code${to}`;
  return from === to ? `${from}` : `${from}-${to}`;
}

function sourceSlug(s: EdgeSource): string {
  return s.kind === "group" ? s.group : s.cidr.replace(/\//g, "_").replace(/:/g, "-");
}

function sourceText(s: EdgeSource): string {
  return s.kind === "group" ? `security group ${s.group}` : s.cidr;
}

function protocolText(protocol: string, from?: number, to?: number): string {
  if (protocol === "-1") return "all traffic";
  const name = /^[0-9]+$/.test(protocol) ? `protocol ${protocol}` : protocol;
  if (from === undefined || to === undefined) return name;
  if (protocol === "icmp" || protocol === "icmpv6") return `${name} type ${from} code ${to}`;
  return from === to ? `${name} ${from}` : `${name} ${from}-${to}`;
}

interface Ports {
  readonly fromPort?: number;
  readonly toPort?: number;
}

/** Checks a rule's ports for its protocol; returns the ports to use or pushes issues. */
function checkPorts(rule: RuleModel, issues: ConfigIssue[]): Ports | undefined {
  const { protocol, fromPort, toPort } = rule;
  if (protocol === "tcp" || protocol === "udp") {
    if (fromPort === undefined || toPort === undefined) {
      issues.push({ path: rule.path, message: `${protocol} rules need from_port and to_port (0-65535)` });
      return undefined;
    }
    let ok = true;
    for (const [key, p] of [
      ["from_port", fromPort],
      ["to_port", toPort],
    ] as const) {
      if (p < 0 || p > 65535) {
        issues.push({ path: sub(rule.path, key), message: `expected a port 0-65535, got ${p}` });
        ok = false;
      }
    }
    if (ok && fromPort > toPort) {
      issues.push({ path: rule.path, message: `from_port ${fromPort} is greater than to_port ${toPort}` });
      ok = false;
    }
    return ok ? { fromPort, toPort } : undefined;
  }
  if (protocol === "icmp" || protocol === "icmpv6") {
    if (fromPort === undefined && toPort === undefined) return { fromPort: -1, toPort: -1 };
    let ok = true;
    for (const [key, p] of [
      ["from_port", fromPort],
      ["to_port", toPort],
    ] as const) {
      if (p === undefined || p < -1 || p > 255) {
        issues.push({
          path: sub(rule.path, key),
          message: `expected an ICMP ${key === "from_port" ? "type" : "code"} -1-255, got ${p ?? "nothing"}`,
        });
        ok = false;
      }
    }
    return ok ? { fromPort, toPort } : undefined;
  }
  // All protocols, or a protocol without ports: AWS ignores ports, so a range given here is a mistake.
  const isAll = fromPort === undefined && toPort === undefined;
  const isFullRange = (fromPort === -1 && toPort === -1) || (fromPort === 0 && toPort === 65535);
  if (!isAll && !isFullRange) {
    issues.push({
      path: rule.path,
      message: `protocol ${protocol === "-1" ? "all (-1)" : protocol} covers every port; remove from_port/to_port or use tcp/udp`,
    });
    return undefined;
  }
  return {};
}

/** Every problem in the groups, with its config path; empty when the graph can be planned. */
export function checkSecurityGroups(groups: readonly SecurityGroupModel[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  planInto(groups, issues);
  return issues;
}

/** Plans the graph; throws on the first call with problems (use checkSecurityGroups to list them). */
export function planSecurityGroups(groups: readonly SecurityGroupModel[]): SecurityGroupPlan {
  const issues: ConfigIssue[] = [];
  const plan = planInto(groups, issues);
  if (issues.length > 0) {
    throw new Error(
      `security groups cannot be planned:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join("\n")}`,
    );
  }
  return plan;
}

function planInto(groups: readonly SecurityGroupModel[], issues: ConfigIssue[]): SecurityGroupPlan {
  const firstPath = new Map<string, string>();
  for (const g of groups) {
    if (g.name === DEFAULT_GROUP) {
      issues.push({
        path: sub(g.path, "name"),
        message: `"default" is the VPC's default security group and cannot be defined here; pick another name`,
      });
      continue;
    }
    const seen = firstPath.get(g.name);
    if (seen !== undefined) {
      issues.push({
        path: sub(g.path, "name"),
        message: `duplicate security group name "${g.name}" (first defined at ${seen})`,
      });
    } else firstPath.set(g.name, sub(g.path, "name"));
  }
  const known = new Set([...firstPath.keys(), DEFAULT_GROUP]);
  const edges: SecurityGroupEdge[] = [];
  const edgePaths = new Map<string, string>();
  let usesDefault = false;

  const addRule = (g: SecurityGroupModel, rule: RuleModel, direction: "ingress" | "egress") => {
    const ports = checkPorts(rule, issues);
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
      if (source.kind === "group" && source.group === DEFAULT_GROUP) usesDefault = true;
      const dir = direction === "ingress" ? "in" : "out";
      const key = `${g.name}-${dir}-${rule.protocol === "-1" ? "all" : rule.protocol}-${portsSlug(rule.protocol, ports.fromPort, ports.toPort)}-${direction === "ingress" ? "from" : "to"}-${sourceSlug(source)}`;
      const dup = edgePaths.get(key);
      if (dup !== undefined) {
        issues.push({
          path: srcPath,
          message: `duplicate rule: ${g.name} already has this ${direction} rule at ${dup}`,
        });
        return;
      }
      edgePaths.set(key, srcPath);
      const what = `${protocolText(rule.protocol, ports.fromPort, ports.toPort)} ${direction === "ingress" ? "from" : "to"} ${sourceText(source)}`;
      edges.push({
        key,
        group: g.name,
        direction,
        protocol: rule.protocol,
        ...ports,
        source,
        description: rule.description ?? `pillar ${g.name}: ${what}`,
        path: rule.path,
      });
    });
  };

  for (const g of groups) {
    // A duplicate's rules would only repeat errors about the group it clashes with.
    if (g.name === DEFAULT_GROUP || firstPath.get(g.name) !== sub(g.path, "name")) continue;
    for (const r of g.rules) addRule(g, r, "ingress");
    if (g.egress === undefined) {
      const implicit: RuleModel = {
        protocol: "-1",
        sources: ["0.0.0.0/0"],
        sourcePaths: [sub(g.path, "rules_egress")],
        description: `pillar ${g.name}: all egress (the AWS default, made explicit)`,
        path: sub(g.path, "rules_egress"),
      };
      addRule(g, implicit, "egress");
    } else for (const r of g.egress) addRule(g, r, "egress");
  }
  edges.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const planned = groups
    .filter((g) => g.name !== DEFAULT_GROUP && firstPath.get(g.name) === sub(g.path, "name"))
    .map((g) => ({ name: g.name, description: g.description, tags: g.tags }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { groups: planned, edges, usesDefault };
}
