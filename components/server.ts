import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ROOT_DEVICE_NAMES, splitStatefulDevices } from "../config/sections/profiles";
import { BlockDeviceModel, ProfileModel } from "../config/model";
import { grainTags } from "../config/values";
import { imageInfo } from "./image";
import { instanceProfile } from "./instanceProfile";
import { ebs, METADATA_OPTIONS, splitRoot } from "./instanceSettings";
import { sortedTags } from "./tags";
import { SNAPSHOT_TAG, SnapshotPolicy, STATEFUL_TAG } from "./snapshots";

export interface ServerProfileArgs {
  /** One salt-cloud profile (the seed's `mongodb-server`). */
  readonly profile: ProfileModel;
  /** Subnet for the instances: the profile's `subnetid`, else the first private subnet. */
  readonly subnetId: pulumi.Input<string>;
  /** Security group ids for the profile's `security_groups`, resolved through the graph. */
  readonly securityGroupIds: pulumi.Input<string>[];
  readonly keyName: pulumi.Input<string | undefined>;
  /**
   * Value of the snapshot tag of a stateful profile's instances, unique to stack and profile
   * (`pillar-prod-mongodb-server`), so two stacks in one account never snapshot each other's servers.
   */
  readonly snapshotTag: string;
  readonly accountId: pulumi.Input<string>;
  readonly region: string;
}

/** A volume that outlives its instance: the stateful form of every mapping. */
function kept(d: BlockDeviceModel): BlockDeviceModel {
  return { ...d, deleteOnTermination: false };
}

/**
 * A salt-cloud profile as EC2 instances: size, image, subnet, encrypted gp3 block devices (the one
 * on the AMI's root device is the root volume), IMDSv2 required, an instance profile with SSM core
 * access, and the grains as tags.
 *
 * A stateful profile (the default) keeps its data on day two: termination protection, Pulumi
 * `protect` on each instance and data volume (a replacement or deletion stops with the engine's
 * "marked for protection" error instead of happening), every volume kept when the instance goes,
 * data volumes as their own `aws.ebs.Volume` re-attached to a replacement instance, a looked-up
 * image resolved once (`ignoreChanges: ["ami"]`: a newer answer never replaces the server), and a
 * Data Lifecycle Manager snapshot policy targeting the instances by tag.
 */
export class ServerProfile extends pulumi.ComponentResource {
  public readonly instanceIds: pulumi.Output<string>[];
  public readonly privateIps: pulumi.Output<string>[];
  public readonly snapshots?: SnapshotPolicy;

