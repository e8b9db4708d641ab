/**
 * CloudWatch metric alarms and log groups.
 *
 * Sources: terraform-provider-aws internal/service/cloudwatch/metric_alarm.go (alarm_name
 * StringLenBetween(1, 255), alarm_description StringLenBetween(0, 1024), comparison_operator,
 * statistic and unit enums, treat_missing_data StringInSlice, evaluation_periods IntAtLeast(1),
 * alarm_actions/ok_actions/insufficient_data_actions MaxItems 5 of verify.ValidARN),
 * internal/service/logs/validate.go (validLogGroupName), logs/group.go (retention_in_days
 * IntInSlice); AWS CloudWatch API PutMetricAlarm (Period 10, 20, 30 or a multiple of 60;
 * DatapointsToAlarm 1..EvaluationPeriods; at most 30 dimensions).
 */
import {
  all,
  intAtLeast,
  intInSlice,
  ProviderRule,
  q,
  stringInSlice,
  stringLenBetween,
  validARN,
  when,
} from "./kit";
import { TYPES } from "../types";

const TF = "terraform-provider-aws internal/service/cloudwatch/metric_alarm.go";
const API = "AWS CloudWatch API PutMetricAlarm";

export const ALARM_NAME_MAX = 255;
export const LOG_GROUP_NAME_MAX = 512;
export const LOG_RETENTION_DAYS = [
  0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const COMPARISONS = [
  "GreaterThanOrEqualToThreshold",
  "GreaterThanThreshold",
  "LessThanThreshold",
  "LessThanOrEqualToThreshold",
  "LessThanLowerOrGreaterThanUpperThreshold",
  "LessThanLowerThreshold",
  "GreaterThanUpperThreshold",
];
const STATISTICS = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];
const UNITS = [
  "Seconds",
  "Microseconds",
  "Milliseconds",
  "Bytes",
  "Kilobytes",
  "Megabytes",
  "Gigabytes",
  "Terabytes",
  "Bits",
  "Kilobits",
  "Megabits",
  "Gigabits",
  "Terabits",
  "Percent",
  "Count",
  "Bytes/Second",
  "Kilobytes/Second",
  "Megabytes/Second",
  "Gigabytes/Second",
  "Terabytes/Second",
  "Bits/Second",
  "Kilobits/Second",
  "Megabits/Second",
  "Gigabits/Second",
  "Terabits/Second",
  "Count/Second",
  "None",
];
const ARN_A = "arn:aws:sns:us-east-1:123456789012:alerts";

const actions = (property: string, k: string): ProviderRule[] => [
  {
    id: `cloudwatch-alarm-${k.replace(/_/g, "-")}-count`,
    property,
    stage: "preview",
    source: `${TF} (${k}: MaxItems 5)`,
    check: when(
      (x) => Array.isArray(x) && x.length > 5,
      (x) => `${k}: attribute supports 5 item maximum, config has ${(x as unknown[]).length} declared`,
    ),
    examples: {
      pass: [{ value: [ARN_A] }],
      fail: [
        {
          value: Array(6).fill(ARN_A),
          message: `${k}: attribute supports 5 item maximum, config has 6 declared`,
        },
      ],
    },
  },
  {
    id: `cloudwatch-alarm-${k.replace(/_/g, "-")}-arn`,
    property: `${property}[]`,
    stage: "preview",
    source: `${TF} (${k}: verify.ValidARN)`,
    check: validARN(k),
    examples: {
      pass: [{ value: ARN_A }],
      fail: [{ value: "sns:alerts", message: `"${k}" (sns:alerts) is an invalid ARN: arn: invalid prefix` }],
    },
  },
];

