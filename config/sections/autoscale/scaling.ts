/**
 * A group's `scaling_policies`: the seed's simple policies (`adjustment_type` and
 * `scaling_adjustment`, which its alarms name as `scaling_policy:<group>:<policy>`) or target
 * tracking, which makes its own alarms.
 */
import { quoteList, sub } from "../../issues";
import {
  bool,
  int,
  intSchema,
  nonNegInt,
  num,
  oneOf,
  resourceName,
  Static,
  str,
  Type,
} from "../../schemaKit";
import { toBool } from "../../values";
import type { TargetGroupRef } from "../autoscale";
import { Section, uniqueNames } from "../context";

const ADJUSTMENT_TYPES = ["ChangeInCapacity", "PercentChangeInCapacity", "ExactCapacity"] as const;
const TARGET_METRICS = [
  "ASGAverageCPUUtilization",
  "ASGAverageNetworkIn",
  "ASGAverageNetworkOut",
  "ALBRequestCountPerTarget",
] as const;

export const scalingPolicySchema = Type.Object(
  {
    name: resourceName(255),
    as_name: Type.Optional(str),
    adjustment_type: Type.Optional(oneOf(ADJUSTMENT_TYPES)),
    scaling_adjustment: Type.Optional(int),
    cooldown: Type.Optional(nonNegInt),
    min_adjustment_magnitude: Type.Optional(intSchema(1)),
    target_tracking: Type.Optional(
      Type.Object(
        {
          metric: oneOf(TARGET_METRICS),
          target_value: num,
          disable_scale_in: Type.Optional(bool),
          estimated_instance_warmup: Type.Optional(nonNegInt),
          /** ALBRequestCountPerTarget: the target group whose requests count, when the group has several. */
          target_group: Type.Optional(str),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
type ScalingPolicyInput = Static<typeof scalingPolicySchema>;

export type AdjustmentType = (typeof ADJUSTMENT_TYPES)[number];

export interface SimplePolicyModel {
  readonly kind: "simple";
  readonly name: string;
  readonly adjustmentType: AdjustmentType;
  readonly scalingAdjustment: number;
  readonly cooldown?: number;
  readonly minAdjustmentMagnitude?: number;
  readonly path: string;
}

export interface TargetTrackingPolicyModel {
  readonly kind: "target_tracking";
  readonly name: string;
  /** The predefined metric the policy keeps at its target, per group. */
  readonly metric: (typeof TARGET_METRICS)[number];
  readonly targetValue: number;
  readonly disableScaleIn: boolean;
  readonly estimatedInstanceWarmup?: number;
  /**
   * ALBRequestCountPerTarget only: the target group whose requests per target the policy tracks,
   * whose resource label is `<ALB arn suffix>/<target group arn suffix>`.
   */
  readonly targetGroup?: TargetGroupRef;
  readonly path: string;
}

export type ScalingPolicyModel = SimplePolicyModel | TargetTrackingPolicyModel;

export function loadPolicies(
  list: readonly ScalingPolicyInput[] | undefined,
  group: string,
  path: string,
  s: Section,
  targetGroups: readonly TargetGroupRef[] = [],
): ScalingPolicyModel[] {
  const unique = uniqueNames(
    s.issues,
    (name, first) => `duplicate scaling policy "${name}" (first at ${first})`,
  );
  return (list ?? []).map((p, i): ScalingPolicyModel => {
    const pp = sub(sub(path, "scaling_policies"), i);
    unique(p.name, sub(pp, "name"));
    if (p.as_name !== undefined && p.as_name !== group) {
      s.issues.push({
        path: sub(pp, "as_name"),
        message: `as_name "${p.as_name}" must name the group it sits in, "${group}"`,
      });
    }
    const tt = p.target_tracking;
    if (tt) {
      for (const k of [
        "adjustment_type",
        "scaling_adjustment",
        "cooldown",
        "min_adjustment_magnitude",
      ] as const) {
        if (p[k] !== undefined)
          s.issues.push({
            path: sub(pp, k),
            message: "Only one of [target_tracking] or [adjustment_type/scaling_adjustment] can be specified",
          });
      }
      const tg = trackedTargetGroup(tt, sub(pp, "target_tracking"), targetGroups, s);
      return {
        kind: "target_tracking",
        name: p.name,
        metric: tt.metric,
        ...(tg ? { targetGroup: tg } : {}),
        targetValue: tt.target_value,
        disableScaleIn: tt.disable_scale_in === undefined ? false : toBool(tt.disable_scale_in),
        ...(tt.estimated_instance_warmup !== undefined
          ? { estimatedInstanceWarmup: tt.estimated_instance_warmup }
          : {}),
        path: pp,
      };
    }
    for (const k of ["adjustment_type", "scaling_adjustment"] as const) {
      if (p[k] === undefined)
        s.issues.push({ path: pp, message: `missing "${k}" (or give target_tracking)` });
    }
    const adjustmentType = p.adjustment_type ?? "ChangeInCapacity";
    const adjustment = p.scaling_adjustment ?? 0;
    if (adjustmentType === "ExactCapacity" && adjustment < 0) {
      s.issues.push({
        path: sub(pp, "scaling_adjustment"),
        message: `ExactCapacity needs a capacity >= 0, got ${adjustment}`,
      });
    }
    if (p.min_adjustment_magnitude !== undefined && adjustmentType !== "PercentChangeInCapacity") {
      s.issues.push({
        path: sub(pp, "min_adjustment_magnitude"),
        message: `${p.min_adjustment_magnitude} only applies to PercentChangeInCapacity, not ${adjustmentType}`,
      });
    }
    return {
      kind: "simple",
      name: p.name,
      adjustmentType,
      scalingAdjustment: adjustment,
      ...(p.cooldown !== undefined ? { cooldown: p.cooldown } : {}),
      ...(p.min_adjustment_magnitude !== undefined
        ? { minAdjustmentMagnitude: p.min_adjustment_magnitude }
        : {}),
      path: pp,
    };
  });
}

/**
 * The target group an ALBRequestCountPerTarget policy tracks: AWS takes a resource label only for a
 * target group attached to the group (PredefinedMetricSpecification), so it must be one of the
 * group's, and named when the group has several.
 */
function trackedTargetGroup(
  tt: NonNullable<ScalingPolicyInput["target_tracking"]>,
  at: string,
  attached: readonly TargetGroupRef[],
  s: Section,
): TargetGroupRef | undefined {
  if (tt.metric !== "ALBRequestCountPerTarget") {
    if (tt.target_group !== undefined)
      s.issues.push({
        path: sub(at, "target_group"),
        message: `only applies to the metric ALBRequestCountPerTarget; this policy tracks ${tt.metric}`,
      });
    return undefined;
  }
  const names = attached.map((t) => t.targetGroup);
  if (tt.target_group !== undefined) {
    const tg = attached.find((t) => t.targetGroup === tt.target_group);
    if (!tg)
      s.issues.push({
        path: sub(at, "target_group"),
        message: `"${tt.target_group}" is not a target group this autoscale group registers with; its target groups: ${quoteList(names)}`,
      });
    return tg;
  }
  if (attached.length === 1) return attached[0];
  s.issues.push({
    path: attached.length === 0 ? sub(at, "metric") : at,
    message:
      attached.length === 0
        ? "ALBRequestCountPerTarget counts the requests of an Application Load Balancer's target group, and this group registers with none: attach it (load_balancers or target_groups) or track another metric"
        : `missing "target_group": the group registers with ${attached.length} target groups, so say which one's requests to track: ${quoteList(names)}`,
  });
  return undefined;
}
