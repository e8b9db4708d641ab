/**
 * The AWS provider's plan-time rules, as one table keyed by type token, run by the offline plan over
 * every recorded resource after physical names are computed. A rule refuses a value the AWS provider
 * would refuse in `pulumi preview` (stage `preview`: a terraform-provider-aws validator the bridge
 * runs in Check) or that AWS itself would refuse when the resource is created (stage `apply`: the
 * AWS API's constraint). Either way a real deploy fails, so the plan exits 1.
 *
 * How to add a rule (e.g. for a type your branch starts creating):
 * 1. In the service's file under rules/ (or a new one, merged into PROVIDER_RULES below), add an
 *    entry under the type token (`aws:dlm/lifecyclePolicy:LifecyclePolicy`), built from kit.ts:
 *      { id: "dlm-policy-description", property: "description", stage: "preview",
 *        source: "terraform-provider-aws internal/service/dlm/lifecycle_policy.go (description: …)",
 *        check: stringLenBetween("description", 1, 500),
 *        examples: { pass: [{ value: "daily" }], fail: [{ value: "", message: "expected length …" }] } }
 *    `property` is a path into the inputs: `a.b`, `list[].field`, `map{}` (each value, the key in
 *    `parent.$key`), `map{key}` (each key). Use the source's words in messages; cite the validator
 *    (file and function) or the AWS API reference in `source`.
 * 2. The examples are the rule's test: test/provider/rules.test.ts runs every pass and fail example
 *    of every rule (exact messages), and fails a rule without both. Add a stack to the mutated-stack
 *    table there when the value comes from config, and refuse it in config/ too (config/providerLimits.ts)
 *    so the user gets the path to change.
 * 3. A physically named type also needs its entry in ../naming.ts (property, uniqueness scope, the
 *    bridge's auto-name options from pulumi-aws provider/resources.go).
 * 4. Rules across resources (uniqueness, totals per role, tag counts with the provider's default
 *    tags) live in stack.ts.
 */
import { unknownValue as UNKNOWN_SENTINEL } from "@pulumi/pulumi/runtime/rpc";
import { AutonamingModel } from "../../config/autonaming";
import type { RegisteredResource } from "../resource";
import { effectiveInputs, hasUnknown } from "./inputs";
import { AUTOSCALING_RULES } from "./autoscaling";
import { CLOUDWATCH_RULES } from "./cloudwatch";
import { DLM_RULES } from "./dlm";
import { EBS_RULES } from "./ebs";
import { EC2_RULES } from "./ec2";
import { ELB_RULES } from "./elb";
import { IAM_RULES } from "./iam";
import { Inputs, ProviderRule } from "./kit";
import { LAMBDA_RULES } from "./lambda";
import { LB_RULES } from "./lb";
import { MESSAGING_RULES } from "./messaging";
import { SECURITY_GROUP_RULES } from "./securityGroups";
import { STACK_RULES } from "./stack";
import { STORAGE_RULES } from "./storage";
import { PROVIDER_RESOURCE_RULES, TAG_RULES } from "./tags";

export type { ProviderRule } from "./kit";
export { effectiveInputs, hasUnknown, unwrapDeep } from "./inputs";

/** Every rule, by type token. Tag rules apply to every `aws:` type besides these. */
export const PROVIDER_RULES: Readonly<Record<string, readonly ProviderRule[]>> = merge(
  SECURITY_GROUP_RULES,
  EC2_RULES,
  EBS_RULES,
  ELB_RULES,
  LB_RULES,
  IAM_RULES,
  AUTOSCALING_RULES,
  CLOUDWATCH_RULES,
  LAMBDA_RULES,
  MESSAGING_RULES,
  STORAGE_RULES,
  DLM_RULES,
  PROVIDER_RESOURCE_RULES,
);
export { TAG_RULES, STACK_RULES };

