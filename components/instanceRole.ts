import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BlockDeviceModel, ImageModel } from "../config/model";

/** Managed policy that lets SSM Run Command reach the instance (the reactor's bootstrap path). */
export const SSM_CORE_POLICY_ARN = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";

export const EC2_ASSUME_ROLE_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/** An instance role with SSM core access and its instance profile, as children of `parent`. */
export function instanceProfile(
  name: string,
  parent: pulumi.Resource,
  provider: aws.Provider,
): aws.iam.InstanceProfile {
  const o = { parent, provider };
  const role = new aws.iam.Role(
    `${name}-role`,
    { assumeRolePolicy: EC2_ASSUME_ROLE_POLICY, description: `pillar ${name} instances` },
    o,
  );
  new aws.iam.RolePolicyAttachment(`${name}-ssm`, { role: role.name, policyArn: SSM_CORE_POLICY_ARN }, o);
  return new aws.iam.InstanceProfile(`${name}-profile`, { role: role.name }, o);
}

/** An image's id and root device name (where a launch template must map its root volume). */
export interface ImageInfo {
  readonly id: pulumi.Input<string>;
  readonly rootDeviceName: pulumi.Output<string>;
}

/** Looks the image up: by id (for its root device), or the most recent match of an owner/name filter. */
export function imageInfo(image: ImageModel, parent: pulumi.Resource, provider: aws.Provider): ImageInfo {
  const opts = { parent, provider };
  if (image.kind === "id") {
    const ami = aws.ec2.getAmiOutput(
      { mostRecent: true, filters: [{ name: "image-id", values: [image.id] }] },
      opts,
    );
    return { id: image.id, rootDeviceName: ami.apply((a) => a.rootDeviceName) };
  }
  const ami = aws.ec2.getAmiOutput(
    {
      mostRecent: true,
      owners: [...image.owners],
      filters: [
        { name: "name", values: [image.namePattern] },
        { name: "architecture", values: [image.architecture] },
        { name: "virtualization-type", values: ["hvm"] },
      ],
    },
    opts,
  );
  return { id: ami.apply((a) => a.id), rootDeviceName: ami.apply((a) => a.rootDeviceName) };
}

/** Splits block devices into the root (the AMI's root device, gp3 and encrypted if not configured) and the rest. */
export function splitRoot(
  devices: readonly BlockDeviceModel[],
  rootDeviceName: string,
): { root: BlockDeviceModel; others: BlockDeviceModel[] } {
  const root = devices.find((d) => d.deviceName === rootDeviceName) ?? {
    deviceName: rootDeviceName,
    volumeType: "gp3",
    encrypted: true,
    deleteOnTermination: true,
  };
  return { root, others: devices.filter((d) => d !== root) };
}

/** EBS settings shared by instances and launch templates (gp3, encrypted unless said otherwise). */
export function ebs(d: BlockDeviceModel) {
  return {
    volumeType: d.volumeType,
    encrypted: d.encrypted,
    deleteOnTermination: d.deleteOnTermination,
    ...(d.volumeSize !== undefined ? { volumeSize: d.volumeSize } : {}),
    ...(d.iops !== undefined ? { iops: d.iops } : {}),
    ...(d.throughput !== undefined ? { throughput: d.throughput } : {}),
    ...(d.kmsKeyId !== undefined ? { kmsKeyId: d.kmsKeyId } : {}),
  };
}

/** IMDSv2 only, with a hop limit that still lets containers on the host reach it. */
export const METADATA_OPTIONS = {
  httpEndpoint: "enabled",
  httpTokens: "required",
  httpPutResponseHopLimit: 2,
} as const;
