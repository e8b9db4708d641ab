import { snsAlarmTopicHasSubscription, snsTopicNotPublic } from "../../policies/sns";
import { T } from "../../policies/types";
import { StackBuilder, assertNoViolations, assertViolations, resourceArgs, unknown } from "./util";

const TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:pillar-autoscaling";

const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const topicPolicy = (policy: string) =>
  resourceArgs(T.snsTopicPolicy, { arn: TOPIC_ARN, policy }, { name: "events" });

const RULE = `SNS topic policy "events" must not be open to everyone (no Principal "*" for sns:Publish, other actions only with a source condition)`;

describe("sns-topic-not-public", () => {
  it("accepts a topic only the autoscaling service may publish to", async () => {
    await assertNoViolations(
      snsTopicNotPublic,
      topicPolicy(
        doc({
          Sid: "AutoScalingPublish",
          Effect: "Allow",
          Principal: { Service: "autoscaling.amazonaws.com" },
          Action: "sns:Publish",
          Resource: TOPIC_ARN,
          Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        }),
      ),
    );
  });

  it("accepts Principal * for non-publish actions under a source condition, and a topic without a policy", async () => {
    await assertNoViolations(
      snsTopicNotPublic,
      topicPolicy(
        doc({
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: ["SNS:GetTopicAttributes", "SNS:Subscribe"],
          Resource: TOPIC_ARN,
          Condition: { StringEquals: { "AWS:SourceOwner": "123456789012" } },
        }),
      ),
    );
    await assertNoViolations(snsTopicNotPublic, resourceArgs(T.snsTopic, { name: "pillar-autoscaling" }));
  });

  it("flags Principal * publishing, even under a condition, and wildcard actions", async () => {
    await assertViolations(
      snsTopicNotPublic,
      topicPolicy(
        doc(
          { Sid: "Open", Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: TOPIC_ARN },
          {
            Sid: "AnyAccount",
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::*:root" },
            Action: "sns:Publish",
          },
          {
            Effect: "Allow",
            Principal: { AWS: ["arn:aws:iam::123456789012:root", "*"] },
            Action: "SNS:*",
            Resource: TOPIC_ARN,
            Condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:::bucket" } },
          },
        ),
      ),
      [
        `${RULE}; it allows Principal "*" to sns:Publish in statement "Open".`,
        `${RULE}; it allows Principal "*" to sns:Publish in statement "AnyAccount".`,
        `${RULE}; it allows Principal "*" to sns:Publish in statement #2.`,
      ],
    );
  });

  it("flags Principal * without a source condition, and NotPrincipal allows", async () => {
    await assertViolations(
      snsTopicNotPublic,
      resourceArgs(
        T.snsTopic,
        {
          policy: doc(
            { Effect: "Allow", Principal: { AWS: "*" }, Action: "sns:Subscribe", Resource: TOPIC_ARN },
            { Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::1:root" }, Action: "sns:Subscribe" },
            { Effect: "Deny", Principal: "*", Action: "sns:Publish" },
          ),
        },
        { name: "events" },
      ),
      [
        `SNS topic "events" must not be open to everyone (no Principal "*" for sns:Publish, other actions only with a source condition); it allows Principal "*" without an aws:SourceArn/SourceAccount/SourceOwner condition in statement #0.`,
        `SNS topic "events" must not be open to everyone (no Principal "*" for sns:Publish, other actions only with a source condition); it allows everyone but NotPrincipal in statement #1.`,
      ],
    );
  });

  it("counts only conditions that restrict: a positive match on a restricting key, with a real value", async () => {
    const subscribe = (Condition: object) =>
      doc({ Effect: "Allow", Principal: "*", Action: "sns:Subscribe", Resource: TOPIC_ARN, Condition });
    const NOT_RESTRICTED = (conditions: string) =>
      `${RULE}; it allows Principal "*" under conditions that do not restrict the caller (${conditions}) in statement #0: only a positive match (StringEquals, StringLike, ArnEquals or ArnLike, without IfExists) on aws:SourceArn, aws:SourceAccount, aws:SourceOwner, aws:PrincipalOrgID, aws:PrincipalAccount or aws:SourceVpce with a value that is not only wildcards restricts it.`;
    await assertViolations(snsTopicNotPublic, topicPolicy(subscribe({ Null: { "aws:SourceArn": "true" } })), [
      NOT_RESTRICTED("Null on aws:SourceArn"),
    ]);
    await assertViolations(
      snsTopicNotPublic,
      topicPolicy(subscribe({ StringNotEquals: { "aws:SourceAccount": "123456789012" } })),
      [NOT_RESTRICTED("StringNotEquals on aws:SourceAccount")],
    );
    await assertViolations(
      snsTopicNotPublic,
      topicPolicy(
        subscribe({
          StringEqualsIfExists: { "aws:SourceOwner": "123456789012" },
          ArnLike: { "aws:SourceArn": "*" },
          StringEquals: { "aws:UserAgent": "x" },
        }),
      ),
      [
        NOT_RESTRICTED(
          'StringEqualsIfExists on aws:SourceOwner, ArnLike on aws:SourceArn with only "*", StringEquals on aws:UserAgent',
        ),
      ],
    );
    // A restricting condition beside a non-restricting one: all conditions must hold, so it restricts.
    await assertNoViolations(
      snsTopicNotPublic,
      topicPolicy(
        subscribe({
          StringEquals: { "aws:SourceAccount": ["123456789012"] },
          Null: { "aws:SourceArn": "false" },
        }),
      ),
    );
    await assertNoViolations(
      snsTopicNotPublic,
      topicPolicy(subscribe({ "ForAnyValue:StringLike": { "aws:PrincipalOrgID": "o-abc123" } })),
    );
  });

  it("flags a policy that is not JSON", async () => {
    await assertViolations(snsTopicNotPublic, topicPolicy("{not json"), [
      `${RULE}; its policy is not valid JSON.`,
    ]);
  });

  it("reports a policy document unknown at preview", async () => {
    await assertViolations(snsTopicNotPublic, topicPolicy(unknown<string>()), [
      `${RULE}; cannot be verified at preview: the policy document is unknown.`,
    ]);
  });
});

describe("sns-alarm-topic-has-subscription (advisory)", () => {
  /** The reactor's alerts topic and its error alarm, as components/reactor.ts wires them in preview. */
  function alerts(subscribe: "none" | "dependency" | "arn" | "unknown") {
    const stack = new StackBuilder();
    const topic = stack.add(
      T.snsTopic,
      "reactor-alerts",
      {},
      { outputs: subscribe === "arn" ? { arn: TOPIC_ARN } : {} },
    );
    stack.add(
      T.metricAlarm,
      "reactor-errors",
      {
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        evaluationPeriods: 1,
        threshold: 1,
        alarmActions: [unknown<string>()],
      },
      { propertyDependencies: { alarmActions: [topic] } },
    );
    if (subscribe === "dependency") {
      stack.add(
        T.snsTopicSubscription,
        "reactor-alerts-email",
        { topic: unknown<string>(), protocol: "email", endpoint: "ops@example.com" },
        { propertyDependencies: { topic: [topic] } },
      );
    } else if (subscribe === "arn") {
      stack.add(T.snsTopicSubscription, "pager", {
        topic: TOPIC_ARN,
        protocol: "https",
        endpoint: "https://pager.example.com/sns",
      });
    } else if (subscribe === "unknown") {
      stack.add(T.snsTopicSubscription, "somewhere", {
        topic: unknown<string>(),
        protocol: "email",
        endpoint: "ops@example.com",
      });
    }
    return stack.args();
  }
  const HEARD = `SNS topic "reactor-alerts", which alarms "reactor-errors" notify, must have a subscription (an e-mail, chat or paging endpoint) so that someone hears them`;

  it("accepts an alarm topic with a subscription, by dependency or by ARN", async () => {
    await assertNoViolations(snsAlarmTopicHasSubscription, alerts("dependency"));
    await assertNoViolations(snsAlarmTopicHasSubscription, alerts("arn"));
  });

  it("flags an alarm topic nobody subscribes to, and ignores topics no alarm notifies", async () => {
    await assertViolations(snsAlarmTopicHasSubscription, alerts("none"), [
      `${HEARD}; this stack subscribes nothing to it.`,
    ]);
    const quiet = new StackBuilder();
    quiet.add(T.snsTopic, "events", {});
    await assertNoViolations(snsAlarmTopicHasSubscription, quiet.args());
  });

  it("reports a subscription whose topic is unknown at preview", async () => {
    await assertViolations(snsAlarmTopicHasSubscription, alerts("unknown"), [
      `${HEARD}; cannot be verified at preview: the topic of a subscription is unknown.`,
    ]);
  });
});
