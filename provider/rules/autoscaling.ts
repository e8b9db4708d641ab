/**
 * Auto Scaling groups, scaling policies and notifications.
 *
 * Sources: terraform-provider-aws internal/service/autoscaling/group.go (name StringLenBetween(0, 255),
 * name_prefix 255-26), policy.go (policy_type enum); the provider schema's enums in @pulumi/aws
 * (autoscaling Metric, NotificationType); AWS Auto Scaling API CreateAutoScalingGroup ("Desired
 * capacity … must be between the specified min size … and max size"; HealthCheckType EC2, ELB,
 * VPC_LATTICE, EBS), LifecycleHookSpecification (LifecycleHookName 1-255 of [A-Za-z0-9\-_\/],
 * LifecycleTransition, DefaultResult CONTINUE|ABANDON, HeartbeatTimeout 30-7200; PutLifecycleHook takes
 * the same fields with the same limits), PutScalingPolicy
 * (PolicyName 1-255, AdjustmentType, MinAdjustmentMagnitude only with PercentChangeInCapacity,
 * PredefinedMetricType).
 *
 * Warm pools, mixed instances and scheduled actions: terraform-provider-aws
 * internal/service/autoscaling/group.go (warm_pool.pool_state enum.Validate[awstypes.WarmPoolState],
 * min_size IntAtLeast(0), max_group_prepared_capacity IntAtLeast(-1); instances_distribution
 * on_demand_base_capacity IntAtLeast(0), on_demand_percentage_above_base_capacity IntBetween(0, 100),
 * spot_allocation_strategy no validator; ExactlyOneOf launch_configuration, launch_template,
 * mixed_instances_policy, worded by terraform-plugin-sdk helper/schema validateExactlyOneAttribute)
 * and schedule.go (start_time, end_time validScheduleTimestamp against 2006-01-02T15:04:05Z; a size
 * of -1 is left out of the request, any other value is sent, an unset one as 0); AWS Auto Scaling
 * API: InstancesDistribution (SpotAllocationStrategy values), LaunchTemplateOverrides ("up to 40
 * instance types per Auto Scaling group"), PutWarmPool, PutScheduledUpdateGroupAction
 * (ScheduledActionName and Recurrence 1-255, Unix cron of five fields, TimeZone an IANA name, "You
 * must specify at least one of … MaxSize, MinSize, or DesiredCapacity"). Enum orders as boto3's
 * request syntax lists them (the API model's, which the Go SDK's Values() keep).
 *
 * Not verified: that AWS still refuses a warm pool on a group with a mixed instances policy. The
 * PutWarmPool reference said so ("cannot be called on an Auto Scaling group that has a mixed
 * instances policy or a launch template or launch configuration that requests Spot Instances");
 * the current reference and @aws-sdk/client-auto-scaling 3.1169's documentation no longer do.
 * autoscaling-warm-pool-mixed-instances keeps refusing it (as the config does) until that is known.
 */
import { autoscaling } from "@pulumi/aws/types/enums";
import { checkRecurrence, checkTimeZone, parseUtcTimestamp } from "../../config/sections/autoscale/schedule";
import { intAtLeast, intBetween, ProviderRule, q, stringInSlice, stringLenBetween, when } from "./kit";
import { TYPES } from "../types";

const TF = "terraform-provider-aws internal/service/autoscaling";
const API = "AWS Auto Scaling API";
const METRICS = Object.values(autoscaling.Metric);
const NOTIFICATION_TYPES = Object.values(autoscaling.NotificationType);

export const ASG_NAME_MAX = 255;
export const SCHEDULED_ACTION_NAME_MAX = 255;
export const MAX_OVERRIDES = 40;
const SPOT_STRATEGIES = [
  "lowest-price",
  "capacity-optimized",
  "capacity-optimized-prioritized",
  "price-capacity-optimized",
];
const LAUNCH_SOURCES: readonly [string, string][] = [
  ["launchConfiguration", "launch_configuration"],
  ["launchTemplate", "launch_template"],
  ["mixedInstancesPolicy", "mixed_instances_policy"],
];
/** XmlStringMaxLen255 of the Auto Scaling API: 1-255 characters of XML's character range. */
const XML_STRING = /^[\u0020-\uD7FF\uE000-\uFFFD\uD800-\uDFFF\r\n\t]*$/;

