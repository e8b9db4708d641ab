import type { AutonamingModel } from "./autonaming";

/**
 * The validated, normalized stack model. Plain data only: no Pulumi types, no AWS SDK types.
 * `config/loader.ts` builds it from stack config; planners and components consume it.
 */

/** The one AWS provider of a stack (the seed's `aws_provider` cloud provider). */
export interface CloudModel {
  /** The provider's name in config (`aws_provider` in the seed); profiles refer to it. */
  readonly name: string;
  readonly region: string;
  /** Named AWS CLI profile; ambient credentials are used when neither this nor keys are given. */
  readonly profile?: string;
  /** Static credentials, only ever from secret config (the loader rejects plaintext). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** EC2 key pair: an existing key by name, or a public key the stack imports under that name. */
  readonly keyPair?: { readonly name: string; readonly publicKey?: string };
  readonly sshUsernames: readonly string[];
  readonly sshInterface: "private_ips" | "public_ips";
  /** Salt master address the minions talk to (`minion.master`), passed to bootstrap. */
  readonly saltMaster?: string;
  /** Extra default tags on every resource, besides stack and env. */
  readonly defaultTags: Readonly<Record<string, string>>;
  /** `env` default tag; from config or the stack name. */
  readonly env: string;
}

/** A subnet reference: a literal id, or every subnet of a tier of the network. */
export type SubnetRef =
  | { readonly kind: "id"; readonly id: string }
  | { readonly kind: "tier"; readonly tier: "public" | "private" };

export type NetworkModel =
  | {
      readonly mode: "existing";
      readonly vpcId: string;
      /** Known subnets by tier; empty when the config does not list them. */
      readonly publicSubnetIds: readonly string[];
      readonly privateSubnetIds: readonly string[];
    }
  | {
      readonly mode: "create";
      readonly cidrBlock: string;
      /** Number of availability zones, at least 2. */
      readonly azCount: number;
      readonly natGateways: "single" | "one_per_az" | "none";
    };

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

/** Grains become tags: `roles` as a comma-joined list, every other grain as its string. */
export type Grains = Readonly<Record<string, string | readonly string[]>>;

/**
 * When Data Lifecycle Manager snapshots a stateful profile's instances (every attached volume, in one
 * crash-consistent set) and how many snapshots it keeps.
 */
export interface SnapshotScheduleModel {
  readonly create:
    | { readonly kind: "interval"; readonly intervalHours: number; readonly time: string }
    | { readonly kind: "cron"; readonly expression: string };
  readonly retain: number;
}

/** A salt-cloud profile: one instance (or `count` instances) per entry. */
export interface ProfileModel {
  readonly name: string;
  readonly size: string;
  readonly image: ImageModel;
  readonly subnet?: SubnetRef;
  readonly blockDevices: readonly BlockDeviceModel[];
  readonly grains: Grains;
  readonly securityGroups: readonly string[];
  /** The profile's own `keyname`; the provider's key pair when absent. */
  readonly keyName?: string;
  readonly sshUsername?: string;
  readonly count: number;
  /**
   * A server that keeps data (the default): termination protection, Pulumi `protect` on the instance
   * and its volumes, volumes that outlive it, the image pinned once resolved, and snapshots.
   */
  readonly stateful: boolean;
  /** Present exactly when `stateful`. */
  readonly snapshots?: SnapshotScheduleModel;
  /** Configuration path of the profile, for error messages. */
  readonly path: string;
}

/** One ingress/egress rule source as written: a CIDR (v4/v6) or a group name. */
export interface RuleModel {
  /** Protocol normalized to AWS form: "tcp", "udp", "icmp", "icmpv6", "-1", or a protocol number string. */
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly sources: readonly string[];
  /** Config path of each source (`...cidr_ip` for a single string, `...cidr_ip[i]` for a list). */
  readonly sourcePaths: readonly string[];
  readonly description?: string;
  readonly path: string;
}

export interface SecurityGroupModel {
  readonly name: string;
  readonly description: string;
  readonly rules: readonly RuleModel[];
  /** undefined: allow all egress (the AWS default), made explicit as rules. */
  readonly egress?: readonly RuleModel[];
  readonly tags: Readonly<Record<string, string>>;
  readonly path: string;
}

