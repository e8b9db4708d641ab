import * as pulumi from "@pulumi/pulumi";
import { arn, partitionOf } from "./arn";

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
  region: string,
  topicArn: pulumi.Input<string>,
  accountId: pulumi.Input<string>,
  service: string,
): pulumi.Output<string> {
  // Callers pass the ARN from known parts (see topicArn), so the document is known at preview and policies can judge it.
  return pulumi.all([topicArn, accountId]).apply(([topic, account]) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "OwnerManages",
          Effect: "Allow",
          Principal: { AWS: arn(region, "iam", account, "root", "global") },
          Action: [
            "sns:GetTopicAttributes",
            "sns:SetTopicAttributes",
            "sns:Subscribe",
            "sns:ListSubscriptionsByTopic",
            "sns:DeleteTopic",
          ],
          Resource: topic,
        },
        {
          Sid: "ServicePublishes",
          Effect: "Allow",
          Principal: { Service: service },
          Action: "sns:Publish",
          Resource: topic,
          Condition: { StringEquals: { "aws:SourceAccount": account } },
        },
      ],
    }),
  );
}
