// SNS policies: no topic anyone on the internet can publish to, and alarm topics someone hears.

import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
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

/**
 * Operators that make a request match only when its key is present and equal to (or like) a value:
 * for an anonymous caller the restricting keys are absent, so these deny it. `…IfExists` passes when
 * the key is absent, `Null` only tests presence, and the negated operators (`StringNotEquals`, …)
 * match every value but one: none of them restricts who the caller is. `ForAnyValue:` is false for
 * an absent key, so it restricts too; `ForAllValues:` is true for an absent key, so it does not.
 * Source: IAM User Guide, "IAM JSON policy elements: Condition operators".
 */
const RESTRICTING_OPERATORS: ReadonlySet<string> = new Set([
  "stringequals",
  "stringequalsignorecase",
  "stringlike",
  "arnequals",
  "arnlike",
]);

function positiveOperator(operator: string): boolean {
  const base = operator.toLowerCase().replace(/^foranyvalue:/, "");
  return RESTRICTING_OPERATORS.has(base);
}

/** A condition value matches something specific: not empty and not only `*`/`?` wildcards. */
function specific(value: unknown): "yes" | "wildcard" | "empty" {
  const values = asList(value).filter((v): v is string => typeof v === "string");
  if (values.length === 0) {
    return "empty";
  }
  return values.some((v) => /^[*?]+$/.test(v)) ? "wildcard" : "yes";
}

/**
 * Whether a statement's Condition restricts the caller, and if not, the conditions it has (for the
 * message). All conditions of a statement must hold, so one restricting condition is enough.
 */
function restriction(condition: unknown): { restricts: boolean; others: string[] } {
  const others: string[] = [];
  if (!isObject(condition)) {
    return { restricts: false, others };
  }
  for (const [operator, byKey] of Object.entries(condition)) {
    if (!isObject(byKey)) {
      continue;
    }
    for (const [key, value] of Object.entries(byKey)) {
      const restrictingKey = RESTRICTING_KEYS.has(key.toLowerCase());
      const kind = specific(value);
      if (restrictingKey && positiveOperator(operator) && kind === "yes") {
        return { restricts: true, others: [] };
      }
      others.push(
        `${operator} on ${key}${restrictingKey && positiveOperator(operator) ? (kind === "wildcard" ? ' with only "*"' : " with no value") : ""}`,
      );
    }
  }
  return { restricts: false, others };
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
    } else {
      const { restricts, others } = restriction(field(s, "Condition"));
      if (restricts) {
        return;
      }
      problems.push(
        others.length === 0
          ? `allows Principal "*" without an aws:SourceArn/SourceAccount/SourceOwner condition in statement ${label}`
          : `allows Principal "*" under conditions that do not restrict the caller (${others.join(", ")}) in statement ${label}: only a positive match (StringEquals, StringLike, ArnEquals or ArnLike, without IfExists) on aws:SourceArn, aws:SourceAccount, aws:SourceOwner, aws:PrincipalOrgID, aws:PrincipalAccount or aws:SourceVpce with a value that is not only wildcards restricts it`,
      );
    }
  });
  return problems;
}

export const snsTopicNotPublic: ResourceValidationPolicy = {
  name: "sns-topic-not-public",
  description:
    'Checks that SNS topic policies never let Principal "*" publish, and allow Principal "*" other actions only under a restricting condition (a positive match on aws:SourceArn, aws:SourceAccount, aws:SourceOwner, aws:PrincipalOrgID, aws:PrincipalAccount or aws:SourceVpce).',
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

const ALARM_ACTION_KEYS = ["alarmActions", "okActions", "insufficientDataActions"] as const;

/** Whether `r` names `topic` in `key`: by property dependency, or by the topic's known ARN. */
function namesTopic(r: PolicyResource, key: string, topic: PolicyResource): boolean | "unknown" {
  if ((r.propertyDependencies[key] ?? []).includes(topic)) {
    return true;
  }
  const arn = field(plain(topic.props), "arn");
  const value = field(plain(r.props), key);
  const values = Array.isArray(value) ? value : [value];
  if (typeof arn === "string" && !isUnknown(arn) && values.includes(arn)) {
    return true;
  }
  return values.some(isUnknown) && (r.propertyDependencies[key] ?? []).length === 0 ? "unknown" : false;
}

export const snsAlarmTopicHasSubscription: StackValidationPolicy = {
  name: "sns-alarm-topic-has-subscription",
  description:
    "Checks that every SNS topic of the stack that alarms notify has at least one subscription in the stack, so that an alarm is heard by someone.",
  enforcementLevel: "advisory",
  validateStack: (args, reportViolation) => {
    const alarms = args.resources.filter((r) => r.type === T.metricAlarm);
    const subscriptions = args.resources.filter((r) => r.type === T.snsTopicSubscription);
    for (const topic of args.resources.filter((r) => r.type === T.snsTopic)) {
      const notifying = alarms.filter((a) => ALARM_ACTION_KEYS.some((k) => namesTopic(a, k, topic) === true));
      if (notifying.length === 0) {
        continue;
      }
      const verdicts = subscriptions.map((s) => namesTopic(s, "topic", topic));
      if (verdicts.includes(true)) {
        continue;
      }
      const rule = `SNS topic "${topic.name}", which alarms ${notifying.map((a) => `"${a.name}"`).join(", ")} notify, must have a subscription (an e-mail, chat or paging endpoint) so that someone hears them`;
      reportViolation(
        verdicts.includes("unknown")
          ? `${rule}; cannot be verified at preview: the topic of a subscription is unknown.`
          : `${rule}; this stack subscribes nothing to it.`,
        topic.urn,
      );
    }
  },
};
