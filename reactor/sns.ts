/**
 * SNS message verification, in both delivery shapes (HTTP body and Lambda record).
 *
 * The seed trusted any certificate URL whose host ended in `.amazonaws.com` (an S3 bucket will do)
 * and built the string to sign with `Subject` always present. Here every rule of DESIGN.md
 * "Reactor" step 1 is a separate check with its own `code`, and every check that needs no
 * certificate runs before one is fetched, so a forged message costs us no request.
 */
import { verify as cryptoVerify } from "node:crypto";
import { cachedKey, defaultFetchCertificate, loadSharedKey, type FetchLimiter } from "./certificates";
import { SnsVerificationError, type SnsCheck } from "./errors";
import { bytesToSign, messageHasControl } from "./snsBytes";

export { SnsVerificationError, type SnsCheck };
export { stringToSign } from "./snsBytes";
export {
  CertificateHttpError,
  FetchLimiter,
  createCertificateFetcher,
  type CertificateFetcherOptions,
} from "./certificates";

export type SnsMessageType = "Notification" | "SubscriptionConfirmation" | "UnsubscribeConfirmation";

/**
 * A verified SNS message, normalized to the HTTP spelling of its keys. Every key is present; an
 * optional one the message did not carry is undefined (see normalize: one object shape for all).
 */
export interface SnsMessage {
  readonly Type: SnsMessageType;
  readonly MessageId: string;
  readonly TopicArn: string;
  /** Undefined when the publisher set none (a Lambda record carries `Subject: null` then). */
  readonly Subject?: string;
  readonly Message: string;
  readonly Timestamp: string;
  readonly SignatureVersion: "1" | "2";
  readonly Signature: string;
  readonly SigningCertURL: string;
  readonly UnsubscribeURL?: string;
  /** Confirmations only. */
  readonly SubscribeURL?: string;
  /** Confirmations only. */
  readonly Token?: string;
}

export interface VerifyOptions {
  /** Topics whose messages we accept; anything else is rejected before a certificate is fetched. */
  readonly allowedTopicArns: readonly string[];
  /** The version the topics are configured with; a message signed with another one is rejected. */
  readonly signatureVersion?: "1" | "2";
  /**
   * Accept a message signed with the other version too (it is still verified with its own
   * algorithm). For the Lambda path only, where SNS alone can invoke the function.
   */
  readonly acceptOtherSignatureVersion?: boolean;
  /** Bounds fetches of certificate URLs not cached yet (the public HTTP path). */
  readonly fetchLimiter?: FetchLimiter;
  /** Returns the PEM at `url`. Default: HTTPS GET, bounded in time and size, no redirects. */
  readonly fetchCertificate?: (url: URL) => Promise<string>;
  readonly now?: () => Date;
}

/** SNS's own limit on a message; anything larger cannot have come from SNS. */
export const MAX_MESSAGE_BYTES = 256 * 1024;

function fail(code: SnsCheck, message: string, cause?: unknown): never {
  throw new SnsVerificationError(code, message, cause === undefined ? undefined : { cause });
}

/** The string fields an SNS message may carry, in the order they are read (and type-checked). */
type StringField =
  | "Type"
  | "MessageId"
  | "TopicArn"
  | "Subject"
  | "Message"
  | "Timestamp"
  | "SignatureVersion"
  | "Signature"
  | "SigningCertURL"
  | "SigningCertUrl"
  | "UnsubscribeURL"
  | "UnsubscribeUrl"
  | "SubscribeURL"
  | "Token";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;