function merge(
  ...tables: Readonly<Record<string, readonly ProviderRule[]>>[]
): Record<string, ProviderRule[]> {
  const out: Record<string, ProviderRule[]> = {};
  for (const t of tables) for (const [type, rules] of Object.entries(t)) (out[type] ??= []).push(...rules);
  return out;
}

/** A value the provider (or AWS) would refuse. */
export interface ProviderViolation {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** Where, as a path into the inputs: `listeners[0].lbPort`, `tags["aws:owner"]`. */
  readonly property: string;
  readonly value: unknown;
  readonly rule: string;
  readonly stage: "preview" | "apply";
  readonly message: string;
  readonly source: string;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const step = (path: string, key: string | number): string =>
  typeof key === "number"
    ? `${path}[${key}]`
    : KEY.test(key)
      ? path
        ? `${path}.${key}`
        : key
      : `${path}[${JSON.stringify(key)}]`;

export interface Selected {
  readonly path: string;
  readonly value: unknown;
  readonly parent: Inputs;
}

/** The values a rule's property path points at. */
export function select(inputs: Inputs, property: string): Selected[] {
  let current: Selected[] = [{ path: "", value: inputs, parent: inputs }];
  for (const segment of property.split(".")) {
    const m = /^([^[{]*)(\[\]|\{\}|\{key\})?$/.exec(segment);
    if (!m) throw new Error(`bad property path ${property}`);
    const [, field, each] = m as unknown as [string, string, string | undefined];
    const next: Selected[] = [];
    for (const s of current) {
      if (s.value === null || typeof s.value !== "object" || Array.isArray(s.value)) continue;
      const holder = s.value as Inputs;
      const v = holder[field];
      if (v === undefined || v === null) continue;
      const at = step(s.path, field);
      if (each === undefined) next.push({ path: at, value: v, parent: holder });
      else if (each === "[]" && Array.isArray(v))
        v.forEach((e, i) => next.push({ path: step(at, i), value: e, parent: (e ?? {}) as Inputs }));
      else if ((each === "{}" || each === "{key}") && typeof v === "object" && !Array.isArray(v))
        for (const [k, x] of Object.entries(v as Inputs))
          next.push({
            path: step(at, k),
            value: each === "{key}" ? k : x,
            parent: { ...(v as Inputs), $key: k },
          });
    }
    current = next;
  }
  return current;
}

/** Runs every rule over every resource, then the stack-wide rules. */
export function checkProvider(
  resources: readonly RegisteredResource[],
  autonaming?: AutonamingModel,
): ProviderViolation[] {
  const out: ProviderViolation[] = [];
  for (const r of resources) {
    if (!r.custom) continue;
    const rules = [...(PROVIDER_RULES[r.type] ?? []), ...(r.type.startsWith("aws:") ? TAG_RULES : [])];
    if (rules.length === 0) continue;
    const inputs = effectiveInputs(r);
    for (const rule of rules) {
      for (const s of select(inputs, rule.property)) {
        if (s.value === UNKNOWN_SENTINEL || (!rule.allowUnknown && hasUnknown(s.value))) continue;
        const message = rule.check(s.value, inputs, s.parent);
        if (message === undefined) continue;
        out.push({
          urn: r.urn,
          type: r.type,
          name: r.name,
          property: s.path,
          value: s.value,
          rule: rule.id,
          stage: rule.stage,
          message,
          source: rule.source,
        });
      }
    }
  }
  for (const rule of STACK_RULES) out.push(...rule.check(resources, autonaming));
  return out;
}

/** A violation as the CLI shows a failed Check (`… has a problem: … Examine values at …`), or AWS's refusal. */
export function describeViolation(v: ProviderViolation): string {
  return v.stage === "preview"
    ? `${v.type} resource '${v.name}' has a problem: ${v.message}. Examine values at '${v.name}.${v.property}'.`
    : `${v.type} resource '${v.name}': ${v.message}`;
}
