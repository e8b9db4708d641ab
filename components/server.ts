import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ProfileModel } from "../config/model";
import { grainTags } from "../config/values";
import { ebs, imageId, instanceProfile, METADATA_OPTIONS } from "./instanceRole";
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
 * A salt-cloud profile as EC2 instances: size, image, subnet, encrypted gp3 block devices (the
 * first is the root device), IMDSv2 required, an instance profile with SSM core access, and the
 * grains as tags.
 */
export class ServerProfile extends pulumi.ComponentResource {
  public readonly instanceIds: pulumi.Output<string>[];
  public readonly privateIps: pulumi.Output<string>[];

  constructor(name: string, args: ServerProfileArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("pillar:ec2:ServerProfile", name, {}, opts);
    const { profile, provider } = args;
    const ip = instanceProfile(name, this, provider);
    const ami = imageId(profile.image, this, provider);
    const [root, ...extra] = profile.blockDevices;
    const instances = Array.from({ length: profile.count }, (_, i) => {
      const instanceName = profile.count === 1 ? name : `${name}-${i + 1}`;
      return new aws.ec2.Instance(
        instanceName,
        {
          ami,
          instanceType: profile.size,
          subnetId: args.subnetId,
          vpcSecurityGroupIds: args.securityGroupIds,
          keyName: args.keyName,
          iamInstanceProfile: ip.name,
          metadataOptions: { ...METADATA_OPTIONS },
          rootBlockDevice: root
            ? ebs(root)
            : { volumeType: "gp3", encrypted: true, deleteOnTermination: true },
          ebsBlockDevices: extra.map((d) => ({ deviceName: d.deviceName, ...ebs(d) })),
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
