/**
 * SNS topics, their policies and subscriptions; SQS queues.
 *
 * Sources: AWS SNS API CreateTopic (Name: 1-256 of A-Za-z0-9_-, a FIFO topic's ends in .fifo),
 * SetTopicAttributes (SignatureVersion 1 or 2), "Amazon SNS quotas" (topic policy: 30 KB);
 * terraform-provider-aws internal/service/sns/topic_policy.go (policy: verify.ValidIAMPolicyJSON),
 * topic_subscription.go (protocol StringInSlice); AWS SQS API CreateQueue (QueueName: up to 80 of
 * A-Za-z0-9-_, FIFO ends in .fifo) and terraform-provider-aws internal/service/sqs/queue.go
 * (message_retention_seconds IntBetween(60, 1209600), visibility_timeout_seconds IntBetween(0,
 * 43200), delay_seconds IntBetween(0, 900), receive_wait_time_seconds IntBetween(0, 20)).
 */
import { intBetween, ProviderRule, q, stringInSlice, when } from "./kit";
import { validPolicyJSON } from "./iam";
import { TYPES } from "../types";

export const TOPIC_NAME_MAX = 256;
export const QUEUE_NAME_MAX = 80;
export const TOPIC_POLICY_MAX_BYTES = 30 * 1024;

const fifoName =
  (what: string, max: number, flag: string) =>
  (x: unknown, i: Readonly<Record<string, unknown>>): string | undefined => {
    if (typeof x !== "string") return undefined;
    const fifo = i[flag] === true;
    const base = fifo ? x.replace(/\.fifo$/, "") : x;
    if (fifo && !x.endsWith(".fifo")) return `AWS refuses FIFO ${what} name ${q(x)}: it must end in .fifo`;
    if (!fifo && x.endsWith(".fifo"))
      return `AWS refuses ${what} name ${q(x)}: only a FIFO ${what} ends in .fifo`;
    if (x.length > max) return `AWS refuses ${what} name ${q(x)} of ${x.length} characters: at most ${max}`;
    if (!/^[A-Za-z0-9_-]+$/.test(base))
      return `AWS refuses ${what} name ${q(x)}: letters, digits, hyphens and underscores only`;
    return undefined;
  };

const intRange = (
  property: string,
  k: string,
  min: number,
  max: number,
  file: string,
  id: string,
  ok: number,
): ProviderRule => ({
  id,
  property,
  stage: "preview",
  source: `terraform-provider-aws ${file} (${k}: validation.IntBetween(${min}, ${max}))`,
  check: intBetween(k, min, max),
  examples: {
    pass: [{ value: ok }],
    fail: [{ value: max + 1, message: `expected ${k} to be in the range (${min} - ${max}), got ${max + 1}` }],
  },
});

export const MESSAGING_RULES: Readonly<Record<string, readonly ProviderRule[]>> = {
  [TYPES.sns.Topic]: [
    {
      id: "sns-topic-name",
      property: "name",
      stage: "apply",
      source: "AWS SNS API CreateTopic (Name)",
      check: fifoName("topic", TOPIC_NAME_MAX, "fifoTopic"),
      examples: {
        pass: [{ value: "app-hosts-events-1a2b3c4" }, { value: "jobs.fifo", inputs: { fifoTopic: true } }],
        fail: [
          {
            value: "ops alerts",
            message: 'AWS refuses topic name "ops alerts": letters, digits, hyphens and underscores only',
          },
          {
            value: "jobs",
            inputs: { fifoTopic: true },
            message: 'AWS refuses FIFO topic name "jobs": it must end in .fifo',
          },
        ],
      },
    },
    {
      id: "sns-topic-signature-version",
      property: "signatureVersion",
      stage: "apply",
      source: "AWS SNS API SetTopicAttributes (SignatureVersion: 1 or 2)",
      check: when(
        (x) => typeof x === "number" && x !== 1 && x !== 2,
        (x) => `AWS refuses signature version ${String(x)}: 1 (SHA1) or 2 (SHA256)`,
      ),
      examples: {
        pass: [{ value: 2 }],
        fail: [{ value: 3, message: "AWS refuses signature version 3: 1 (SHA1) or 2 (SHA256)" }],
      },
    },
  ],
  [TYPES.sns.TopicPolicy]: [
    {
      id: "sns-topic-policy-json",
      property: "policy",
      stage: "preview",
      source:
        "terraform-provider-aws internal/service/sns/topic_policy.go (policy: verify.ValidIAMPolicyJSON)",
      check: validPolicyJSON("policy"),
      examples: {
        pass: [{ value: '{"Version":"2012-10-17","Statement":[]}' }],
        fail: [{ value: "Allow", message: '"policy" contains an invalid JSON policy: not a JSON object' }],
      },
    },
    {
      id: "sns-topic-policy-size",
      property: "policy",
      stage: "apply",
      source: "Amazon SNS quotas (topic access policy: 30 KB)",
      check: when(
        (x) => typeof x === "string" && Buffer.byteLength(x) > TOPIC_POLICY_MAX_BYTES,
        (x) =>
          `AWS refuses a topic policy of ${Buffer.byteLength(String(x))} bytes: at most ${TOPIC_POLICY_MAX_BYTES} (30 KB)`,
      ),
      examples: {
        pass: [{ value: '{"Version":"2012-10-17","Statement":[]}' }],
        fail: [
          {
            value: `{"Sid":"${"x".repeat(31000)}"}`,
            message: "AWS refuses a topic policy of 31010 bytes: at most 30720 (30 KB)",
          },
        ],
      },
    },
  ],
  [TYPES.sns.TopicSubscription]: [
    {
      id: "sns-subscription-protocol",
      property: "protocol",
      stage: "preview",
      source:
        "terraform-provider-aws internal/service/sns/topic_subscription.go (protocol: validation.StringInSlice)",
      check: stringInSlice("protocol", [
        "application",
        "email",
        "email-json",
        "firehose",
        "http",
        "https",
        "lambda",
        "sms",
        "sqs",
      ]),
      examples: {
        pass: [{ value: "lambda" }],
        fail: [
          {
            value: "webhook",
            message:
              'expected protocol to be one of ["application" "email" "email-json" "firehose" "http" "https" "lambda" "sms" "sqs"], got webhook',
          },
        ],
      },
    },
  ],
  [TYPES.sqs.Queue]: [
    {
      id: "sqs-queue-name",
      property: "name",
      stage: "apply",
      source: "AWS SQS API CreateQueue (QueueName)",
      check: fifoName("queue", QUEUE_NAME_MAX, "fifoQueue"),
      examples: {
        pass: [{ value: "reactor-failures-1a2b3c4" }],
        fail: [
          {
            value: "q".repeat(81),
            message: `AWS refuses queue name "${"q".repeat(81)}" of 81 characters: at most 80`,
          },
        ],
      },
    },
    intRange(
      "messageRetentionSeconds",
      "message_retention_seconds",
      60,
      1209600,
      "internal/service/sqs/queue.go",
      "sqs-queue-retention",
      1209600,
    ),
    intRange(
      "visibilityTimeoutSeconds",
      "visibility_timeout_seconds",
      0,
      43200,
      "internal/service/sqs/queue.go",
      "sqs-queue-visibility",
      30,
    ),
    intRange("delaySeconds", "delay_seconds", 0, 900, "internal/service/sqs/queue.go", "sqs-queue-delay", 0),
    intRange(
      "receiveWaitTimeSeconds",
      "receive_wait_time_seconds",
      0,
      20,
      "internal/service/sqs/queue.go",
      "sqs-queue-receive-wait",
      20,
    ),
  ],
};
