/**
 * The validated, normalized stack model. Plain data only: no Pulumi types, no AWS SDK types.
 * `config/loader.ts` builds it from stack config; planners and components consume it. Each section's
 * own types live beside its schema and normalizer (config/sections/<key>.ts) and are re-exported
 * here, so consumers import the model from one place.
 */
import type { AutonamingModel } from "./autonaming";
import type { AlarmModel, AlarmTopicModel } from "./sections/cloudwatch";
import type { AutoscaleGroupModel } from "./sections/autoscale";
import type { CloudModel } from "./sections/cloud";
import type { ReactorProfileModel } from "./sections/ec2.autoscale";
import type { LoadBalancerModel } from "./sections/elb";
import type { NetworkModel } from "./sections/network";
import type { ProfileModel } from "./sections/profiles";
import type { ReactorSettingsModel } from "./sections/reactor";
import type { SecurityGroupModel } from "./sections/security_groups";

export type { CloudModel } from "./sections/cloud";
export type { NetworkModel, SubnetRef } from "./sections/network";
export type { ProfileModel, SnapshotScheduleModel } from "./sections/profiles";
export type { RuleModel, RuleSource, SecurityGroupModel } from "./sections/security_groups";
export type {
  HealthCheckModel,
  ListenerModel,
  ListenerProtocol,
  LoadBalancerModel,
  LoadBalancerType,
} from "./sections/elb";
export type {
  AlbHealthCheckModel,
  AlbListenerAction,
  AlbListenerModel,
  AlbProtocol,
  ApplicationLoadBalancerModel,
  TargetGroupModel,
} from "./sections/elb/application";
export type { AutoscaleGroupModel, TargetGroupRef } from "./sections/autoscale";
export type { LaunchTemplateModel } from "./sections/autoscale/launchConfig";
export type {
  AdjustmentType,
  ScalingPolicyModel,
  SimplePolicyModel,
  TargetTrackingPolicyModel,
} from "./sections/autoscale/scaling";
export type { MixedInstancesModel, WarmPoolModel } from "./sections/autoscale/dayTwo";
export type { ScheduledActionModel } from "./sections/autoscale/schedule";
export type { AlarmAction, AlarmModel, AlarmTopicModel, ComparisonOperator } from "./sections/cloudwatch";
export type {
  BootstrapModel,
  DocumentBootstrapModel,
  ReactorProfileModel,
  SaltBootstrapModel,
} from "./sections/ec2.autoscale";
export type { ReactorSettingsModel } from "./sections/reactor";

/** One block device of a profile or launch template; gp3 and encrypted unless said otherwise. */
export interface BlockDeviceModel {
  readonly deviceName: string;
  readonly volumeSize?: number;
  readonly volumeType: string;
  readonly iops?: number;
  readonly throughput?: number;
  readonly encrypted: boolean;
  readonly kmsKeyId?: string;
  readonly deleteOnTermination: boolean;
}

/** An image by id, or by an owner/name lookup (most recent match). */
export type ImageModel =
  | { readonly kind: "id"; readonly id: string }
  | {
      readonly kind: "lookup";
      readonly owners: readonly string[];
      readonly namePattern: string;
      readonly architecture: string;
    };

/** Grains become tags: a list as its items comma-joined, every other grain as its string. */
export type { Grains } from "../reactor/contract";

export interface StackModel {
  readonly project: string;
  readonly stack: string;
  /** `pulumi:autonaming`, resolved as the engine resolves it; undefined when not set. */
  readonly autonaming?: AutonamingModel;
  readonly cloud: CloudModel;
  readonly network: NetworkModel;
  readonly profiles: readonly ProfileModel[];
  readonly securityGroups: readonly SecurityGroupModel[];
  readonly loadBalancers: readonly LoadBalancerModel[];
  readonly autoscaleGroups: readonly AutoscaleGroupModel[];
  readonly alarms: readonly AlarmModel[];
  /** Topics for alarm actions (`sns:<topic>`), from `cloudwatch.topics`. */
  readonly alarmTopics: readonly AlarmTopicModel[];
  readonly reactorProfiles: readonly ReactorProfileModel[];
  readonly reactor: ReactorSettingsModel;
  /** What the loader worked out that the config does not say (a derived network); absent when nothing. */
  readonly notes?: readonly string[];
}
