/**
 * Shape validation with ajv (JSON Schema 2020-12, all errors), reported with the path as the user
 * wrote it and what was expected, in words: each constrained schema node carries a `description`
 * (schema.ts), so no message shows a regular expression. Numeric strings (YAML and
 * `pulumi config set` give them) are turned into numbers first, so ranges apply to them too.
 *
 * The validators are ajv's standalone code for every form of `shapeForms`, generated once by
 * scripts/genValidators.ts (`npm run gen:validators`) into validators.generated.js: the same code
 * ajv would compile here on every run, without the compile (issue 14).
 */
import type { ErrorObject, ValidateFunction } from "ajv";
import { ConfigIssue, nearest, quoteList, sub } from "./issues";
import { configKeys, listForms, schemas, shapeForms, type ConfigKey, type SectionInputs } from "./schema";
// The generated module is CommonJS (`exports["ec2.autoscale"] = …`): TypeScript's import for `export =`.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import generated = require("./validators.generated");

type Schema = Readonly<Record<string, unknown>>;

const NUMERIC = /^-?[0-9]+(\.[0-9]+)?$/;

/**
 * A copy of `data` with numeric strings turned into numbers wherever the schema takes a number or a
 * string (the shapes for values YAML may quote), so `count: "0"` meets `minimum: 1` like `count: 0`.
 */
export function coerceNumbers(schema: Schema | undefined, data: unknown): unknown {
  if (schema === undefined) return data;
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type];
  if (
    typeof data === "string" &&
    types.includes("string") &&
    (types.includes("integer") || types.includes("number")) &&
    NUMERIC.test(data.trim())
  ) {
    const n = Number(data.trim());
    return types.includes("integer") && !Number.isInteger(n) ? data : n;
  }
  if (Array.isArray(data)) {
    const items = schema.items as Schema | undefined;
    return items ? data.map((d) => coerceNumbers(items, d)) : data;
  }
  if (data !== null && typeof data === "object") {
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    const extra =
      typeof schema.additionalProperties === "object" ? (schema.additionalProperties as Schema) : undefined;
    return Object.fromEntries(
      Object.entries(data as Record<string, unknown>).map(([k, v]) => [
        k,
        coerceNumbers(props[k] ?? extra, v),
      ]),
    );
  }
  return data;
}

/** `/security_groups/1/rules/0/cidr_ip` under key `security_groups` → `pillar:security_groups[1].rules[0].cidr_ip`. */
function userPath(key: string, instancePath: string): string {
  let path = `pillar:${key}`;
  for (const seg of instancePath.split("/").slice(1)) {
    const part = seg.replace(/~1/g, "/").replace(/~0/g, "~");
    path = /^[0-9]+$/.test(part) ? sub(path, Number(part)) : sub(path, part);
  }
  return path;
}

const shown = (v: unknown): string => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
};

function describe(e: ErrorObject): { at?: string; message: string } {
  const p = e.params as Record<string, unknown>;
  const words = (e.parentSchema as { description?: unknown } | undefined)?.description;
  const expected = (fallback: string) =>
    typeof words === "string" ? `expected ${words}, got ${shown(e.data)}` : fallback;
  switch (e.keyword) {
    case "type":
      return {
        message: expected(`expected ${String(p.type).split(",").join(" or ")}, got ${shown(e.data)}`),
      };
    case "required":
      return { message: `missing required key "${String(p.missingProperty)}"` };
    case "additionalProperties": {
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const key = String(p.additionalProperty);
      const guess = nearest(key, allowed);
      return {
        at: key,
        message: `unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : ""}; expected one of ${quoteList(allowed)}`,
      };
    }
    case "enum":
      return {
        message:
          typeof words === "string"
            ? expected("")
            : `expected one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}, got ${shown(e.data)}`,
      };
    case "const":
      return { message: `expected ${JSON.stringify(p.allowedValue)}, got ${shown(e.data)}` };
    case "pattern":
    case "minimum":
    case "maximum":
    case "maxLength":
      return {
        message: expected(
          e.keyword === "maxLength"
            ? `expected at most ${String(p.limit)} characters, got ${shown(e.data)}`
            : `expected a different value, got ${shown(e.data)}`,
        ),
      };
    case "minItems":
      return { message: `expected at least ${String(p.limit)} item(s), got ${shown(e.data)}` };
    case "maxItems":
      return { message: `expected at most ${String(p.limit)} item(s), got ${(e.data as unknown[]).length}` };
    case "minLength":
      return { message: `expected a non-empty string, got ${shown(e.data)}` };
    case "minProperties":
      return {
        message: `${p.limit === 1 ? "expected a map with one key" : `expected at least ${String(p.limit)} keys`}, got ${shown(e.data)}`,
      };
    case "maxProperties":
      return {
        message: `expected a map with exactly one key (the seed's list of one-key maps), got ${shown(e.data)}`,
      };
    default:
      return { message: `${e.message ?? e.keyword}, got ${shown(e.data)}` };
  }
}

