/**
 * Shape validation with ajv (JSON Schema 2020-12, all errors), reported with the path as the user
 * wrote it and what was expected.
 */
import Ajv2020, { ErrorObject, ValidateFunction } from "ajv/dist/2020";
import { ConfigIssue, quoteList, sub } from "./issues";
import { schemas } from "./schema";

let compiled: Map<string, ValidateFunction> | undefined;

function validators(): Map<string, ValidateFunction> {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    compiled = new Map(Object.entries(schemas).map(([k, s]) => [k, ajv.compile(s)]));
  }
  return compiled;
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

function describe(e: ErrorObject): { at?: string; message: string } {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "type":
      return { message: `expected ${String(p.type).split(",").join(" or ")}` };
    case "required":
      return { message: `missing required key "${String(p.missingProperty)}"` };
    case "additionalProperties": {
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return {
        at: String(p.additionalProperty),
        message: `unknown key "${String(p.additionalProperty)}"; expected one of ${quoteList(allowed)}`,
      };
    }
    case "enum":
      return {
        message: `expected one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
      };
    case "const":
      return { message: `expected ${JSON.stringify(p.allowedValue)}` };
    case "pattern":
      return { message: `expected a value matching ${String(p.pattern)}` };
    case "minimum":
      return { message: `expected a number >= ${String(p.limit)}` };
    case "maximum":
      return { message: `expected a number <= ${String(p.limit)}` };
    case "minItems":
      return { message: `expected at least ${String(p.limit)} item(s)` };
    case "minLength":
      return { message: "expected a non-empty string" };
    case "maxLength":
      return { message: `expected at most ${String(p.limit)} characters` };
    case "minProperties":
      return {
        message: p.limit === 1 ? "expected a map with one key" : `expected at least ${String(p.limit)} keys`,
      };
    case "maxProperties":
      return { message: `expected a map with exactly one key (the seed's list of one-key maps)` };
    default:
      return { message: e.message ?? e.keyword };
  }
}

/** Shape-checks one config key; returns its issues (empty when the value fits the schema). */
export function validateShape(key: string, value: unknown): ConfigIssue[] {
  const validate = validators().get(key);
  if (!validate) return [];
  if (validate(value)) return [];
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  for (const e of validate.errors ?? []) {
    // A string-or-number field reports both a pattern miss and nothing else; a type miss on a union is one error.
    if (e.keyword === "pattern" && typeof e.data === "number") continue;
    const { at, message } = describe(e);
    const path = at === undefined ? userPath(key, e.instancePath) : sub(userPath(key, e.instancePath), at);
    const line = `${path}\u0000${message}`;
    if (seen.has(line)) continue;
    seen.add(line);
    issues.push({ path, message });
  }
  return issues;
}
