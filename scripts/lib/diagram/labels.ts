/**
 * Reading recorded inputs for the diagram: known-or-"?" values, property dependencies, tags, and the
 * labels drawn on nodes and edges (ports, alarms, scaling policies, listeners, literal ARNs).
 */
import { KNOWN_AFTER_APPLY, RecordedResource } from "../record";

export function isKnown(value: unknown): boolean {
  return value !== undefined && value !== null && value !== KNOWN_AFTER_APPLY;
}

export function str(value: unknown): string {
  return isKnown(value) ? String(value) : "?";
}

export function deps(r: RecordedResource, property: string): readonly string[] {
  return r.propertyDependencies[property] ?? [];
}

export function allDeps(r: RecordedResource, exclude: readonly string[] = []): string[] {
  const out = new Set<string>();
  for (const [property, urns] of Object.entries(r.propertyDependencies)) {
    if (exclude.includes(property)) continue;
    for (const urn of urns) out.add(urn);
  }
  return [...out];
}

/** Every string anywhere inside a value (inputs are plain JSON). */
export function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out);
  else if (value !== null && typeof value === "object")
    for (const v of Object.values(value)) stringsIn(v, out);
  return out;
}

export function tag(r: RecordedResource, key: string): string | undefined {
  const tags = r.inputs.tags;
  if (tags !== null && typeof tags === "object" && !Array.isArray(tags)) {
    const v = (tags as Record<string, unknown>)[key];
    if (typeof v === "string" && isKnown(v)) return v;
  }
  return undefined;
}

const PROTOCOLS: Readonly<Record<string, string>> = {
  "-1": "all",
  "6": "tcp",
  "17": "udp",
  "1": "icmp",
  "58": "icmpv6",
};

/** "tcp 22", "tcp 80-90", "all", "icmp", "udp all". */
export function portLabel(ipProtocol: unknown, fromPort: unknown, toPort: unknown): string {
  const raw = str(ipProtocol).toLowerCase();
  const proto = PROTOCOLS[raw] ?? raw;
  if (proto === "all") return "all";
  const from = str(fromPort);
  const to = isKnown(toPort) ? String(toPort) : from;
  if (proto === "icmp" || proto === "icmpv6") {
    if (from === "-1" || fromPort === undefined) return proto;
    return to === "-1" ? `${proto} ${from}` : `${proto} ${from}/${to}`;
  }
  if (fromPort === undefined && toPort === undefined) return `${proto} all`;
  if ((from === "0" || from === "-1") && (to === "65535" || to === "-1")) return `${proto} all`;
  return from === to ? `${proto} ${from}` : `${proto} ${from}-${to}`;
}

const COMPARISONS: Readonly<Record<string, string>> = {
  GreaterThanOrEqualToThreshold: ">=",
  GreaterThanThreshold: ">",
  LessThanThreshold: "<",
  LessThanOrEqualToThreshold: "<=",
  LessThanLowerOrGreaterThanUpperThreshold: "outside band",
  LessThanLowerThreshold: "below band",
  GreaterThanUpperThreshold: "above band",
};

/** "CPUUtilization >= 70". */
export function alarmLabel(inputs: Record<string, unknown>): string {
  const metric = isKnown(inputs.metricName) ? String(inputs.metricName) : "metric query";
  const op = COMPARISONS[str(inputs.comparisonOperator)] ?? str(inputs.comparisonOperator);
  const threshold = isKnown(inputs.threshold)
    ? String(inputs.threshold)
    : isKnown(inputs.thresholdMetricId)
      ? String(inputs.thresholdMetricId)
      : "?";
  return op.endsWith("band") ? `${metric} ${op}` : `${metric} ${op} ${threshold}`;
}

export function alarmDetail(inputs: Record<string, unknown>): string | undefined {
  const stat = isKnown(inputs.statistic)
    ? String(inputs.statistic)
    : isKnown(inputs.extendedStatistic)
      ? String(inputs.extendedStatistic)
      : undefined;
  if (stat === undefined || !isKnown(inputs.evaluationPeriods) || !isKnown(inputs.period)) return stat;
  return `${stat.toLowerCase()} of ${String(inputs.evaluationPeriods)} × ${String(inputs.period)} s`;
}

export function policyDetail(inputs: Record<string, unknown>): string {
  const adj = inputs.scalingAdjustment;
  if (!isKnown(adj)) return str(inputs.policyType);
  const n = Number(adj);
  switch (inputs.adjustmentType) {
    case "PercentChangeInCapacity":
      return `${n > 0 ? "+" : ""}${n} %`;
    case "ExactCapacity":
      return `= ${n} instance${n === 1 ? "" : "s"}`;
    default:
      return `${n > 0 ? "+" : ""}${n} instance${Math.abs(n) === 1 ? "" : "s"}`;
  }
}

/** An ALB listener: `HTTPS 443 → forward`, `HTTP 80 → redirect HTTPS 443`. */
export function albListenerLine(inputs: Record<string, unknown>): string {
  const actions = Array.isArray(inputs.defaultActions)
    ? (inputs.defaultActions as Record<string, unknown>[])
    : [];
  const first = actions[0] ?? {};
  const redirect = (first.redirect ?? {}) as Record<string, unknown>;
  const action =
    first.type === "redirect" ? `redirect ${str(redirect.protocol)} ${str(redirect.port)}` : str(first.type);
  return `${str(inputs.protocol)} ${str(inputs.port)} → ${action}`;
}

export function listenerLines(inputs: Record<string, unknown>): string[] {
  const listeners = Array.isArray(inputs.listeners) ? (inputs.listeners as Record<string, unknown>[]) : [];
  return listeners.map((l) => {
    const front = `${str(l.lbProtocol).toUpperCase()} ${str(l.lbPort)}`;
    const back = `${str(l.instanceProtocol).toUpperCase()} ${str(l.instancePort)}`;
    return `${front} → ${back}`;
  });
}

/** Label for an action given as a literal ARN (an existing topic, an EC2 action, …). */
export function externalLines(arn: string): string[] {
  const parts = arn.split(":");
  const service = parts[2] ?? "";
  const resource = parts.slice(5).join(":");
  if (service === "sns") return [`SNS ${resource}`, "(existing topic)"];
  return [resource || arn, `(existing ${service || "resource"})`];
}
