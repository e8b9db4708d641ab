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

export { SnsVerificationError, type SnsCheck };
export {
  CertificateHttpError,
  FetchLimiter,
  createCertificateFetcher,
  type CertificateFetcherOptions,
} from "./certificates";

export type SnsMessageType = "Notification" | "SubscriptionConfirmation" | "UnsubscribeConfirmation";

/** A verified SNS message, normalized to the HTTP spelling of its keys. */
export interface SnsMessage {
  readonly Type: SnsMessageType;
  readonly MessageId: string;
  readonly TopicArn: string;
  /** Absent when the publisher set none (a Lambda record carries `Subject: null` then). */
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

const STRING_FIELDS = [
  "Type",
  "MessageId",
  "TopicArn",
  "Subject",
  "Message",
  "Timestamp",
  "SignatureVersion",
  "Signature",
  "SigningCertURL",
  "SigningCertUrl",
  "UnsubscribeURL",
  "UnsubscribeUrl",
  "SubscribeURL",
  "Token",
] as const;
type StringField = (typeof STRING_FIELDS)[number];

const SIGNED_NOTIFICATION = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"] as const;
const SIGNED_CONFIRMATION = [
  "Message",
  "MessageId",
  "SubscribeURL",
  "Timestamp",
  "Token",
  "TopicArn",
  "Type",
] as const;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const REQUIRED_NOTIFICATION: readonly StringField[] = [
  "MessageId",
  "TopicArn",
  "Message",
  "Timestamp",
  "SignatureVersion",
  "Signature",
];
const REQUIRED_CONFIRMATION: readonly StringField[] = [...REQUIRED_NOTIFICATION, "SubscribeURL", "Token"];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?Z$/;
const TOPIC_ARN =
  /^arn:(aws|aws-cn|aws-us-gov):sns:([a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/;
const SNS_HOST = /^sns\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;
const CERT_PATH = /^\/SimpleNotificationService-[A-Za-z0-9]+\.pem$/;
// Every C0/C1 control character. In Message, SNS's own confirmation text has a newline, so there
// we allow \t \n \r: the fields signed after Message are newline-free and named, so the split of
// the string to sign stays unique and no content can be shifted between fields.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_IN_MESSAGE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/**
 * Verifies `message` (an HTTP delivery body or a Lambda record's `Sns`, already JSON-parsed) and
 * resolves to it normalized, or rejects with `SnsVerificationError` whose `code` names the check.
 */
export async function verifySnsMessage(message: unknown, options: VerifyOptions): Promise<SnsMessage> {
  const { m, signature } = normalize(message);
  const topic = checkTopic(m.TopicArn, options.allowedTopicArns);
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

  const data = Buffer.from(stringToSign(m), "utf8");
  const algorithm = m.SignatureVersion === "1" ? "sha1" : "sha256";
  if (!cryptoVerify(algorithm, data, key, signature)) {
    fail("signature", "signature does not match the message");
  }
  return m;
}

/** The exact bytes SNS signs (as a string): `Key\nValue\n` for each signed key present, in order. */
export function stringToSign(m: SnsMessage): string {
  const keys = m.Type === "Notification" ? SIGNED_NOTIFICATION : SIGNED_CONFIRMATION;
  let out = "";
  for (const k of keys) {
    const v = m[k];
    if (v !== undefined) out += `${k}\n${v}\n`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Checks that need no certificate

function normalize(message: unknown): { m: SnsMessage; signature: Buffer } {
  if (typeof message !== "object" || message === null || Array.isArray(message)) {
    fail("not_object", "an SNS message must be a JSON object");
  }
  const raw = message as Record<string, unknown>;
  const s: Partial<Record<StringField, string>> = {};
  for (const f of STRING_FIELDS) {
    if (!Object.prototype.hasOwnProperty.call(raw, f)) continue;
    const v = raw[f];
    if (v === undefined || (v === null && f === "Subject")) continue;
    if (typeof v !== "string")
      fail("field_type", `${f} must be a string, not ${v === null ? "null" : typeof v}`);
    s[f] = v;
  }
  const signingCertUrl = oneOf(s, "SigningCertURL", "SigningCertUrl");
  const unsubscribeUrl = oneOf(s, "UnsubscribeURL", "UnsubscribeUrl");

  const type = s.Type;
  if (type === undefined) fail("missing_field", "Type is missing");
  if (type !== "Notification" && type !== "SubscriptionConfirmation" && type !== "UnsubscribeConfirmation") {
    fail("type", `unknown message Type ${JSON.stringify(type.slice(0, 40))}`);
  }
  const confirmation = type !== "Notification";
  const required = confirmation ? REQUIRED_CONFIRMATION : REQUIRED_NOTIFICATION;
  for (const f of required) if (s[f] === undefined) fail("missing_field", `${f} is missing`);
  if (signingCertUrl === undefined) fail("missing_field", "SigningCertURL is missing");

  const body = s.Message!;
  // Cheap bound first (a UTF-16 unit is at most 3 UTF-8 bytes), exact count only when needed.
  if (body.length * 3 > MAX_MESSAGE_BYTES && Buffer.byteLength(body, "utf8") > MAX_MESSAGE_BYTES) {
    fail("too_large", `Message is over ${MAX_MESSAGE_BYTES} bytes`);
  }
  if (CONTROL_IN_MESSAGE.test(body)) fail("control_character", "Message holds a control character");
  const signed = confirmation ? SIGNED_CONFIRMATION : SIGNED_NOTIFICATION;
  for (const f of signed) {
    const v = s[f];
    if (f !== "Message" && v !== undefined && CONTROL.test(v)) {
      fail("control_character", `${f} holds a control character or newline`);
    }
  }
  if (!UUID.test(s.MessageId!)) fail("message_id", "MessageId is not a UUID");
  if (!validTimestamp(s.Timestamp!)) fail("timestamp", "Timestamp is not an ISO 8601 UTC time");
  const version = s.SignatureVersion;
  if (version !== "1" && version !== "2") fail("signature_version", "SignatureVersion must be 1 or 2");
  const signature = s.Signature!;
  // Buffer's decoder skips junk and accepts base64url; re-encoding gives back the input only if it
  // was canonical base64 (standard alphabet, padded, zero pad bits, no whitespace).
  const bytes = Buffer.from(signature, "base64");
  if (signature.length === 0 || bytes.toString("base64") !== signature) {
    fail("signature_encoding", "Signature is not strict base64");
  }

  // Built by assignment rather than conditional spreads: this runs once per message on the hot path.
  const m: Mutable<SnsMessage> = {
    Type: type,
    MessageId: s.MessageId!,
    TopicArn: s.TopicArn!,
    Message: body,
    Timestamp: s.Timestamp!,
    SignatureVersion: version,
    Signature: signature,
    SigningCertURL: signingCertUrl,
  };
  if (s.Subject !== undefined && !confirmation) m.Subject = s.Subject;
  if (unsubscribeUrl !== undefined) m.UnsubscribeURL = unsubscribeUrl;
  if (confirmation) {
    m.SubscribeURL = s.SubscribeURL!;
    m.Token = s.Token!;
  }
  return { m, signature: bytes };
}

/** Both spellings may appear only if they agree; otherwise which one is "the" URL is ambiguous. */
function oneOf(s: Partial<Record<StringField, string>>, http: StringField, lambda: StringField) {
  const a = s[http];
  const b = s[lambda];
  if (a !== undefined && b !== undefined && a !== b) {
    fail("duplicate_key", `${http} and ${lambda} are both present and differ`);
  }
  return a ?? b;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validTimestamp(t: string): boolean {
  const match = TIMESTAMP.exec(t);
  if (match === null) return false;
  const y = Number(match[1]);
  const mo = Number(match[2]);
  const d = Number(match[3]);
  if (Number(match[4]) > 23 || Number(match[5]) > 59 || Number(match[6]) > 59) return false;
  if (mo < 1 || mo > 12 || d < 1 || d > DAYS_IN_MONTH[mo - 1]!) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return !(mo === 2 && d === 29 && !leap);
}

interface Topic {
  readonly arn: string;
  readonly partition: string;
  readonly region: string;
}

function checkTopic(arn: string, allowed: readonly string[]): Topic {
  const match = TOPIC_ARN.exec(arn);
  if (match === null) fail("topic_arn", "TopicArn is not an SNS topic ARN");
  if (!allowed.includes(arn)) fail("topic_not_allowed", "TopicArn is not one of this stack's topics");
  return { arn, partition: match[1]!, region: match[2]! };
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
