/**
 * A group's `scheduled_actions`: changes of its sizes, once (`start_time`) or recurring (Unix cron in
 * a time zone), and the checks of the time expressions Auto Scaling takes — the recurrence (five
 * fields), the IANA time zone and the UTC timestamps. Each check returns an error text in words, or
 * undefined when AWS would accept the value. Pure: no Pulumi, no clock.
 */
import { ConfigIssue, sub } from "../../issues";
import { int, Static, str, Type } from "../../schemaKit";
import { uniqueNames, wholeNumber } from "../context";

export const scheduledActionSchema = Type.Object(
  {
    name: str,
    recurrence: Type.Optional(str),
    time_zone: Type.Optional(str),
    start_time: Type.Optional(str),
    end_time: Type.Optional(str),
    min_size: Type.Optional(int),
    max_size: Type.Optional(int),
    desired_capacity: Type.Optional(int),
  },
  { additionalProperties: false },
);
type ScheduledActionInput = Static<typeof scheduledActionSchema>;

/** A scheduled change of the group's sizes, once (`startTime`) or recurring (cron in a time zone). */
export interface ScheduledActionModel {
  readonly name: string;
  readonly recurrence?: string;
  readonly timeZone?: string;
  readonly startTime?: string;
  readonly endTime?: string;
  readonly minSize?: number;
  readonly maxSize?: number;
  readonly desiredCapacity?: number;
  readonly path: string;
}

/** The sizes a group's day-two settings are checked against. */
export interface GroupSizes {
  readonly minSize: number;
  readonly maxSize: number;
}

const ACTION_NAME = /^[A-Za-z0-9._-]{1,255}$/;

