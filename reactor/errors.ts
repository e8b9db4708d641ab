/**
 * The reactor's error hierarchy. Every error the reactor throws on purpose is a `ReactorError` with
 * a typed `code` (a union per class, for logs and tests), the underlying `cause` when there is one,
 * and what it means for the delivery: `retryable` (a retry of the same delivery may succeed, so it
 * is thrown on the Lambda path, where async retries and the failure destination apply) or not (we
 * rejected this input for good: logged and dropped, one bad record never sinking the good ones),
 * and the HTTP `status` the Function URL path answers with. A bug or an AWS outage that is not a
 * ReactorError is retried and answered 500.
 */

export abstract class ReactorError<C extends string = string> extends Error {
  override readonly name: string = "ReactorError";
  readonly code: C;
  abstract readonly retryable: boolean;
  abstract readonly status: number;

  constructor(code: C, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The function's environment is missing a variable or holds a value of the wrong shape. */
export class ConfigError extends ReactorError<"invalid_config"> {
  override readonly name: string = "ConfigError";
  /** A fixed deployment lets the retry through; until then the failure destination holds the event. */
  readonly retryable = true;
  readonly status = 500;
}

/** The checks `verifySnsMessage` makes, one code each, and what a failure of each means. */
export const SNS_CHECKS = {
  // Not an SNS message at all: 400.
  not_object: { retryable: false, status: 400 },
  field_type: { retryable: false, status: 400 },
  duplicate_key: { retryable: false, status: 400 },
  type: { retryable: false, status: 400 },
  missing_field: { retryable: false, status: 400 },
  too_large: { retryable: false, status: 413 },
  // Not a genuine one: 403.
  control_character: { retryable: false, status: 403 },
  message_id: { retryable: false, status: 403 },
  timestamp: { retryable: false, status: 403 },
  signature_version: { retryable: false, status: 403 },
  signature_encoding: { retryable: false, status: 403 },
  topic_arn: { retryable: false, status: 403 },
  topic_not_allowed: { retryable: false, status: 403 },
  cert_url: { retryable: false, status: 403 },
  cert_url_region: { retryable: false, status: 403 },
  subscribe_url: { retryable: false, status: 403 },
  signature: { retryable: false, status: 403 },
  // The signing certificate (reactor/certificates.ts).
  cert_invalid: { retryable: false, status: 403 },
  cert_subject: { retryable: false, status: 403 },
  cert_validity: { retryable: false, status: 403 },
  /** The certificate URL answered 4xx: it will not come back. */
  cert_unavailable: { retryable: false, status: 403 },
  /** The certificate could not be fetched just now (a timeout, a 5xx), or fetches are rate-limited. */
  cert_fetch: { retryable: true, status: 503 },
  cert_rate_limited: { retryable: true, status: 503 },
} as const satisfies Record<string, { readonly retryable: boolean; readonly status: number }>;

export type SnsCheck = keyof typeof SNS_CHECKS;

/** An SNS message failed one of the checks in `verifySnsMessage`; `code` names the check. */
export class SnsVerificationError extends ReactorError<SnsCheck> {
  override readonly name: string = "SnsVerificationError";
  get retryable(): boolean {
    return SNS_CHECKS[this.code].retryable;
  }
  get status(): number {
    return SNS_CHECKS[this.code].status;
  }
}

/** Why a verified message's autoscaling payload is not acted on. */
export type MessageCode =
  | "not_json"
  | "not_object"
  | "missing_field"
  | "no_event"
  | "unknown_event"
  | "unknown_group"
  | "unknown_place"
  | "unknown_profile"
  | "instance_id"
  | "time"
  | "future_message"
  | "stale_message"
  | "hook_expired";

/** A verified SNS message whose autoscaling payload we do not accept (unknown group, bad id, stale, …). */
export class MessageError extends ReactorError<MessageCode> {
  override readonly name: string = "MessageError";
  readonly retryable = false;
  readonly status = 400;
}

/** Why a delivery is not a usable SNS delivery at all. */
export type RequestCode =
  | "not_sns_record"
  | "confirmation_on_lambda_path"
  | "unrecognized_event"
  | "method"
  | "no_body"
  | "too_large"
  | "not_json"
  | "message_type"
  | "header_mismatch";

/** A delivery (a Lambda record, an HTTP request through the Function URL) that is not a usable SNS one. */
export class RequestError extends ReactorError<RequestCode> {
  override readonly name: string = "RequestError";
  readonly retryable = false;
  readonly statusCode: number;

  constructor(statusCode: number, code: RequestCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.statusCode = statusCode;
  }

  get status(): number {
    return this.statusCode;
  }
}

/** An AWS call that failed for good in this attempt, e.g. a lifecycle action we could not complete. */
export class ActionError extends ReactorError<"instance_busy" | "complete_lifecycle_action"> {
  override readonly name: string = "ActionError";
  /** Lambda's retry, a minute later, may find the instance free or AWS answering. */
  readonly retryable = true;
  readonly status = 500;
}

/** Whether a delivery may succeed if retried: anything but a ReactorError that says it may not. */
export function isRetryable(error: unknown): boolean {
  return !(error instanceof ReactorError) || error.retryable;
}

/** The HTTP answer to a delivery that failed with `error`. */
export function statusOf(error: unknown): number {
  return error instanceof ReactorError ? error.status : 500;
}
