/**
 * What adopt works with: the planned types it can import (and those it cannot), what it found live
 * for a planned resource, the live data it matched against, and the recorded names it matches by.
 */
import type { AutoScalingGroup, ScalingPolicy } from "@aws-sdk/client-auto-scaling";
import type { MetricAlarm } from "@aws-sdk/client-cloudwatch";
import type { Instance, SecurityGroup, SecurityGroupRule, Volume } from "@aws-sdk/client-ec2";
import type { LoadBalancerDescription } from "@aws-sdk/client-elastic-load-balancing";
import { engineAutonaming } from "../../../config/autonaming";
import { StackModel } from "../../../config/model";
import { RecordedResource, UNKNOWN_SENTINEL } from "../record";
import { TYPES } from "../../../provider/types";

export const T = {
  group: TYPES.ec2.SecurityGroup,
  ingress: TYPES.vpc.SecurityGroupIngressRule,
  egress: TYPES.vpc.SecurityGroupEgressRule,
  elb: TYPES.elb.LoadBalancer,
  asg: TYPES.autoscaling.Group,
  policy: TYPES.autoscaling.Policy,
  alarm: TYPES.cloudwatch.MetricAlarm,
  topic: TYPES.sns.Topic,
  instance: TYPES.ec2.Instance,
  volume: TYPES.ebs.Volume,
  attachment: TYPES.ec2.VolumeAttachment,
} as const;

/**
 * Types `pulumi import` cannot read: the provider has no importer for them (terraform-provider-aws
 * internal/service/elb/policy.go, listener_policy.go, autoscaling/notification.go have no Importer;
 * @pulumi/aws documents no import), so the bridge reports them as not existing. Their Create is a PUT
 * (CreateLoadBalancerPolicy, SetLoadBalancerPoliciesOfListener, PutNotificationConfiguration).
 */
export const NOT_IMPORTABLE: Readonly<Record<string, string>> = {
  [TYPES.elb.LoadBalancerPolicy]:
    "cannot be imported (the provider has no importer for it): pulumi up creates it (CreateLoadBalancerPolicy)",
  [TYPES.elb.ListenerPolicy]:
    "cannot be imported (the provider has no importer for it): pulumi up sets it (SetLoadBalancerPoliciesOfListener replaces the listener's policies)",
  [TYPES.autoscaling.Notification]:
    "cannot be imported (the provider has no importer for it): pulumi up puts it (PutNotificationConfiguration, idempotent)",
};

/** What adopt found live for a planned resource: its import id and the live values it compared. */
export interface Found {
  readonly id: string;
  /** Live values of the inputs that force replacement; written into the import file, where they change nothing (Read returns them). */
  readonly inputs: Record<string, unknown>;
  /** What to say about it besides (an in-place move). */
  readonly notes?: readonly string[];
}

export interface Adoption {
  readonly found: Map<string, Found>;
  /** Planned resources pulumi up will create, with why. */
  readonly creates: {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly why: string;
  }[];
  /** Live things the stack does not model, with why nothing happens to them. */
  readonly unmatched: { readonly what: string; readonly id: string; readonly why: string }[];
  /** Planned resources more than one live resource could be. */
  readonly ambiguous: {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly why: string;
  }[];
}

export interface LiveData {
  /** Security groups by VPC id. */
  readonly groups: ReadonlyMap<string, readonly SecurityGroup[]>;
  readonly rules: readonly SecurityGroupRule[];
  readonly loadBalancers: readonly LoadBalancerDescription[];
  readonly autoScalingGroups: readonly AutoScalingGroup[];
  /** Scaling policies by group name. */
  readonly policies: ReadonlyMap<string, readonly ScalingPolicy[]>;
  readonly alarms: readonly MetricAlarm[];
  readonly topics: readonly string[];
  readonly instances: readonly Instance[];
  readonly volumes: readonly Volume[];
}

/** A known string input, or undefined when unknown or absent. */
export function known(r: RecordedResource, key: string): string | undefined {
  const v = r.wireInputs[key];
  return typeof v === "string" && v !== UNKNOWN_SENTINEL ? v : undefined;
}

/** The name AWS will know a resource by, when it is fixed before creation (no random part). */
export function fixedName(r: RecordedResource, model: StackModel): string | undefined {
  const p = r.physicalName;
  if (!p || p.value === undefined || p.error !== undefined) return undefined;
  if (p.source === "explicit") return p.value;
  if (p.source === "enforced" || p.source === "proposed") {
    const e = engineAutonaming(model.autonaming, r.type, r.name, r.urn);
    return e?.deleteBeforeReplace ? p.value : undefined;
  }
  return undefined;
}
