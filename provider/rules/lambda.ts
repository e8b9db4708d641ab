/**
 * Lambda functions, their async invoke configuration, permissions and URLs.
 *
 * Sources: terraform-provider-aws internal/service/lambda/validate.go (validFunctionName,
 * validPolicyStatementID, validPermissionAction), function.go (description StringLenBetween(0, 256),
 * memory_size IntBetween(128, 10240), reserved_concurrent_executions IntAtLeast(-1), runtime
 * enum.Validate[awstypes.Runtime]), function_event_invoke_config.go (maximum_retry_attempts
 * IntBetween(0, 2), maximum_event_age_in_seconds IntBetween(60, 21600), destination_config
 * on_failure.destination verify.ValidARN), function_url.go and
 * permission.go (authorization types); the provider schema's enum in @pulumi/aws (lambda.Runtime);
 * AWS Lambda Developer Guide "Lambda quotas" (environment variables 4 KB in total, timeout at most
 * 900 s, handler 128) and "Defined runtime environment variables" (the reserved keys); the error
 * AWS returns measures the variables as their JSON ("String measured: {...}").
 */
import { lambda } from "@pulumi/aws/types/enums";
import {
  intAtLeast,
  intBetween,
  ProviderRule,
  q,
  stringInSlice,
  stringLenBetween,
  stringMatch,
  validARN,
  when,
} from "./kit";
import { unknownValue as UNKNOWN_SENTINEL } from "@pulumi/pulumi/runtime/rpc";
import { TYPES } from "../types";

const TF = "terraform-provider-aws internal/service/lambda";
const RUNTIMES = Object.values(lambda.Runtime);

export const FUNCTION_NAME_MAX = 64;
export const ENVIRONMENT_MAX_BYTES = 4096;
const RESERVED_KEYS = [
  "_HANDLER",
  "_X_AMZN_TRACE_ID",
  "AWS_DEFAULT_REGION",
  "AWS_REGION",
  "AWS_EXECUTION_ENV",
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_INITIALIZATION_TYPE",
  "AWS_LAMBDA_LOG_GROUP_NAME",
  "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_ACCESS_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_LAMBDA_RUNTIME_API",
  "LAMBDA_TASK_ROOT",
  "LAMBDA_RUNTIME_DIR",
];

/**
 * The variables' size as AWS measures it: their JSON; values not known yet count as empty, as a
 * preview knows no more (the reactor's own environment, whose topic ARNs are unknown at preview, is
 * sized with them predicted before anything is registered: config/providerLimits.ts).
 */
export function environmentBytes(vars: Readonly<Record<string, unknown>>): {
  bytes: number;
  complete: boolean;
} {
  let complete = true;
  const known = Object.fromEntries(
    Object.entries(vars).map(([k, v]) => {
      if (typeof v === "string" && v !== UNKNOWN_SENTINEL) return [k, v];
      complete = false;
      return [k, ""];
    }),
  );
  return { bytes: Buffer.byteLength(JSON.stringify(known), "utf8"), complete };
}

const functionName = (x: unknown): string | undefined => {
  if (typeof x !== "string") return undefined;
  if (!/^[0-9A-Za-z_-]+$/.test(x))
    return "invalid value for name (must be valid function name or function ARN)";
  if (x.length > FUNCTION_NAME_MAX)
    return `expected length of the Lambda function name to be less than or equal to 64, got ${x} (${x.length} characters)`;
  return undefined;
};