const enumOf = (
  property: string,
  k: string,
  values: readonly string[],
  id: string,
  source: string,
): ProviderRule => ({
  id,
  property,
  stage: "apply",
  source,
  check: when(
    (x) => typeof x === "string" && !values.includes(x),
    (x) => `AWS refuses ${k} ${q(String(x))}: expected one of ${values.join(", ")}`,
  ),
  examples: {
    pass: [{ value: values[0] }],
    fail: [{ value: "Nope", message: `AWS refuses ${k} "Nope": expected one of ${values.join(", ")}` }],
  },
});

/** A lifecycle hook's fields, as the group's initial hooks or as a hook of its own (PutLifecycleHook). */
function hookRules(prefix: string, id: string, shape: string): ProviderRule[] {
  return [
    {
      id: `${id}-name`,
      property: `${prefix}name`,
      stage: "apply",
      source: `${API} ${shape} (LifecycleHookName 1-255 of [A-Za-z0-9\\-_\\/])`,
      check: when(
        (x) => typeof x === "string" && !/^[A-Za-z0-9\-_/]{1,255}$/.test(x),
        (x) => `AWS refuses lifecycle hook name ${q(String(x))}: 1-255 letters, digits, - _ and /`,
      ),
      examples: {
        pass: [{ value: "pillar-launch" }],
        fail: [
          {
            value: "pillar launch",
            message: 'AWS refuses lifecycle hook name "pillar launch": 1-255 letters, digits, - _ and /',
          },
        ],
      },
    },
    enumOf(
      `${prefix}lifecycleTransition`,
      "lifecycle transition",
      ["autoscaling:EC2_INSTANCE_LAUNCHING", "autoscaling:EC2_INSTANCE_TERMINATING"],
      `${id}-transition`,
      `${API} ${shape} (LifecycleTransition)`,
    ),
    enumOf(
      `${prefix}defaultResult`,
      "default result",
      ["CONTINUE", "ABANDON"],
      `${id}-default-result`,
      `${API} ${shape} (DefaultResult)`,
    ),
    {
      id: `${id}-heartbeat`,
      property: `${prefix}heartbeatTimeout`,
      stage: "apply",
      source: `${API} ${shape} (HeartbeatTimeout 30-7200)`,
      check: when(
        (x) => typeof x === "number" && (x < 30 || x > 7200),
        (x) => `AWS refuses a lifecycle hook heartbeat timeout of ${String(x)} s: 30-7200`,
      ),
      examples: {
        pass: [{ value: 1200 }],
        fail: [{ value: 10, message: "AWS refuses a lifecycle hook heartbeat timeout of 10 s: 30-7200" }],
      },
    },
  ];
}

