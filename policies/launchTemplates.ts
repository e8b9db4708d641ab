// Instances and groups that take their settings from a launch template: ec2-imdsv2-required and
// ec2-ebs-encrypted judge the template itself, so a template from outside the stack means nothing
// about the instance was checked.

import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { T } from "./types";
import { field, isObject, isUnknown, plain, show } from "./values";

/** One place a resource names a launch template: the value, where it sits, and the dependency key. */
interface Reference {
  readonly where: string;
  readonly value: unknown;
  readonly kind: "id" | "name" | "whole";
  readonly dependencyKey: string;
}

function specReferences(
  spec: unknown,
  where: string,
  keys: { id: string; name: string },
  dependencyKey: string,
): Reference[] {
  if (spec === undefined || spec === null) {
    return [];
  }
  if (isUnknown(spec) || !isObject(spec)) {
    return [{ where, value: spec, kind: "whole", dependencyKey }];
  }
  const id = field(spec, keys.id);
  const name = field(spec, keys.name);
  return [
    ...(id !== undefined && id !== null && id !== ""
      ? [{ where: `${where}.${keys.id}`, value: id, kind: "id" as const, dependencyKey }]
      : []),
    ...(name !== undefined && name !== null && name !== ""
      ? [{ where: `${where}.${keys.name}`, value: name, kind: "name" as const, dependencyKey }]
      : []),
  ];
}

const INSTANCE_KEYS = { id: "id", name: "name" };
const MIXED_KEYS = { id: "launchTemplateId", name: "launchTemplateName" };

/** Every launch template reference of an instance or an autoscaling group. */
function references(r: PolicyResource): Reference[] {
  const props = plain(r.props);
  const direct = specReferences(
    field(props, "launchTemplate"),
    "launchTemplate",
    INSTANCE_KEYS,
    "launchTemplate",
  );
  if (r.type === T.instance) {
    return direct;
  }
  const mixed = field(field(props, "mixedInstancesPolicy"), "launchTemplate");
  if (isUnknown(mixed)) {
    return [
      ...direct,
      {
        where: "mixedInstancesPolicy.launchTemplate",
        value: mixed,
        kind: "whole",
        dependencyKey: "mixedInstancesPolicy",
      },
    ];
  }
  const base = "mixedInstancesPolicy.launchTemplate";
  const overrides = field(mixed, "overrides");
  return [
    ...direct,
    ...specReferences(
      field(mixed, "launchTemplateSpecification"),
      `${base}.launchTemplateSpecification`,
      MIXED_KEYS,
      "mixedInstancesPolicy",
    ),
    ...(Array.isArray(overrides) ? overrides : []).flatMap((o, i) =>
      specReferences(
        field(o, "launchTemplateSpecification"),
        `${base}.overrides[${i}].launchTemplateSpecification`,
        MIXED_KEYS,
        "mixedInstancesPolicy",
      ),
    ),
  ];
}

/**
 * The launch templates of this stack an instance or group launches from (`templates`), and whether
 * some reference could not be placed (`unplaced`: outside the stack, or unknown and untraced).
 */
export function launchTemplatesOf(
  r: PolicyResource,
  all: readonly PolicyResource[],
): { templates: PolicyResource[]; unplaced: boolean } {
  const templates = all.filter((t) => t.type === T.launchTemplate);
  const found = new Set<PolicyResource>();
  let unplaced = false;
  for (const ref of references(r)) {
    const target = resolve(ref, r, templates);
    if (target === "no" || target === "unknown") {
      unplaced = true;
    } else {
      target.forEach((t) => found.add(t));
    }
  }
  return { templates: [...found], unplaced };
}

/**
 * Which launch templates of this stack a reference points at. A known value must be a template's
 * known id or name; when the templates it depends on have no known id or name yet (a preview), the
 * dependency is the ground truth the engine recorded. An unknown value is a template's when its
 * property dependencies name one.
 */
function resolve(
  ref: Reference,
  r: PolicyResource,
  templates: readonly PolicyResource[],
): PolicyResource[] | "no" | "unknown" {
  const deps = (r.propertyDependencies[ref.dependencyKey] ?? []).filter((d) => d.type === T.launchTemplate);
  if (isUnknown(ref.value)) {
    return deps.length > 0 ? deps : "unknown";
  }
  const key = ref.kind === "name" ? "name" : "id";
  const known = (t: PolicyResource): unknown => field(plain(t.props), key);
  const byValue = templates.filter((t) => known(t) === ref.value);
  if (byValue.length > 0) {
    return byValue;
  }
  const unseen = deps.filter((t) => isUnknown(known(t)) || known(t) === undefined);
  return unseen.length > 0 ? unseen : "no";
}

export const ec2LaunchTemplateInStack: StackValidationPolicy = {
  name: "ec2-launch-template-in-stack",
  description:
    "Checks that instances and autoscaling groups that launch from a launch template launch from one this stack defines: IMDSv2 and EBS encryption are checked on the template, so a template from outside the stack leaves both unverified.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const templates = args.resources.filter((r) => r.type === T.launchTemplate);
    for (const r of args.resources) {
      const kind =
        r.type === T.instance ? "Instance" : r.type === T.autoscalingGroup ? "Autoscaling group" : "";
      if (kind === "") {
        continue;
      }
      const rule = `${kind} "${r.name}" must launch from a launch template this stack defines, so that IMDSv2 (ec2-imdsv2-required) and EBS encryption (ec2-ebs-encrypted) are checked`;
      for (const ref of references(r)) {
        const verdict = resolve(ref, r, templates);
        if (verdict === "unknown") {
          reportViolation(
            `${rule}; cannot be verified at preview: ${ref.where} is unknown and its dependencies name no launch template of this stack.`,
            r.urn,
          );
        } else if (verdict === "no") {
          const named = ref.kind === "id" && typeof ref.value === "string" ? ref.value : show(ref.value);
          reportViolation(
            `${rule}; cannot be verified: it launches from launch template ${named} (${ref.where}), which this stack does not define.`,
            r.urn,
          );
        }
      }
    }
  },
};
