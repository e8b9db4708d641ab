/**
 * Data Lifecycle Manager lifecycle policies (a stateful profile's snapshots).
 *
 * Sources:
 * - terraform-provider-aws internal/service/dlm/lifecycle_policy.go (resourceLifecyclePolicy):
 *   description validation.All(StringMatch(^[0-9A-Za-z _-]+$), StringLenBetween(1, 500));
 *   execution_role_arn verify.ValidARN; state enum.Validate[SettablePolicyStateValues];
 *   policy_details.policy_type enum.Validate[PolicyTypeValues]; resource_types elements
 *   enum.Validate[ResourceTypeValues] (no MaxItems in the current file; an older one had 1);
 *   schedule MinItems 1, MaxItems 4; schedule.name StringLenBetween(0, 120); create_rule.interval
 *   IntInSlice(1, 2, 3, 4, 6, 8, 12, 24), interval_unit enum.Validate[IntervalUnitValues], times
 *   (MaxItems 1) StringMatch(^(0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]$), cron_expression
 *   StringMatch(^cron\([^\n]{11,100}\)$); retain_rule.count IntBetween(1, 1000); target_tags a
 *   plain map.
 * - terraform-plugin-sdk v2 helper/schema (schemaMap.validateList: "Too many list items" /
 *   "Not enough list items", in the words quoted below).
 * - AWS DLM API: LifecyclePolicy (ExecutionRoleArn pattern arn:aws(-[a-z]{1,3}){0,2}:iam::\d+:role/.*),
 *   CreateRule ("You must specify either CronExpression, or Interval, IntervalUnit, and Times"; not
 *   both), Tag (Key and Value at most 500 characters). Enum orders as the API model lists them
 *   (boto3's CreateLifecyclePolicy request syntax), which the Go SDK's Values() keep.
 *
 * Not verified: the schedule name's charset. AWS's Schedule reference could not be read here; the
 * provider checks only the length, and the same file gives an action's name ^[0-9A-Za-z _-]+$, so
 * dlm-schedule-name-charset applies that pattern at apply. Nor whether AWS still takes only one
 * resource type per policy (the old MaxItems 1): that is not checked.
 */
import {
  all,
  intBetween,
  intInSlice,
  ProviderRule,
  q,
  stringInSlice,
  stringLenBetween,
  stringMatch,
  validARN,
  when,
} from "./kit";
import { TYPES } from "../types";

const TF = "terraform-provider-aws internal/service/dlm/lifecycle_policy.go";
const API = "AWS DLM API";
const CHARSET = /^[0-9A-Za-z _-]+$/;
const SCHEDULES_KEY = "policy_details.0.schedule";
export const DLM_DESCRIPTION_MAX = 500;
export const DLM_SCHEDULES_MAX = 4;
export const DLM_TAG_MAX = 500;

const tagLength = (property: string, id: string, what: "key" | "value"): ProviderRule => ({
  id,
  property,
  stage: "apply",
  source: `${API} Tag (Key and Value: at most 500 characters)`,
  check: when(
    (x) => typeof x === "string" && [...x].length > DLM_TAG_MAX,
    (x) => `AWS refuses a target tag ${what} of ${[...String(x)].length} characters: at most ${DLM_TAG_MAX}`,
  ),
  examples: {
    pass: [{ value: "pillar-prod-mongodb-server" }],
    fail: [
      {
        value: "t".repeat(501),
        message: `AWS refuses a target tag ${what} of 501 characters: at most 500`,
      },
    ],
  },
});

