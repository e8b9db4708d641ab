/**
 * Real SNS-style signing for tests: a throwaway RSA key and a self-signed X.509 certificate made at
 * test time, and a string-to-sign written here independently of reactor/sns.ts (so a mistake there
 * cannot hide behind the same mistake here).
 *
 * The certificate is DER-encoded by hand with node:crypto doing the signing: @peculiar/x509 needs a
 * reflect-metadata polyfill that is not installed, and openssl may not be on the test machine.
 */
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import type { VerifyOptions } from "../../../reactor/sns";

export interface TestCertificate {
  readonly pem: string;
  readonly privateKey: KeyObject;
}

export interface TestKeys {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export interface CertificateOptions {
  readonly cn?: string;
  readonly dns?: readonly string[];
  readonly ip?: readonly string[];
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  /** Reuse a key pair (RSA generation is the slow part). */
  readonly keys?: TestKeys;
}

export function generateKeys(): TestKeys {
  return generateKeyPairSync("rsa", { modulusLength: 2048 });
}

// --- minimal DER ---------------------------------------------------------------------------
function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const len =
    n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, content]);
}
const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split(".").map(Number) as [number, number, ...number[]];
  const bytes = [40 * a + b];
  for (const v of rest) {
    const chunk = [v & 0x7f];
    for (let x = v >>> 7; x > 0; x >>>= 7) chunk.unshift((x & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}
function utcTime(d: Date): Buffer {
  const iso = d.toISOString();
  const text =
    iso.slice(2, 4) +
    iso.slice(5, 7) +
    iso.slice(8, 10) +
    iso.slice(11, 13) +
    iso.slice(14, 16) +
    iso.slice(17, 19) +
    "Z";
  return tlv(0x17, Buffer.from(text, "ascii"));
}
const name = (cn: string) => seq(tlv(0x31, seq(oid("2.5.4.3"), tlv(0x0c, Buffer.from(cn, "utf8")))));
const SHA256_RSA = seq(oid("1.2.840.113549.1.1.11"), Buffer.from([0x05, 0x00]));

export function makeCertificate(opts: CertificateOptions = {}): TestCertificate {
  const keys = opts.keys ?? generateKeys();
  const cn = opts.cn ?? "sns.amazonaws.com";
  const generalNames = [
    ...(opts.dns ?? [cn]).map((d) => tlv(0x82, Buffer.from(d, "ascii"))),
    ...(opts.ip ?? []).map((ip) => tlv(0x87, Buffer.from(ip.split(".").map(Number)))),
  ];
  const san = seq(oid("2.5.29.17"), tlv(0x04, seq(...generalNames)));
  const tbs = seq(
    tlv(0xa0, Buffer.from([0x02, 0x01, 0x02])),
    Buffer.from([0x02, 0x01, 0x01]),
    SHA256_RSA,
    name(cn),
    seq(
      utcTime(opts.notBefore ?? new Date("2026-01-01T00:00:00Z")),
      utcTime(opts.notAfter ?? new Date("2027-01-01T00:00:00Z")),
    ),
    name(cn),
    keys.publicKey.export({ type: "spki", format: "der" }),
    tlv(0xa3, seq(san)),
  );
  const signature = sign("sha256", tbs, keys.privateKey);
  const der = seq(tbs, SHA256_RSA, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const b64 = (der.toString("base64").match(/.{1,64}/g) ?? []).join("\n");
  return {
    pem: `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`,
    privateKey: keys.privateKey,
  };
}

/** Unsigned message fields in the HTTP spelling, as the fixtures under test/events/sns/ hold them. */
export type UnsignedMessage = Readonly<Record<string, string>>;

/** AWS's documented signing order. */
export function referenceStringToSign(m: UnsignedMessage): string {
  const keys =
    m.Type === "Notification"
      ? ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
      : ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];
  return keys
    .filter((k) => m[k] !== undefined)
    .map((k) => `${k}\n${m[k]}\n`)
    .join("");
}

/** Signs `m` with its own `SignatureVersion` and returns the HTTP-shaped delivery body. */
export function signMessage(m: UnsignedMessage, key: KeyObject): Record<string, string> {
  const algorithm = m.SignatureVersion === "1" ? "sha1" : "sha256";
  const signature = sign(algorithm, Buffer.from(referenceStringToSign(m), "utf8"), key).toString("base64");
  return { ...m, Signature: signature };
}

/** The same message as SNS hands it to a Lambda function in `Records[].Sns`. */
export function toLambdaShape(http: Readonly<Record<string, string>>): Record<string, unknown> {
  const { SigningCertURL, UnsubscribeURL, ...rest } = http;
  return {
    ...rest,
    Subject: http.Subject ?? null,
    SigningCertUrl: SigningCertURL,
    UnsubscribeUrl: UnsubscribeURL,
    MessageAttributes: {},
  };
}

export const TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:pillar-prod-asg-events";
export const CERT_URL =
  "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem";

/** A fetcher that serves `pem` for CERT_URL and counts its calls. */
export function countingFetcher(
  pem: string | (() => string),
): ((url: URL) => Promise<string>) & { calls: URL[] } {
  const calls: URL[] = [];
  const fetcher = async (url: URL) => {
    calls.push(url);
    return typeof pem === "string" ? pem : pem();
  };
  return Object.assign(fetcher, { calls });
}

/**
 * Options for verifySnsMessage as the tests use them: this stack's topic, SignatureVersion 2, a
 * fixed clock and a fetcher serving `pem` that counts its calls; `overrides` win.
 */
export function verifyOptions(
  pem: string,
  now: Date,
  overrides: Partial<VerifyOptions> = {},
): { fetchCertificate: ReturnType<typeof countingFetcher>; opts: VerifyOptions } {
  const fetchCertificate = countingFetcher(pem);
  return {
    fetchCertificate,
    opts: {
      allowedTopicArns: [TOPIC_ARN],
      signatureVersion: "2",
      fetchCertificate,
      now: () => now,
      ...overrides,
    },
  };
}

/** One of the unsigned fixtures under test/events/sns/. */
export function loadFixture(name: string): UnsignedMessage {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(`../../events/sns/${name}.json`) as UnsignedMessage;
}
