/**
 * Auto Scaling groups, scaling policies and notifications.
 *
 * Sources: terraform-provider-aws internal/service/autoscaling/group.go (name StringLenBetween(0, 255),
 * name_prefix 255-26), policy.go (policy_type enum); the provider schema's enums in @pulumi/aws
 * (autoscaling Metric, NotificationType); AWS Auto Scaling API CreateAutoScalingGroup ("Desired
 * capacity … must be between the specified min size … and max size"; HealthCheckType EC2, ELB,
 * VPC_LATTICE, EBS), LifecycleHookSpecification (LifecycleHookName 1-255 of [A-Za-z0-9\-_\/],
 * LifecycleTransition, DefaultResult CONTINUE|ABANDON, HeartbeatTimeout 30-7200), PutScalingPolicy
 * (PolicyName 1-255, AdjustmentType, MinAdjustmentMagnitude only with PercentChangeInCapacity,
 * PredefinedMetricType).
 */
import { autoscaling } from "@pulumi/aws/types/enums";
import { intBetween, ProviderRule, q, stringInSlice, stringLenBetween, when } from "./kit";

const TF = "terraform-provider-aws internal/service/autoscaling";
const API = "AWS Auto Scaling API";
const METRICS = Object.values(autoscaling.Metric);
const NOTIFICATION_TYPES = Object.values(autoscaling.NotificationType);

export const ASG_NAME_MAX = 255;

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

export const AUTOSCALING_RULES: Readonly<Record<string, readonly ProviderRule[]>> = {
  "aws:autoscaling/group:Group": [
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
    {
      id: "autoscaling-hook-name",
      property: "initialLifecycleHooks[].name",
      stage: "apply",
      source: `${API} LifecycleHookSpecification (LifecycleHookName 1-255 of [A-Za-z0-9\\-_\\/])`,
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
      "initialLifecycleHooks[].lifecycleTransition",
      "lifecycle transition",
      ["autoscaling:EC2_INSTANCE_LAUNCHING", "autoscaling:EC2_INSTANCE_TERMINATING"],
      "autoscaling-hook-transition",
      `${API} LifecycleHookSpecification (LifecycleTransition)`,
    ),
    enumOf(
      "initialLifecycleHooks[].defaultResult",
      "default result",
      ["CONTINUE", "ABANDON"],
      "autoscaling-hook-default-result",
      `${API} LifecycleHookSpecification (DefaultResult)`,
    ),
    {
      id: "autoscaling-hook-heartbeat",
      property: "initialLifecycleHooks[].heartbeatTimeout",
      stage: "apply",
      source: `${API} LifecycleHookSpecification (HeartbeatTimeout 30-7200)`,
      check: when(
        (x) => typeof x === "number" && (x < 30 || x > 7200),
        (x) => `AWS refuses a lifecycle hook heartbeat timeout of ${String(x)} s: 30-7200`,
      ),
      examples: {
        pass: [{ value: 1200 }],
        fail: [{ value: 10, message: "AWS refuses a lifecycle hook heartbeat timeout of 10 s: 30-7200" }],
      },
    },
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
  ],
  "aws:autoscaling/policy:Policy": [
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
  "aws:autoscaling/notification:Notification": [
    enumOf(
      "notifications[]",
      "notification type",
      NOTIFICATION_TYPES,
      "autoscaling-notification-type",
      "@pulumi/aws autoscaling.NotificationType (the provider schema's enum); AWS Auto Scaling API PutNotificationConfiguration",
    ),
  ],
};
