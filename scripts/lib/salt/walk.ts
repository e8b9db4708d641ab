/**
 * Walks Salt data against the config schema of the pillar key it lands in (config/schema.ts, the one
 * source of what pillar accepts): what the schema has is carried over and reported with the README's
 * note for it; what it does not have is left out and reported with why.
 */
import { sub } from "../../../config/issues";
import { schemas } from "../../../config/schema";
import { ignoredReason, OptionSource, seedNote } from "./options";
import { asMap } from "./read";

/** What happened to one Salt option. */
export type Action =
  /** carried over as it is */
  | "mapped"
  /** carried over in another form (the note says how) */
  | "rewritten"
  /** not in the Salt files: the importer worked it out (the note says from what) */
  | "derived"
  /** a credential: never written; the report prints the command that stores it as a secret */
  | "credential"
  /** left out (the note says why) */
  | "ignored"
  /** the user must decide: the stack does not plan until they do */
  | "decide";

export interface OptionEntry {
  /** The file the option was read from ("" for what no file says). */
  readonly file: string;
  /** The option as the Salt file writes it: `aws_provider.region`, `aws.security_groups[0].rules[1].cidr_ip`. */
  readonly option: string;
  readonly action: Action;
  /** Where it lands in the stack config, when it does. */
  readonly pillar?: string;
  readonly note: string;
}

type Schema = Record<string, unknown>;

export interface WalkContext {
  readonly file: string;
  readonly source: OptionSource;
  readonly entries: OptionEntry[];
}

/** The schema of one pillar config key (`cloud`, `security_groups` …). */
export function sectionSchema(key: string): Schema {
  const s = (schemas as Readonly<Record<string, unknown>>)[key];
  if (!s) throw new Error(`no config schema for pillar:${key}`);
  return s as Schema;
}

function isStructured(s: Schema | undefined): boolean {
  if (!s) return false;
  const ap = s.additionalProperties;
  return (
    s.properties !== undefined || (ap !== undefined && typeof ap === "object" && isStructured(ap as Schema))
  );
}

/** A path without quoting, for matching the README rows: `a["b-c"]` → `a.b-c`. */
export function plainPath(path: string): string {
  return path.replace(/\["([^"]*)"\]/g, ".$1");
}

/**
 * Walks `value` (at Salt path `salt`, landing at pillar path `pillar`) against `schema`: returns
 * what pillar takes of it, and reports every option on the way.
 */
export function walk(
  value: unknown,
  schema: Schema,
  pillar: string,
  salt: string,
  ctx: WalkContext,
): unknown {
  const map = asMap(value);
  if (map && isStructured(schema)) {
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    const ap = schema.additionalProperties;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(map)) {
      const child = props[k] ?? (ap !== undefined && typeof ap === "object" ? (ap as Schema) : undefined);
      if (child !== undefined) out[k] = walk(v, child, sub(pillar, k), sub(salt, k), ctx);
      else if (ap === true) {
        out[k] = v;
        mapped(sub(pillar, k), sub(salt, k), ctx);
      } else
        ctx.entries.push({
          file: ctx.file,
          option: sub(salt, k),
          action: "ignored",
          note: ignoredReason(ctx.source, k),
        });
    }
    return out;
  }
  const items = schema.items as Schema | undefined;
  if (Array.isArray(value) && isStructured(items)) {
    return value.map((v, i) => walk(v, items!, sub(pillar, i), sub(salt, i), ctx));
  }
  mapped(pillar, salt, ctx);
  return value;
}

function mapped(pillar: string, salt: string, ctx: WalkContext): void {
  ctx.entries.push({
    file: ctx.file,
    option: salt,
    action: "mapped",
    pillar,
    note: seedNote(plainPath(pillar)) ?? "",
  });
}