export function loadScheduledActions(
  list: readonly ScheduledActionInput[],
  path: string,
  sizes: GroupSizes,
  issues: ConfigIssue[],
): ScheduledActionModel[] {
  const unique = uniqueNames(
    issues,
    (name, first) => `duplicate scheduled action "${name}" (first at ${first})`,
  );
  return list.map((a, i): ScheduledActionModel => {
    const ap = sub(path, i);
    const name = a.name;
    if (!ACTION_NAME.test(name))
      issues.push({
        path: sub(ap, "name"),
        message: `expected a name of letters, digits, ".", "_" and "-" (at most 255), got "${name}"`,
      });
    unique(name, sub(ap, "name"));
    const size = (k: "min_size" | "max_size" | "desired_capacity") =>
      wholeNumber(a[k], sub(ap, k), issues, { min: 0 });
    const minSize = size("min_size");
    const maxSize = size("max_size");
    const desired = size("desired_capacity");
    if (minSize === undefined && maxSize === undefined && desired === undefined)
      issues.push({
        path: ap,
        message: "a scheduled action must set at least one of min_size, max_size or desired_capacity",
      });
    const lo = minSize ?? sizes.minSize;
    const hi = maxSize ?? sizes.maxSize;
    const whose = (own: number | undefined) => (own === undefined ? " (the group's)" : "");
    if (lo > hi)
      issues.push({
        path: sub(ap, minSize !== undefined ? "min_size" : "max_size"),
        message: `min_size ${lo}${whose(minSize)} is greater than max_size ${hi}${whose(maxSize)} when this action runs`,
      });
    else if (desired !== undefined && (desired < lo || desired > hi))
      issues.push({
        path: sub(ap, "desired_capacity"),
        message: `desired_capacity ${desired} is outside min_size ${lo}${whose(minSize)} .. max_size ${hi}${whose(maxSize)} when this action runs`,
      });
    const { recurrence, start_time: startTime, end_time: endTime, time_zone: timeZone } = a;
    if (recurrence === undefined && startTime === undefined)
      issues.push({
        path: ap,
        message: "a scheduled action needs a recurrence (cron, repeating) or a start_time (once)",
      });
    if (recurrence !== undefined) {
      const err = checkRecurrence(recurrence);
      if (err !== undefined) issues.push({ path: sub(ap, "recurrence"), message: err });
    }
    if (timeZone !== undefined) {
      const err =
        recurrence === undefined
          ? "time_zone applies to the recurrence only; start_time and end_time are always UTC"
          : checkTimeZone(timeZone);
      if (err !== undefined) issues.push({ path: sub(ap, "time_zone"), message: err });
    }
    const start = startTime === undefined ? undefined : parseUtcTimestamp(startTime);
    const end = endTime === undefined ? undefined : parseUtcTimestamp(endTime);
    if (typeof start === "string") issues.push({ path: sub(ap, "start_time"), message: start });
    if (typeof end === "string") issues.push({ path: sub(ap, "end_time"), message: end });
    if (endTime !== undefined && recurrence === undefined)
      issues.push({ path: sub(ap, "end_time"), message: "end_time ends a recurrence; this action has none" });
    else if (typeof start === "number" && typeof end === "number" && end <= start)
      issues.push({
        path: sub(ap, "end_time"),
        message: `end_time ${endTime} must be after start_time ${startTime}`,
      });
    return {
      name,
      ...(recurrence !== undefined ? { recurrence } : {}),
      ...(timeZone !== undefined ? { timeZone } : {}),
      ...(startTime !== undefined ? { startTime } : {}),
      ...(endTime !== undefined ? { endTime } : {}),
      ...(minSize !== undefined ? { minSize } : {}),
      ...(maxSize !== undefined ? { maxSize } : {}),
      ...(desired !== undefined ? { desiredCapacity: desired } : {}),
      path: ap,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Time expressions

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Three-letter names that stand for min, min+1, … (months from 1, week days from 0). */
  readonly names?: readonly string[];
  readonly hint: string;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

// Auto Scaling's Recurrence is "Unix cron syntax format ... five fields separated by white spaces:
// [Minute] [Hour] [Day_of_Month] [Month_of_Year] [Day_of_Week]" (API_PutScheduledUpdateGroupAction).
const UNIX_FIELDS: readonly CronField[] = [
  { name: "minute", min: 0, max: 59, hint: "0-59" },
  { name: "hour", min: 0, max: 23, hint: "0-23" },
  { name: "day of month", min: 1, max: 31, hint: "1-31" },
  { name: "month", min: 1, max: 12, names: MONTHS, hint: "1-12 or JAN-DEC" },
  // 7 for Sunday is a Vixie-cron extension; AWS documents none, so only 0-6 is accepted.
  { name: "day of week", min: 0, max: 6, names: DAYS, hint: "0-6 (0 is Sunday) or SUN-SAT" },
];

function value(text: string, f: CronField): number | string {
  if (/^[0-9]+$/.test(text)) {
    const n = Number(text);
    return n < f.min || n > f.max ? `${f.name} ${n} is outside ${f.hint}` : n;
  }
  const i = f.names?.indexOf(text.toUpperCase()) ?? -1;
  if (i >= 0) return f.min + i;
  return `"${text}" is not a ${f.name} (expected ${f.hint})`;
}

/** One comma-separated item of a field: `*`, `*\/n`, `a`, `a-b`, `a-b/n` or `a/n`. */
function checkItem(item: string, f: CronField): string | undefined {
  const [range, step, extra] = item.split("/");
  if (extra !== undefined || range === undefined || range === "")
    return `"${item}" is not a valid ${f.name} entry`;
  if (step !== undefined && !/^[1-9][0-9]*$/.test(step))
    return `the step in "${item}" must be a whole number of at least 1`;
  if (range === "*") return undefined;
  const [from, to, more] = range.split("-");
  if (more !== undefined || from === undefined || from === "" || to === "")
    return `"${item}" is not a valid ${f.name} entry`;
  const a = value(from, f);
  if (typeof a === "string") return a;
  if (to === undefined) return undefined;
  const b = value(to, f);
  if (typeof b === "string") return b;
  if (b < a) return `the ${f.name} range "${range}" runs backwards`;
  return undefined;
}

/**
 * An Auto Scaling recurrence, e.g. `"0 8 * * MON-FRI"`. EventBridge-style expressions (`cron(...)`,
 * a seconds or year field, `?`, `L`, `W`, `#`) are refused with what to write instead.
 */
export function checkRecurrence(expr: string): string | undefined {
  const text = expr.trim();
  const expected =
    'expected Unix cron with five fields "minute hour day-of-month month day-of-week" (e.g. "0 8 * * MON-FRI")';
  if (text.startsWith("cron(") || text.startsWith("rate(") || text.startsWith("@"))
    return `${expected}; "${expr}" is not that form`;
  if (text.length > 255) return "a recurrence is at most 255 characters";
  const fields = text.split(/\s+/);
  if (fields.length !== 5) return `${expected}, got ${fields.length} field(s)`;
  for (const [i, field] of fields.entries()) {
    const f = UNIX_FIELDS[i]!;
    if (/[?#]/.test(field) || /^[0-9]*[LW]$/i.test(field)) {
      return `"${field}" (${f.name}) is EventBridge syntax (? L W #), which Unix cron does not have; use * or a list`;
    }
    for (const item of field.split(",")) {
      const err = checkItem(item, f);
      if (err !== undefined) return err;
    }
  }
  return undefined;
}

/**
 * An IANA time zone name as Auto Scaling takes it (`Etc/UTC`, `Europe/Berlin`, `Etc/GMT+9`). Checked
 * against the tz database this Node.js carries; names are case-sensitive.
 */
export function checkTimeZone(tz: string): string | undefined {
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat("en-US", { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return `"${tz}" is not an IANA time zone name (e.g. "Etc/UTC", "Europe/Berlin", "America/New_York")`;
  }
  if (resolved !== tz && resolved.toLowerCase() === tz.toLowerCase())
    return `time zone names are case-sensitive: write "${resolved}", not "${tz}"`;
  return undefined;
}

/** `YYYY-MM-DDThh:mm:ssZ`, the only form Auto Scaling takes for StartTime and EndTime (UTC). */
export function parseUtcTimestamp(text: string): number | string {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z$/.exec(text);
  const expected = `expected a UTC time as YYYY-MM-DDThh:mm:ssZ (e.g. "2026-12-01T08:00:00Z"), got "${text}"`;
  if (!m) return expected;
  const t = Date.parse(text);
  // Date.parse rolls 2026-02-30 over to March; a real date prints back the same.
  if (Number.isNaN(t) || new Date(t).toISOString().replace(".000Z", "Z") !== text) return expected;
  return t;
}
