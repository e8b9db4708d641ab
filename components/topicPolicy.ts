import * as pulumi from "@pulumi/pulumi";

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
