/**
 * Reads a `Pulumi.<stack>.yaml` the way the CLI hands it to a program: object values as JSON
 * strings, `secure:` values (decryptable only with the stack's secrets provider) as redacted
 * secrets, their top-level keys marked secret.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { REDACTED_SECRET } from "./record";

export interface StackFile {
  readonly path: string;
  /** Full keys (`pillar:cloud`, `aws:region`) to the string the program receives. */
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
}

export class StackFileError extends Error {
  override readonly name = "StackFileError";
}

function isSecure(v: unknown): boolean {
  return (
    v !== null &&
    typeof v === "object" &&
    !Array.isArray(v) &&
    Object.keys(v).length === 1 &&
    typeof (v as { secure?: unknown }).secure === "string"
  );
}

/** Replaces nested `secure:` values with the redacted placeholder; reports whether any was found. */
function redact(v: unknown): { value: unknown; secret: boolean } {
  if (isSecure(v)) return { value: REDACTED_SECRET, secret: true };
  if (Array.isArray(v)) {
    const items = v.map(redact);
    return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
  }
  if (v !== null && typeof v === "object") {
    let secret = false;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const r = redact(x);
      out[k] = r.value;
      secret ||= r.secret;
    }
    return { value: out, secret };
  }
  return { value: v, secret: false };
}

export function readStackFile(file: string, project: string): StackFile {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new StackFileError(`cannot read stack file ${file}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = YAML.parse(text, { prettyErrors: true });
  } catch (err) {
    throw new StackFileError(`${file}: not valid YAML: ${(err as Error).message}`);
  }
  if (doc === null || doc === undefined) doc = {};
  if (typeof doc !== "object" || Array.isArray(doc))
    throw new StackFileError(`${file}: expected a map with a "config:" key`);
  const raw = (doc as { config?: unknown }).config ?? {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new StackFileError(`${file}: "config:" must be a map of keys to values`);
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    // Keys without a namespace belong to the project, as the CLI reads them.
    const full = key.includes(":") ? key : `${project}:${key}`;
    const { value: plain, secret } = redact(value);
    config[full] = typeof plain === "string" ? plain : JSON.stringify(plain);
    if (secret) secretKeys.push(full);
  }
  return { path: path.resolve(file), config, secretKeys };
}
