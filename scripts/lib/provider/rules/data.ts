/**
 * SNS topics, their policies and subscriptions; SQS queues; DynamoDB tables; SSM documents.
 *
 * Sources: AWS SNS API CreateTopic (Name: 1-256 of A-Za-z0-9_-, a FIFO topic's ends in .fifo),
 * SetTopicAttributes (SignatureVersion 1 or 2), "Amazon SNS quotas" (topic policy: 30 KB);
 * terraform-provider-aws internal/service/sns/topic_subscription.go (protocol StringInSlice);
 * AWS SQS API CreateQueue (QueueName: up to 80 of A-Za-z0-9-_, FIFO ends in .fifo) and
 * terraform-provider-aws internal/service/sqs/queue.go (message_retention_seconds IntBetween(60,
 * 1209600), visibility_timeout_seconds IntBetween(0, 43200), delay_seconds IntBetween(0, 900),
 * receive_wait_time_seconds IntBetween(0, 20)); AWS DynamoDB API CreateTable (TableName 3-255 of
 * [a-zA-Z0-9_.-], AttributeType S|N|B) and terraform-provider-aws internal/service/dynamodb/table.go
 * (billing_mode enum, "all attributes must be indexed"); terraform-provider-aws
 * internal/service/ssm/document.go (name ^[0-9A-Za-z_.-]{3,128}$, document_type and document_format
 * enums); AWS SSM API CreateDocument (reserved name prefixes aws, amazon, amzn; Content up to 64 KB).
 */
import { intBetween, ProviderRule, q, stringInSlice, stringMatch, when } from "./kit";
import { validPolicyJSON } from "./iam";

export const TOPIC_NAME_MAX = 256;
export const QUEUE_NAME_MAX = 80;
export const TABLE_NAME_MAX = 255;
export const DOCUMENT_NAME_MAX = 128;
export const TOPIC_POLICY_MAX_BYTES = 30 * 1024;
export const DOCUMENT_CONTENT_MAX_BYTES = 64 * 1024;
const RESERVED_DOCUMENT_PREFIXES = ["aws", "amazon", "amzn"];

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

