/**
 * Reads the files of a Salt master as Salt itself would see them: YAML 1.1 (PyYAML's, which Salt
 * uses: `yes`/`on`/`True` are booleans, `<<` merges) or JSON (`--out=json`). A file Salt would first
 * run through a template renderer (Jinja, Mako, Python, gpg …) is refused with the command that
 * renders it: Salt's renderers, with Salt's own Jinja extensions, pillar and grains, are only
 * faithful in Salt.
 *
 * Sources: Salt renderers (docs.saltproject.io/en/latest/ref/renderers): the default renderer is
 * `jinja|yaml`; a first line `#!<renderer>[|<renderer>]` overrides it. Salt reads its own config files
 * (master, master.d/*.conf, cloud.providers.d/*.conf, cloud.profiles.d/*.conf) as plain YAML
 * (salt/config `_read_conf_file`: `salt.utils.yaml.safe_load`), so template tags in one of those mean
 * the file is the *source* a state renders when it deploys it (the seed's provider file, with
 * `{{ aws:key }}`).
 */
import * as fs from "node:fs";
import * as YAML from "yaml";

/** What a file is, which decides how Salt reads it and which command renders it. */
export type SaltFileKind = "cloud-providers" | "cloud-profiles" | "list-profiles" | "master" | "pillar";

/** One problem with one input file: the file, the key in it (when there is one), and what is wrong. */
export class SaltInputError extends Error {
  override readonly name = "SaltInputError";
  constructor(
    readonly file: string,
    readonly key: string | undefined,
    readonly detail: string,
  ) {
    super(`${file}: ${key !== undefined ? `${key}: ` : ""}${detail}`);
  }
}

/** Every problem found in the inputs, reported together; nothing is written. */
export class SaltImportError extends Error {
  override readonly name = "SaltImportError";
  constructor(readonly problems: readonly SaltInputError[]) {
    super(
      `cannot import the Salt files (${problems.length} ${problems.length === 1 ? "problem" : "problems"}):\n` +
        problems.map((p) => `  ${p.message}`).join("\n"),
    );
  }
}

export interface SaltFile {
  readonly path: string;
  readonly kind: SaltFileKind;
  readonly data: unknown;
}

/** Renderers whose output is data without templating: the file is what Salt sees. */
const DATA_RENDERERS = new Set(["yaml", "yamlex", "json"]);

/** How to get what Salt renders, per kind of file. */
export function renderAdvice(kind: SaltFileKind): string {
  switch (kind) {
    case "pillar":
      return (
        "give the pillar as Salt renders it: `salt-call --local pillar.items --out=json > pillar.json` " +
        "on a minion that gets this pillar, or `salt-run pillar.show_pillar MINION --out=json > pillar.json` " +
        "on the master"
      );
    case "master":
      return (
        "Salt reads its master config as plain YAML, so a state renders this template when it deploys " +
        "the file: import the file as deployed (/etc/salt/master, /etc/salt/master.d/*.conf)"
      );
    case "cloud-providers":
    case "cloud-profiles":
      return (
        "salt-cloud reads this file as plain YAML, so a state renders this template when it deploys the " +
        `file: import the file as deployed (/etc/salt/${kind === "cloud-providers" ? "cloud.providers.d" : "cloud.profiles.d"}/*.conf)`
      );
    case "list-profiles":
      return "give the output of `salt-cloud --list-profiles PROVIDER --out=json`";
  }
}

/** The template renderer a file's first line or content calls for, or undefined for plain data. */
function templating(text: string, kind: SaltFileKind): { what: string; line: number } | undefined {
  const lines = text.split(/\r?\n/);
  // Only pillar SLS honour a renderer line; to YAML (config files) it is a comment.
  const shebang = kind === "pillar" ? /^#!\s*(\S+)/.exec(lines[0] ?? "") : null;
  let pipe = ["jinja", "yaml"];
  if (shebang) {
    pipe = shebang[1]!.toLowerCase().split("|");
    const other = pipe.filter((r) => !DATA_RENDERERS.has(r));
    if (other.length > 0)
      return { what: `the renderer "${shebang[1]}" (line 1: ${lines[0]!.trim()})`, line: 1 };
  }
  // Salt renders pillar SLS with jinja|yaml by default; config files are never rendered, so a tag there
  // means the file is a template source.
  const jinja = kind === "pillar" ? pipe.includes("jinja") : true;
  if (!jinja) return undefined;
  const at = lines.findIndex((l) => /\{\{|\{%|\{#/.test(l));
  if (at < 0) return undefined;
  const snippet = lines[at]!.trim();
  return {
    what: `Jinja (line ${at + 1}: ${snippet.length > 70 ? `${snippet.slice(0, 67)}...` : snippet})`,
    line: at + 1,
  };
}

/** Splits `{...}\n{...}`, which `salt '*' … --out=json` prints (one document per minion). */
function jsonStream(text: string): unknown[] | undefined {
  const docs: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "{" || c === "[") {
      if (depth === 0) start = i;
      depth++;
    } else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) {
        try {
          docs.push(JSON.parse(text.slice(start, i + 1)));
        } catch {
          return undefined;
        }
      }
    } else if (depth === 0 && !/\s/.test(c)) return undefined;
  }
  return depth === 0 && docs.length > 1 ? docs : undefined;
}

/** Parses a Salt file's text (already read) as Salt would, or throws SaltInputError naming the file. */
export function parseSaltText(text: string, file: string, kind: SaltFileKind): unknown {
  const t = templating(text, kind);
  if (t)
    throw new SaltInputError(
      file,
      undefined,
      kind === "pillar"
        ? `Salt renders this file with ${t.what} before it is data; ${renderAdvice(kind)}`
        : `a template, not the file Salt reads: ${t.what}; ${renderAdvice(kind)}`,
    );
  const trimmed = text.trim();
  if (trimmed === "") return {};
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed);
    } catch (err) {
      const stream = jsonStream(trimmed);
      if (stream) {
        const ids = stream.flatMap((d) =>
          d !== null && typeof d === "object" && !Array.isArray(d) ? Object.keys(d) : [],
        );
        throw new SaltInputError(
          file,
          undefined,
          `holds ${stream.length} JSON documents (the output for minions ${ids.map((i) => JSON.stringify(i)).join(", ")}); a stack takes one minion's pillar: ${renderAdvice("pillar")}`,
        );
      }
      // Not JSON after all: a YAML flow mapping is still possible; let YAML say what is wrong.
      if (!trimmed.startsWith("{"))
        throw new SaltInputError(file, undefined, `not valid JSON: ${(err as Error).message}`);
    }
  }
  try {
    return YAML.parse(text, { version: "1.1", merge: true, prettyErrors: true });
  } catch (err) {
    const first = (err as Error).message.split("\n")[0]!.replace(/:$/, "");
    throw new SaltInputError(file, undefined, `not YAML or JSON: ${first}`);
  }
}

/** Reads and parses one input file; throws SaltInputError naming it when it cannot. */
export function readSaltFile(file: string, kind: SaltFileKind): SaltFile {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new SaltInputError(
      file,
      undefined,
      `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  if (text.includes("\u0000"))
    throw new SaltInputError(file, undefined, "not YAML or JSON: the file is binary (it contains NUL bytes)");
  return { path: file, kind, data: parseSaltText(text, file, kind) };
}

/** A plain mapping, or undefined. */
export function asMap(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

/** What a value is, in words, for "expected a map, got …". */
export function kindOf(v: unknown): string {
  if (v === null || v === undefined) return "nothing";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a map";
  return `the ${typeof v} ${JSON.stringify(v)}`;
}