export const DLM_RULES: Readonly<Record<string, readonly ProviderRule[]>> = {
  [TYPES.dlm.LifecyclePolicy]: [
    {
      id: "dlm-policy-description",
      property: "description",
      stage: "preview",
      source: `${TF} (description: StringMatch(^[0-9A-Za-z _-]+$), StringLenBetween(1, 500))`,
      check: all(
        stringMatch(
          "description",
          CHARSET,
          "see https://docs.aws.amazon.com/cli/latest/reference/dlm/create-lifecycle-policy.html",
        ),
        stringLenBetween("description", 1, DLM_DESCRIPTION_MAX),
      ),
      examples: {
        pass: [{ value: "snapshots of pillar-prod-mongodb-server" }],
        fail: [
          {
            value: "snapshots of pillar.prod",
            message:
              "invalid value for description (see https://docs.aws.amazon.com/cli/latest/reference/dlm/create-lifecycle-policy.html)",
          },
          {
            value: "d".repeat(501),
            message: `expected length of description to be in the range (1 - 500), got ${"d".repeat(501)}`,
          },
        ],
      },
    },
    {
      id: "dlm-policy-execution-role-arn",
      property: "executionRoleArn",
      stage: "preview",
      source: `${TF} (execution_role_arn: verify.ValidARN)`,
      check: validARN("execution_role_arn"),
      examples: {
        pass: [{ value: "arn:aws:iam::123456789012:role/mongodb-server-snapshots-1a2b3c4" }],
        fail: [
          {
            value: "mongodb-server-snapshots",
            message: '"execution_role_arn" (mongodb-server-snapshots) is an invalid ARN: arn: invalid prefix',
          },
        ],
      },
    },
    {
      id: "dlm-policy-execution-role-iam",
      property: "executionRoleArn",
      stage: "apply",
      source: `${API} LifecyclePolicy (ExecutionRoleArn: arn:aws(-[a-z]{1,3}){0,2}:iam::\\d+:role/.*)`,
      check: when(
        (x) => typeof x === "string" && !/^arn:aws(-[a-z]{1,3}){0,2}:iam::\d+:role\/.*$/.test(x),
        (x) =>
          `AWS refuses execution role ${q(String(x))}: it must be an IAM role ARN (arn:aws:iam::<account>:role/…)`,
      ),
      examples: {
        pass: [{ value: "arn:aws-cn:iam::123456789012:role/dlm" }],
        fail: [
          {
            value: "arn:aws:sts::123456789012:assumed-role/dlm/x",
            message:
              'AWS refuses execution role "arn:aws:sts::123456789012:assumed-role/dlm/x": it must be an IAM role ARN (arn:aws:iam::<account>:role/…)',
          },
        ],
      },
    },
    {
      id: "dlm-policy-state",
      property: "state",
      stage: "preview",
      source: `${TF} (state: enum.Validate[awstypes.SettablePolicyStateValues])`,
      check: stringInSlice("state", ["ENABLED", "DISABLED"]),
      examples: {
        pass: [{ value: "ENABLED" }],
        fail: [
          { value: "enabled", message: 'expected state to be one of ["ENABLED" "DISABLED"], got enabled' },
        ],
      },
    },
    {
      id: "dlm-policy-type",
      property: "policyDetails.policyType",
      stage: "preview",
      source: `${TF} (policy_type: enum.Validate[awstypes.PolicyTypeValues])`,
      check: stringInSlice("policy_type", [
        "EBS_SNAPSHOT_MANAGEMENT",
        "IMAGE_MANAGEMENT",
        "EVENT_BASED_POLICY",
      ]),
      examples: {
        pass: [{ value: "EBS_SNAPSHOT_MANAGEMENT" }],
        fail: [
          {
            value: "SNAPSHOT",
            message:
              'expected policy_type to be one of ["EBS_SNAPSHOT_MANAGEMENT" "IMAGE_MANAGEMENT" "EVENT_BASED_POLICY"], got SNAPSHOT',
          },
        ],
      },
    },
    {
      id: "dlm-policy-resource-type",
      property: "policyDetails.resourceTypes[]",
      stage: "preview",
      source: `${TF} (resource_types: enum.Validate[awstypes.ResourceTypeValues])`,
      check: stringInSlice("resource_types", ["VOLUME", "INSTANCE"]),
      examples: {
        pass: [{ value: "INSTANCE" }],
        fail: [
          {
            value: "SNAPSHOT",
            message: 'expected resource_types to be one of ["VOLUME" "INSTANCE"], got SNAPSHOT',
          },
        ],
      },
    },
    {
      id: "dlm-policy-schedules-count",
      property: "policyDetails.schedules",
      stage: "preview",
      source: `${TF} (schedule: MinItems 1, MaxItems 4); terraform-plugin-sdk helper/schema validateList`,
      check: (x) =>
        !Array.isArray(x)
          ? undefined
          : x.length > DLM_SCHEDULES_MAX
            ? `Too many list items: Attribute ${SCHEDULES_KEY} supports ${DLM_SCHEDULES_MAX} item maximum, but config has ${x.length} declared.`
            : x.length < 1
              ? `Not enough list items: Attribute ${SCHEDULES_KEY} requires 1 item minimum, but config has only 0 declared.`
              : undefined,
      examples: {
        pass: [{ value: [{}] }],
        fail: [
          {
            value: [{}, {}, {}, {}, {}],
            message: `Too many list items: Attribute ${SCHEDULES_KEY} supports 4 item maximum, but config has 5 declared.`,
          },
          {
            value: [],
            message: `Not enough list items: Attribute ${SCHEDULES_KEY} requires 1 item minimum, but config has only 0 declared.`,
          },
        ],
      },
    },
    {
      id: "dlm-schedule-name",
      property: "policyDetails.schedules[].name",
      stage: "preview",
      source: `${TF} (schedule name: StringLenBetween(0, 120))`,
      check: stringLenBetween("name", 0, 120),
      examples: {
        pass: [{ value: "every 24h from 0300 UTC keep 7" }],
        fail: [
          {
            value: "n".repeat(121),
            message: `expected length of name to be in the range (0 - 120), got ${"n".repeat(121)}`,
          },
        ],
      },
    },
    {
      id: "dlm-schedule-name-charset",
      property: "policyDetails.schedules[].name",
      stage: "apply",
      source: `${API} Schedule (Name) — NOT VERIFIED: the charset ^[0-9A-Za-z _-]+$ is that of the action name in ${TF}; the Schedule reference could not be read`,
      check: when(
        (x) => typeof x === "string" && x !== "" && !CHARSET.test(x),
        (x) => `AWS refuses schedule name ${q(String(x))}: letters, digits, spaces, _ and - only`,
      ),
      examples: {
        pass: [{ value: "cron keep 4" }],
        fail: [
          {
            value: "daily 03:00",
            message: 'AWS refuses schedule name "daily 03:00": letters, digits, spaces, _ and - only',
          },
        ],
      },
    },
    {
      id: "dlm-create-interval",
      property: "policyDetails.schedules[].createRule.interval",
      stage: "preview",
      source: `${TF} (create_rule.interval: IntInSlice(1, 2, 3, 4, 6, 8, 12, 24))`,
      check: intInSlice("interval", [1, 2, 3, 4, 6, 8, 12, 24]),
      examples: {
        pass: [{ value: 24 }],
        fail: [{ value: 48, message: "expected interval to be one of [1 2 3 4 6 8 12 24], got 48" }],
      },
    },
    {
      id: "dlm-create-interval-unit",
      property: "policyDetails.schedules[].createRule.intervalUnit",
      stage: "preview",
      source: `${TF} (create_rule.interval_unit: enum.Validate[awstypes.IntervalUnitValues])`,
      check: stringInSlice("interval_unit", ["HOURS"]),
      examples: {
        pass: [{ value: "HOURS" }],
        fail: [{ value: "DAYS", message: 'expected interval_unit to be one of ["HOURS"], got DAYS' }],
      },
    },
    {
      id: "dlm-create-times",
      property: "policyDetails.schedules[].createRule.times",
      stage: "preview",
      source: `${TF} (create_rule.times: StringMatch(^(0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]$))`,
      check: stringMatch(
        "times",
        /^(0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]$/,
        "see https://docs.aws.amazon.com/dlm/latest/APIReference/API_CreateRule.html#dlm-Type-CreateRule-Times",
      ),
      examples: {
        pass: [{ value: "03:00" }, { value: "23:59" }],
        fail: [
          {
            value: "3:00",
            message:
              "invalid value for times (see https://docs.aws.amazon.com/dlm/latest/APIReference/API_CreateRule.html#dlm-Type-CreateRule-Times)",
          },
          {
            value: "24:00",
            message:
              "invalid value for times (see https://docs.aws.amazon.com/dlm/latest/APIReference/API_CreateRule.html#dlm-Type-CreateRule-Times)",
          },
        ],
      },
    },
    {
      id: "dlm-create-cron",
      property: "policyDetails.schedules[].createRule.cronExpression",
      stage: "preview",
      source: `${TF} (create_rule.cron_expression: StringMatch(^cron\\([^\\n]{11,100}\\)$))`,
      check: stringMatch(
        "cron_expression",
        /^cron\([^\n]{11,100}\)$/,
        "see https://docs.aws.amazon.com/dlm/latest/APIReference/API_CreateRule.html",
      ),
      examples: {
        pass: [{ value: "cron(0 3 ? * SUN *)" }],
        fail: [
          {
            value: "0 3 ? * SUN *",
            message:
              "invalid value for cron_expression (see https://docs.aws.amazon.com/dlm/latest/APIReference/API_CreateRule.html)",
          },
          {
            value: "cron(0 3 * *)",
            message:
              "invalid value for cron_expression (see https://docs.aws.amazon.com/dlm/latest/APIReference/API_CreateRule.html)",
          },
        ],
      },
    },
    {
      id: "dlm-create-rule-one-form",
      property: "policyDetails.schedules[].createRule",
      stage: "apply",
      source: `${API} CreateRule (either CronExpression, or Interval, IntervalUnit and Times; not both)`,
      check: (x) => {
        if (x === null || typeof x !== "object") return undefined;
        const r = x as Record<string, unknown>;
        const cron = r.cronExpression !== undefined;
        const interval = r.interval !== undefined;
        if (cron && interval) return "AWS refuses a create rule with both a cron expression and an interval";
        if (!cron && !interval)
          return "AWS refuses a create rule with neither a cron expression nor an interval";
        return undefined;
      },
      examples: {
        pass: [
          { value: { interval: 24, intervalUnit: "HOURS", times: "03:00" } },
          { value: { cronExpression: "cron(0 3 ? * SUN *)" } },
        ],
        fail: [
          {
            value: { interval: 24, cronExpression: "cron(0 3 ? * SUN *)" },
            message: "AWS refuses a create rule with both a cron expression and an interval",
          },
          { value: {}, message: "AWS refuses a create rule with neither a cron expression nor an interval" },
        ],
      },
    },
    {
      id: "dlm-retain-count",
      property: "policyDetails.schedules[].retainRule.count",
      stage: "preview",
      source: `${TF} (retain_rule.count: IntBetween(1, 1000))`,
      check: intBetween("count", 1, 1000),
      examples: {
        pass: [{ value: 7 }],
        fail: [{ value: 0, message: "expected count to be in the range (1 - 1000), got 0" }],
      },
    },
    tagLength("policyDetails.targetTags{key}", "dlm-target-tag-key", "key"),
    tagLength("policyDetails.targetTags{}", "dlm-target-tag-value", "value"),
  ],
};
