import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ProfileModel } from "../config/model";
import { grainTags } from "../config/values";
import { ebs, imageInfo, instanceProfile, METADATA_OPTIONS, splitRoot } from "./instanceRole";
import { sortedTags } from "./naming";

export interface ServerProfileArgs {
  /** One salt-cloud profile (the seed's `mongodb-server`). */
  readonly profile: ProfileModel;
  /** Subnet for the instances: the profile's `subnetid`, else the first private subnet. */
  readonly subnetId: pulumi.Input<string>;
  /** Security group ids for the profile's `security_groups`, resolved through the graph. */
  readonly securityGroupIds: pulumi.Input<string>[];
  readonly keyName: pulumi.Input<string | undefined>;
  readonly provider: aws.Provider;
}

/**
 * A salt-cloud profile as EC2 instances: size, image, subnet, encrypted gp3 block devices (the one
 * on the AMI's root device is the root volume), IMDSv2 required, an instance profile with SSM core access, and the
 * grains as tags.
 */
export class ServerProfile extends pulumi.ComponentResource {
  public readonly instanceIds: pulumi.Output<string>[];
  public readonly privateIps: pulumi.Output<string>[];

  constructor(name: string, args: ServerProfileArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("pillar:ec2:ServerProfile", name, {}, opts);
    const { profile, provider } = args;
    const ip = instanceProfile(name, this, provider);
    const image = imageInfo(profile.image, this, provider);
    // The root volume is the mapping on the AMI's root device; every volume is encrypted gp3 unless configured otherwise.
    const devices = image.rootDeviceName.apply((r) => splitRoot(profile.blockDevices, r));
    const instances = Array.from({ length: profile.count }, (_, i) => {
      const instanceName = profile.count === 1 ? name : `${name}-${i + 1}`;
      return new aws.ec2.Instance(
        instanceName,
        {
          ami: image.id,
          instanceType: profile.size,
          subnetId: args.subnetId,
          vpcSecurityGroupIds: args.securityGroupIds,
          keyName: args.keyName,
          iamInstanceProfile: ip.name,
          metadataOptions: { ...METADATA_OPTIONS },
          rootBlockDevice: devices.apply((d) => ebs(d.root)),
          ebsBlockDevices: devices.apply((d) =>
            d.others.map((x) => ({ deviceName: x.deviceName, ...ebs(x) })),
          ),
          tags: sortedTags(grainTags(profile.grains), { Name: instanceName, "pillar:profile": profile.name }),
          volumeTags: { Name: instanceName, "pillar:profile": profile.name },
        },
        { parent: this, provider },
      );
    });
    this.instanceIds = instances.map((x) => x.id);
    this.privateIps = instances.map((x) => x.privateIp);
    this.registerOutputs({ instanceIds: this.instanceIds, privateIps: this.privateIps });
  }
}