export const AUTOSCALING_RULES: Readonly<Record<string, readonly ProviderRule[]>> = {
  [TYPES.autoscaling.Group]: [
    {
      id: "autoscaling-group-name",
      property: "name",
      stage: "preview",
      source: `${TF}/group.go (name: validation.StringLenBetween(0, 255))`,
      check: stringLenBetween("name", 0, ASG_NAME_MAX),
      examples: {
        pass: [{ value: "pillar-prod-app-hosts" }],
        fail: [
          {
            value: "g".repeat(256),
            message: `expected length of name to be in the range (0 - 255), got ${"g".repeat(256)}`,
          },
        ],
      },
    },
    {
      id: "autoscaling-group-capacity",
      property: "desiredCapacity",
      stage: "apply",
      source: `${API} CreateAutoScalingGroup (desired capacity between min size and max size)`,
      check: (x, i) => {
        const min = i.minSize;
        const max = i.maxSize;
        if (typeof min !== "number" || typeof max !== "number") return undefined;
        if (min > max) return `AWS refuses min size ${min} above max size ${max}`;
        if (typeof x === "number" && (x < min || x > max))
          return `AWS refuses desired capacity ${x}: it must be between the specified min size:${min} and max size:${max}`;
        return undefined;
      },
      examples: {
        pass: [{ value: 2, inputs: { minSize: 2, maxSize: 10 } }],
        fail: [
          {
            value: 12,
            inputs: { minSize: 2, maxSize: 10 },
            message:
              "AWS refuses desired capacity 12: it must be between the specified min size:2 and max size:10",
          },
        ],
      },
    },
    enumOf(
      "healthCheckType",
      "health check type",
      ["EC2", "ELB", "VPC_LATTICE", "EBS"],
      "autoscaling-group-health-check-type",
      `${API} CreateAutoScalingGroup (HealthCheckType)`,
    ),
    enumOf(
      "enabledMetrics[]",
      "metric",
      METRICS,
      "autoscaling-group-metric",
      "@pulumi/aws autoscaling.Metric (the provider schema's enum); AWS Auto Scaling API EnableMetricsCollection",
    ),
    ...hookRules("initialLifecycleHooks[].", "autoscaling-hook", "LifecycleHookSpecification"),
    {
      id: "autoscaling-group-refresh-healthy",
      property: "instanceRefresh.preferences.minHealthyPercentage",
      stage: "preview",
      source: `${TF}/group.go (min_healthy_percentage: validation.IntBetween(0, 100))`,
      check: intBetween("min_healthy_percentage", 0, 100),
      examples: {
        pass: [{ value: 90 }],
        fail: [
          { value: 120, message: "expected min_healthy_percentage to be in the range (0 - 100), got 120" },
        ],
      },
    },
    {
      id: "autoscaling-group-launch-source",
      // maxSize is required, so the rule always runs; it reads the three exclusive inputs beside it.
      property: "maxSize",
      stage: "preview",
      source: `${TF}/group.go (ExactlyOneOf launch_configuration, launch_template, mixed_instances_policy); terraform-plugin-sdk helper/schema validateExactlyOneAttribute`,
      check: (_x, i) => {
        const all = LAUNCH_SOURCES.map(([, tf]) => tf).join(",");
        const given = LAUNCH_SOURCES.filter(([k]) => i[k] !== undefined && i[k] !== null).map(([, tf]) => tf);
        if (given.length === 0) return `"launch_configuration": one of \`${all}\` must be specified`;
        if (given.length > 1)
          return `${q(given[0]!)}: only one of \`${all}\` can be specified, but \`${given.join(",")}\` were specified.`;
        return undefined;
      },
      examples: {
        pass: [{ value: 10, inputs: { launchTemplate: { id: "lt-1", version: "1" } } }],
        fail: [
          {
            value: 10,
            inputs: { launchTemplate: { id: "lt-1" }, mixedInstancesPolicy: {} },
            message:
              '"launch_template": only one of `launch_configuration,launch_template,mixed_instances_policy` can be specified, but `launch_template,mixed_instances_policy` were specified.',
          },
          {
            value: 10,
            inputs: {},
            message:
              '"launch_configuration": one of `launch_configuration,launch_template,mixed_instances_policy` must be specified',
          },
        ],
      },
    },
    {
      id: "autoscaling-warm-pool-state",
      property: "warmPool.poolState",
      stage: "preview",
      source: `${TF}/group.go (warm_pool.pool_state: enum.Validate[awstypes.WarmPoolState])`,
      check: stringInSlice("pool_state", ["Stopped", "Running", "Hibernated"]),
      examples: {
        pass: [{ value: "Hibernated" }],
        fail: [
          {
            value: "Warm",
            message: 'expected pool_state to be one of ["Stopped" "Running" "Hibernated"], got Warm',
          },
        ],
      },
    },
    {
      id: "autoscaling-warm-pool-min-size",
      property: "warmPool.minSize",
      stage: "preview",
      source: `${TF}/group.go (warm_pool.min_size: IntAtLeast(0))`,
      check: intAtLeast("min_size", 0),
      examples: {
        pass: [{ value: 0 }],
        fail: [{ value: -1, message: "expected min_size to be at least (0), got -1" }],
      },
    },
    {
      id: "autoscaling-warm-pool-max-prepared",
      property: "warmPool.maxGroupPreparedCapacity",
      stage: "preview",
      source: `${TF}/group.go (warm_pool.max_group_prepared_capacity: IntAtLeast(-1))`,
      check: intAtLeast("max_group_prepared_capacity", -1),
      examples: {
        pass: [{ value: -1 }, { value: 6 }],
        fail: [{ value: -2, message: "expected max_group_prepared_capacity to be at least (-1), got -2" }],
      },
    },
    {
      id: "autoscaling-warm-pool-mixed-instances",
      property: "warmPool",
      stage: "apply",
      source: `${API} PutWarmPool (not on a group with a mixed instances policy or Spot Instances) — NOT VERIFIED for today: the current reference no longer says so`,
      check: when(
        (_x, i) => i.mixedInstancesPolicy !== undefined && i.mixedInstancesPolicy !== null,
        () => "AWS refuses a warm pool on a group with a mixed instances policy (or Spot Instances)",
      ),
      examples: {
        pass: [{ value: { minSize: 1 }, inputs: { launchTemplate: { id: "lt-1" } } }],
        fail: [
          {
            value: { minSize: 1 },
            inputs: { mixedInstancesPolicy: {} },
            message: "AWS refuses a warm pool on a group with a mixed instances policy (or Spot Instances)",
          },
        ],
      },
    },
    {
      id: "autoscaling-group-on-demand-base",
      property: "mixedInstancesPolicy.instancesDistribution.onDemandBaseCapacity",
      stage: "preview",
      source: `${TF}/group.go (on_demand_base_capacity: IntAtLeast(0))`,
      check: intAtLeast("on_demand_base_capacity", 0),
      examples: {
        pass: [{ value: 1 }],
        fail: [{ value: -1, message: "expected on_demand_base_capacity to be at least (0), got -1" }],
      },
    },
    {
      id: "autoscaling-group-on-demand-percentage",
      property: "mixedInstancesPolicy.instancesDistribution.onDemandPercentageAboveBaseCapacity",
      stage: "preview",
      source: `${TF}/group.go (on_demand_percentage_above_base_capacity: IntBetween(0, 100))`,
      check: intBetween("on_demand_percentage_above_base_capacity", 0, 100),
      examples: {
        pass: [{ value: 20 }],
        fail: [
          {
            value: 120,
            message:
              "expected on_demand_percentage_above_base_capacity to be in the range (0 - 100), got 120",
          },
        ],
      },
    },
    enumOf(
      "mixedInstancesPolicy.instancesDistribution.spotAllocationStrategy",
      "Spot allocation strategy",
      SPOT_STRATEGIES,
      "autoscaling-group-spot-strategy",
      `${API} InstancesDistribution (SpotAllocationStrategy); ${TF}/group.go (no validator)`,
    ),
    {
      id: "autoscaling-group-overrides-count",
      property: "mixedInstancesPolicy.launchTemplate.overrides",
      stage: "apply",
      source: `${API} LaunchTemplateOverrides (up to 40 instance types per Auto Scaling group)`,
      check: when(
        (x) => Array.isArray(x) && x.length > MAX_OVERRIDES,
        (x) =>
          `AWS refuses ${(x as unknown[]).length} instance type overrides: at most ${MAX_OVERRIDES} per group`,
      ),
      examples: {
        pass: [{ value: [{ instanceType: "t3.small" }] }],
        fail: [
          {
            value: Array.from({ length: 41 }, () => ({ instanceType: "t3.small" })),
            message: "AWS refuses 41 instance type overrides: at most 40 per group",
          },
        ],
      },
    },
  ],
  [TYPES.autoscaling.Schedule]: [
    {
      id: "autoscaling-schedule-name",
      property: "scheduledActionName",
      stage: "apply",
      source: `${API} PutScheduledUpdateGroupAction (ScheduledActionName: 1-255, XML characters)`,
      check: when(
        (x) =>
          typeof x === "string" &&
          (x.length < 1 || x.length > SCHEDULED_ACTION_NAME_MAX || !XML_STRING.test(x)),
        (x) =>
          `AWS refuses scheduled action name ${q(String(x))}: 1-255 characters, no control characters but tab and newline`,
      ),
      examples: {
        pass: [{ value: "business-hours" }],
        fail: [
          {
            value: "",
            message:
              'AWS refuses scheduled action name "": 1-255 characters, no control characters but tab and newline',
          },
        ],
      },
    },
    {
      id: "autoscaling-schedule-sizes",
      // The name is required, so the rule always runs; it reads the three sizes beside it.
      property: "scheduledActionName",
      stage: "apply",
      source: `${API} PutScheduledUpdateGroupAction (at least one of MaxSize, MinSize, DesiredCapacity); ${TF}/schedule.go (-1 leaves a size out)`,
      check: when(
        (_x, i) => ["minSize", "maxSize", "desiredCapacity"].every((k) => i[k] === -1),
        () =>
          "AWS refuses a scheduled action that sets none of min size, max size and desired capacity (-1 leaves a size out)",
      ),
      examples: {
        pass: [{ value: "evening", inputs: { minSize: 2, maxSize: -1, desiredCapacity: -1 } }],
        fail: [
          {
            value: "evening",
            inputs: { minSize: -1, maxSize: -1, desiredCapacity: -1 },
            message:
              "AWS refuses a scheduled action that sets none of min size, max size and desired capacity (-1 leaves a size out)",
          },
        ],
      },
    },
    {
      id: "autoscaling-schedule-recurrence",
      property: "recurrence",
      stage: "apply",
      source: `${API} PutScheduledUpdateGroupAction (Recurrence: Unix cron, five fields, 1-255)`,
      check: (x) => {
        if (typeof x !== "string") return undefined;
        const err = x === "" ? "a recurrence is 1-255 characters" : checkRecurrence(x);
        return err === undefined ? undefined : `AWS refuses recurrence ${q(x)}: ${err}`;
      },
      examples: {
        pass: [{ value: "0 7 * * MON-FRI" }],
        fail: [
          {
            value: "cron(0 7 ? * MON-FRI *)",
            message:
              'AWS refuses recurrence "cron(0 7 ? * MON-FRI *)": expected Unix cron with five fields "minute hour day-of-month month day-of-week" (e.g. "0 8 * * MON-FRI"); "cron(0 7 ? * MON-FRI *)" is not that form',
          },
          {
            value: "0 25 * * *",
            message: 'AWS refuses recurrence "0 25 * * *": hour 25 is outside 0-23',
          },
        ],
      },
    },
    ...(["startTime", "endTime"] as const).map((property): ProviderRule => ({
      id: `autoscaling-schedule-${property === "startTime" ? "start" : "end"}-time`,
      property,
      stage: "preview",
      source: `${TF}/schedule.go (validScheduleTimestamp: time.Parse("2006-01-02T15:04:05Z"))`,
      check: (x) =>
        typeof x === "string" && typeof parseUtcTimestamp(x) === "string"
          ? `${q(x)} cannot be parsed as iso8601 Timestamp Format`
          : undefined,
      examples: {
        pass: [{ value: "2027-12-01T06:00:00Z" }],
        fail: [
          {
            value: "2027-12-01 06:00",
            message: '"2027-12-01 06:00" cannot be parsed as iso8601 Timestamp Format',
          },
          {
            value: "2027-02-30T06:00:00Z",
            message: '"2027-02-30T06:00:00Z" cannot be parsed as iso8601 Timestamp Format',
          },
        ],
      },
    })),
    {
      id: "autoscaling-schedule-time-zone",
      property: "timeZone",
      stage: "apply",
      source: `${API} PutScheduledUpdateGroupAction (TimeZone: a canonical IANA time zone name)`,
      check: (x) => {
        if (typeof x !== "string") return undefined;
        const err = checkTimeZone(x);
        return err === undefined ? undefined : `AWS refuses time zone ${q(x)}: ${err}`;
      },
      examples: {
        pass: [{ value: "Europe/Berlin" }, { value: "Etc/UTC" }],
        fail: [
          {
            value: "CEST",
            message:
              'AWS refuses time zone "CEST": "CEST" is not an IANA time zone name (e.g. "Etc/UTC", "Europe/Berlin", "America/New_York")',
          },
        ],
      },
    },
  ],
  [TYPES.autoscaling.Policy]: [
    {
      id: "autoscaling-policy-name",
      property: "name",
      stage: "apply",
      source: `${API} PutScalingPolicy (PolicyName 1-255)`,
      check: when(
        (x) => typeof x === "string" && (x.length < 1 || x.length > 255),
        (x) => `AWS refuses scaling policy name of ${String(x).length} characters: 1-255`,
      ),
      examples: {
        pass: [{ value: "webhost_scale_up" }],
        fail: [
          { value: "p".repeat(256), message: "AWS refuses scaling policy name of 256 characters: 1-255" },
        ],
      },
    },
    {
      id: "autoscaling-policy-type",
      property: "policyType",
      stage: "preview",
      source: `${TF}/policy.go (policy_type: validation.StringInSlice)`,
      check: stringInSlice("policy_type", [
        "SimpleScaling",
        "StepScaling",
        "TargetTrackingScaling",
        "PredictiveScaling",
      ]),
      examples: {
        pass: [{ value: "SimpleScaling" }],
        fail: [
          {
            value: "Simple",
            message:
              'expected policy_type to be one of ["SimpleScaling" "StepScaling" "TargetTrackingScaling" "PredictiveScaling"], got Simple',
          },
        ],
      },
    },
    enumOf(
      "adjustmentType",
      "adjustment type",
      ["ChangeInCapacity", "ExactCapacity", "PercentChangeInCapacity"],
      "autoscaling-policy-adjustment-type",
      `${API} PutScalingPolicy (AdjustmentType)`,
    ),
    {
      id: "autoscaling-policy-min-adjustment",
      property: "minAdjustmentMagnitude",
      stage: "apply",
      source: `${API} PutScalingPolicy (MinAdjustmentMagnitude applies only to PercentChangeInCapacity, at least 1)`,
      check: (x, i) =>
        typeof x !== "number"
          ? undefined
          : i.adjustmentType !== "PercentChangeInCapacity"
            ? `AWS refuses MinAdjustmentMagnitude with adjustment type ${String(i.adjustmentType)}: only PercentChangeInCapacity takes it`
            : x < 1
              ? `AWS refuses MinAdjustmentMagnitude ${x}: at least 1`
              : undefined,
      examples: {
        pass: [{ value: 1, inputs: { adjustmentType: "PercentChangeInCapacity" } }],
        fail: [
          {
            value: 1,
            inputs: { adjustmentType: "ChangeInCapacity" },
            message:
              "AWS refuses MinAdjustmentMagnitude with adjustment type ChangeInCapacity: only PercentChangeInCapacity takes it",
          },
        ],
      },
    },
    enumOf(
      "targetTrackingConfiguration.predefinedMetricSpecification.predefinedMetricType",
      "predefined metric",
      ["ASGAverageCPUUtilization", "ASGAverageNetworkIn", "ASGAverageNetworkOut", "ALBRequestCountPerTarget"],
      "autoscaling-policy-predefined-metric",
      `${API} PredefinedMetricSpecification (PredefinedMetricType)`,
    ),
  ],
  [TYPES.autoscaling.LifecycleHook]: hookRules("", "autoscaling-lifecycle-hook", "PutLifecycleHook"),
  [TYPES.autoscaling.Notification]: [
    enumOf(
      "notifications[]",
      "notification type",
      NOTIFICATION_TYPES,
      "autoscaling-notification-type",
      "@pulumi/aws autoscaling.NotificationType (the provider schema's enum); AWS Auto Scaling API PutNotificationConfiguration",
    ),
  ],
};
