/**
 * The seed's webhook: an SNS delivery as an HTTP POST through the function's URL. The request must
 * be a POST whose body is the SNS message and whose headers agree with it; the message is verified
 * on the public path's terms (the configured signature version only, certificate fetches bounded)
 * before a subscription is confirmed or a notification acted on. Every outcome is an answer: 2xx when
 * handled, 4xx for what SNS must not send again, 5xx for what a redelivery may get through.
 */
import type { Outcome } from "./attempt";
import { createCertificateFetcher } from "./certificates";
import type { ReactorConfig } from "./contract";
import { ReactorError, RequestError, statusOf } from "./errors";
import type { LambdaContext } from "./handler";
import { describeError, type Logger } from "./log";
import { MAX_MESSAGE_BYTES, type SnsMessage } from "./sns";

/** A Lambda Function URL request (payload format 2.0), as far as we read it. */
export interface FunctionUrlEvent {
  readonly requestContext: { readonly http: { readonly method: string } };
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
}

export interface HttpResult {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Certificate URLs not cached yet that the public HTTP path may fetch: a burst of 3, then one a
 * minute. SNS signs with one certificate per region for months, so a genuine sender needs one.
 */
export const HTTP_CERT_FETCHES = { burst: 3, refillMs: 60_000 } as const;

/** What the HTTP path needs of the handler. */
export interface HttpDelivery {
  readonly logger: Logger;
  /** The config, read on first use (a bad environment is answered 500, like any failure of ours). */
  readonly config: () => ReactorConfig;
  /** Verifies a message on the public path's terms. */
  readonly verify: (message: unknown, config: ReactorConfig, log: Logger) => Promise<SnsMessage>;
  /** Parses and acts on a verified Notification. */
  readonly notify: (sns: SnsMessage, context: LambdaContext, log: Logger) => Promise<Outcome>;
  /** GETs a verified SubscribeURL; resolves when SNS accepted the confirmation. */
  readonly confirm: (url: URL) => Promise<void>;
}

/** Answers one Function URL request. */
export function httpDelivery(
  d: HttpDelivery,
): (event: FunctionUrlEvent, context: LambdaContext) => Promise<HttpResult> {
  return async (event, context) => {
    const log = d.logger.child({ requestId: context.awsRequestId, path: "http" });
    try {
      const config = d.config();
      if (event.requestContext.http.method !== "POST")
        throw new RequestError(405, "method", "only POST is accepted");
      const body = decodeBody(event);
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch (error) {
        throw new RequestError(400, "not_json", "the body is not JSON", { cause: error });
      }
      const type = header(event, "x-amz-sns-message-type");
      if (type === undefined || !isRecord(parsed) || parsed.Type !== type) {
        throw new RequestError(
          400,
          "message_type",
          "x-amz-sns-message-type is missing or does not match the body",
        );
      }
      // SNS also names the topic in a header; a body that disagrees was not sent as is.
      const topicHeader = header(event, "x-amz-sns-topic-arn");
      if (topicHeader !== undefined && topicHeader !== parsed.TopicArn) {
        throw new RequestError(400, "header_mismatch", "x-amz-sns-topic-arn does not match the body");
      }
      const sns = await d.verify(parsed, config, log);
      const mlog = log.child({ messageId: sns.MessageId, type: sns.Type });
      if (sns.Type === "SubscriptionConfirmation") {
        // verifySnsMessage has checked SubscribeURL: https, this topic's SNS host, this topic and token.
        try {
          await d.confirm(new URL(sns.SubscribeURL!));
        } catch (error) {
          mlog.error("subscription confirmation failed", { error: describeError(error) });
          return respond(502, { ok: false, code: "confirm_failed" });
        }
        mlog.info("subscription confirmed", { topicArn: sns.TopicArn });
        return respond(200, { ok: true, confirmed: true });
      }
      if (sns.Type === "UnsubscribeConfirmation") {
        mlog.warn("unsubscribed", { topicArn: sns.TopicArn });
        return respond(200, { ok: true });
      }
      const outcome = await d.notify(sns, context, mlog);
      return respond(200, { ok: true, action: outcome.action });
    } catch (error) {
      const status = statusOf(error);
      (status >= 500 ? log.error : log.warn)("rejected", { status, error: describeError(error) });
      return respond(status, { ok: false, ...(error instanceof ReactorError ? { code: error.code } : {}) });
    }
  };
}

function decodeBody(event: FunctionUrlEvent): string {
  const raw = event.body;
  if (raw === undefined || raw === "") throw new RequestError(400, "no_body", "the request has no body");
  // Bound the work before decoding: base64 is 4/3 of the bytes it carries.
  if (
    raw.length > (event.isBase64Encoded ? Math.ceil((MAX_MESSAGE_BYTES * 4) / 3) + 4 : MAX_MESSAGE_BYTES * 3)
  ) {
    throw new RequestError(413, "too_large", `the body is over ${MAX_MESSAGE_BYTES} bytes`);
  }
  const bytes = event.isBase64Encoded ? Buffer.from(raw, "base64") : Buffer.from(raw, "utf8");
  if (bytes.length > MAX_MESSAGE_BYTES)
    throw new RequestError(413, "too_large", `the body is over ${MAX_MESSAGE_BYTES} bytes`);
  return bytes.toString("utf8");
}

function header(event: FunctionUrlEvent, name: string): string | undefined {
  for (const [k, v] of Object.entries(event.headers ?? {})) if (k.toLowerCase() === name) return v;
  return undefined;
}

function respond(statusCode: number, body: Record<string, unknown>): HttpResult {
  return { statusCode, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function isFunctionUrlEvent(v: unknown): v is FunctionUrlEvent {
  if (!isRecord(v) || !isRecord(v.requestContext)) return false;
  const http = v.requestContext.http;
  return isRecord(http) && typeof http.method === "string";
}

const confirmGet = createCertificateFetcher({ timeoutMs: 5_000, maxBytes: 64 * 1024 });
export async function defaultConfirmSubscription(url: URL): Promise<void> {
  await confirmGet(url);
}
