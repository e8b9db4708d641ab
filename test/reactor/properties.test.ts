/** Property-based checks (fast-check) where the input space is too large for tables. */
import fc from "fast-check";
import assert from "node:assert/strict";
import { SnsVerificationError, verifySnsMessage } from "../../reactor/sns";
import { Inventory, STATE_RANK, type InstanceState } from "../../reactor/inventory";
import { startDynalite, type LocalDynamo } from "./support/dynalite";
import {
  TOPIC_ARN,
  countingFetcher,
  generateKeys,
  loadFixture,
  makeCertificate,
  signMessage,
  type TestCertificate,
} from "./support/signing";

const SIGNED_FIELDS = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"] as const;

describe("reactor properties", () => {
  let cert: TestCertificate;
  before(() => {
    cert = makeCertificate({ keys: generateKeys() });
  });
  const options = (fetchCertificate = countingFetcher("")) => ({
    allowedTopicArns: [TOPIC_ARN],
    signatureVersion: "2" as const,
    fetchCertificate,
    now: () => new Date("2026-11-25T17:05:00Z"),
  });

  it("rejects arbitrary JSON with an SnsVerificationError, fetching nothing", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const fetchCertificate = countingFetcher(cert.pem);
        await assert.rejects(verifySnsMessage(value, options(fetchCertificate)), SnsVerificationError);
        assert.equal(fetchCertificate.calls.length, 0);
      }),
      { numRuns: 300 },
    );
  });

  it("rejects a signed message with any field replaced by an arbitrary value, fetching nothing when the check is structural", async () => {
    const signed = signMessage(loadFixture("event-launch"), cert.privateKey);
    const keys = Object.keys(signed);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...keys), fc.jsonValue(), async (key, value) => {
        fc.pre(value !== signed[key]);
        const fetchCertificate = countingFetcher(cert.pem);
        const forged = { ...signed, [key]: value };
        // Replacing UnsubscribeURL (unsigned) with another string is the one harmless change.
        if (key === "UnsubscribeURL" && typeof value === "string") {
          await verifySnsMessage(forged, options(fetchCertificate));
          return;
        }
        await assert.rejects(verifySnsMessage(forged, options(fetchCertificate)), SnsVerificationError);
      }),
      { numRuns: 300 },
    );
  });

  it("detects any change to a signed field, however small", async () => {
    const signed = signMessage(loadFixture("event-launch"), cert.privateKey);
    const fetchCertificate = countingFetcher(cert.pem);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SIGNED_FIELDS),
        fc.nat(),
        fc.string({ minLength: 1, maxLength: 3 }),
        async (field, at, insert) => {
          const value = signed[field]!;
          const i = at % (value.length + 1);
          const changed = value.slice(0, i) + insert + value.slice(i);
          await assert.rejects(
            verifySnsMessage({ ...signed, [field]: changed }, options(fetchCertificate)),
            (e) => {
              assert.ok(e instanceof SnsVerificationError);
              return true;
            },
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  describe("inventory state under any delivery order (dynalite)", () => {
    let db: LocalDynamo;
    let table = 0;
    before(async () => {
      db = await startDynalite();
    });
    after(async () => {
      await db.close();
    });

    it("ends at the highest-ranked state delivered, ignores duplicates, never moves sideways", async () => {
      const states: InstanceState[] = ["pending", "bootstrapping", "in_service", "failed", "terminated"];
      const step = fc.record({ state: fc.constantFrom(...states), message: fc.integer({ min: 0, max: 5 }) });
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
          const tableName = `prop-${++table}`;
          await db.createTable(tableName);
          const inventory = new Inventory(db.client, {
            tableName,
            tombstoneTtlDays: 1,
            now: () => new Date("2026-11-25T17:00:00Z"),
          });
          const facts = {
            instanceId: "i-0123456789abcdef0",
            group: "web",
            asgName: "asg",
            profile: "web",
            roles: [],
          };
          // A message id always carries the same state, as a real redelivery does.
          const stateOf = new Map<number, InstanceState>();
          let model: InstanceState | undefined;
          // Only an applied message is remembered; a stale one redelivered is simply stale again.
          const applied = new Set<number>();
          for (const s of steps) {
            const state = stateOf.get(s.message) ?? s.state;
            stateOf.set(s.message, state);
            const messageId = `00000000-0000-4000-8000-00000000000${s.message}`;
            const result = await inventory.transition(facts, { state, messageId, event: "prop" });
            const expected =
              model === undefined
                ? "applied"
                : applied.has(s.message)
                  ? "duplicate"
                  : STATE_RANK[model] < STATE_RANK[state] || model === state
                    ? "applied"
                    : "stale";
            assert.equal(result, expected);
            if (expected === "applied") {
              model = state;
              applied.add(s.message);
            }
          }
          assert.equal((await inventory.get(facts.instanceId))?.state, model);
        }),
        { numRuns: 40 },
      );
    });
  });
});
