import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { arn } from "./arn";

const EC2_ASSUME_ROLE_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/**
 * An instance role with SSM core access (the managed policy that lets SSM Run Command reach the
 * instance: the reactor's bootstrap path, in the region's partition) and its instance profile, as
 * children of `parent`.
 */
export function instanceProfile(
  name: string,
  region: string,
  parent: pulumi.Resource,
): aws.iam.InstanceProfile {
  const o = { parent };
  const role = new aws.iam.Role(
    `${name}-role`,
    { assumeRolePolicy: EC2_ASSUME_ROLE_POLICY, description: `pillar ${name} instances` },
    o,
  );
  const ssmCore = arn(region, "iam", "aws", "policy/AmazonSSMManagedInstanceCore", "global");
  new aws.iam.RolePolicyAttachment(`${name}-ssm`, { role: role.name, policyArn: ssmCore }, o);
  return new aws.iam.InstanceProfile(`${name}-profile`, { role: role.name }, o);
}