/**
 * Shapes first, every key, every error: a key pillar does not read, and each key's value against its
 * schema (numeric strings made numbers first). Returns the values whose shapes passed, typed, and
 * whether a key can be trusted — its shape passed, or it is absent — so a section whose shape failed
 * is left out and the references into it go unchecked (they would only repeat its errors).
 */
export function checkShapes(
  values: Readonly<Record<string, unknown>>,
  issues: ConfigIssue[],
): { values: SectionInputs; trusted: (key: ConfigKey) => boolean } {
  for (const key of Object.keys(values)) {
    if (!(configKeys as string[]).includes(key)) {
      const guess = nearest(key, configKeys);
      issues.push({
        path: `pillar:${key}`,
        message: `unknown config key${guess ? ` (did you mean "pillar:${guess}"?)` : ""}; expected one of ${quoteList(configKeys.map((k) => `pillar:${k}`))}`,
      });
    }
  }
  const valid: Record<string, unknown> = {};
  for (const key of configKeys) {
    if (values[key] === undefined) continue;
    const listProp = listForms[key];
    if (listProp !== undefined && Array.isArray(values[key])) {
      // The seed's bare list: checked as the list it is (paths as written), held under its key.
      const coerced = coerceNumbers(shapeForms.get(`${key}[]`), values[key]);
      const shape = validateShape(key, coerced, `${key}[]`);
      issues.push(...shape);
      if (shape.length === 0) valid[key] = { [listProp]: coerced };
      continue;
    }
    const coerced = coerceNumbers(schemas[key], values[key]);
    const shape = validateShape(key, coerced);
    issues.push(...shape);
    if (shape.length === 0) valid[key] = coerced;
  }
  return {
    values: valid as SectionInputs,
    trusted: (key) => key in valid || values[key] === undefined,
  };
}

/**
 * Shape-checks one config key (already coerced with coerceNumbers); returns its issues. `form` is
 * `<key>[]` for a key written in its list form (listForms).
 */
export function validateShape(key: string, value: unknown, form = key): ConfigIssue[] {
  const validate = (generated as Readonly<Record<string, ValidateFunction | undefined>>)[form];
  return validate ? issuesOf(key, validate, value) : [];
}

/**
 * The issues `validate` (the validator of one of `key`'s forms) finds in `value`, in words. Exported
 * for the test that compares the generated validators with ajv compiling the schemas at run time.
 */
export function issuesOf(key: string, validate: ValidateFunction, value: unknown): ConfigIssue[] {
  if (validate(value)) return [];
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  const errors = validate.errors ?? [];
  // A node with words reports once, whichever of its keywords failed (a type miss and a pattern miss
  // say the same thing to the user).
  const worded = new Set<string>();
  for (const e of errors) {
    // A string-or-number field reports both a pattern miss and nothing else; a type miss on a union is one error.
    if (e.keyword === "pattern" && typeof e.data === "number") continue;
    const { at, message } = describe(e);
    const path = at === undefined ? userPath(key, e.instancePath) : sub(userPath(key, e.instancePath), at);
    const hasWords =
      typeof (e.parentSchema as { description?: unknown } | undefined)?.description === "string";
    if (hasWords && at === undefined && !["enum", "maxItems", "minItems"].includes(e.keyword)) {
      if (worded.has(path)) continue;
      worded.add(path);
    }
    const line = `${path}\u0000${message}`;
    if (seen.has(line)) continue;
    seen.add(line);
    issues.push({ path, message });
  }
  return issues;
}

/** Every schema node that constrains a value (pattern, range, length) but says nothing in words. */
export function schemaNodesWithoutWords(): string[] {
  const out: string[] = [];
  const walk = (s: unknown, where: string): void => {
    if (s === null || typeof s !== "object") return;
    const node = s as Record<string, unknown>;
    const constrains = ["pattern", "minimum", "maximum"].some((k) => k in node);
    if (constrains && typeof node.description !== "string") out.push(where);
    for (const [k, v] of Object.entries(node)) {
      if (k === "properties" && v && typeof v === "object")
        for (const [pk, pv] of Object.entries(v)) walk(pv, `${where}.${pk}`);
      else if (k === "items" || k === "additionalProperties") walk(v, `${where}[${k}]`);
    }
  };
  for (const [k, s] of Object.entries(schemas)) walk(s, k);
  return out;
}
