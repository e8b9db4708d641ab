import fc from "fast-check";
import assert from "node:assert/strict";
import type { SnsMessage } from "../../reactor/sns";
import { CONTROL_IN_MESSAGE, bytesToSign, messageHasControl, stringToSign } from "../../reactor/snsBytes";
import { loadFixture, referenceStringToSign, type UnsignedMessage } from "./support/signing";

/** The fixtures as the SnsMessage verifySnsMessage would make of them. */
function asMessage(m: UnsignedMessage): SnsMessage {
  return m as unknown as SnsMessage;
}

// Text with every kind of code unit: ASCII, Latin-1 (C1 controls among them), BMP, astral
// (surrogate pairs) and lone surrogates, which UTF-8 encoders turn into U+FFFD.
const text = (maxLength: number) =>
  fc.string({
    unit: fc.oneof(
      fc.constantFrom("\t", "\n", "\r", "\u0000", "\u0007", "\u001f", "\u007f", "\u0080", "\u009f", "\u00a0"),
      fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
      fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
      fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    ),
    maxLength,
  });

describe("reactor/snsBytes", () => {
  describe("bytesToSign", () => {
    const fixtures = ["event-launch", "lifecycle-launching", "subscription-confirmation"];

    for (const name of fixtures) {
      it(`${name}: the UTF-8 bytes of the reference string to sign`, () => {
        const m = loadFixture(name);
        assert.equal(stringToSign(asMessage(m)), referenceStringToSign(m));
        assert.deepEqual(
          Buffer.from(bytesToSign(asMessage(m))),
          Buffer.from(referenceStringToSign(m), "utf8"),
        );
      });
    }

    it("the same bytes for any Message and Subject, in every message type", () => {
      const base = {
        notification: loadFixture("event-launch"),
        bare: loadFixture("lifecycle-launching"),
        confirmation: loadFixture("subscription-confirmation"),
      };
      fc.assert(
        fc.property(
          fc.constantFrom(...Object.values(base)),
          text(300),
          text(40),
          (fixture, Message, Subject) => {
            const m = { ...fixture, Message, ...(fixture.Subject !== undefined ? { Subject } : {}) };
            assert.deepEqual(
              Buffer.from(bytesToSign(asMessage(m))),
              Buffer.from(referenceStringToSign(m), "utf8"),
            );
          },
        ),
        { numRuns: 500 },
      );
    });

    it("a message too large for the reused buffer, and lone surrogates where the pieces meet", () => {
      const base = loadFixture("event-launch");
      for (const Message of ["é".repeat(20_000), "x".repeat(16 * 1024), "\ud800", "\udc00{}", "{}\ud83d"]) {
        const m = { ...base, Message };
        assert.deepEqual(
          Buffer.from(bytesToSign(asMessage(m))),
          Buffer.from(referenceStringToSign(m), "utf8"),
        );
      }
    });

    it("a view that the next call overwrites: copied, the first result is still the first message's", () => {
      const a = loadFixture("event-launch");
      const b = { ...loadFixture("lifecycle-launching"), Message: "{}" };
      const first = Buffer.from(bytesToSign(asMessage(a)));
      bytesToSign(asMessage(b));
      assert.deepEqual(first, Buffer.from(referenceStringToSign(a), "utf8"));
      assert.deepEqual(Buffer.from(bytesToSign(asMessage(b))), Buffer.from(referenceStringToSign(b), "utf8"));
    });
  });

  describe("messageHasControl", () => {
    it("agrees with CONTROL_IN_MESSAGE on every code unit 0–0xFF at every offset modulo 4", () => {
      for (let c = 0; c <= 0xff; c++) {
        for (let at = 0; at < 8; at++) {
          for (const length of [at + 1, at + 5, 64]) {
            const body = "a".repeat(at) + String.fromCharCode(c) + "b".repeat(Math.max(0, length - at - 1));
            assert.equal(
              messageHasControl(body),
              CONTROL_IN_MESSAGE.test(body),
              `U+${c.toString(16)} at ${at}`,
            );
          }
        }
      }
    });

    it("rejects exactly what the regular expression rejects, for any text", () => {
      fc.assert(
        fc.property(text(200), (body) => {
          assert.equal(messageHasControl(body), CONTROL_IN_MESSAGE.test(body));
        }),
        { numRuns: 2000 },
      );
    });

    it("a Message too large for the scan buffer is still scanned", () => {
      const big = "x".repeat(200_000);
      assert.equal(messageHasControl(big), false);
      assert.equal(messageHasControl(`${big}\u0001`), true);
      assert.equal(messageHasControl(`${big}\u0085`), true);
      assert.equal(messageHasControl(`${big}\n\t\r`), false);
    });
  });
});
