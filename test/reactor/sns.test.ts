import assert from "node:assert/strict";
import { FAILED_FETCH_TTL_MS } from "../../reactor/certificates";
import {
  CertificateHttpError,
  FetchLimiter,
  SnsVerificationError,
  verifySnsMessage,
  type VerifyOptions,
} from "../../reactor/sns";
import {
  CERT_URL,
  TOPIC_ARN,
  countingFetcher,
  generateKeys,
  loadFixture,
  makeCertificate,
  signMessage,
  toLambdaShape,
  type TestCertificate,
  type TestKeys,
  type UnsignedMessage,
  verifyOptions,
} from "./support/signing";

const NOW = new Date("2026-11-25T17:05:00Z");

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof SnsVerificationError, `expected SnsVerificationError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.equal(error.name, "SnsVerificationError");
    return true;
  });
}

describe("reactor/sns verifySnsMessage", () => {
  let cert: TestCertificate;
  let keys: TestKeys;
  let other: TestCertificate;

  before(() => {
    keys = generateKeys();
    cert = makeCertificate({ keys });
    other = makeCertificate();
  });

  const options = (overrides: Partial<VerifyOptions> = {}) => verifyOptions(cert.pem, NOW, overrides);

  const notification = () => loadFixture("lifecycle-launching");
  const withSubject = () => loadFixture("event-launch");

  describe("accepts real signatures", () => {
    for (const version of ["1", "2"] as const) {
      for (const shape of ["http", "lambda"] as const) {
        for (const [label, fixture] of [
          ["without Subject", notification],
          ["with Subject", withSubject],
        ] as const) {
          it(`Notification ${label}, SignatureVersion ${version}, ${shape} shape`, async () => {
            const signed = signMessage({ ...fixture(), SignatureVersion: version }, cert.privateKey);
            const { opts, fetchCertificate } = options({ signatureVersion: version });
            const input = shape === "http" ? signed : toLambdaShape(signed);
            const out = await verifySnsMessage(input, opts);
            assert.equal(out.Type, "Notification");
            assert.equal(out.Message, signed.Message);
            assert.equal(out.Subject, signed.Subject);
            assert.equal(out.SigningCertURL, CERT_URL);
            assert.equal(out.UnsubscribeURL, signed.UnsubscribeURL);
            assert.deepEqual(
              fetchCertificate.calls.map((u) => u.href),
              [CERT_URL],
            );
          });
        }
      }
    }

    it("gives every message the same keys in the same order, an absent one undefined (one object shape)", async () => {
      // reactor/sns.ts normalize: keys added only when present gave V8 a map per combination, freed
      // by each full collection, and the verify path was deoptimized after every one.
      const keys = [
        "Type",
        "MessageId",
        "TopicArn",
        "Subject",
        "Message",
        "Timestamp",
        "SignatureVersion",
        "Signature",
        "SigningCertURL",
        "UnsubscribeURL",
        "SubscribeURL",
        "Token",
      ];
      const { opts } = options();
      const { UnsubscribeURL: _dropped, ...noUnsubscribe } = notification();
      const inputs = [
        notification(),
        withSubject(),
        noUnsubscribe,
        loadFixture("subscription-confirmation"),
      ].map((m) => signMessage(m, cert.privateKey));
      const outs = await Promise.all(
        [...inputs, toLambdaShape(inputs[1]!)].map((m) => verifySnsMessage(m, opts)),
      );
      for (const out of outs) assert.deepEqual(Object.keys(out), keys);
      assert.equal(outs[0]!.Subject, undefined);
      assert.equal(outs[1]!.Subject, inputs[1]!.Subject);
      assert.equal(outs[2]!.UnsubscribeURL, undefined);
      assert.equal(outs[3]!.Token, inputs[3]!.Token);
      assert.equal(outs[0]!.Token, undefined);
    });

    it("SubscriptionConfirmation (with a newline in its Message, as SNS writes it)", async () => {
      const signed = signMessage(loadFixture("subscription-confirmation"), cert.privateKey);
      const out = await verifySnsMessage(signed, options().opts);
      assert.equal(out.Type, "SubscriptionConfirmation");
      assert.equal(out.Token, signed.Token);
      assert.equal(out.SubscribeURL, signed.SubscribeURL);
      assert.equal(out.Subject, undefined);
    });

    it("both key spellings when they agree", async () => {
      const signed = signMessage(notification(), cert.privateKey);
      const out = await verifySnsMessage(
        { ...signed, SigningCertUrl: signed.SigningCertURL },
        options().opts,
      );
      assert.equal(out.MessageId, signed.MessageId);
    });

    it("a leap day and whole-second timestamps", async () => {
      for (const Timestamp of ["2028-02-29T23:59:59.999Z", "2026-11-25T17:01:02Z"]) {
        const signed = signMessage({ ...notification(), Timestamp }, cert.privateKey);
        assert.equal((await verifySnsMessage(signed, options().opts)).Timestamp, Timestamp);
      }
    });

    it("any supported version when none is configured", async () => {
      const signed = signMessage({ ...notification(), SignatureVersion: "1" }, cert.privateKey);
      const { signatureVersion: _drop, ...opts } = options().opts;
      await verifySnsMessage(signed, opts);
    });
  });

  describe("rejects malformed and forged input, before fetching anything", () => {
    type Case = {
      readonly name: string;
      readonly code: string;
      /** Returns the input; `sign` re-signs a modified message, so only the named check can fail. */
      readonly input: (sign: (m: UnsignedMessage) => Record<string, string>) => unknown;
    };
    const base = notification;
    const confirmation = () => loadFixture("subscription-confirmation");
    const cases: Case[] = [
      { name: "an array", code: "not_object", input: () => [] },
      { name: "null", code: "not_object", input: () => null },
      { name: "a JSON string", code: "not_object", input: (s) => JSON.stringify(s(base())) },
      { name: "a numeric Message", code: "field_type", input: (s) => ({ ...s(base()), Message: 42 }) },
      { name: "an object Signature", code: "field_type", input: (s) => ({ ...s(base()), Signature: {} }) },
      { name: "a null TopicArn", code: "field_type", input: (s) => ({ ...s(base()), TopicArn: null }) },
      {
        name: "SigningCertURL and SigningCertUrl that differ",
        code: "duplicate_key",
        input: (s) => ({ ...s(base()), SigningCertUrl: CERT_URL.replace("9c64", "0000") }),
      },
      {
        name: "UnsubscribeURL and UnsubscribeUrl that differ",
        code: "duplicate_key",
        input: (s) => ({ ...s(base()), UnsubscribeUrl: "https://sns.us-east-1.amazonaws.com/?x" }),
      },
      { name: "an unknown Type", code: "type", input: (s) => s({ ...base(), Type: "Notice" }) },
      {
        name: "no Signature",
        code: "missing_field",
        input: (s) => {
          const { Signature: _s, ...rest } = s(base());
          return rest;
        },
      },
      {
        name: "no SigningCertURL in either spelling",
        code: "missing_field",
        input: (s) => {
          const { SigningCertURL: _u, ...rest } = base();
          return s(rest);
        },
      },
      {
        name: "a confirmation without Token",
        code: "missing_field",
        input: (s) => {
          const { Token: _t, ...rest } = confirmation();
          return s(rest);
        },
      },
      {
        name: "a Message over 256 KiB",
        code: "too_large",
        input: (s) => s({ ...base(), Message: "x".repeat(256 * 1024 + 1) }),
      },
      {
        name: "a newline in Subject (field shifting)",
        code: "control_character",
        input: (s) => s({ ...base(), Subject: "x\nTimestamp\n2026-11-25T17:01:02.345Z" }),
      },
      {
        name: "a newline at the end of TopicArn",
        code: "control_character",
        input: (s) => s({ ...base(), TopicArn: `${TOPIC_ARN}\n` }),
      },
      {
        name: "a BEL in Message",
        code: "control_character",
        input: (s) => s({ ...base(), Message: "{}\u0007" }),
      },
      { name: "a non-UUID MessageId", code: "message_id", input: (s) => s({ ...base(), MessageId: "1234" }) },
      {
        name: "an impossible date",
        code: "timestamp",
        input: (s) => s({ ...base(), Timestamp: "2026-02-30T00:00:00.000Z" }),
      },
      {
        name: "29 February of a common year",
        code: "timestamp",
        input: (s) => s({ ...base(), Timestamp: "2026-02-29T00:00:00.000Z" }),
      },
      {
        name: "a 24th hour",
        code: "timestamp",
        input: (s) => s({ ...base(), Timestamp: "2026-11-25T24:00:00.000Z" }),
      },
      {
        name: "a Timestamp with an offset",
        code: "timestamp",
        input: (s) => s({ ...base(), Timestamp: "2026-11-25T17:01:02+01:00" }),
      },
      {
        name: "SignatureVersion 3",
        code: "signature_version",
        input: (s) => s({ ...base(), SignatureVersion: "3" }),
      },
      {
        name: "SignatureVersion 1 when 2 is configured (downgrade)",
        code: "signature_version",
        input: (s) => s({ ...base(), SignatureVersion: "1" }),
      },
      {
        name: "a Signature with a line break",
        code: "signature_encoding",
        input: (s) => {
          const m = s(base());
          return { ...m, Signature: `${m.Signature!.slice(0, 64)}\n${m.Signature!.slice(64)}` };
        },
      },
      {
        name: "a base64url Signature",
        code: "signature_encoding",
        input: (s) => {
          const m = s(base());
          return { ...m, Signature: m.Signature!.replace(/\+/g, "-").replace(/\//g, "_") + "-_" };
        },
      },
      {
        name: "a Signature with non-zero padding bits",
        code: "signature_encoding",
        input: (s) => ({ ...s(base()), Signature: "QR==" }),
      },
      {
        name: "a TopicArn that is not SNS",
        code: "topic_arn",
        input: (s) => s({ ...base(), TopicArn: "arn:aws:sqs:us-east-1:123456789012:pillar-prod-asg-events" }),
      },
      {
        name: "a topic not on the allow-list",
        code: "topic_not_allowed",
        input: (s) => s({ ...base(), TopicArn: "arn:aws:sns:us-east-1:123456789012:someone-else" }),
      },
      ...[
        ["http", CERT_URL.replace("https:", "http:")],
        ["an S3 bucket host", CERT_URL.replace("sns.us-east-1.amazonaws.com", "sns-certs.s3.amazonaws.com")],
        ["a look-alike host", CERT_URL.replace("amazonaws.com", "amazonaws.com.evil.example")],
        ["a port", CERT_URL.replace("amazonaws.com/", "amazonaws.com:8443/")],
        ["the default port spelled out", CERT_URL.replace("amazonaws.com/", "amazonaws.com:443/")],
        ["userinfo", CERT_URL.replace("https://", "https://attacker@")],
        ["a query", `${CERT_URL}?x=1`],
        ["an empty query", `${CERT_URL}?`],
        ["a fragment", `${CERT_URL}#x`],
        ["a dot segment", CERT_URL.replace(".com/", ".com/x/../")],
        ["an encoded slash", CERT_URL.replace(".com/", ".com/%2F")],
        ["a different file name", CERT_URL.replace("SimpleNotificationService-", "cert-")],
        ["a path after .pem", `${CERT_URL}/x.pem`],
        ["an upper-case host", CERT_URL.replace("sns.us-east-1", "SNS.us-east-1")],
        ["not a URL", "sns.us-east-1.amazonaws.com/SimpleNotificationService-a.pem"],
      ].map(([what, url]): Case => ({
        name: `a SigningCertURL with ${what}`,
        code: "cert_url",
        input: (s) => s({ ...base(), SigningCertURL: url! }),
      })),
      {
        name: "a SigningCertURL in another region than the topic",
        code: "cert_url_region",
        input: (s) => s({ ...base(), SigningCertURL: CERT_URL.replace("us-east-1", "eu-west-1") }),
      },
      {
        name: "a China-partition SigningCertURL for a commercial topic",
        code: "cert_url_region",
        input: (s) =>
          s({ ...base(), SigningCertURL: CERT_URL.replace("amazonaws.com/", "amazonaws.com.cn/") }),
      },
      {
        name: "a SubscribeURL on another host",
        code: "subscribe_url",
        input: (s) => {
          const m = confirmation();
          return s({
            ...m,
            SubscribeURL: m.SubscribeURL!.replace("sns.us-east-1.amazonaws.com", "evil.example"),
          });
        },
      },
      {
        name: "a SubscribeURL in another region",
        code: "subscribe_url",
        input: (s) => {
          const m = confirmation();
          return s({ ...m, SubscribeURL: m.SubscribeURL!.replace("sns.us-east-1", "sns.eu-west-1") });
        },
      },
      {
        name: "a SubscribeURL for another topic",
        code: "subscribe_url",
        input: (s) => {
          const m = confirmation();
          return s({ ...m, SubscribeURL: m.SubscribeURL!.replace("asg-events", "other") });
        },
      },
    ];

    for (const c of cases) {
      it(`${c.name} → ${c.code}`, async () => {
        const { opts, fetchCertificate } = options();
        await rejectsWith(
          verifySnsMessage(
            c.input((m) => signMessage(m, cert.privateKey)),
            opts,
          ),
          c.code,
        );
        assert.equal(fetchCertificate.calls.length, 0, "no certificate may be fetched");
      });
    }

    it("has at least 20 distinct codes and cases", () => {
      assert.ok(cases.length >= 20);
      assert.ok(new Set(cases.map((c) => c.code)).size >= 15);
    });
  });

  describe("rejects bad signatures and certificates after fetching", () => {
    it("a tampered Message", async () => {
      const signed = signMessage(notification(), cert.privateKey);
      const { opts, fetchCertificate } = options();
      await rejectsWith(
        verifySnsMessage({ ...signed, Message: signed.Message!.replace("0598", "0599") }, opts),
        "signature",
      );
      assert.equal(fetchCertificate.calls.length, 1);
    });

    it("a Subject added to a message signed without one", async () => {
      const signed = signMessage(notification(), cert.privateKey);
      await rejectsWith(verifySnsMessage({ ...signed, Subject: "launch" }, options().opts), "signature");
    });

    it("a message signed by another key", async () => {
      const signed = signMessage(notification(), other.privateKey);
      await rejectsWith(verifySnsMessage(signed, options().opts), "signature");
    });

    it("a v2 signature presented as v1 (algorithm confusion)", async () => {
      const signed = signMessage(notification(), cert.privateKey);
      await rejectsWith(
        verifySnsMessage({ ...signed, SignatureVersion: "1" }, options({ signatureVersion: "1" }).opts),
        "signature",
      );
    });

    it("an expired certificate", async () => {
      const expired = makeCertificate({
        keys,
        notBefore: new Date("2025-01-01T00:00:00Z"),
        notAfter: new Date("2026-01-01T00:00:00Z"),
      });
      const signed = signMessage(notification(), cert.privateKey);
      await rejectsWith(
        verifySnsMessage(signed, options({ fetchCertificate: countingFetcher(expired.pem) }).opts),
        "cert_validity",
      );
    });

    it("a certificate not yet valid", async () => {
      const future = makeCertificate({ keys, notBefore: new Date("2026-12-01T00:00:00Z") });
      const signed = signMessage(notification(), cert.privateKey);
      await rejectsWith(
        verifySnsMessage(signed, options({ fetchCertificate: countingFetcher(future.pem) }).opts),
        "cert_validity",
      );
    });

    it("a certificate for another name (CN and SAN)", async () => {
      const wrong = makeCertificate({ keys, cn: "sns.amazonaws.com.evil.example" });
      const signed = signMessage(notification(), cert.privateKey);
      await rejectsWith(
        verifySnsMessage(signed, options({ fetchCertificate: countingFetcher(wrong.pem) }).opts),
        "cert_subject",
      );
    });

    it("a certificate whose CN is right but whose SANs are not", async () => {
      const wrong = makeCertificate({ keys, cn: "sns.amazonaws.com", dns: ["evil.example"] });
      const signed = signMessage(notification(), cert.privateKey);
      await rejectsWith(
        verifySnsMessage(signed, options({ fetchCertificate: countingFetcher(wrong.pem) }).opts),
        "cert_subject",
      );
    });

    it("something that is not a certificate", async () => {
      const signed = signMessage(notification(), cert.privateKey);
      const opts = options({ fetchCertificate: countingFetcher("<html>not found</html>") }).opts;
      await rejectsWith(verifySnsMessage(signed, opts), "cert_invalid");
    });

    it("a fetch that fails", async () => {
      const signed = signMessage(notification(), cert.privateKey);
      const fetchCertificate = async () => {
        throw new Error("ECONNRESET");
      };
      await rejectsWith(verifySnsMessage(signed, options({ fetchCertificate }).opts), "cert_fetch");
    });
  });

  describe("certificate cache", () => {
    it("fetches once for many messages, concurrent and sequential", async () => {
      const { opts, fetchCertificate } = options();
      const messages = [
        "lifecycle-launching",
        "lifecycle-terminating",
        "event-launch",
        "event-terminate",
      ].map((f) => signMessage(loadFixture(f), cert.privateKey));
      await Promise.all(messages.map((m) => verifySnsMessage(m, opts)));
      for (const m of messages) await verifySnsMessage(toLambdaShape(m), opts);
      assert.equal(fetchCertificate.calls.length, 1);
    });

    it("never caches a key from a failed fetch, and fetches that URL again only after 30 s", async () => {
      let n = 0;
      const fetchCertificate = countingFetcher(() => {
        if (n++ === 0) throw new Error("503");
        return cert.pem;
      });
      let now = NOW.getTime();
      const opts = { ...options({ fetchCertificate }).opts, now: () => new Date(now) };
      const signed = signMessage(notification(), cert.privateKey);
      await rejectsWith(verifySnsMessage(signed, opts), "cert_fetch");
      // A burst of messages naming the failed URL costs no further fetch...
      await rejectsWith(verifySnsMessage(signed, opts), "cert_fetch");
      now += FAILED_FETCH_TTL_MS - 1;
      await rejectsWith(verifySnsMessage(signed, opts), "cert_fetch");
      assert.equal(fetchCertificate.calls.length, 1);
      // ...and a passing failure is over soon: messages at once after it share one fetch.
      now += 1;
      await Promise.all([verifySnsMessage(signed, opts), verifySnsMessage(signed, opts)]);
      await verifySnsMessage(signed, opts);
      assert.equal(fetchCertificate.calls.length, 2);
    });

    it("does not cache a bad certificate's key", async () => {
      let n = 0;
      const fetchCertificate = countingFetcher(() => (n++ === 0 ? "garbage" : cert.pem));
      let now = NOW.getTime();
      const opts = { ...options({ fetchCertificate }).opts, now: () => new Date(now) };
      const signed = signMessage(notification(), cert.privateKey);
      await rejectsWith(verifySnsMessage(signed, opts), "cert_invalid");
      await rejectsWith(verifySnsMessage(signed, opts), "cert_invalid");
      now += FAILED_FETCH_TTL_MS;
      await verifySnsMessage(signed, opts);
      assert.equal(fetchCertificate.calls.length, 2);
    });

    it("calls a URL answering 4xx unavailable (permanent), anything else a fetch failure", async () => {
      const answers = [new CertificateHttpError(404), new CertificateHttpError(503), new Error("ETIMEDOUT")];
      const codes = [];
      for (const answer of answers) {
        const fetchCertificate = countingFetcher(() => {
          throw answer;
        });
        const signed = signMessage(notification(), cert.privateKey);
        codes.push(
          await verifySnsMessage(signed, options({ fetchCertificate }).opts).catch(
            (e: SnsVerificationError) => e.code,
          ),
        );
      }
      assert.deepEqual(codes, ["cert_unavailable", "cert_fetch", "cert_fetch"]);
    });

    it("bounds the fetches of unknown certificate URLs with a limiter", async () => {
      const fetchCertificate = countingFetcher(cert.pem);
      const fetchLimiter = new FetchLimiter(2, 60_000, NOW.getTime());
      const opts = options({ fetchCertificate, fetchLimiter }).opts;
      const codes = [];
      for (let i = 0; i < 5; i++) {
        const m = signMessage(
          { ...notification(), SigningCertURL: CERT_URL.replace(".pem", `${i}.pem`) },
          cert.privateKey,
        );
        codes.push(
          await verifySnsMessage(m, opts).then(
            () => "ok",
            (e: SnsVerificationError) => e.code,
          ),
        );
      }
      assert.deepEqual(codes, ["ok", "ok", "cert_rate_limited", "cert_rate_limited", "cert_rate_limited"]);
      assert.equal(fetchCertificate.calls.length, 2);
      // A cached URL needs no fetch, so the limiter never stands in its way.
      const cached = signMessage(
        { ...notification(), SigningCertURL: CERT_URL.replace(".pem", "0.pem") },
        cert.privateKey,
      );
      await verifySnsMessage(cached, opts);
    });

    it("a failed signature does not evict a good key", async () => {
      const { opts, fetchCertificate } = options();
      const signed = signMessage(notification(), cert.privateKey);
      await rejectsWith(verifySnsMessage({ ...signed, Message: "{}" }, opts), "signature");
      await verifySnsMessage(signed, opts);
      assert.equal(fetchCertificate.calls.length, 1);
    });

    it("re-checks the validity window of a cached key", async () => {
      const { opts, fetchCertificate } = options();
      const signed = signMessage(notification(), cert.privateKey);
      await verifySnsMessage(signed, opts);
      await rejectsWith(
        verifySnsMessage(signed, { ...opts, now: () => new Date("2027-06-01T00:00:00Z") }),
        "cert_validity",
      );
      assert.equal(fetchCertificate.calls.length, 1);
    });
  });
});
