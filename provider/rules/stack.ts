/**
 * Rules across resources: what the provider cannot name, names AWS keeps unique, inline policies
 * per role, tags per resource with the provider's default tags.
 *
 * Sources: pulumi-terraform-bridge pkg/tfbridge/info/autonaming.go (a Check that cannot make a name
 * fails); AWS: CreateSecurityGroup ("Names are case-insensitive and must be unique within the VPC"),
 * CreateLoadBalancer, CreateAutoScalingGroup, PutMetricAlarm (PutMetricAlarm replaces an alarm of the
 * same name: two resources would fight over one alarm), CreateTopic (returns the existing topic: two
 * resources would share it), IAM ("names must be unique within the account", not case-sensitive);
 * "IAM and AWS STS quotas" (inline role policies 10,240 characters in total); EC2 tag restrictions
 * (50 user tags per resource, the provider's default tags included).
 */
import { AutonamingModel } from "../../config/autonaming";
import type { RegisteredResource } from "../resource";
import { NAMING } from "../naming";
import type { ProviderViolation } from "./index";
import { effectiveInputs, hasUnknown } from "./inputs";
import { policyLength, ROLE_INLINE_POLICIES_MAX } from "./iam";
import { q } from "./kit";
import { TAGS_PER_RESOURCE } from "./tags";
import { TYPES } from "../types";

export interface StackRule {
  readonly id: string;
  readonly stage: "preview" | "apply";
  readonly source: string;
  readonly check: (
    resources: readonly RegisteredResource[],
    autonaming?: AutonamingModel,
  ) => ProviderViolation[];
}

const violation = (
  rule: StackRule,
  r: RegisteredResource,
  property: string,
  value: unknown,
  message: string,
): ProviderViolation => ({
  urn: r.urn,
  type: r.type,
  name: r.name,
  property,
  value,
  rule: rule.id,
  stage: rule.stage,
  message,
  source: rule.source,
});

const autonameFails: StackRule = {
  id: "provider-autoname",
  stage: "preview",
  source: "pulumi-terraform-bridge pkg/tfbridge/info/autonaming.go (ComputeAutoNameDefault)",
  check(resources) {
    return resources.flatMap((r) =>
      r.physicalName?.error !== undefined
        ? [violation(this, r, r.physicalName.property, null, r.physicalName.error)]
        : [],
    );
  },
};

const uniqueNames: StackRule = {
  id: "aws-name-unique",
  stage: "apply",
  source: "AWS: names unique per scope (security groups per VPC, IAM per account, the rest per region)",
  check(resources) {
    const seen = new Map<string, RegisteredResource>();
    const out: ProviderViolation[] = [];
    for (const r of resources) {
      const spec = NAMING[r.type];
      const name = r.physicalName?.value;
      if (!spec || name === undefined) continue;
      const scope = spec.scope(r);
      const key = `${r.type}\u0000${scope}\u0000${spec.caseInsensitive ? name.toLowerCase() : name}`;
      const first = seen.get(key);
      if (!first) {
        seen.set(key, r);
        continue;
      }
      out.push(
        violation(
          this,
          r,
          spec.property,
          name,
          `AWS keeps one ${spec.what} named ${q(name)} in ${scope}${spec.caseInsensitive ? " (ignoring case)" : ""}, and ${first.urn} has it already`,
        ),
      );
    }
    return out;
  },
};

const roleInlinePolicies: StackRule = {
  id: "iam-role-inline-policies-size",
  stage: "apply",
  source:
    "AWS IAM and AWS STS quotas (inline policies of a role: 10,240 characters in total, white space not counted)",
  check(resources) {
    const byRole = new Map<string, { total: number; last: RegisteredResource }>();
    for (const r of resources) {
      if (r.type !== TYPES.iam.RolePolicy) continue;
      const policy = effectiveInputs(r).policy;
      if (typeof policy !== "string" || hasUnknown(policy)) continue;
      const role = r.propertyDependencies.role?.[0] ?? String(effectiveInputs(r).role);
      const entry = byRole.get(role) ?? { total: 0, last: r };
      byRole.set(role, { total: entry.total + policyLength(policy), last: r });
    }
    return [...byRole.entries()]
      .filter(([, e]) => e.total > ROLE_INLINE_POLICIES_MAX)
      .map(([role, e]) =>
        violation(
          this,
          e.last,
          "policy",
          e.total,
          `AWS refuses inline policies of ${e.total} characters in total on role ${role}: at most ${ROLE_INLINE_POLICIES_MAX}`,
        ),
      );
  },
};

/** The provider's default tags, from its registration (provider inputs arrive as JSON strings). */
function defaultTags(
  r: RegisteredResource,
  byUrn: ReadonlyMap<string, RegisteredResource>,
): Record<string, unknown> {
  const providerUrn = r.provider?.split("::").slice(0, -1).join("::");
  const p = providerUrn !== undefined ? byUrn.get(providerUrn) : undefined;
  let dt = p ? effectiveInputs(p).defaultTags : undefined;
  if (typeof dt === "string") {
    try {
      dt = JSON.parse(dt);
    } catch {
      dt = undefined;
    }
  }
  const tags = dt !== null && typeof dt === "object" ? (dt as { tags?: unknown }).tags : undefined;
  return tags !== null && typeof tags === "object" ? (tags as Record<string, unknown>) : {};
}

const tagCount: StackRule = {
  id: "tag-count",
  stage: "apply",
  source: "AWS tag restrictions (at most 50 user tags per resource, the provider's default tags included)",
  check(resources) {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const out: ProviderViolation[] = [];
    for (const r of resources) {
      if (!r.custom || !r.type.startsWith("aws:")) continue;
      const tags = effectiveInputs(r).tags;
      if (tags === null || typeof tags !== "object" || Array.isArray(tags)) continue;
      const all = new Set([...Object.keys(defaultTags(r, byUrn)), ...Object.keys(tags)]);
      if (all.size > TAGS_PER_RESOURCE)
        out.push(
          violation(
            this,
            r,
            "tags",
            all.size,
            `AWS refuses ${all.size} tags (with the provider's default tags): at most ${TAGS_PER_RESOURCE}`,
          ),
        );
    }
    return out;
  },
};

export const STACK_RULES: readonly StackRule[] = [autonameFails, uniqueNames, roleInlinePolicies, tagCount];
