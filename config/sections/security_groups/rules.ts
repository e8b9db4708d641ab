/**
 * The parts of a security-group rule that decide what it allows: its protocol in AWS's form, its
 * ports as AWS takes them for the protocol, and each `cidr_ip` entry as a CIDR or a group name; and
 * the content-derived name of one (rule, source), which is both what makes two rules the same rule
 * and what the planner names its resource.
 */
import * as net from "node:net";
import { ConfigIssue, sub } from "../../issues";

/** Where a rule's traffic comes from (ingress) or goes to (egress). `group` may be `default`. */
export type RuleSource =
  | { readonly kind: "cidr4"; readonly cidr: string }
  | { readonly kind: "cidr6"; readonly cidr: string }
  | { readonly kind: "group"; readonly group: string };

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
export function classifySource(value: string): RuleSource | { readonly error: string } {
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

function sourceSlug(s: RuleSource): string {
  return s.kind === "group" ? s.group : s.cidr.replace(/\//g, "_").replace(/:/g, "-");
}

/**
 * The content-derived name of one (rule, source), unique within the stack's groups: what makes two
 * rules the same rule (a duplicate here) and what the planner names its resource. Built from content
 * only, so reordering YAML lists never renames a resource.
 */
export function edgeKey(
  group: string,
  direction: "ingress" | "egress",
  rule: { readonly protocol: string } & Ports,
  source: RuleSource,
): string {
  const { protocol, fromPort, toPort } = rule;
  return `${group}-${direction === "ingress" ? "in" : "out"}-${protocol === "-1" ? "all" : protocol}-${portsSlug(protocol, fromPort, toPort)}-${direction === "ingress" ? "from" : "to"}-${sourceSlug(source)}`;
}

/** What a rule's ports are checked from. */
export interface PortsOf {
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly path: string;
}

export interface Ports {
  readonly fromPort?: number;
  readonly toPort?: number;
}

/** Checks a rule's ports for its protocol; returns the ports AWS takes for it, or pushes issues. */
export function checkPorts(rule: PortsOf, issues: ConfigIssue[]): Ports | undefined {
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
