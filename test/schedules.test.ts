import * as assert from "node:assert/strict";
import fc from "fast-check";
import { checkRecurrence, checkTimeZone, parseUtcTimestamp } from "../config/sections/autoscale/schedule";
import { checkSnapshotCron } from "../config/sections/profiles";

const FIELDS = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12 },
  { min: 0, max: 6 },
];

/** One valid cron item within [min, max]: *, n, a-b, or either with a step. */
const item = ({ min, max }: { min: number; max: number }) =>
  fc.oneof(
    fc.constant("*"),
    fc.integer({ min, max }).map(String),
    fc
      .tuple(fc.integer({ min, max }), fc.integer({ min, max }))
      .map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
    fc
      .tuple(fc.constantFrom("*", `${min}-${max}`), fc.integer({ min: 1, max: 30 }))
      .map(([r, s]) => `${r}/${s}`),
  );

describe("schedule expressions", () => {
  it("accepts every five-field Unix cron built from valid items", () => {
    fc.assert(
      fc.property(
        fc.tuple(
          ...FIELDS.map((f) => fc.array(item(f), { minLength: 1, maxLength: 3 }).map((l) => l.join(","))),
        ),
        (fields) => checkRecurrence(fields.join(" ")) === undefined,
      ),
    );
  });

  it("refuses any field pushed one past its range, naming that field", () => {
    const names = ["minute", "hour", "day of month", "month", "day of week"];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.boolean(), (i, low) => {
        const f = FIELDS[i]!;
        if (low && f.min === 0) return true; // no negative numbers in cron; "-1" is a malformed range
        const fields = ["0", "0", "1", "1", "0"];
        fields[i] = String(low ? f.min - 1 : f.max + 1);
        const err = checkRecurrence(fields.join(" "));
        return err !== undefined && err.startsWith(`${names[i]} `);
      }),
    );
  });

  it("takes names for months and week days, any case", () => {
    assert.equal(checkRecurrence("30 6 * jan-mar MON,wed,FRI"), undefined);
    assert.equal(checkRecurrence("  0 0 1 1 0 "), undefined);
  });

  it("checks DLM crons, time zones and UTC timestamps", () => {
    assert.equal(checkSnapshotCron("cron(0 3 ? * SUN *)"), undefined);
    assert.equal(checkSnapshotCron("cron(0 3 1 * ? *)"), undefined);
    assert.equal(
      checkSnapshotCron("cron(0 3 * * * *)"),
      'exactly one of day-of-month and day-of-week must be "?", e.g. "cron(0 3 ? * SUN *)" for Sundays at 03:00 UTC',
    );
    assert.equal(
      checkSnapshotCron("cron(0 3 ?)"),
      "the expression inside cron(...) must be 11 to 100 characters on one line, got 5",
    );
    assert.equal(checkTimeZone("Etc/GMT+9"), undefined);
    assert.equal(checkTimeZone("Pacific/Tahiti"), undefined);
    assert.equal(parseUtcTimestamp("2026-12-01T08:00:00Z"), Date.UTC(2026, 11, 1, 8));
    assert.match(
      String(parseUtcTimestamp("2026-12-01 08:00:00")),
      /^expected a UTC time as YYYY-MM-DDThh:mm:ssZ/,
    );
  });
});
