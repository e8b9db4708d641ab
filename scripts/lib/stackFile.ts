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
  /** Every `secure:` leaf as a path below its key (`pillar:cloud.aws_provider.id`), which the CLI does not keep. */
  readonly secretPaths: string[];
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

/** Replaces nested `secure:` values with the redacted placeholder, collecting the paths of the secrets. */
function redact(v: unknown, path: string, paths: string[]): unknown {
  if (isSecure(v)) {
    paths.push(path);
    return REDACTED_SECRET;
  }
  if (Array.isArray(v)) return v.map((x, i) => redact(x, `${path}[${i}]`, paths));
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redact(x, `${path}.${k}`, paths)]));
  }
  return v;
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
  const secretPaths: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    // Keys without a namespace belong to the project, as the CLI reads them.
    const full = key.includes(":") ? key : `${project}:${key}`;
    const found: string[] = [];
    const plain = redact(value, full, found);
    config[full] = typeof plain === "string" ? plain : JSON.stringify(plain);
    if (found.length > 0) secretKeys.push(full);
    secretPaths.push(...found);
  }
  return { path: path.resolve(file), config, secretKeys, secretPaths };
}

/**
 * The `config:` block of a project file (Pulumi.yaml): defaults every stack inherits, such as
 * `pulumi:autonaming`. A key of another namespace takes its value directly or as `{ value: … }`;
 * a project key declares `{ type, default, … }`, of which only the default is a value.
 */
export function readProjectConfig(file: string, project: string): Record<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return {};
  }
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (err) {
    throw new StackFileError(`${file}: not valid YAML: ${(err as Error).message}`);
  }
  const raw = (doc as { config?: unknown } | null)?.config;
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== "object" || Array.isArray(raw))
    throw new StackFileError(`${file}: "config:" must be a map of keys to values`);
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(raw)) {
    const full = key.includes(":") ? key : `${project}:${key}`;
    const o =
      v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    const value = o && "value" in o ? o.value : o && ("default" in o || "type" in o) ? o.default : v;
    if (value === undefined) continue;
    out[full] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return out;
}
