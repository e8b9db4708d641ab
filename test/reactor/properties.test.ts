/** Property-based checks (fast-check) where the input space is too large for tables. */
import fc from "fast-check";
import assert from "node:assert/strict";
import { SnsVerificationError, verifySnsMessage } from "../../reactor/sns";
import { Inventory } from "../../reactor/inventory";
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

    it("never resurrects a tombstone, never applies a message or claims an action twice", async () => {
      const op = fc.oneof(
        fc.record({
          kind: fc.constantFrom("launch", "launch_error", "terminate"),
          key: fc.integer({ min: 0, max: 3 }),
        }),
        fc.record({
          kind: fc.constant("hook"),
          key: fc.integer({ min: 0, max: 3 }),
          fromPool: fc.boolean(),
          finish: fc.constantFrom("in_service", "warmed", "failed", "lapsed"),
        }),
        fc.record({ kind: fc.constant("to_pool"), key: fc.integer({ min: 0, max: 3 }) }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 10 }), async (ops) => {
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
          const id = (k: number) => `00000000-0000-4000-8000-00000000000${k}`;
          const token = (k: number) => `7b0c2f1e-0d3a-4c5b-8e6f-00000000000${k}`;
          let tombstoned = false;
          const applied = new Set<string>();
          const claimed = new Set<string>();
          for (const o of ops) {
            if (o.kind === "hook") {
              const t = token(o.key);
              const claim = await inventory.claimLaunch(
                facts,
                {
                  token: t,
                  hookName: "h",
                  messageId: id(o.key),
                  origin: o.fromPool ? "WarmPool" : "EC2",
                  destination: "AutoScalingGroup",
                  time: Date.parse("2026-11-25T16:00:00Z") + o.key,
                },
                "owner",
                Date.parse("2026-11-25T17:01:00Z"),
              );
              if (claim.kind === "claimed") {
                assert.ok(!claimed.has(t), `action ${t} claimed twice`);
                claimed.add(t);
                await inventory.finishLaunch(facts.instanceId, t, "owner", {
                  state: o.finish,
                  event: "prop",
                  entry: { event: "prop" },
                });
              }
              if (tombstoned) assert.equal(claim.kind, "tombstoned");
            } else if (o.kind === "to_pool") {
              await inventory.returnToPool(
                facts,
                token(o.key),
                id(o.key),
                Date.parse("2026-11-25T16:30:00Z"),
                {
                  event: "prop",
                },
              );
            } else {
              const mid = `${o.kind}-${o.key}`;
              const r =
                o.kind === "terminate"
                  ? await inventory.tombstone(facts, mid, id(o.key), "prop")
                  : o.kind === "launch"
                    ? await inventory.notify(facts, mid, "prop", "pending", [], true)
                    : await inventory.notify(
                        facts,
                        mid,
                        "prop",
                        "failed",
                        ["pending", "lapsed", "launching"],
                        true,
                      );
              if (r === "applied") {
                assert.ok(!applied.has(mid), `${mid} applied twice`);
                applied.add(mid);
              }
              if (o.kind === "terminate") tombstoned = true;
            }
            const state = (await inventory.get(facts.instanceId))?.state;
            if (tombstoned) assert.equal(state, "terminated");
          }
        }),
        { numRuns: 40 },
      );
    });
  });
});
