/**
 * Snapshots of a stateful profile's instances with Amazon Data Lifecycle Manager: one lifecycle
 * policy per profile, targeting the profile's instances by a tag, and a service role that may
 * snapshot only instances carrying that tag and delete only the snapshots this policy made.
 *
 * Why DLM and not AWS Backup: the unit is an EC2 instance's EBS volumes in one region, which DLM
 * covers with one resource and one role, at no charge beyond the snapshots; AWS Backup needs a
 * vault, a plan, a selection and a role, and earns its weight with cross-account copies, vault lock
 * and central reporting across services, none of which this tier needs. An organisation that
 * already runs Backup can set `stateful` profiles' tags into its own selection instead.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SnapshotScheduleModel } from "../config/model";
import { arn } from "./arn";

/** The tag DLM targets; its value names the stack and profile, so two stacks in one account never share snapshots. */
export const SNAPSHOT_TAG = "pillar:snapshots";
/** Marks an instance stateful or not; the policy pack treats an instance without it as stateful. */
export const STATEFUL_TAG = "pillar:stateful";

/** The DLM description charset is `[0-9A-Za-z _-]`, 1-500 (terraform-provider-aws dlm validator). */
export function dlmDescription(text: string): string {
  return text.replace(/[^0-9A-Za-z _-]/g, "-").slice(0, 500);
}

/**
 * The lifecycle policy's `policyDetails`: INSTANCE targets snapshot every volume attached to a
 * tagged instance as one crash-consistent set, boot volume included (the seed keeps its data there).
 */
export function snapshotPolicyDetails(schedule: SnapshotScheduleModel, tagValue: string) {
  const c = schedule.create;
  return {
    policyType: "EBS_SNAPSHOT_MANAGEMENT",
    resourceTypes: ["INSTANCE"],
    targetTags: { [SNAPSHOT_TAG]: tagValue },
    parameters: { excludeBootVolume: false },
    schedules: [
      {
        name:
          c.kind === "interval"
            ? `every ${c.intervalHours}h from ${c.time.replace(":", "")} UTC keep ${schedule.retain}`
            : `cron keep ${schedule.retain}`,
        createRule:
          c.kind === "interval"
            ? { interval: c.intervalHours, intervalUnit: "HOURS", times: c.time }
            : { cronExpression: c.expression },
        retainRule: { count: schedule.retain },
        copyTags: true,
      },
    ],
  };
}

/** DLM assumes the role; nothing else may. */
export const DLM_ASSUME_ROLE_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "dlm.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/**
 * What DLM needs to create the snapshots, narrowed from AWS's AWSDataLifecycleManagerServiceRole
 * (which allows CreateSnapshot(s) and DeleteSnapshot on every resource, plus copies, fast restore
 * and archive tiers this policy never uses): CreateSnapshots only on instances carrying this
 * policy's tag (their volumes and the new snapshots are the call's other resources), tags only on
 * snapshots, and the Describe calls, which take no resource-level permissions.
 */
export function snapshotCreateDocument(region: string, accountId: string, tagValue: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "SnapshotTaggedInstances",
        Effect: "Allow",
        Action: "ec2:CreateSnapshots",
        Resource: arn(region, "ec2", accountId, "instance/*"),
        Condition: { StringEquals: { [`aws:ResourceTag/${SNAPSHOT_TAG}`]: tagValue } },
      },
      {
        Sid: "TheirVolumesAndSnapshots",
        Effect: "Allow",
        Action: "ec2:CreateSnapshots",
        Resource: [arn(region, "ec2", accountId, "volume/*"), arn(region, "ec2", "", "snapshot/*")],
      },
      {
        Sid: "TagSnapshots",
        Effect: "Allow",
        Action: "ec2:CreateTags",
        Resource: arn(region, "ec2", "", "snapshot/*"),
      },
      {
        Sid: "Describe",
        Effect: "Allow",
        Action: ["ec2:DescribeInstances", "ec2:DescribeSnapshots", "ec2:DescribeVolumes"],
        Resource: "*",
      },
    ],
  });
}

/**
 * Retention: DeleteSnapshot only on snapshots DLM tagged with this policy's id (`aws:` tags cannot
 * be set by anyone but AWS). Attached after the policy exists, since it names the policy's id;
 * the first deletion is a retention period away.
 */
export function snapshotRetentionDocument(region: string, policyId: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DeleteOwnSnapshots",
        Effect: "Allow",
        Action: "ec2:DeleteSnapshot",
        Resource: arn(region, "ec2", "", "snapshot/*"),
        Condition: { StringEquals: { "aws:ResourceTag/aws:dlm:lifecycle-policy-id": policyId } },
      },
    ],
  });
}

export interface SnapshotPolicyArgs {
  readonly schedule: SnapshotScheduleModel;
  /** Value of the SNAPSHOT_TAG the profile's instances carry. */
  readonly tagValue: string;
  /** What the console shows; reduced to DLM's charset. */
  readonly description: string;
  readonly accountId: pulumi.Input<string>;
  readonly region: string;
}

/** A Data Lifecycle Manager policy for one stateful profile, and its least-privilege role. */
export class SnapshotPolicy extends pulumi.ComponentResource {
  public readonly policy: aws.dlm.LifecyclePolicy;
  public readonly role: aws.iam.Role;
  public readonly policyArn: pulumi.Output<string>;
  public readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: SnapshotPolicyArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("pillar:dlm:SnapshotPolicy", name, {}, opts);
    const o = { parent: this };
    this.role = new aws.iam.Role(
      name,
      {
        description: `Data Lifecycle Manager snapshots of ${args.description}`,
        assumeRolePolicy: DLM_ASSUME_ROLE_POLICY,
      },
      o,
    );
    const create = new aws.iam.RolePolicy(
      `${name}-create`,
      {
        role: this.role.id,
        policy: pulumi
          .output(args.accountId)
          .apply((account) => snapshotCreateDocument(args.region, account, args.tagValue)),
      },
      o,
    );
    this.policy = new aws.dlm.LifecyclePolicy(
      name,
      {
        description: dlmDescription(`snapshots of ${args.description}`),
        executionRoleArn: this.role.arn,
        state: "ENABLED",
        policyDetails: snapshotPolicyDetails(args.schedule, args.tagValue),
      },
      // DLM checks nothing at creation; waiting for the permissions keeps the first run from failing.
      { ...o, dependsOn: [create] },
    );
    new aws.iam.RolePolicy(
      `${name}-retention`,
      {
        role: this.role.id,
        policy: this.policy.id.apply((id) => snapshotRetentionDocument(args.region, id)),
      },
      o,
    );
    this.policyArn = this.policy.arn;
    this.roleArn = this.role.arn;
    this.registerOutputs({ policyArn: this.policyArn, roleArn: this.roleArn });
  }
}
