import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { autoscalingTopicPolicy, topicArn } from "./topicPolicy";

export interface AutoscaleTopicArgs {
  readonly accountId: pulumi.Input<string>;
  readonly region: string;
  /** SNS signature version the reactor verifies ("2" = SHA256withRSA). */
  readonly signatureVersion: "1" | "2";
}

/**
 * A group's notification topic (the seed's "manual component"), whose policy lets only the Auto
 * Scaling service of this account publish, and the role lifecycle hooks publish with.
 */
export class AutoscaleTopic extends pulumi.ComponentResource {
  public readonly topic: aws.sns.Topic;
  public readonly hookRole: aws.iam.Role;
  /** The role's publish permission: a group with hooks must wait for it (AWS publishes a test message at creation). */
  public readonly hookPolicy: aws.iam.RolePolicy;
  public readonly topicArn: pulumi.Output<string>;
  public readonly hookRoleArn: pulumi.Output<string>;

  constructor(name: string, args: AutoscaleTopicArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("pillar:autoscaling:AutoscaleTopic", name, {}, opts);
    const o = { parent: this };
    this.topic = new aws.sns.Topic(name, { signatureVersion: Number(args.signatureVersion) }, o);
    new aws.sns.TopicPolicy(
      name,
      {
        arn: this.topic.arn,
        policy: autoscalingTopicPolicy(
          args.region,
          topicArn(args.region, args.accountId, this.topic.name),
          args.accountId,
          "autoscaling.amazonaws.com",
        ),
      },
      o,
    );
    this.hookRole = new aws.iam.Role(
      `${name}-hooks`,
      {
        description: "Auto Scaling lifecycle hooks publish to the pillar notification topic",
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "autoscaling.amazonaws.com" },
              Action: "sts:AssumeRole",
            },
          ],
        }),
      },
      o,
    );
    this.hookPolicy = new aws.iam.RolePolicy(
      `${name}-hooks`,
      {
        role: this.hookRole.id,
        policy: this.topic.arn.apply((arn) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "sns:Publish", Resource: arn }],
          }),
        ),
      },
      o,
    );
    this.topicArn = this.topic.arn;
    this.hookRoleArn = this.hookRole.arn;
    this.registerOutputs({ topicArn: this.topicArn, hookRoleArn: this.hookRoleArn });
  }
}
