/**
 * What verifySnsMessage remembers between messages (checked certificate URLs, parsed allowed
 * TopicArns, keys) never lets a later message skip a check, and the format checks that run once
 * per field still report the same first error as scanning every field for control characters.
 */
import assert from "node:assert/strict";
import { SnsVerificationError, verifySnsMessage, type VerifyOptions } from "../../reactor/sns";
import {
  CERT_URL,
  TOPIC_ARN,
  generateKeys,
  loadFixture,
  makeCertificate,
  signMessage,
  type TestCertificate,
  type UnsignedMessage,
  verifyOptions,
} from "./support/signing";

const NOW = new Date("2026-11-25T17:05:00Z");

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => "ok",
    (e: unknown) => {
      assert.ok(e instanceof SnsVerificationError, String(e));
      return e.code;
    },
  );
}

describe("reactor/sns what is remembered between messages", () => {
  let cert: TestCertificate;
  before(() => {
    cert = makeCertificate({ keys: generateKeys() });
  });

  function setup(overrides: Partial<VerifyOptions> = {}) {
    const sign = (m: UnsignedMessage) => signMessage(m, cert.privateKey);
    return { ...verifyOptions(cert.pem, NOW, overrides), sign };
  }
  const base = () => loadFixture("lifecycle-launching");

  it("a bad certificate URL is rejected every time, before and after a good one is cached", async () => {
    const { opts, fetchCertificate, sign } = setup();
    const bad = sign({ ...base(), SigningCertURL: CERT_URL.replace("https:", "http:") });
    const lookAlike = sign({ ...base(), SigningCertURL: `${CERT_URL}?x=1` });
    const good = sign(base());
    const codes = [];
    for (const m of [bad, good, bad, lookAlike, good, bad, lookAlike])
      codes.push(await codeOf(verifySnsMessage(m, opts)));
    assert.deepEqual(codes, ["cert_url", "ok", "cert_url", "cert_url", "ok", "cert_url", "cert_url"]);
    assert.equal(fetchCertificate.calls.length, 1);
  });

  it("a remembered certificate URL is still checked against each message's TopicArn region", async () => {
    const euTopic = "arn:aws:sns:eu-west-1:123456789012:pillar-prod-asg-events";
    const { opts, sign } = setup({ allowedTopicArns: [TOPIC_ARN, euTopic] });
    const good = sign(base());
    const otherRegion = sign({ ...base(), TopicArn: euTopic });
    const codes = [];
    for (const m of [good, otherRegion, good, otherRegion])
      codes.push(await codeOf(verifySnsMessage(m, opts)));
    assert.deepEqual(codes, ["ok", "cert_url_region", "ok", "cert_url_region"]);
  });

  it("a TopicArn accepted once is checked against each call's own allow-list", async () => {
    const { opts, sign } = setup();
    const m = sign(base());
    assert.equal(await codeOf(verifySnsMessage(m, opts)), "ok");
    const other = { ...opts, allowedTopicArns: ["arn:aws:sns:us-east-1:123456789012:another-topic"] };
    assert.equal(await codeOf(verifySnsMessage(m, other)), "topic_not_allowed");
    assert.equal(await codeOf(verifySnsMessage(m, { ...opts, allowedTopicArns: [] })), "topic_not_allowed");
    assert.equal(await codeOf(verifySnsMessage(m, opts)), "ok");
  });

  it("a malformed TopicArn is rejected every time, also when allowed by a careless list", async () => {
    const bad = "arn:aws:sqs:us-east-1:123456789012:pillar-prod-asg-events";
    const { opts, sign } = setup({ allowedTopicArns: [TOPIC_ARN, bad] });
    const m = sign({ ...base(), TopicArn: bad });
    assert.equal(await codeOf(verifySnsMessage(m, opts)), "topic_arn");
    assert.equal(await codeOf(verifySnsMessage(m, opts)), "topic_arn");
  });

  it("a cached key is not used for a message signed by another key, and stays cached", async () => {
    const { opts, fetchCertificate, sign } = setup();
    const other = makeCertificate();
    const good = sign(base());
    const forged = signMessage(base(), other.privateKey);
    const codes = [];
    for (const m of [good, forged, good, forged]) codes.push(await codeOf(verifySnsMessage(m, opts)));
    assert.deepEqual(codes, ["ok", "signature", "ok", "signature"]);
    assert.equal(fetchCertificate.calls.length, 1);
  });

  describe("the first error when several fields are bad is the one a scan of every field gives", () => {
    const cases: [string, Record<string, string>, string][] = [
      ["a newline in MessageId", { MessageId: "00000000-0000-4000-8000-00000000000\n" }, "control_character"],
      ["a newline in Timestamp", { Timestamp: "2026-11-25T17:01:02.345Z\n" }, "control_character"],
      ["a tab in TopicArn", { TopicArn: `${TOPIC_ARN}\t` }, "control_character"],
      [
        "a bad MessageId and a newline in TopicArn",
        { MessageId: "1234", TopicArn: `${TOPIC_ARN}\n` },
        "control_character",
      ],
      ["a bad MessageId and a bad Timestamp", { MessageId: "1234", Timestamp: "yesterday" }, "message_id"],
      [
        "a bad Timestamp and a bad TopicArn",
        { Timestamp: "yesterday", TopicArn: "arn:aws:sqs:x" },
        "timestamp",
      ],
      [
        "a bad MessageId and a bad SignatureVersion",
        { MessageId: "1234", SignatureVersion: "3" },
        "message_id",
      ],
    ];
    for (const [name, fields, code] of cases) {
      it(`${name} → ${code}`, async () => {
        const { opts, fetchCertificate, sign } = setup();
        assert.equal(await codeOf(verifySnsMessage(sign({ ...base(), ...fields }), opts)), code);
        assert.equal(fetchCertificate.calls.length, 0);
      });
    }

    it("a control character in a confirmation's SubscribeURL or Token", async () => {
      const { opts, sign } = setup();
      const c = loadFixture("subscription-confirmation");
      const variants: Record<string, string>[] = [
        { SubscribeURL: `${c.SubscribeURL}\n` },
        { Token: `${c.Token}\u0001` },
      ];
      for (const fields of variants) {
        assert.equal(await codeOf(verifySnsMessage(sign({ ...c, ...fields }), opts)), "control_character");
      }
    });
  });
});
