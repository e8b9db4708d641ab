/**
 * The reactor Lambda's entry point. It takes SNS deliveries in two shapes: SNS invoking the
 * function (`Records[].Sns`) and the seed's webhook, an HTTP POST through a Function URL. Both are
 * verified by `verifySnsMessage` before anything else, then parsed and acted on.
 *
 * What is rejected for good (a forged, malformed, stale or unknown message, a certificate URL that
 * answers 4xx, an event that is not SNS at all) is logged and answered (4xx over HTTP), not thrown:
 * retrying cannot fix it, and one bad record never sinks the good ones. What may pass (a
 * certificate fetch that timed out, an AWS error) is thrown on the Lambda path, so async retries
 * and the failure destination apply, and answered 5xx over HTTP, so SNS retries the delivery.
 */
import { randomUUID } from "node:crypto";
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SSMClient } from "@aws-sdk/client-ssm";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { act } from "./actions";
import type { Outcome, ReactorDeps } from "./attempt";
import { FetchLimiter } from "./certificates";
import { loadConfig } from "./config";
import type { Env, ReactorConfig } from "./contract";
import { isRetryable, RequestError } from "./errors";
import {
  defaultConfirmSubscription,
  HTTP_CERT_FETCHES,
  httpDelivery,
  isFunctionUrlEvent,
  type HttpResult,
} from "./http";
import { Inventory } from "./inventory";
import { createLogger, describeError, type Logger } from "./log";
import { checkFresh, parseAutoscalingMessage } from "./messages";
import { verifySnsMessage, type SnsMessage } from "./sns";

export {
  ActionError,
  ConfigError,
  MessageError,
  ReactorError,
  RequestError,
  SnsVerificationError,
} from "./errors";
export type { FunctionUrlEvent, HttpResult } from "./http";

/** The part of the Lambda context the reactor uses. */
export interface LambdaContext {
  readonly awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

/** The summary returned on the SNS path (Lambda ignores it for async invocations; logs and tests read it). */
export interface SnsBatchResult {
  readonly processed: number;
  readonly rejected: number;
}

export type ReactorHandler = (event: unknown, context: LambdaContext) => Promise<HttpResult | SnsBatchResult>;

export interface HandlerDeps {
  /** Config; default: `loadConfig(env)` on the first invocation, once. */
  readonly config?: ReactorConfig;
  /** Where to read config from when `config` is not given; default `process.env`. */
  readonly env?: Env;
  readonly ssm?: SSMClient;
  readonly autoscaling?: AutoScalingClient;
  readonly dynamo?: DynamoDBDocumentClient;
  readonly fetchCertificate?: (url: URL) => Promise<string>;
  /** GETs a verified SubscribeURL; resolves when SNS accepted the confirmation. */
  readonly confirmSubscription?: (url: URL) => Promise<void>;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1); default Math.random. */
  readonly random?: () => number;
  /** Makes each attempt's lease owner id; default crypto.randomUUID. */
  readonly newId?: () => string;
  readonly logger?: Logger;
}

/**
 * The default clients' settings. A hung call must not eat the time reserved for completing the
 * hook, so every request has a deadline. SSM and Auto Scaling make one attempt per call: the
 * reactor retries them itself (reactor/lifecycle.ts, bootstrap.ts), because a SendCommand the SDK
 * resent after a lost answer would run Salt twice, and only the reactor knows how long it may keep
 * trying.
 * DynamoDB keeps the SDK's retries: every inventory write is conditional and recognises its own
 * earlier success.
 */
export const SDK_CLIENT_OPTIONS = {
  ssm: { maxAttempts: 1, requestHandler: timeouts(3_000, 10_000) },
  autoscaling: { maxAttempts: 1, requestHandler: timeouts(3_000, 10_000) },
  dynamodb: { maxAttempts: 3, requestHandler: timeouts(2_000, 5_000) },
} as const;

/**
 * NodeHttpHandler only logs a breached requestTimeout unless told to throw (smithy's
 * HttpHandlerInitialization docs: "users must also opt-in for request timeout thrown errors").
 */
function timeouts(connectionTimeout: number, requestTimeout: number) {
  return { connectionTimeout, requestTimeout, throwOnRequestTimeout: true } as const;
}

/** The default clients, made once per container. */
export function defaultClients(): {
  ssm: SSMClient;
  autoscaling: AutoScalingClient;
  dynamo: DynamoDBDocumentClient;
} {
  return {
    ssm: new SSMClient(SDK_CLIENT_OPTIONS.ssm),
    autoscaling: new AutoScalingClient(SDK_CLIENT_OPTIONS.autoscaling),
    dynamo: DynamoDBDocumentClient.from(new DynamoDBClient(SDK_CLIENT_OPTIONS.dynamodb)),
  };
}