  constructor(name: string, args: ServerProfileArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("pillar:ec2:ServerProfile", name, {}, opts);
    const { profile } = args;
    const ip = instanceProfile(name, args.region, this);
    const image = imageInfo(profile.image, this);
    const stateful = profile.stateful;
    const o = { parent: this };
    const nameTags = (instanceName: string) => ({ Name: instanceName, "pillar:profile": profile.name });

    // Stateless: the mapping on the AMI's root device is the root, the rest ride on the instance.
    const devices = image.rootDeviceName.apply((r) => splitRoot(profile.blockDevices, r));
    // Stateful: data volumes are resources of their own, so which mapping is the root must be known
    // before the image lookup answers; the answer is then checked against it.
    const fixed = splitStatefulDevices(profile.blockDevices);
    const statefulRoot = image.rootDeviceName.apply((r) => {
      if (fixed.root && fixed.root.deviceName !== r)
        throw new pulumi.ResourceError(
          `${profile.path}: block device ${fixed.root.deviceName} is mapped as the root volume, but the image's root device is ${r}`,
          this,
        );
      if (!fixed.root && fixed.data.some((d) => d.deviceName === r))
        throw new pulumi.ResourceError(
          `${profile.path}: the image boots from ${r}, which ${ROOT_DEVICE_NAMES.join(" and ")} do not name; map the root volume as one of those or use another image`,
          this,
        );
      return kept(splitRoot(fixed.root ? [fixed.root] : [], r).root);
    });
    const az =
      stateful && fixed.data.length > 0
        ? aws.ec2.getSubnetOutput({ id: args.subnetId }, o).apply((s) => s.availabilityZone)
        : undefined;

    const instances = Array.from({ length: profile.count }, (_, i) => {
      const instanceName = profile.count === 1 ? name : `${name}-${i + 1}`;
      const tags = sortedTags(grainTags(profile.grains), nameTags(instanceName), {
        [STATEFUL_TAG]: String(stateful),
        ...(stateful ? { [SNAPSHOT_TAG]: args.snapshotTag } : {}),
      });
      const common = {
        ami: image.id,
        instanceType: profile.size,
        subnetId: args.subnetId,
        vpcSecurityGroupIds: args.securityGroupIds,
        keyName: args.keyName,
        iamInstanceProfile: ip.name,
        metadataOptions: { ...METADATA_OPTIONS },
        tags,
      };
      if (!stateful) {
        return new aws.ec2.Instance(
          instanceName,
          {
            ...common,
            rootBlockDevice: devices.apply((d) => ebs(d.root)),
            ebsBlockDevices: devices.apply((d) =>
              d.others.map((x) => ({ deviceName: x.deviceName, ...ebs(x) })),
            ),
            volumeTags: nameTags(instanceName),
          },
          o,
        );
      }
      const instance = new aws.ec2.Instance(
        instanceName,
        {
          ...common,
          disableApiTermination: true,
          // Tags on the root mapping, not volumeTags: the provider's volumeTags would also rewrite the
          // tags of the separately managed data volumes on every run (terraform-provider-aws docs, aws_instance volume_tags).
          rootBlockDevice: statefulRoot.apply((d) => ({ ...ebs(d), tags: nameTags(instanceName) })),
        },
        {
          ...o,
          protect: true,
          // The image a lookup gave at creation stays; a newer answer is not a reason to replace a database.
          ...(profile.image.kind === "lookup" ? { ignoreChanges: ["ami"] } : {}),
        },
      );
      for (const d of fixed.data) {
        const volumeName = `${instanceName}-${d.deviceName.replace(/^\/dev\//, "")}`;
        const e = ebs(d);
        const volume = new aws.ebs.Volume(
          volumeName,
          {
            availabilityZone: az!,
            size: e.volumeSize!,
            type: e.volumeType,
            encrypted: e.encrypted,
            ...(e.iops !== undefined ? { iops: e.iops } : {}),
            ...(e.throughput !== undefined ? { throughput: e.throughput } : {}),
            ...(e.kmsKeyId !== undefined ? { kmsKeyId: e.kmsKeyId } : {}),
            tags: { Name: `${instanceName} ${d.deviceName}`, "pillar:profile": profile.name },
          },
          { ...o, protect: true },
        );
        new aws.ec2.VolumeAttachment(
          volumeName,
          {
            deviceName: d.deviceName,
            volumeId: volume.id,
            instanceId: instance.id,
            // A database volume is detached from a stopped instance, never forced off a running one.
            stopInstanceBeforeDetaching: true,
          },
          // A volume attaches to one instance at a time: the old attachment goes before the new one.
          { ...o, deleteBeforeReplace: true },
        );
      }
      return instance;
    });
    if (stateful && profile.snapshots) {
      this.snapshots = new SnapshotPolicy(
        `${name}-snapshots`,
        {
          schedule: profile.snapshots,
          tagValue: args.snapshotTag,
          description: args.snapshotTag,
          accountId: args.accountId,
          region: args.region,
        },
        { parent: this },
      );
    }
    this.instanceIds = instances.map((x) => x.id);
    this.privateIps = instances.map((x) => x.privateIp);
    this.registerOutputs({ instanceIds: this.instanceIds, privateIps: this.privateIps });
  }
}
