import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AutoscaleGroupModel } from "../config/model";
import { grainTags } from "../config/values";
import { groupIgnoreChanges, mixedInstancesPolicyArgs, scheduleArgs, warmPoolArgs } from "./groupPlan";
import { imageInfo } from "./image";
import { instanceProfile } from "./instanceProfile";
import { ebs, METADATA_OPTIONS, splitRoot } from "./instanceSettings";
import { sortedTags } from "./tags";
import type { AutoscaleTopic } from "./autoscaleTopic";

/** Lifecycle hook names the reactor completes (it reads them from each message). */
export const LAUNCH_HOOK = "pillar-launch";
export const TERMINATE_HOOK = "pillar-terminate";

const NOTIFICATION_TYPES: Readonly<Record<string, string>> = {
  launch: "autoscaling:EC2_INSTANCE_LAUNCH",
  launch_error: "autoscaling:EC2_INSTANCE_LAUNCH_ERROR",
  terminate: "autoscaling:EC2_INSTANCE_TERMINATE",
  terminate_error: "autoscaling:EC2_INSTANCE_TERMINATE_ERROR",
};

export interface AutoscaleGroupArgs {
  readonly group: AutoscaleGroupModel;
  /** Physical group name, known before creation (AutoscaleGroupModel.physicalName), so the reactor's IAM scope needs no ASG output. */
  readonly groupName: string;
  readonly subnetIds: pulumi.Input<string>[];
  readonly securityGroupIds: pulumi.Input<string>[];
  /** Physical names of the classic ELBs the group registers with. */
  readonly loadBalancerNames: pulumi.Input<string>[];
  /**
   * The ALB target groups the group registers with, by config name: the ARN, and the
   * ALBRequestCountPerTarget resource label (`<ALB arn suffix>/<target group arn suffix>`).
   */
  readonly targetGroups?: Readonly<
    Record<string, { readonly arn: pulumi.Input<string>; readonly resourceLabel: pulumi.Input<string> }>
  >;
  /** Key pair for the template: the launch_config's `key_name` resolved by the caller. */
  readonly keyName: pulumi.Input<string | undefined>;
  readonly topic: AutoscaleTopic;
  /** Add the reactor's launch/terminate lifecycle hooks at creation (`initialLifecycleHooks`). */
  readonly lifecycleHooks: boolean;
  readonly heartbeatTimeout: number;
  /** Resources the group itself waits for (the reactor, so its subscription exists before a launch hook fires). */
  readonly waitFor?: readonly pulumi.Resource[];
  /** The stack's region: the instance role's managed policy is in its partition. */
  readonly region: string;
}

/**
 * The seed's autoscale group: `launch_config` translated into a launch template (accounts made
 * since Oct 2024 cannot create launch configurations), the group pinned to the template's latest
 * version, grains as tags propagated at launch, scaling policies, notifications and lifecycle hooks.
 */