export function createHandler(deps: HandlerDeps = {}): ReactorHandler {
  const logger = deps.logger ?? createLogger();
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const confirm = deps.confirmSubscription ?? defaultConfirmSubscription;

  // Config and clients are made on the first invocation and kept for the container's life: no
  // work (and no throw) at import time, and a bad environment fails every invocation the same way.
  let ready: { config: ReactorConfig; reactor: ReactorDeps } | undefined;
  const random = deps.random ?? Math.random;
  const newId = deps.newId ?? randomUUID;
  let httpFetches: FetchLimiter | undefined;
  const init = () => {
    if (ready) return ready;
    const config = deps.config ?? loadConfig(deps.env ?? process.env);
    const made = deps.ssm && deps.autoscaling && deps.dynamo ? undefined : defaultClients();
    const dynamo = deps.dynamo ?? made!.dynamo;
    const reactor: ReactorDeps = {
      config,
      ssm: deps.ssm ?? made!.ssm,
      autoscaling: deps.autoscaling ?? made!.autoscaling,
      inventory: new Inventory(dynamo, {
        tableName: config.tableName,
        tombstoneTtlDays: config.tombstoneTtlDays,
        now,
      }),
      now,
      sleep,
      random,
      logger,
    };
    ready = { config, reactor };
    return ready;
  };

  /**
   * The Lambda path is invoked only by SNS (the function's resource policy), so a message signed
   * with the other version is still SNS's: verified with its own algorithm and accepted, with a
   * warning, rather than dropped for ever. The public HTTP path keeps the configured version, and
   * bounds the certificate fetches an unauthenticated caller can cause.
   */
  const verify = async (message: unknown, config: ReactorConfig, path: "sns" | "http", log: Logger) => {
    if (path === "http")
      httpFetches ??= new FetchLimiter(HTTP_CERT_FETCHES.burst, HTTP_CERT_FETCHES.refillMs, now().getTime());
    const sns = await verifySnsMessage(message, {
      allowedTopicArns: config.topicArns,
      signatureVersion: config.signatureVersion,
      acceptOtherSignatureVersion: path === "sns",
      ...(path === "http" ? { fetchLimiter: httpFetches } : {}),
      now,
      ...(deps.fetchCertificate ? { fetchCertificate: deps.fetchCertificate } : {}),
    });
    if (sns.SignatureVersion !== config.signatureVersion) {
      log.warn("accepted a message signed with another SignatureVersion", {
        signatureVersion: sns.SignatureVersion,
        configured: config.signatureVersion,
      });
    }
    return sns;
  };

  /** Parses and acts on a verified Notification. */
  const handleNotification = async (
    sns: SnsMessage,
    context: LambdaContext,
    log: Logger,
  ): Promise<Outcome> => {
    const { config, reactor } = init();
    const msg = parseAutoscalingMessage(sns.Message, config.groups);
    const sentAt = Date.parse(sns.Timestamp);
    checkFresh(msg, sentAt, now().getTime(), {
      maxAgeMs: config.maxMessageAgeSeconds * 1000,
      clockSkewMs: config.clockSkewSeconds * 1000,
      hookTimeoutMs: config.heartbeatTimeoutSeconds * 1000,
    });
    const outcome = await act(
      { ...reactor, logger: log },
      {
        messageId: sns.MessageId,
        sentAt,
        id: newId(),
        remainingMs: () => context.getRemainingTimeInMillis(),
      },
      msg,
    );
    log.info("acted", {
      ...outcome,
      kind: msg.kind,
      ...(msg.kind !== "test" ? { group: msg.group.group } : {}),
    });
    return outcome;
  };

  const onRecords = async (records: readonly unknown[], context: LambdaContext): Promise<SnsBatchResult> => {
    const { config } = init();
    let processed = 0;
    let rejected = 0;
    for (const record of records) {
      const sns = isRecord(record) && record.EventSource === "aws:sns" ? record.Sns : undefined;
      const log = logger.child({
        requestId: context.awsRequestId,
        path: "sns",
        messageId:
          isRecord(sns) && typeof sns.MessageId === "string" ? sns.MessageId.slice(0, 64) : undefined,
      });
      try {
        if (!isRecord(sns)) throw new RequestError(400, "not_sns_record", "the record is not an SNS record");
        // SNS subscribes a Lambda function itself; a confirmation here can only be a replay.
        if (sns.Type !== "Notification") {
          throw new RequestError(
            400,
            "confirmation_on_lambda_path",
            "only Notifications are accepted from SNS",
          );
        }
        await handleNotification(await verify(sns, config, "sns", log), context, log);
        processed++;
      } catch (error) {
        if (isRetryable(error)) throw error;
        rejected++;
        log.error("rejected", { error: describeError(error) });
      }
    }
    return { processed, rejected };
  };

  const onHttp = httpDelivery({
    logger,
    config: () => init().config,
    verify: (message, config, log) => verify(message, config, "http", log),
    notify: handleNotification,
    confirm,
  });

  return async (event, context) => {
    if (isRecord(event) && Array.isArray(event.Records)) return onRecords(event.Records, context);
    if (isFunctionUrlEvent(event)) return onHttp(event, context);
    // Retrying cannot make it one: dropped, and logged for whoever wired it here.
    logger.error("rejected", {
      requestId: context.awsRequestId,
      error: describeError(
        new RequestError(400, "unrecognized_event", "neither an SNS event nor a Function URL request"),
      ),
    });
    return { processed: 0, rejected: 1 };
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

let defaultHandler: ReactorHandler | undefined;

/** The Lambda entry point (`index.handler` in the bundle). */
export async function handler(event: unknown, context: LambdaContext): Promise<HttpResult | SnsBatchResult> {
  defaultHandler ??= createHandler();
  return defaultHandler(event, context);
}