export const CLOUDWATCH_RULES: Readonly<Record<string, readonly ProviderRule[]>> = {
  [TYPES.cloudwatch.MetricAlarm]: [
    {
      id: "cloudwatch-alarm-name",
      property: "name",
      stage: "preview",
      source: `${TF} (alarm_name: validation.StringLenBetween(1, 255))`,
      check: stringLenBetween("alarm_name", 1, ALARM_NAME_MAX),
      examples: {
        pass: [{ value: "webhost_cpu_scale_up-1a2b3c4" }],
        fail: [
          {
            value: "a".repeat(256),
            message: `expected length of alarm_name to be in the range (1 - 255), got ${"a".repeat(256)}`,
          },
        ],
      },
    },
    {
      id: "cloudwatch-alarm-description",
      property: "alarmDescription",
      stage: "preview",
      source: `${TF} (alarm_description: validation.StringLenBetween(0, 1024))`,
      check: stringLenBetween("alarm_description", 0, 1024),
      examples: {
        pass: [{ value: "Web hosts scale up alarm" }],
        fail: [
          {
            value: "d".repeat(1025),
            message: `expected length of alarm_description to be in the range (0 - 1024), got ${"d".repeat(1025)}`,
          },
        ],
      },
    },
    {
      id: "cloudwatch-alarm-comparison",
      property: "comparisonOperator",
      stage: "preview",
      source: `${TF} (comparison_operator: enum.Validate[types.ComparisonOperator])`,
      check: stringInSlice("comparison_operator", COMPARISONS),
      examples: {
        pass: [{ value: "GreaterThanOrEqualToThreshold" }],
        fail: [
          {
            value: ">=",
            message: `expected comparison_operator to be one of ${JSON.stringify(COMPARISONS).replace(/,/g, " ")}, got >=`,
          },
        ],
      },
    },
    {
      id: "cloudwatch-alarm-statistic",
      property: "statistic",
      stage: "preview",
      source: `${TF} (statistic: enum.Validate[types.Statistic])`,
      check: stringInSlice("statistic", STATISTICS),
      examples: {
        pass: [{ value: "Average" }],
        fail: [
          {
            value: "Mean",
            message:
              'expected statistic to be one of ["SampleCount" "Average" "Sum" "Minimum" "Maximum"], got Mean',
          },
        ],
      },
    },
    {
      id: "cloudwatch-alarm-unit",
      property: "unit",
      stage: "preview",
      source: `${TF} (unit: enum.Validate[types.StandardUnit])`,
      check: stringInSlice("unit", UNITS),
      examples: {
        pass: [{ value: "Percent" }],
        fail: [
          {
            value: "percent",
            message: `expected unit to be one of ${JSON.stringify(UNITS).replace(/","/g, '" "')}, got percent`,
          },
        ],
      },
    },
    {
      id: "cloudwatch-alarm-treat-missing-data",
      property: "treatMissingData",
      stage: "preview",
      source: `${TF} (treat_missing_data: validation.StringInSlice)`,
      check: stringInSlice("treat_missing_data", ["breaching", "notBreaching", "ignore", "missing"]),
      examples: {
        pass: [{ value: "notBreaching" }],
        fail: [
          {
            value: "zero",
            message:
              'expected treat_missing_data to be one of ["breaching" "notBreaching" "ignore" "missing"], got zero',
          },
        ],
      },
    },
    {
      id: "cloudwatch-alarm-evaluation-periods",
      property: "evaluationPeriods",
      stage: "preview",
      source: `${TF} (evaluation_periods: validation.IntAtLeast(1))`,
      check: intAtLeast("evaluation_periods", 1),
      examples: {
        pass: [{ value: 5 }],
        fail: [{ value: 0, message: "expected evaluation_periods to be at least (1), got 0" }],
      },
    },
    {
      id: "cloudwatch-alarm-period",
      property: "period",
      stage: "apply",
      source: `${API} (Period: 10, 20, 30 or a multiple of 60)`,
      check: when(
        (x) => typeof x === "number" && ![10, 20, 30].includes(x) && (x < 60 || x % 60 !== 0),
        (x) => `AWS refuses a period of ${String(x)} s: 10, 20, 30 or a multiple of 60`,
      ),
      examples: {
        pass: [{ value: 60 }, { value: 10 }, { value: 300 }],
        fail: [{ value: 45, message: "AWS refuses a period of 45 s: 10, 20, 30 or a multiple of 60" }],
      },
    },
    {
      id: "cloudwatch-alarm-datapoints",
      property: "datapointsToAlarm",
      stage: "apply",
      source: `${API} (DatapointsToAlarm 1 to EvaluationPeriods)`,
      check: (x, i) =>
        typeof x === "number" && typeof i.evaluationPeriods === "number" && (x < 1 || x > i.evaluationPeriods)
          ? `AWS refuses ${x} datapoints to alarm out of ${i.evaluationPeriods} evaluation periods: 1 to ${i.evaluationPeriods}`
          : undefined,
      examples: {
        pass: [{ value: 3, inputs: { evaluationPeriods: 5 } }],
        fail: [
          {
            value: 6,
            inputs: { evaluationPeriods: 5 },
            message: "AWS refuses 6 datapoints to alarm out of 5 evaluation periods: 1 to 5",
          },
        ],
      },
    },
    {
      id: "cloudwatch-alarm-dimensions",
      property: "dimensions",
      stage: "apply",
      source: `${API} (Dimensions: at most 30)`,
      check: when(
        (x) => x !== null && typeof x === "object" && Object.keys(x).length > 30,
        (x) => `AWS refuses ${Object.keys(x as object).length} dimensions: at most 30`,
      ),
      examples: {
        pass: [{ value: { AutoScalingGroupName: "g" } }],
        fail: [
          {
            value: Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`d${i}`, "v"])),
            message: "AWS refuses 31 dimensions: at most 30",
          },
        ],
      },
    },
    ...actions("alarmActions", "alarm_actions"),
    ...actions("okActions", "ok_actions"),
    ...actions("insufficientDataActions", "insufficient_data_actions"),
  ],
  [TYPES.cloudwatch.LogGroup]: [
    {
      id: "logs-group-name",
      property: "name",
      stage: "preview",
      source: "terraform-provider-aws internal/service/logs/validate.go (validLogGroupName)",
      check: all(
        (x) =>
          typeof x === "string" && x.length > LOG_GROUP_NAME_MAX
            ? `"name" cannot be longer than 512 characters: ${q(x)}`
            : undefined,
        (x) =>
          typeof x === "string" && !/^[0-9A-Za-z_./#-]+$/.test(x)
            ? `"name" isn't a valid log group name (alphanumeric characters, underscores, hyphens, slashes, hash signs and dots are allowed): ${q(x)}`
            : undefined,
      ),
      examples: {
        pass: [{ value: "/aws/lambda/pillar-prod-reactor" }],
        fail: [
          {
            value: "/aws/lambda/pillar prod",
            message: `"name" isn't a valid log group name (alphanumeric characters, underscores, hyphens, slashes, hash signs and dots are allowed): "/aws/lambda/pillar prod"`,
          },
        ],
      },
    },
    {
      id: "logs-group-retention",
      property: "retentionInDays",
      stage: "preview",
      source:
        "terraform-provider-aws internal/service/logs/group.go (retention_in_days: validation.IntInSlice)",
      check: intInSlice("retention_in_days", LOG_RETENTION_DAYS),
      examples: {
        pass: [{ value: 30 }],
        fail: [
          {
            value: 31,
            message: `expected retention_in_days to be one of [${LOG_RETENTION_DAYS.join(" ")}], got 31`,
          },
        ],
      },
    },
  ],
};
