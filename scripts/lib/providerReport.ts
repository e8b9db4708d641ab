/** How the offline plan shows what the AWS provider (or AWS) would refuse. */
import {
  describeViolation,
  PROVIDER_RULES,
  ProviderViolation,
  STACK_RULES,
  TAG_RULES,
} from "../../provider/rules";

const shortType = (type: string): string => type.replace(/^aws:([a-z0-9]+)\/[a-zA-Z0-9]+:/, "aws:$1:");

const shown = (v: unknown): string => {
  const s = typeof v === "string" ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
};

function section(title: string, list: readonly ProviderViolation[]): string[] {
  if (list.length === 0) return [];
  return [
    title,
    ...list.flatMap((v) => [
      `    ${shortType(v.type)} ${v.name}: ${v.property}${v.value === null ? "" : ` = ${shown(v.value)}`}`,
      `        ${describeViolation(v)}`,
      `        rule ${v.rule}: ${v.source}`,
    ]),
  ];
}

/** The plan's text section: what would be refused at preview, what at create, or that nothing is. */
export function formatProviderViolations(
  violations: readonly ProviderViolation[],
  resourceCount: number,
): string {
  if (violations.length === 0) {
    const rules =
      Object.values(PROVIDER_RULES).reduce((n, r) => n + r.length, 0) + TAG_RULES.length + STACK_RULES.length;
    return `Provider checks: the AWS provider and AWS would accept every resource (${rules} rules over ${resourceCount} resources).`;
  }
  return [
    ...section(
      "The AWS provider would reject this at preview:",
      violations.filter((v) => v.stage === "preview"),
    ),
    ...section(
      "AWS would reject this when the resources are created:",
      violations.filter((v) => v.stage === "apply"),
    ),
  ].join("\n");
}

/** `provider.violations` of the JSON document. */
export function providerViolationsJson(violations: readonly ProviderViolation[]): Record<string, unknown>[] {
  return violations.map((v) => ({
    urn: v.urn,
    type: v.type,
    name: v.name,
    property: v.property,
    value: v.value,
    rule: v.rule,
    stage: v.stage,
    message: v.message,
    source: v.source,
  }));
}
