/**
 * Checks for the time expressions pillar passes to AWS: an Auto Scaling recurrence (Unix cron, five
 * fields), an IANA time zone, a Data Lifecycle Manager cron (EventBridge style, six fields) and the
 * UTC timestamps of scheduled actions. Each returns an error text in words, or undefined when AWS
 * would accept the value. Pure: no Pulumi, no clock.
 */

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

/**
 * A Data Lifecycle Manager cron: `cron(minutes hours day-of-month month day-of-week year)`, with `?`
 * in exactly one of the two day fields (EventBridge rules), 11 to 100 characters inside the
 * parentheses (terraform-provider-aws dlm validator `^cron\([^\n]{11,100}\)$`).
 */
export function checkSnapshotCron(expr: string): string | undefined {
  const m = /^cron\((.*)\)$/.exec(expr);
  const example = 'e.g. "cron(0 3 ? * SUN *)" for Sundays at 03:00 UTC';
  if (!m)
    return `expected an EventBridge cron expression "cron(minutes hours day-of-month month day-of-week year)", ${example}`;
  const inner = m[1]!;
  if (inner.length < 11 || inner.length > 100 || inner.includes("\n"))
    return `the expression inside cron(...) must be 11 to 100 characters on one line, got ${inner.length}`;
  const fields = inner.trim().split(/\s+/);
  if (fields.length !== 6)
    return `expected six fields inside cron(...) (minutes hours day-of-month month day-of-week year), got ${fields.length}; ${example}`;
  if ((fields[2] === "?") === (fields[4] === "?"))
    return `exactly one of day-of-month and day-of-week must be "?", ${example}`;
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

/** A DLM start time of day, `HH:MM` in UTC (terraform-provider-aws `^(0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]$`). */
export function checkTimeOfDay(text: string): string | undefined {
  return /^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(text)
    ? undefined
    : `expected a UTC time of day as HH:MM from 00:00 to 23:59 (e.g. "03:00"), got "${text}"`;
}
