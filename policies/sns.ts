// SNS policies: no topic anyone on the internet can publish to.

import { ResourceValidationPolicy } from "@pulumi/policy";
import { T } from "./types";
import { field, isObject, isUnknown, plain } from "./values";

/** Condition keys that tie an anonymous principal to a specific caller, account or source resource. */
const RESTRICTING_KEYS: ReadonlySet<string> = new Set([
  "aws:sourcearn",
  "aws:sourceaccount",
  "aws:sourceowner",
  "aws:principalorgid",
  "aws:principalaccount",
  "aws:sourcevpce",
]);

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

/** "*" or an ARN for every account ("arn:aws:iam::*:root"), which IAM treats the same way. */
function isAnyone(value: unknown): boolean {
  return value === "*" || (typeof value === "string" && /^arn:aws[a-z-]*:iam::\*:/.test(value));
}

function isEveryone(principal: unknown): boolean {
  if (principal === "*") {
    return true;
  }
  return isObject(principal) && asList(principal["AWS"]).some(isAnyone);
}

/** Whether an action pattern (`sns:Publish`, `sns:*`, `*`, `SNS:Pub*`) matches sns:Publish. */
function matchesPublish(action: unknown): boolean {
  if (typeof action !== "string") {
    return false;
  }
  const pattern = new RegExp(
    `^${action
      .toLowerCase()
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  );
  return pattern.test("sns:publish");
}

function restricted(condition: unknown): boolean {
  if (!isObject(condition)) {
    return false;
  }
  return Object.values(condition).some(
    (byKey) => isObject(byKey) && Object.keys(byKey).some((k) => RESTRICTING_KEYS.has(k.toLowerCase())),
  );
}

/** Problems with one policy document, each phrased to follow "it ...". */
export function publicStatements(document: unknown): string[] {
  const statements = asList(field(document, "Statement"));
  const problems: string[] = [];
  statements.forEach((s, i) => {
    if (field(s, "Effect") !== "Allow") {
      return;
    }
    const label = typeof field(s, "Sid") === "string" ? `"${String(field(s, "Sid"))}"` : `#${i}`;
    if (field(s, "NotPrincipal") !== undefined) {
      problems.push(`allows everyone but NotPrincipal in statement ${label}`);
      return;
    }
    if (!isEveryone(field(s, "Principal"))) {
      return;
    }
    const publishes =
      field(s, "NotAction") !== undefined || asList(field(s, "Action")).some((a) => matchesPublish(a));
    if (publishes) {
      problems.push(`allows Principal "*" to sns:Publish in statement ${label}`);
    } else if (!restricted(field(s, "Condition"))) {
      problems.push(
        `allows Principal "*" without an aws:SourceArn/SourceAccount/SourceOwner condition in statement ${label}`,
      );
    }
  });
  return problems;
}

export const snsTopicNotPublic: ResourceValidationPolicy = {
  name: "sns-topic-not-public",
  description:
    'Checks that SNS topic policies never let Principal "*" publish, and allow Principal "*" other actions only under a condition on aws:SourceArn, aws:SourceAccount or aws:SourceOwner.',
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const subject =
      args.type === T.snsTopic
        ? `SNS topic "${args.name}"`
        : args.type === T.snsTopicPolicy
          ? `SNS topic policy "${args.name}"`
          : undefined;
    if (subject === undefined) {
      return;
    }
    const rule = `${subject} must not be open to everyone (no Principal "*" for sns:Publish, other actions only with a source condition)`;
    const policy = field(plain(args.props), "policy");
    if (policy === undefined || policy === null || policy === "") {
      return; // no policy: the topic's default policy admits only the owning account
    }
    if (isUnknown(policy)) {
      reportViolation(`${rule}; cannot be verified at preview: the policy document is unknown.`);
      return;
    }
    let document: unknown = policy;
    if (typeof policy === "string") {
      try {
        document = JSON.parse(policy);
      } catch {
        reportViolation(`${rule}; its policy is not valid JSON.`);
        return;
      }
    }
    for (const problem of publicStatements(document)) {
      reportViolation(`${rule}; it ${problem}.`);
    }
  },
};