const TOPIC_ARN =
  /^arn:(aws|aws-cn|aws-us-gov):sns:([a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/;
const SNS_HOST = /^sns\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;
const CERT_PATH = /^\/SimpleNotificationService-[A-Za-z0-9]+\.pem$/;
// Every C0/C1 control character, for the signed fields other than Message (see
// CONTROL_IN_MESSAGE in snsBytes.ts for Message's own rule).
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Verifies `message` (an HTTP delivery body or a Lambda record's `Sns`, already JSON-parsed) and
 * resolves to it normalized, or rejects with `SnsVerificationError` whose `code` names the check.
 */
export async function verifySnsMessage(message: unknown, options: VerifyOptions): Promise<SnsMessage> {
  const { m, signature, topic: parsed } = normalize(message);
  const topic = checkTopic(parsed, options.allowedTopicArns);
  if (
    options.signatureVersion !== undefined &&
    m.SignatureVersion !== options.signatureVersion &&
    options.acceptOtherSignatureVersion !== true
  ) {
    fail(
      "signature_version",
      `SignatureVersion ${m.SignatureVersion} is not the configured ${options.signatureVersion}`,
    );
  }
  checkCertUrl(m.SigningCertURL, topic);
  if (m.SubscribeURL !== undefined) checkSubscribeUrl(m.SubscribeURL, m, topic);

  const fetcher = options.fetchCertificate ?? defaultFetchCertificate;
  const now = (options.now ?? (() => new Date()))().getTime();
  // The warm path stays synchronous: no promise hop per message once the key is cached.
  const key =
    cachedKey(m.SigningCertURL, fetcher, now) ??
    (await loadSharedKey(m.SigningCertURL, fetcher, now, options.fetchLimiter));

  // No await between encoding into the shared scratch buffer and the check that reads it.
  const algorithm = m.SignatureVersion === "1" ? "sha1" : "sha256";
  if (!cryptoVerify(algorithm, bytesToSign(m), key, signature)) {
    fail("signature", "signature does not match the message");
  }
  return m;
}

// ---------------------------------------------------------------------------------------------
// Checks that need no certificate

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * `v` (read as `raw[f]`) as a string; undefined when absent, an own `undefined`, or (for Subject
 * only) null; else a `field_type` error. Callers read each field by name, in the order of
 * `StringField`, so the first bad field is the one reported.
 */
function stringField(raw: object, f: StringField, v: unknown): string | undefined {
  if (v === undefined || !hasOwn.call(raw, f)) return undefined;
  if (typeof v === "string") return v;
  if (v === null && f === "Subject") return undefined;
  fail("field_type", `${f} must be a string, not ${v === null ? "null" : typeof v}`);
}

function present(v: string | undefined, f: StringField): string {
  if (v === undefined) fail("missing_field", `${f} is missing`);
  return v;
}

/** For signed fields other than Message: a newline there could shift content between fields. */
function noControl(v: string | undefined, f: StringField): void {
  if (v !== undefined && CONTROL.test(v))
    fail("control_character", `${f} holds a control character or newline`);
}

function normalize(message: unknown): { m: SnsMessage; signature: Buffer; topic: Topic | undefined } {
  if (typeof message !== "object" || message === null || Array.isArray(message)) {
    fail("not_object", "an SNS message must be a JSON object");
  }
  const raw = message as Partial<Record<StringField, unknown>>;
  const type = stringField(raw, "Type", raw.Type);
  const messageId = stringField(raw, "MessageId", raw.MessageId);
  const topicArn = stringField(raw, "TopicArn", raw.TopicArn);
  const subject = stringField(raw, "Subject", raw.Subject);
  const message_ = stringField(raw, "Message", raw.Message);
  const timestamp = stringField(raw, "Timestamp", raw.Timestamp);
  const signatureVersion = stringField(raw, "SignatureVersion", raw.SignatureVersion);
  const signature_ = stringField(raw, "Signature", raw.Signature);
  const certUrlHttp = stringField(raw, "SigningCertURL", raw.SigningCertURL);
  const certUrlLambda = stringField(raw, "SigningCertUrl", raw.SigningCertUrl);
  const unsubscribeHttp = stringField(raw, "UnsubscribeURL", raw.UnsubscribeURL);
  const unsubscribeLambda = stringField(raw, "UnsubscribeUrl", raw.UnsubscribeUrl);
  const subscribeUrl_ = stringField(raw, "SubscribeURL", raw.SubscribeURL);
  const token_ = stringField(raw, "Token", raw.Token);
  const signingCertUrl = oneOf(certUrlHttp, certUrlLambda, "SigningCertURL", "SigningCertUrl");
  const unsubscribeUrl = oneOf(unsubscribeHttp, unsubscribeLambda, "UnsubscribeURL", "UnsubscribeUrl");

  if (type === undefined) fail("missing_field", "Type is missing");
  if (type !== "Notification" && type !== "SubscriptionConfirmation" && type !== "UnsubscribeConfirmation") {
    fail("type", `unknown message Type ${JSON.stringify(type.slice(0, 40))}`);
  }
  const confirmation = type !== "Notification";
  const id = present(messageId, "MessageId");
  const arn = present(topicArn, "TopicArn");
  const body = present(message_, "Message");
  const time = present(timestamp, "Timestamp");
  const version = present(signatureVersion, "SignatureVersion");
  const signature = present(signature_, "Signature");
  const subscribeUrl = confirmation ? present(subscribeUrl_, "SubscribeURL") : undefined;
  const token = confirmation ? present(token_, "Token") : undefined;
  if (signingCertUrl === undefined) fail("missing_field", "SigningCertURL is missing");

  // Cheap bound first (a UTF-16 unit is at most 3 UTF-8 bytes), exact count only when needed.
  if (body.length * 3 > MAX_MESSAGE_BYTES && Buffer.byteLength(body, "utf8") > MAX_MESSAGE_BYTES) {
    fail("too_large", `Message is over ${MAX_MESSAGE_BYTES} bytes`);
  }
  if (messageHasControl(body)) fail("control_character", "Message holds a control character");
  // The other signed fields, in signing order. Each format check runs once, here: a MessageId,
  // Timestamp or TopicArn that passes its own cannot hold a control character, so only a failing
  // one is scanned, and the first error is the same as if every field were scanned first. Type is
  // one of three literals by now.
  const idOk = UUID.test(id);
  const timeOk = validTimestamp(time);
  const topic = parseTopic(arn);
  if (!idOk) noControl(id, "MessageId");
  if (confirmation) noControl(subscribeUrl, "SubscribeURL");
  else noControl(subject, "Subject");
  if (!timeOk) noControl(time, "Timestamp");
  if (confirmation) noControl(token, "Token");
  if (topic === undefined) noControl(arn, "TopicArn");
  if (!idOk) fail("message_id", "MessageId is not a UUID");
  if (!timeOk) fail("timestamp", "Timestamp is not an ISO 8601 UTC time");
  if (version !== "1" && version !== "2") fail("signature_version", "SignatureVersion must be 1 or 2");
  // Buffer's decoder skips junk and accepts base64url; re-encoding gives back the input only if it
  // was canonical base64 (standard alphabet, padded, zero pad bits, no whitespace). Measured faster
  // than any regular expression over the text (V8 scans a 344-character signature slowly).
  const bytes = Buffer.from(signature, "base64");
  if (signature.length === 0 || bytes.toString("base64") !== signature) {
    fail("signature_encoding", "Signature is not strict base64");
  }

  // Every key in one literal, in every message, the absent ones undefined: one shape (V8 map) that
  // the literal's boilerplate keeps alive. Keys added when present gave each combination a map of
  // its own, held only by live messages, so a full collection freed it and deoptimized every
  // function that had seen it ("weak objects" in --trace-deopt): the verify path ran unoptimized
  // after each one. bench/reactor.ts collects fully before each timed run: ours/raw read 0.85–0.92
  // before, 0.92–0.95 after.
  const m: SnsMessage = {
    Type: type,
    MessageId: id,
    TopicArn: arn,
    Subject: confirmation ? undefined : subject,
    Message: body,
    Timestamp: time,
    SignatureVersion: version,
    Signature: signature,
    SigningCertURL: signingCertUrl,
    UnsubscribeURL: unsubscribeUrl,
    SubscribeURL: subscribeUrl,
    Token: token,
  };
  return { m, signature: bytes, topic };
}

/** Both spellings may appear only if they agree; otherwise which one is "the" URL is ambiguous. */
function oneOf(a: string | undefined, b: string | undefined, http: StringField, lambda: StringField) {
  if (a !== undefined && b !== undefined && a !== b) {
    fail("duplicate_key", `${http} and ${lambda} are both present and differ`);
  }
  return a ?? b;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The two-digit number at `t[i..i+1]` (digits already checked by TIMESTAMP). */
function twoDigits(t: string, i: number): number {
  return (t.charCodeAt(i) - 48) * 10 + t.charCodeAt(i + 1) - 48;
}

function validTimestamp(t: string): boolean {
  if (!TIMESTAMP.test(t)) return false;
  const y = twoDigits(t, 0) * 100 + twoDigits(t, 2);
  const mo = twoDigits(t, 5);
  const d = twoDigits(t, 8);
  if (twoDigits(t, 11) > 23 || twoDigits(t, 14) > 59 || twoDigits(t, 17) > 59) return false;
  if (mo < 1 || mo > 12 || d < 1 || d > DAYS_IN_MONTH[mo - 1]!) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return !(mo === 2 && d === 29 && !leap);
}

interface Topic {
  readonly arn: string;
  readonly partition: string;
  readonly region: string;
}

/**
 * TopicArns that matched TOPIC_ARN and were on an allow-list, with their match: the same one or
 * two topics arrive on every message. Only such ARNs are remembered (never attacker-chosen ones),
 * and the allow-list of the call at hand is still checked every time.
 */
const knownTopics = new Map<string, Topic>();

/** `arn` parsed, or undefined when it is not an SNS topic ARN. */
function parseTopic(arn: string): Topic | undefined {
  const known = knownTopics.get(arn);
  if (known !== undefined) return known;
  const match = TOPIC_ARN.exec(arn);
  return match === null ? undefined : { arn, partition: match[1]!, region: match[2]! };
}

function checkTopic(topic: Topic | undefined, allowed: readonly string[]): Topic {
  if (topic === undefined) fail("topic_arn", "TopicArn is not an SNS topic ARN");
  if (!allowed.includes(topic.arn)) fail("topic_not_allowed", "TopicArn is not one of this stack's topics");
  if (!knownTopics.has(topic.arn)) {
    if (knownTopics.size >= 64) knownTopics.clear();
    knownTopics.set(topic.arn, topic);
  }
  return topic;
}

/** Parsed-and-checked hosts, so the hot path does not re-parse the same few URLs. */
const urlChecks = new Map<string, { readonly region: string; readonly china: boolean }>();

function checkCertUrl(raw: string, topic: Topic): void {
  let checked: { readonly region: string; readonly china: boolean } | SnsCheck | undefined =
    urlChecks.get(raw);
  if (checked === undefined) {
    checked = parseCertUrl(raw);
    if (typeof checked === "string") fail(checked, "SigningCertURL is not an SNS certificate URL");
    // Only good URLs are remembered: caching rejected (attacker-chosen) strings would let anyone
    // fill memory with them.
    if (urlChecks.size >= 64) urlChecks.clear();
    urlChecks.set(raw, checked);
  }
  if (checked.region !== topic.region || checked.china !== (topic.partition === "aws-cn")) {
    fail("cert_url_region", "SigningCertURL is not in the TopicArn's region");
  }
}

function parseCertUrl(raw: string): { region: string; china: boolean } | SnsCheck {
  const url = strictSnsUrl(raw);
  if (url === undefined || raw.includes("?") || !CERT_PATH.test(url.pathname)) return "cert_url";
  return url.host;
}

/**
 * `raw` as an https URL on an SNS host with no userinfo, port or fragment, written canonically
 * (the parser's `href` is exactly `raw`, so no backslashes, case tricks, dot segments or escapes).
 */
function strictSnsUrl(raw: string):
  | {
      host: { region: string; china: boolean };
      pathname: string;
      search: string;
      searchParams: URLSearchParams;
    }
  | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.href !== raw || url.protocol !== "https:" || url.username !== "" || url.password !== "")
    return undefined;
  if (url.port !== "" || url.hash !== "" || raw.includes("#")) return undefined;
  const host = SNS_HOST.exec(url.hostname);
  if (host === null) return undefined;
  return {
    host: { region: host[1]!, china: host[2] !== undefined },
    pathname: url.pathname,
    search: url.search,
    searchParams: url.searchParams,
  };
}

function checkSubscribeUrl(raw: string, m: SnsMessage, topic: Topic): void {
  const url = strictSnsUrl(raw);
  if (url === undefined || url.pathname !== "/") fail("subscribe_url", "SubscribeURL is not an SNS URL");
  if (url.host.region !== topic.region || url.host.china !== (topic.partition === "aws-cn")) {
    fail("subscribe_url", "SubscribeURL is not in the TopicArn's region");
  }
  const q = url.searchParams;
  if (
    q.get("Action") !== "ConfirmSubscription" ||
    q.get("TopicArn") !== m.TopicArn ||
    q.get("Token") !== m.Token
  ) {
    fail("subscribe_url", "SubscribeURL does not confirm this topic with this token");
  }
}
