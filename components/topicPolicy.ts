import * as pulumi from "@pulumi/pulumi";

/** The AWS partition of a region (`aws`, `aws-cn`, `aws-us-gov`). */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/**
 * A topic's ARN from parts known before it exists (its auto-generated name, the region and the
 * account), where `topic.arn` is known only after creation.
 */
export function topicArn(
  region: string,
  accountId: pulumi.Input<string>,
  topicName: pulumi.Input<string>,
): pulumi.Output<string> {
  return pulumi.interpolate`arn:${partitionOf(region)}:sns:${region}:${accountId}:${topicName}`;
}

/**
 * A topic policy that lets only one AWS service, acting for this account, publish; the account
 * itself keeps management rights. Replaces SNS's default policy, which lets any principal of the
 * account publish.
 */
export function autoscalingTopicPolicy(
  topicArn: pulumi.Input<string>,
  accountId: pulumi.Input<string>,
  service: string,
): pulumi.Output<string> {
  // Callers pass the ARN from known parts (see topicArn), so the document is known at preview and policies can judge it.
  return pulumi.all([topicArn, accountId]).apply(([arn, account]) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "OwnerManages",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${account}:root` },
          Action: [
            "sns:GetTopicAttributes",
            "sns:SetTopicAttributes",
            "sns:Subscribe",
            "sns:ListSubscriptionsByTopic",
            "sns:DeleteTopic",
          ],
          Resource: arn,
        },
        {
          Sid: "ServicePublishes",
          Effect: "Allow",
          Principal: { Service: service },
          Action: "sns:Publish",
          Resource: arn,
          Condition: { StringEquals: { "aws:SourceAccount": account } },
        },
      ],
    }),
  );
}
