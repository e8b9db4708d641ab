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

/** The image id: literal, or the most recent match of an owner/name lookup. */
export function imageId(
  image: ImageModel,
  parent: pulumi.Resource,
  provider: aws.Provider,
): pulumi.Input<string> {
  if (image.kind === "id") return image.id;
  return aws.ec2
    .getAmiOutput(
      {
        mostRecent: true,
        owners: [...image.owners],
        filters: [
          { name: "name", values: [image.namePattern] },
          { name: "architecture", values: [image.architecture] },
          { name: "virtualization-type", values: ["hvm"] },
        ],
      },
      { parent, provider },
    )
    .apply((a) => a.id);
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