export type ListenerProtocol = "HTTP" | "HTTPS" | "TCP" | "SSL";

export interface ListenerModel {
  readonly lbPort: number;
  readonly lbProtocol: ListenerProtocol;
  readonly instancePort: number;
  readonly instanceProtocol: ListenerProtocol;
  readonly certificateArn?: string;
  readonly path: string;
}

export interface HealthCheckModel {
  /** Normalized target, e.g. `HTTPS:443/check.html`, `TCP:22`. */
  readonly target: string;
  readonly interval: number;
  readonly timeout: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
}

export interface LoadBalancerModel {
  readonly name: string;
  readonly listeners: readonly ListenerModel[];
  readonly subnets: readonly SubnetRef[];
  readonly healthCheck: HealthCheckModel;
  readonly crossZone: boolean;
  readonly connectionDraining: boolean;
  readonly connectionDrainingTimeout: number;
  readonly idleTimeout: number;
  readonly accessLogs?: {
    readonly bucket: string;
    readonly prefix?: string;
    readonly interval: number;
    readonly enabled: boolean;
  };
  readonly securityGroups: readonly string[];
  /** TLS negotiation policy for HTTPS/SSL listeners. */
  readonly sslPolicy: string;
  readonly internal: boolean;
  readonly path: string;
}

export interface LaunchTemplateModel {
  /** `launch_config_name` from the seed, used in the template's resource name. */
  readonly name: string;
  readonly image: ImageModel;
  readonly instanceType: string;
  readonly keyName?: string;
  readonly securityGroups: readonly string[];
  readonly userData?: string;
  readonly blockDevices: readonly BlockDeviceModel[];
  /** Existing instance profile name; when absent the stack makes one with SSM core access. */
  readonly iamInstanceProfile?: string;
  readonly associatePublicIpAddress?: boolean;
  readonly ebsOptimized?: boolean;
  readonly detailedMonitoring: boolean;
  readonly path: string;
}

export type AdjustmentType = "ChangeInCapacity" | "PercentChangeInCapacity" | "ExactCapacity";

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
  /** ASGAverageCPUUtilization, ASGAverageNetworkIn, ASGAverageNetworkOut, ALBRequestCountPerTarget. */
  readonly metric: string;
  readonly targetValue: number;
  readonly disableScaleIn: boolean;
  readonly estimatedInstanceWarmup?: number;
  readonly path: string;
}

export type ScalingPolicyModel = SimplePolicyModel | TargetTrackingPolicyModel;

/** A pool of instances bootstrapped ahead of need, which scale-out draws on (PutWarmPool). */
export interface WarmPoolModel {
  readonly minSize: number;
  /** Instances in the group and the pool together; AWS uses the group's max size when absent. */
  readonly maxGroupPreparedCapacity?: number;
  readonly poolState: "Stopped" | "Hibernated" | "Running";
  readonly reuseOnScaleIn: boolean;
}

/** Instance type overrides and the On-Demand/Spot split; the launch template gives everything else. */
export interface MixedInstancesModel {
  readonly instanceTypes: readonly string[];
  readonly onDemandBaseCapacity: number;
  readonly onDemandPercentageAboveBase: number;
  readonly spotAllocationStrategy: string;
  readonly capacityRebalance: boolean;
}

/** A scheduled change of the group's sizes, once (`startTime`) or recurring (cron in a time zone). */
export interface ScheduledActionModel {
  readonly name: string;
  readonly recurrence?: string;
  readonly timeZone?: string;
  readonly startTime?: string;
  readonly endTime?: string;
  readonly minSize?: number;
  readonly maxSize?: number;
  readonly desiredCapacity?: number;
  readonly path: string;
}

