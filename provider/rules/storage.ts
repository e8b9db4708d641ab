/**
 * DynamoDB tables and SSM documents.
 *
 * Sources: AWS DynamoDB API CreateTable (TableName 3-255 of [a-zA-Z0-9_.-], AttributeType S|N|B) and
 * terraform-provider-aws internal/service/dynamodb/table.go (billing_mode enum, "all attributes must
 * be indexed"); terraform-provider-aws internal/service/ssm/document.go (name ^[0-9A-Za-z_.-]{3,128}$,
 * document_type and document_format enums); AWS SSM API CreateDocument (reserved name prefixes aws,
 * amazon, amzn; Content up to 64 KB, parsed in its DocumentFormat).
 */
import { ProviderRule, q, stringInSlice, stringMatch, when } from "./kit";
import { TYPES } from "../types";

export const DOCUMENT_CONTENT_MAX_BYTES = 64 * 1024;
const RESERVED_DOCUMENT_PREFIXES = ["aws", "amazon", "amzn"];

export const STORAGE_RULES: Readonly<Record<string, readonly ProviderRule[]>> = {
  [TYPES.dynamodb.Table]: [
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
  [TYPES.ssm.Document]: [
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