export class AutoscaleGroup extends pulumi.ComponentResource {
  public readonly group: aws.autoscaling.Group;
  public readonly launchTemplate: aws.ec2.LaunchTemplate;
  public readonly groupName: pulumi.Output<string>;
  public readonly launchTemplateId: pulumi.Output<string>;
  /** Policy ARNs by config policy name. */
  public readonly policyArns: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: AutoscaleGroupArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("pillar:autoscaling:AutoscaleGroup", name, {}, opts);
    const { group } = args;
    const o = { parent: this };
    const lt = group.launchTemplate;
    const profileName = lt.iamInstanceProfile ?? instanceProfile(name, args.region, this).name;
    const image = imageInfo(lt.image, this);
    const tags = sortedTags(grainTags(group.grains), group.tags, {
      Name: group.name,
      "pillar:group": group.name,
    });
    this.launchTemplate = new aws.ec2.LaunchTemplate(
      `${name}-${lt.name}`,
      {
        description: `pillar ${group.name} (launch_config ${lt.name})`,
        imageId: image.id,
        instanceType: lt.instanceType,
        keyName: args.keyName,
        iamInstanceProfile: { name: profileName },
        metadataOptions: { ...METADATA_OPTIONS },
        monitoring: { enabled: lt.detailedMonitoring },
        ...(lt.ebsOptimized !== undefined ? { ebsOptimized: String(lt.ebsOptimized) } : {}),
        ...(lt.userData !== undefined ? { userData: Buffer.from(lt.userData).toString("base64") } : {}),
        networkInterfaces: [
          {
            deviceIndex: 0,
            securityGroups: args.securityGroupIds,
            deleteOnTermination: "true",
            ...(lt.associatePublicIpAddress !== undefined
              ? { associatePublicIpAddress: String(lt.associatePublicIpAddress) }
              : {}),
          },
        ],
        // The root volume is mapped explicitly, so its encryption never follows the AMI's snapshot.
        blockDeviceMappings: image.rootDeviceName.apply((r) => {
          const { root, others } = splitRoot(lt.blockDevices, r);
          return [root, ...others].map((d) => ({
            deviceName: d.deviceName,
            ebs: {
              ...ebs(d),
              encrypted: String(d.encrypted),
              deleteOnTermination: String(d.deleteOnTermination),
            },
          }));
        }),
        tagSpecifications: ["instance", "volume"].map((resourceType) => ({ resourceType, tags })),
        // A Hibernated warm pool can only hibernate instances launched with hibernation configured.
        ...(group.warmPool?.poolState === "Hibernated" ? { hibernationOptions: { configured: true } } : {}),
        updateDefaultVersion: true,
      },
      o,
    );
    // Pinned, not $Latest: instance refresh only fires when the version changes.
    const template = {
      id: this.launchTemplate.id,
      version: this.launchTemplate.latestVersion.apply(String),
    };
    const tg = (n: string) => {
      const t = args.targetGroups?.[n];
      if (!t) throw new pulumi.ResourceError(`no target group ${n} for group ${group.name}`, this);
      return t;
    };
    const hook = (name: string, transition: string, defaultResult: string) => ({
      name,
      lifecycleTransition: transition,
      defaultResult,
      heartbeatTimeout: args.heartbeatTimeout,
      notificationTargetArn: args.topic.topic.arn,
      roleArn: args.topic.hookRole.arn,
    });
    this.group = new aws.autoscaling.Group(
      name,
      {
        name: args.groupName,
        minSize: group.minSize,
        maxSize: group.maxSize,
        desiredCapacity: group.desiredCapacity,
        defaultCooldown: group.defaultCooldown,
        vpcZoneIdentifiers: args.subnetIds,
        loadBalancers: args.loadBalancerNames,
        // Only when there are some, so a stack without an ALB plans exactly as before.
        ...(group.targetGroups.length > 0
          ? { targetGroupArns: group.targetGroups.map((t) => tg(t.targetGroup).arn) }
          : {}),
        healthCheckType: group.healthCheckType,
        healthCheckGracePeriod: group.healthCheckGracePeriod,
        ...(group.mixedInstances
          ? {
              mixedInstancesPolicy: mixedInstancesPolicyArgs(group.mixedInstances, template),
              capacityRebalance: group.mixedInstances.capacityRebalance,
            }
          : { launchTemplate: template }),
        ...(group.warmPool ? { warmPool: warmPoolArgs(group.warmPool) } : {}),
        tags: Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
        // Hooks added after creation would miss the first instances.
        initialLifecycleHooks: args.lifecycleHooks
          ? [
              hook(LAUNCH_HOOK, "autoscaling:EC2_INSTANCE_LAUNCHING", "ABANDON"),
              hook(TERMINATE_HOOK, "autoscaling:EC2_INSTANCE_TERMINATING", "CONTINUE"),
            ]
          : [],
        ...(group.instanceRefresh
          ? {
              instanceRefresh: {
                strategy: "Rolling",
                preferences: {
                  minHealthyPercentage: group.instanceRefresh.minHealthyPercentage,
                  ...(group.instanceRefresh.instanceWarmup !== undefined
                    ? { instanceWarmup: String(group.instanceRefresh.instanceWarmup) }
                    : {}),
                },
              },
            }
          : {}),
        enabledMetrics: [
          "GroupDesiredCapacity",
          "GroupInServiceInstances",
          "GroupMaxSize",
          "GroupMinSize",
          "GroupPendingInstances",
          "GroupTerminatingInstances",
          "GroupTotalInstances",
        ],
      },
      // A component's dependsOn does not reach its children, so the group names what it waits for itself;
      // nor does its ignoreChanges, so the group carries what the scalers own (see groupIgnoreChanges).
      {
        ...o,
        dependsOn: [...(args.waitFor ?? []), ...(args.lifecycleHooks ? [args.topic.hookPolicy] : [])],
        // initialLifecycleHooks only apply when AWS creates the group and are never read back, and the
        // provider replaces the group when they change (initial_lifecycle_hook is ForceNew): an adopted
        // group, imported without them, would be replaced on the first pulumi up, and a new heartbeat
        // would replace a running one (hashicorp/terraform-provider-aws#49226). The hooks below keep
        // them in place from then on.
        ignoreChanges: [
          ...groupIgnoreChanges(group),
          ...(args.lifecycleHooks ? ["initialLifecycleHooks"] : []),
        ],
      },
    );
    if (args.lifecycleHooks) {
      // The same hooks as their own resources (PutLifecycleHook, in place): a no-op on a group just
      // created with them, the hooks an adopted group lacks, and heartbeat changes without replacement.
      for (const [hookName, transition, result] of [
        [LAUNCH_HOOK, "autoscaling:EC2_INSTANCE_LAUNCHING", "ABANDON"],
        [TERMINATE_HOOK, "autoscaling:EC2_INSTANCE_TERMINATING", "CONTINUE"],
      ] as const) {
        new aws.autoscaling.LifecycleHook(
          `${name}-${hookName}`,
          { autoscalingGroupName: this.group.name, ...hook(hookName, transition, result) },
          // AWS sends the hook's target a test message when the hook is put: the role must be able to publish.
          { ...o, dependsOn: [args.topic.hookPolicy] },
        );
      }
    }
    for (const a of group.scheduledActions) {
      new aws.autoscaling.Schedule(
        `${name}-${a.name}`,
        { autoscalingGroupName: this.group.name, ...scheduleArgs(a) },
        o,
      );
    }
    if (group.notifications.length > 0) {
      new aws.autoscaling.Notification(
        name,
        {
          groupNames: [this.group.name],
          notifications: group.notifications.map(
            (n) => NOTIFICATION_TYPES[n]! as aws.autoscaling.NotificationType,
          ),
          topicArn: args.topic.topic.arn,
        },
        o,
      );
    }
    const arns: Record<string, pulumi.Output<string>> = {};
    for (const p of group.scalingPolicies) {
      const policy =
        p.kind === "simple"
          ? new aws.autoscaling.Policy(
              `${name}-${p.name}`,
              {
                // The seed's policy name: AWS scopes it to the group, so it needs no suffix.
                name: p.name,
                autoscalingGroupName: this.group.name,
                policyType: "SimpleScaling",
                adjustmentType: p.adjustmentType,
                scalingAdjustment: p.scalingAdjustment,
                ...(p.cooldown !== undefined ? { cooldown: p.cooldown } : {}),
                ...(p.minAdjustmentMagnitude !== undefined
                  ? { minAdjustmentMagnitude: p.minAdjustmentMagnitude }
                  : {}),
              },
              o,
            )
          : new aws.autoscaling.Policy(
              `${name}-${p.name}`,
              {
                name: p.name,
                autoscalingGroupName: this.group.name,
                policyType: "TargetTrackingScaling",
                ...(p.estimatedInstanceWarmup !== undefined
                  ? { estimatedInstanceWarmup: p.estimatedInstanceWarmup }
                  : {}),
                targetTrackingConfiguration: {
                  predefinedMetricSpecification: {
                    predefinedMetricType: p.metric,
                    // AWS takes a label only for a target group attached to the group (above).
                    ...(p.targetGroup ? { resourceLabel: tg(p.targetGroup.targetGroup).resourceLabel } : {}),
                  },
                  targetValue: p.targetValue,
                  disableScaleIn: p.disableScaleIn,
                },
              },
              o,
            );
      arns[p.name] = policy.arn;
    }
    this.policyArns = arns;
    this.groupName = this.group.name;
    this.launchTemplateId = this.launchTemplate.id;
    this.registerOutputs({
      groupName: this.groupName,
      launchTemplateId: this.launchTemplateId,
      policyArns: this.policyArns,
    });
  }
}