export const DATA_RULES: Readonly<Record<string, readonly ProviderRule[]>> = {
  "aws:sns/topic:Topic": [
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
  "aws:sns/topicPolicy:TopicPolicy": [
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
  "aws:sns/topicSubscription:TopicSubscription": [
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
  "aws:sqs/queue:Queue": [
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
  "aws:dynamodb/table:Table": [
    {
      id: "dynamodb-table-name",
      property: "name",
      stage: "apply",
      source: "AWS DynamoDB API CreateTable (TableName: 3-255 of [a-zA-Z0-9_.-])",
      check: when(
        (x) => typeof x === "string" && !/^[a-zA-Z0-9_.-]{3,255}$/.test(x),
        (x) => `AWS refuses table name ${q(String(x))}: 3-255 letters, digits, _ . and -`,
      ),
      examples: {
        pass: [{ value: "reactor-inventory-1a2b3c4" }],
        fail: [{ value: "ab", message: 'AWS refuses table name "ab": 3-255 letters, digits, _ . and -' }],
      },
    },
    {
      id: "dynamodb-table-billing-mode",
      property: "billingMode",
      stage: "preview",
      source:
        "terraform-provider-aws internal/service/dynamodb/table.go (billing_mode: enum.Validate[awstypes.BillingMode])",
      check: stringInSlice("billing_mode", ["PROVISIONED", "PAY_PER_REQUEST"]),
      examples: {
        pass: [{ value: "PAY_PER_REQUEST" }],
        fail: [
          {
            value: "ON_DEMAND",
            message: 'expected billing_mode to be one of ["PROVISIONED" "PAY_PER_REQUEST"], got ON_DEMAND',
          },
        ],
      },
    },
    {
      id: "dynamodb-table-attribute-type",
      property: "attributes[].type",
      stage: "preview",
      source:
        "terraform-provider-aws internal/service/dynamodb/table.go (attribute type: enum.Validate[awstypes.ScalarAttributeType])",
      check: stringInSlice("type", ["B", "N", "S"]),
      examples: {
        pass: [{ value: "S" }],
        fail: [{ value: "string", message: 'expected type to be one of ["B" "N" "S"], got string' }],
      },
    },
    {
      id: "dynamodb-table-attributes-indexed",
      property: "attributes",
      stage: "preview",
      source:
        "terraform-provider-aws internal/service/dynamodb/table.go (validateTableAttributes: all attributes must be indexed)",
      check: (x, i) => {
        if (!Array.isArray(x)) return undefined;
        const keys = new Set(
          [
            i.hashKey,
            i.rangeKey,
            ...(
              (i.globalSecondaryIndexes as { hashKey?: unknown; rangeKey?: unknown }[] | undefined) ?? []
            ).flatMap((g) => [g.hashKey, g.rangeKey]),
          ].filter((k): k is string => typeof k === "string"),
        );
        const unused = x
          .map((a) => (a as { name?: unknown }).name)
          .filter((n): n is string => typeof n === "string" && !keys.has(n));
        return unused.length > 0
          ? `all attributes must be indexed. Unused attributes: ${q(unused.join(", "))}`
          : undefined;
      },
      examples: {
        pass: [{ value: [{ name: "instanceId", type: "S" }], inputs: { hashKey: "instanceId" } }],
        fail: [
          {
            value: [
              { name: "instanceId", type: "S" },
              { name: "state", type: "S" },
            ],
            inputs: { hashKey: "instanceId" },
            message: 'all attributes must be indexed. Unused attributes: "state"',
          },
        ],
      },
    },
  ],
  "aws:ssm/document:Document": [
    {
      id: "ssm-document-name",
      property: "name",
      stage: "preview",
      source: "terraform-provider-aws internal/service/ssm/document.go (name: ^[0-9A-Za-z_.-]{3,128}$)",
      check: stringMatch(
        "name",
        /^[0-9A-Za-z_.-]{3,128}$/,
        "must contain only alphanumeric, underscore, hyphen, or period characters",
      ),
      examples: {
        pass: [{ value: "reactor-salt-1a2b3c4" }],
        fail: [
          {
            value: "salt bootstrap",
            message:
              "invalid value for name (must contain only alphanumeric, underscore, hyphen, or period characters)",
          },
        ],
      },
    },
    {
      id: "ssm-document-name-reserved-prefix",
      property: "name",
      stage: "apply",
      source: "AWS SSM API CreateDocument (Name: aws, amazon and amzn are reserved prefixes)",
      check: when(
        (x) => typeof x === "string" && RESERVED_DOCUMENT_PREFIXES.some((p) => x.toLowerCase().startsWith(p)),
        (x) =>
          `AWS refuses document name ${q(String(x))}: names beginning with aws, amazon or amzn are reserved for AWS`,
      ),
      examples: {
        pass: [{ value: "pillar-salt" }],
        fail: [
          {
            value: "AWS-SaltBootstrap",
            message:
              'AWS refuses document name "AWS-SaltBootstrap": names beginning with aws, amazon or amzn are reserved for AWS',
          },
          {
            value: "amazon-salt",
            message:
              'AWS refuses document name "amazon-salt": names beginning with aws, amazon or amzn are reserved for AWS',
          },
        ],
      },
    },
    {
      id: "ssm-document-type",
      property: "documentType",
      stage: "preview",
      source:
        "terraform-provider-aws internal/service/ssm/document.go (document_type: enum.Validate[awstypes.DocumentType])",
      check: stringInSlice("document_type", [
        "Command",
        "Policy",
        "Automation",
        "Session",
        "Package",
        "ApplicationConfiguration",
        "ApplicationConfigurationSchema",
        "DeploymentStrategy",
        "ChangeCalendar",
        "Automation.ChangeTemplate",
        "ProblemAnalysis",
        "ProblemAnalysisTemplate",
        "CloudFormation",
        "ConformancePackTemplate",
        "QuickSetup",
        "ManualApprovalPolicy",
        "AutoApprovalPolicy",
      ]),
      examples: {
        pass: [{ value: "Command" }],
        fail: [
          {
            value: "Script",
            message:
              'expected document_type to be one of ["Command" "Policy" "Automation" "Session" "Package" "ApplicationConfiguration" "ApplicationConfigurationSchema" "DeploymentStrategy" "ChangeCalendar" "Automation.ChangeTemplate" "ProblemAnalysis" "ProblemAnalysisTemplate" "CloudFormation" "ConformancePackTemplate" "QuickSetup" "ManualApprovalPolicy" "AutoApprovalPolicy"], got Script',
          },
        ],
      },
    },
    {
      id: "ssm-document-format",
      property: "documentFormat",
      stage: "preview",
      source:
        "terraform-provider-aws internal/service/ssm/document.go (document_format: enum.Validate[awstypes.DocumentFormat])",
      check: stringInSlice("document_format", ["YAML", "JSON", "TEXT"]),
      examples: {
        pass: [{ value: "JSON" }],
        fail: [
          {
            value: "json",
            message: 'expected document_format to be one of ["YAML" "JSON" "TEXT"], got json',
          },
        ],
      },
    },
    {
      id: "ssm-document-content-size",
      property: "content",
      stage: "apply",
      source: "AWS SSM API CreateDocument (Content: up to 64 KB)",
      check: when(
        (x) => typeof x === "string" && Buffer.byteLength(x) > DOCUMENT_CONTENT_MAX_BYTES,
        (x) =>
          `AWS refuses a document of ${Buffer.byteLength(String(x))} bytes: at most ${DOCUMENT_CONTENT_MAX_BYTES} (64 KB)`,
      ),
      examples: {
        pass: [{ value: '{"schemaVersion":"2.2"}' }],
        fail: [
          {
            value: "x".repeat(65537),
            message: "AWS refuses a document of 65537 bytes: at most 65536 (64 KB)",
          },
        ],
      },
    },
    {
      id: "ssm-document-content-json",
      property: "content",
      stage: "apply",
      source: "AWS SSM API CreateDocument (Content must parse in DocumentFormat; JSON by default)",
      check: (x, i) => {
        if (typeof x !== "string" || (i.documentFormat !== undefined && i.documentFormat !== "JSON"))
          return undefined;
        try {
          JSON.parse(x);
          return undefined;
        } catch {
          return "AWS refuses document content that does not parse as JSON (its document format)";
        }
      },
      examples: {
        pass: [
          { value: '{"schemaVersion":"2.2"}', inputs: { documentFormat: "JSON" } },
          { value: "a: b", inputs: { documentFormat: "YAML" } },
        ],
        fail: [
          {
            value: "{",
            inputs: { documentFormat: "JSON" },
            message: "AWS refuses document content that does not parse as JSON (its document format)",
          },
        ],
      },
    },
  ],
};