export interface AutoscaleGroupModel {
  readonly name: string;
  /**
   * The group's physical name, set explicitly because the reactor's IAM scope needs it before the
   * group exists: `<project>-<stack>-<name>`, or as `pulumi:autonaming` says for the type.
   */
  readonly physicalName: string;
  readonly desiredCapacity: number;
  readonly minSize: number;
  readonly maxSize: number;
  readonly defaultCooldown: number;
  readonly subnets: readonly SubnetRef[];
  readonly loadBalancers: readonly string[];
  readonly healthCheckType: "EC2" | "ELB";
  readonly healthCheckGracePeriod: number;
  readonly launchTemplate: LaunchTemplateModel;
  readonly scalingPolicies: readonly ScalingPolicyModel[];
  /** Reactor profile (`ec2.autoscale.<name>`) that handles this group's instances. */
  readonly reactorProfile?: string;
  /** Grains as tags, propagated at launch (from the reactor profile, then the group's own). */
  readonly grains: Grains;
  readonly tags: Readonly<Record<string, string>>;
  readonly instanceRefresh?: { readonly minHealthyPercentage: number; readonly instanceWarmup?: number };
  readonly notifications: readonly string[];
  /**
   * Enforce `desiredCapacity` on every `pulumi up`. Off by default: after creation the group's size
   * belongs to its scaling policies, alarms and scheduled actions.
   */
  readonly manageDesiredCapacity: boolean;
  readonly warmPool?: WarmPoolModel;
  readonly mixedInstances?: MixedInstancesModel;
  readonly scheduledActions: readonly ScheduledActionModel[];
  readonly path: string;
}

export type ComparisonOperator =
  | "GreaterThanOrEqualToThreshold"
  | "GreaterThanThreshold"
  | "LessThanOrEqualToThreshold"
  | "LessThanThreshold";

/** An alarm action as written and resolved to its kind. */
export type AlarmAction =
  | { readonly kind: "arn"; readonly arn: string }
  | { readonly kind: "scaling_policy"; readonly group: string; readonly policy: string }
  | { readonly kind: "sns"; readonly topic: string };

export interface AlarmModel {
  readonly name: string;
  readonly metric: string;
  readonly namespace: string;
  readonly statistic: string;
  readonly comparison: ComparisonOperator;
  readonly threshold: number;
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm?: number;
  readonly description?: string;
  readonly unit?: string;
  readonly treatMissingData?: string;
  readonly alarmActions: readonly AlarmAction[];
  readonly okActions: readonly AlarmAction[];
  readonly insufficientDataActions: readonly AlarmAction[];
  /** Dimension values; a value that names a managed group is resolved to that group's real name. */
  readonly dimensions: Readonly<Record<string, readonly string[]>>;
  readonly path: string;
}

/** How a reactor profile bootstraps a new instance: an SSM command document with parameters. */
export interface BootstrapModel {
  /** `pillar-salt` for the stack's own Salt bootstrap document, else an SSM document name. */
  readonly document: string;
  readonly parameters: Readonly<Record<string, readonly string[]>>;
  readonly timeoutSeconds: number;
}

export interface ReactorProfileModel {
  readonly name: string;
  readonly grains: Grains;
  readonly sshUsername?: string;
  readonly bootstrap?: BootstrapModel;
  readonly path: string;
}

export interface ReactorSettingsModel {
  /** The function's physical name, known before creation so its log group can exist first. */
  readonly functionName: string;
  /** SNS signature version the topics are set to and the reactor requires. */
  readonly signatureVersion: "1" | "2";
  readonly runtime: "nodejs22.x" | "nodejs24.x";
  readonly memorySize: number;
  readonly timeoutSeconds: number;
  /** Reserved concurrency; none by default (new accounts cannot reserve below their minimum of 10 unreserved). */
  readonly reservedConcurrency?: number;
  /** Deletion protection on the inventory table. */
  readonly deletionProtection: boolean;
  /** Where the reactor's error and dead-letter alarms notify, besides the alerts topic. */
  readonly alertEmail?: string;
  readonly logRetentionDays: number;
  readonly tombstoneTtlDays: number;
  /** Expose the HTTP delivery form (the seed's webhook) behind a Function URL. */
  readonly functionUrl: boolean;
  /** How long a launch lifecycle hook waits for the bootstrap before its default result. */
  readonly lifecycleHeartbeatTimeout: number;
  /** The reactor refuses messages older than this (seconds, by their SNS Timestamp). */
  readonly maxMessageAgeSeconds: number;
  /** The reactor refuses messages dated further than this in the future (seconds). */
  readonly clockSkewSeconds: number;
}

export interface AlarmTopicModel {
  readonly name: string;
  readonly subscriptions: readonly { readonly protocol: string; readonly endpoint: string }[];
}

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
}