export const LAMBDA_RULES: Readonly<Record<string, readonly ProviderRule[]>> = {
  [TYPES.lambda.Function]: [
    {
      id: "lambda-function-name",
      property: "name",
      stage: "preview",
      source: `${TF}/validate.go (validFunctionName: [0-9A-Za-z_-], at most 64)`,
      check: functionName,
      examples: {
        pass: [{ value: "pillar-prod-reactor" }],
        fail: [
          {
            value: "f".repeat(65),
            message: `expected length of the Lambda function name to be less than or equal to 64, got ${"f".repeat(65)} (65 characters)`,
          },
          {
            value: "pillar.prod",
            message: "invalid value for name (must be valid function name or function ARN)",
          },
        ],
      },
    },
    {
      id: "lambda-function-runtime",
      property: "runtime",
      stage: "preview",
      source: `${TF}/function.go (runtime: enum.Validate[awstypes.Runtime]); @pulumi/aws lambda.Runtime`,
      check: when(
        (x) => typeof x === "string" && !(RUNTIMES as readonly string[]).includes(x),
        (x) =>
          `expected runtime to be one of the Lambda runtimes (${RUNTIMES.filter((r) => r.startsWith("nodejs")).join(", ")}, …), got ${String(x)}`,
      ),
      examples: {
        pass: [{ value: "nodejs24.x" }],
        fail: [
          {
            value: "node24",
            message: `expected runtime to be one of the Lambda runtimes (${RUNTIMES.filter((r) => r.startsWith("nodejs")).join(", ")}, …), got node24`,
          },
        ],
      },
    },
    {
      id: "lambda-function-description",
      property: "description",
      stage: "preview",
      source: `${TF}/function.go (description: validation.StringLenBetween(0, 256))`,
      check: stringLenBetween("description", 0, 256),
      examples: {
        pass: [{ value: "pillar reactor" }],
        fail: [
          {
            value: "d".repeat(257),
            message: `expected length of description to be in the range (0 - 256), got ${"d".repeat(257)}`,
          },
        ],
      },
    },
    {
      id: "lambda-function-memory",
      property: "memorySize",
      stage: "preview",
      source: `${TF}/function.go (memory_size: validation.IntBetween(128, 10240))`,
      check: intBetween("memory_size", 128, 10240),
      examples: {
        pass: [{ value: 256 }],
        fail: [{ value: 64, message: "expected memory_size to be in the range (128 - 10240), got 64" }],
      },
    },
    {
      id: "lambda-function-timeout",
      property: "timeout",
      stage: "apply",
      source: "AWS Lambda quotas (function timeout: 900 seconds)",
      check: when(
        (x) => typeof x === "number" && (x < 1 || x > 900),
        (x) => `AWS refuses a timeout of ${String(x)} s: 1-900`,
      ),
      examples: {
        pass: [{ value: 900 }],
        fail: [{ value: 901, message: "AWS refuses a timeout of 901 s: 1-900" }],
      },
    },
    {
      id: "lambda-function-handler",
      property: "handler",
      stage: "apply",
      source: "AWS Lambda API CreateFunction (Handler: at most 128 characters)",
      check: when(
        (x) => typeof x === "string" && x.length > 128,
        (x) => `AWS refuses a handler of ${String(x).length} characters: at most 128`,
      ),
      examples: {
        pass: [{ value: "index.handler" }],
        fail: [{ value: "h".repeat(129), message: "AWS refuses a handler of 129 characters: at most 128" }],
      },
    },
    {
      id: "lambda-function-reserved-concurrency",
      property: "reservedConcurrentExecutions",
      stage: "preview",
      source: `${TF}/function.go (reserved_concurrent_executions: validation.IntAtLeast(-1))`,
      check: intAtLeast("reserved_concurrent_executions", -1),
      examples: {
        pass: [{ value: 10 }],
        fail: [{ value: -2, message: "expected reserved_concurrent_executions to be at least (-1), got -2" }],
      },
    },
    {
      id: "lambda-function-environment-size",
      property: "environment.variables",
      stage: "apply",
      source: "AWS Lambda quotas (environment variables: 4 KB in total, measured as their JSON)",
      allowUnknown: true,
      check: (x) => {
        if (x === null || typeof x !== "object") return undefined;
        const { bytes, complete } = environmentBytes(x as Record<string, unknown>);
        if (bytes <= ENVIRONMENT_MAX_BYTES) return undefined;
        return `AWS refuses environment variables of ${complete ? "" : "at least "}${bytes} bytes: at most ${ENVIRONMENT_MAX_BYTES} (4 KB)`;
      },
      examples: {
        pass: [{ value: { TABLE: "t" } }, { value: { TABLE: UNKNOWN_SENTINEL } }],
        fail: [
          {
            value: { BIG: "x".repeat(4100) },
            message: "AWS refuses environment variables of 4110 bytes: at most 4096 (4 KB)",
          },
          {
            value: { BIG: "x".repeat(4100), ARN: UNKNOWN_SENTINEL },
            message: "AWS refuses environment variables of at least 4119 bytes: at most 4096 (4 KB)",
          },
        ],
      },
    },
    {
      id: "lambda-function-environment-key",
      property: "environment.variables{key}",
      stage: "apply",
      source: "AWS Lambda API Environment (keys [a-zA-Z]([a-zA-Z0-9_])+) and the reserved runtime variables",
      check: when(
        (x) => typeof x === "string" && (!/^[a-zA-Z][a-zA-Z0-9_]+$/.test(x) || RESERVED_KEYS.includes(x)),
        (x) =>
          RESERVED_KEYS.includes(String(x))
            ? `AWS refuses environment variable ${q(String(x))}: the Lambda runtime reserves it`
            : `AWS refuses environment variable ${q(String(x))}: a letter, then letters, digits and _`,
      ),
      examples: {
        pass: [{ value: "PILLAR_TABLE" }],
        fail: [
          {
            value: "AWS_REGION",
            message: 'AWS refuses environment variable "AWS_REGION": the Lambda runtime reserves it',
          },
          {
            value: "pillar-table",
            message: 'AWS refuses environment variable "pillar-table": a letter, then letters, digits and _',
          },
        ],
      },
    },
    {
      id: "lambda-function-log-format",
      property: "loggingConfig.logFormat",
      stage: "preview",
      source: `${TF}/function.go (log_format: enum.Validate[awstypes.LogFormat])`,
      check: stringInSlice("log_format", ["JSON", "Text"]),
      examples: {
        pass: [{ value: "JSON" }],
        fail: [{ value: "json", message: 'expected log_format to be one of ["JSON" "Text"], got json' }],
      },
    },
  ],
  [TYPES.lambda.FunctionEventInvokeConfig]: [
    {
      id: "lambda-invoke-config-retries",
      property: "maximumRetryAttempts",
      stage: "preview",
      source: `${TF}/function_event_invoke_config.go (maximum_retry_attempts: validation.IntBetween(0, 2))`,
      check: intBetween("maximum_retry_attempts", 0, 2),
      examples: {
        pass: [{ value: 2 }],
        fail: [{ value: 3, message: "expected maximum_retry_attempts to be in the range (0 - 2), got 3" }],
      },
    },
    {
      id: "lambda-invoke-config-event-age",
      property: "maximumEventAgeInSeconds",
      stage: "preview",
      source: `${TF}/function_event_invoke_config.go (maximum_event_age_in_seconds: validation.IntBetween(60, 21600))`,
      check: intBetween("maximum_event_age_in_seconds", 60, 21600),
      examples: {
        pass: [{ value: 3600 }],
        fail: [
          {
            value: 30,
            message: "expected maximum_event_age_in_seconds to be in the range (60 - 21600), got 30",
          },
        ],
      },
    },
    {
      id: "lambda-invoke-config-destination",
      property: "destinationConfig.onFailure.destination",
      stage: "preview",
      source: `${TF}/function_event_invoke_config.go (destination_config.on_failure.destination: verify.ValidARN)`,
      check: validARN("destination"),
      examples: {
        pass: [{ value: "arn:aws:sqs:us-east-1:123456789012:reactor-failures-1a2b3c4" }],
        fail: [
          {
            value: "reactor-failures",
            message: '"destination" (reactor-failures) is an invalid ARN: arn: invalid prefix',
          },
        ],
      },
    },
  ],
  [TYPES.lambda.Permission]: [
    {
      id: "lambda-permission-statement-id",
      property: "statementId",
      stage: "preview",
      source: `${TF}/validate.go (validPolicyStatementID: 1-100 of [0-9A-Za-z_-])`,
      check: (x, i, p) =>
        stringMatch(
          "statement_id",
          /^[0-9A-Za-z_-]+$/,
          "must contain alphanumeric, underscores or dashes only",
        )(x, i, p) ?? stringLenBetween("statement_id", 1, 100)(x, i, p),
      examples: {
        pass: [{ value: "reactor-app-hosts-1a2b3c4" }],
        fail: [
          {
            value: "reactor.app",
            message: "invalid value for statement_id (must contain alphanumeric, underscores or dashes only)",
          },
          {
            value: "s".repeat(101),
            message: `expected length of statement_id to be in the range (1 - 100), got ${"s".repeat(101)}`,
          },
        ],
      },
    },
    {
      id: "lambda-permission-action",
      property: "action",
      stage: "preview",
      source: `${TF}/validate.go (validPermissionAction)`,
      check: stringMatch(
        "action",
        /^(lambda:[*]|lambda:[A-Za-z]+|[*])$/,
        "must be a valid action (usually starts with lambda:)",
      ),
      examples: {
        pass: [{ value: "lambda:InvokeFunction" }],
        fail: [
          {
            value: "InvokeFunction",
            message: "invalid value for action (must be a valid action (usually starts with lambda:))",
          },
        ],
      },
    },
    {
      id: "lambda-permission-url-auth",
      property: "functionUrlAuthType",
      stage: "preview",
      source: `${TF}/permission.go (function_url_auth_type: enum.Validate[awstypes.FunctionUrlAuthType])`,
      check: stringInSlice("function_url_auth_type", ["NONE", "AWS_IAM"]),
      examples: {
        pass: [{ value: "NONE" }],
        fail: [
          {
            value: "none",
            message: 'expected function_url_auth_type to be one of ["NONE" "AWS_IAM"], got none',
          },
        ],
      },
    },
  ],
  [TYPES.lambda.FunctionUrl]: [
    {
      id: "lambda-url-auth",
      property: "authorizationType",
      stage: "preview",
      source: `${TF}/function_url.go (authorization_type: enum.Validate[awstypes.FunctionUrlAuthType])`,
      check: stringInSlice("authorization_type", ["NONE", "AWS_IAM"]),
      examples: {
        pass: [{ value: "AWS_IAM" }],
        fail: [
          { value: "IAM", message: 'expected authorization_type to be one of ["NONE" "AWS_IAM"], got IAM' },
        ],
      },
    },
  ],
};
