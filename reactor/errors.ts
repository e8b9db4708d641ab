/**
 * The reactor's error hierarchy. Every error the reactor throws on purpose is a `ReactorError`, so
 * the handler can tell "we rejected this input" (log, answer 4xx, do not retry) from a bug or an AWS
 * outage (let it throw, so Lambda retries and the failure destination sees it). Each carries a
 * stable `code` for logs and tests, and the underlying `cause` when there is one.
 */
export class ReactorError extends Error {
  override readonly name: string = "ReactorError";
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The function's environment is missing a variable or holds a value of the wrong shape. */
export class ConfigError extends ReactorError {
  override readonly name: string = "ConfigError";
}

/** An SNS message failed one of the checks in `verifySnsMessage`; `code` names the check. */
export class SnsVerificationError extends ReactorError {
  override readonly name: string = "SnsVerificationError";
}

/** A verified SNS message whose autoscaling payload we do not accept (unknown group, bad id, …). */
export class MessageError extends ReactorError {
  override readonly name: string = "MessageError";
}

/** An HTTP (Function URL) request that is not a usable SNS delivery. */
export class RequestError extends ReactorError {
  override readonly name: string = "RequestError";
  readonly statusCode: number;

  constructor(statusCode: number, code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.statusCode = statusCode;
  }
}

/** An AWS call that failed for good (after retries), e.g. a lifecycle action we could not complete. */
export class ActionError extends ReactorError {
  override readonly name: string = "ActionError";
}
