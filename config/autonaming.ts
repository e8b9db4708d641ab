/**
 * Pulumi's autonaming configuration (`pulumi:autonaming`), parsed, resolved and applied exactly as
 * the engine does, so the offline plan names resources the way `pulumi preview` would and the
 * program can name the few resources it must know in advance the same way.
 *
 * Sources (pulumi/pulumi):
 * - pkg/cmd/pulumi/autonaming/json.go, config.go, pattern.go: the config's shape (decoded with
 *   DisallowUnknownFields), its errors, and the stack expressions `${organization}`, `${project}`,
 *   `${stack}`, `${config.<key>}` resolved once at start-up;
 * - pkg/resource/autonaming/strategy.go: default / verbatim / disabled / pattern per resource type
 *   (type → provider → global), `${name}` and the random tokens `${hex(n)}`, `${alphanum(n)}`,
 *   `${string(n)}`, `${num(n)}`, `${uuid}`, and which strategies force delete-before-replace;
 * - pkg/resource/deploy/step_generator.go: the options reach the provider's Check only for custom
 *   resources; pkg/cmd/pulumi/operations/preview.go wraps a config error in "getting autonaming config".
 *
 * The program sees this key too: the engine hands the language host the stack's whole decrypted
 * config (pkg/resource/deploy/source_eval.go), and the nodejs host puts all of it into PULUMI_CONFIG
 * (sdk/nodejs/cmd/pulumi-language-nodejs/main.go, constructConfig) — `pulumi:` keys included.
 *
 * The engine draws random tokens from a seed that is random per run; the offline plan and the program
 * draw them from a hash of the resource's identity, so names are reproducible (the engine keeps a
 * generated name in state, so a real stack's names are just as stable after creation).
 */
import { createHash } from "node:crypto";

export type NamingStrategy =
  | { readonly kind: "default" }
  | { readonly kind: "verbatim" }
  | { readonly kind: "disabled" }
  | { readonly kind: "pattern"; readonly pattern: string; readonly enforce: boolean };

export interface ProviderNaming {
  readonly default: NamingStrategy;
  /** By type token, e.g. `aws:ec2/securityGroup:SecurityGroup`. */
  readonly resources: Readonly<Record<string, NamingStrategy>>;
}

export interface AutonamingModel {
  readonly default: NamingStrategy;
  /** By provider package name, e.g. `aws`. */
  readonly providers: Readonly<Record<string, ProviderNaming>>;
  /** Things the engine accepts silently that a user likely did not mean (a token it does not know). */
  readonly warnings: readonly string[];
}

/** What the engine would send the provider's Check (plugin.AutonamingOptions), or undefined for "default". */
export interface EngineAutonaming {
  readonly mode: "propose" | "enforce" | "disable";
  readonly proposedName?: string;
  /** The engine sets deleteBeforeReplace when the name has no random part (verbatim, disabled, fixed patterns). */
  readonly deleteBeforeReplace: boolean;
}

/** An invalid `pulumi:autonaming`; the message is the CLI's own text. */
export class AutonamingError extends Error {
  override readonly name = "AutonamingError";
}

export interface StackContext {
  readonly organization: string;
  readonly project: string;
  readonly stack: string;
  /**
   * The value of a config key of the project's namespace, looked up by path as `${config.<key>}`
   * needs it; undefined when there is none. A secret the caller cannot decrypt throws.
   */
  readonly configValue: (key: string) => string | undefined;
}

const DEFAULT: NamingStrategy = { kind: "default" };

// --- decoding: Go's encoding/json into the engine's structs, DisallowUnknownFields ---

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function jsonKind(v: Json): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "object") return "object";
  return typeof v === "boolean" ? "bool" : typeof v;
}

interface NamingJson {
  mode?: string;
  pattern?: string;
  enforce?: boolean;
}

function structError(value: Json, struct: string, field: string, goType: string): AutonamingError {
  return new AutonamingError(
    `json: cannot unmarshal ${jsonKind(value)} into Go struct field ${struct}.${field} of type ${goType}`,
  );
}

/**
 * Decodes one struct: Go matches field names case-insensitively, ignores nulls, and (with
 * DisallowUnknownFields) refuses any other key.
 */
function decodeStruct(value: { [k: string]: Json }, fields: readonly string[]): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [key, v] of Object.entries(value)) {
    const field = fields.find((f) => f.toLowerCase() === key.toLowerCase());
    if (field === undefined) throw new AutonamingError(`json: unknown field "${key}"`);
    if (v !== null) out[field] = v;
    else delete out[field];
  }
  return out;
}

function decodeNaming(value: Record<string, Json>, struct: string, path: string): NamingJson {
  const out: NamingJson = {};
  const at = (f: string) => (path === "" ? f : `${path}.${f}`);
  if (value.mode !== undefined) {
    if (typeof value.mode !== "string") throw structError(value.mode, struct, at("mode"), "string");
    out.mode = value.mode;
  }
  if (value.pattern !== undefined) {
    if (typeof value.pattern !== "string") throw structError(value.pattern, struct, at("pattern"), "string");
    out.pattern = value.pattern;
  }
  if (value.enforce !== undefined) {
    if (typeof value.enforce !== "boolean") throw structError(value.enforce, struct, at("enforce"), "bool");
    out.enforce = value.enforce;
  }
  return out;
}

function isObject(v: Json | undefined): v is { [k: string]: Json } {
  return v !== null && v !== undefined && typeof v === "object" && !Array.isArray(v);
}

interface SectionJson {
  naming: NamingJson;
  providers: Record<string, { naming: NamingJson; resources: Record<string, NamingJson> }>;
}

function decodeSection(raw: Json): SectionJson {
  if (!isObject(raw))
    throw new AutonamingError(
      `json: cannot unmarshal ${jsonKind(raw)} into Go value of type autonaming.autonamingSectionJSON`,
    );
  const top = decodeStruct(raw, ["mode", "pattern", "enforce", "providers"]);
  const providers: SectionJson["providers"] = {};
  if (top.providers !== undefined) {
    if (!isObject(top.providers))
      throw structError(
        top.providers,
        "autonamingSectionJSON",
        "providers",
        "map[string]autonaming.providerConfigJSON",
      );
    for (const [name, pv] of Object.entries(top.providers)) {
      const path = `providers.${name}`;
      if (pv === null) {
        providers[name] = { naming: {}, resources: {} };
        continue;
      }
      if (!isObject(pv))
        throw structError(pv, "autonamingSectionJSON", path, "autonaming.providerConfigJSON");
      const p = decodeStruct(pv, ["mode", "pattern", "enforce", "resources"]);
      const resources: Record<string, NamingJson> = {};
      if (p.resources !== undefined) {
        if (!isObject(p.resources))
          throw structError(
            p.resources,
            "providerConfigJSON",
            `${path}.resources`,
            "map[string]autonaming.namingConfigJSON",
          );
        for (const [token, rv] of Object.entries(p.resources)) {
          const rpath = `${path}.resources.${token}`;
          if (rv === null) {
            resources[token] = {};
            continue;
          }
          if (!isObject(rv))
            throw structError(rv, "providerConfigJSON", rpath, "autonaming.namingConfigJSON");
          resources[token] = decodeNaming(
            decodeStruct(rv, ["mode", "pattern", "enforce"]),
            "namingConfigJSON",
            rpath,
          );
        }
      }
      providers[name] = { naming: decodeNaming(p, "providerConfigJSON", path), resources };
    }
  }
  return { naming: decodeNaming(top, "autonamingSectionJSON", ""), providers };
}

// --- resolution (config.go, pattern.go) ---

const CONFIG_EXPRESSION = /\$\{config\.([^}]+)\}/g;

function resolveStackExpressions(pattern: string, ctx: StackContext): string {
  let p = pattern
    .split("${organization}")
    .join(ctx.organization)
    .split("${project}")
    .join(ctx.project)
    .split("${stack}")
    .join(ctx.stack);
  let configError: AutonamingError | undefined;
  p = p.replace(CONFIG_EXPRESSION, (_m, key: string) => {
    const v = ctx.configValue(key);
    if (v === undefined) {
      // The engine keeps the last failure it saw.
      configError = new AutonamingError(`no value found for key "${key}"`);
      return "";
    }
    return v;
  });
  if (configError) throw configError;
  return p;
}

/** `resolveNamingConfig`: the strategy, and whether one was given explicitly. */
function resolveNaming(c: NamingJson, ctx: StackContext): { strategy: NamingStrategy; has: boolean } {
  const hasMode = c.mode !== undefined;
  const hasPattern = c.pattern !== undefined;
  const hasEnforce = c.enforce !== undefined;
  if (hasMode && (hasPattern || hasEnforce))
    throw new AutonamingError("cannot specify both mode and pattern/enforce");
  if (hasPattern) {
    return {
      strategy: {
        kind: "pattern",
        pattern: resolveStackExpressions(c.pattern!, ctx),
        enforce: c.enforce === true,
      },
      has: true,
    };
  }
  if (hasEnforce) throw new AutonamingError("pattern must be specified when enforce is true");
  if (!hasMode) return { strategy: DEFAULT, has: false };
  switch (c.mode) {
    case "default":
      return { strategy: DEFAULT, has: true };
    case "verbatim":
      return { strategy: { kind: "verbatim" }, has: true };
    case "disabled":
      return { strategy: { kind: "disabled" }, has: true };
    default:
      throw new AutonamingError(`invalid naming mode: ${String(c.mode)}`);
  }
}

function wrap(prefix: string, f: () => { strategy: NamingStrategy; has: boolean }) {
  try {
    return f();
  } catch (err) {
    if (err instanceof AutonamingError) throw new AutonamingError(`${prefix}: ${err.message}`);
    throw err;
  }
}

const KNOWN_TOKEN = /\$\{(name|uuid|(hex|alphanum|string|num)\(\d+\))\}/g;

function unknownTokens(s: NamingStrategy): string[] {
  if (s.kind !== "pattern") return [];
  return [...s.pattern.replace(KNOWN_TOKEN, "").matchAll(/\$\{[^}]*\}/g)].map((m) => m[0]);
}

/**
 * Parses the value of `pulumi:autonaming` (as the program receives it: a JSON string for an object,
 * or a plain string) the way `ParseAutonamingConfig` does. Returns undefined when the key is not set.
 * Throws AutonamingError with the CLI's message ("getting autonaming config: …").
 */
export function parseAutonaming(raw: string | undefined, ctx: StackContext): AutonamingModel | undefined {
  if (raw === undefined) return undefined;
  let value: Json;
  try {
    value = JSON.parse(raw) as Json;
  } catch {
    value = raw;
  }
  try {
    let section: SectionJson;
    try {
      section = decodeSection(value);
    } catch (err) {
      if (err instanceof AutonamingError)
        throw new AutonamingError(
          `failed to parse autonaming config: invalid autonaming config structure: ${err.message}`,
        );
      throw err;
    }
    const root = wrap("failed to resolve root naming config", () => resolveNaming(section.naming, ctx));
    const providers: Record<string, ProviderNaming> = {};
    // Go iterates maps in random order; sorting makes the first error reported a stable one.
    for (const name of Object.keys(section.providers).sort()) {
      const p = section.providers[name]!;
      const own = wrap(`failed to resolve naming config for provider "${name}"`, () =>
        resolveNaming(p.naming, ctx),
      );
      const resources: Record<string, NamingStrategy> = {};
      for (const token of Object.keys(p.resources).sort()) {
        const r = wrap(`failed to resolve naming config for resource "${token}"`, () =>
          resolveNaming(p.resources[token]!, ctx),
        );
        if (!r.has) throw new AutonamingError(`mode or pattern must be specified for resource "${token}"`);
        resources[token] = r.strategy;
      }
      providers[name] = { default: own.has ? own.strategy : root.strategy, resources };
    }
    const warnings: string[] = [];
    const note = (where: string, s: NamingStrategy) => {
      for (const t of unknownTokens(s))
        warnings.push(
          `${where} pattern "${(s as { pattern: string }).pattern}": ${t} is not an autonaming token; the engine leaves it in the name as written`,
        );
    };
    note("pulumi:autonaming", root.strategy);
    for (const [name, p] of Object.entries(providers)) {
      if (p.default !== root.strategy) note(`pulumi:autonaming.providers.${name}`, p.default);
      for (const [token, s] of Object.entries(p.resources))
        note(`pulumi:autonaming.providers.${name}.resources["${token}"]`, s);
    }
    return { default: root.strategy, providers, warnings };
  } catch (err) {
    if (err instanceof AutonamingError)
      throw new AutonamingError(`getting autonaming config: ${err.message}`);
    throw err;
  }
}

/** The strategy for a resource type (strategy.go, pluginOptionsForResourceType). */
export function strategyFor(model: AutonamingModel | undefined, type: string): NamingStrategy {
  if (!model) return DEFAULT;
  const pkg = type.split(":")[0] ?? "";
  const p = model.providers[pkg];
  if (p) return p.resources[type] ?? p.default;
  return model.default;
}

// --- name generation (strategy.go generateName) ---

/** Deterministic stand-in for the engine's seeded frand: a SHA-256 counter stream over the seed. */
export class SeededRandom {
  private buffer = Buffer.alloc(0);
  private counter = 0;
  constructor(private readonly seed: string) {}

  bytes(n: number): Buffer {
    while (this.buffer.length < n) {
      const block = createHash("sha256").update(`${this.seed}\u0000${this.counter++}`).digest();
      this.buffer = Buffer.concat([this.buffer, block]);
    }
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return Buffer.from(out);
  }

  /** Uniform in [0, n). */
  intn(n: number): number {
    const limit = Math.floor(0x100000000 / n) * n;
    for (;;) {
      const v = this.bytes(4).readUInt32BE(0);
      if (v < limit) return v % n;
    }
  }
}

const RANDOM_TOKENS: readonly [RegExp, (n: number, r: SeededRandom) => string][] = [
  [
    /\$\{hex\((\d+)\)\}/g,
    (n, r) =>
      r
        .bytes(Math.floor(n / 2) + 1)
        .toString("hex")
        .slice(0, n),
  ],
  [/\$\{alphanum\((\d+)\)\}/g, (n, r) => pick("abcdefghijklmnopqrstuvwxyz0123456789", n, r)],
  [/\$\{string\((\d+)\)\}/g, (n, r) => pick("abcdefghijklmnopqrstuvwxyz", n, r)],
  [/\$\{num\((\d+)\)\}/g, (n, r) => pick("0123456789", n, r)],
];

function pick(chars: string, n: number, r: SeededRandom): string {
  let s = "";
  for (let i = 0; i < n; i++) s += chars[r.intn(chars.length)];
  return s;
}

function uuidFrom(bytes: Buffer): string {
  const b = Buffer.from(bytes);
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** `${name}` and the random tokens of a pattern whose stack expressions are already resolved. */
export function generateName(
  pattern: string,
  logicalName: string,
  seed: string,
): { name: string; hasRandom: boolean } {
  let result = pattern.split("${name}").join(logicalName);
  const random = new SeededRandom(seed);
  let hasRandom = false;
  for (const [re, gen] of RANDOM_TOKENS) {
    const next = result.replace(re, (_m, n: string) => gen(Number(n), random));
    hasRandom ||= next !== result;
    result = next;
  }
  if (result.includes("${uuid}")) {
    result = result.split("${uuid}").join(uuidFrom(random.bytes(16)));
    hasRandom = true;
  }
  return { name: result, hasRandom };
}

/**
 * What the engine sends the provider for one custom resource (Global.AutonamingForResource), or
 * undefined when the strategy is "default" (the provider's own auto-naming applies).
 */
export function engineAutonaming(
  model: AutonamingModel | undefined,
  type: string,
  logicalName: string,
  seed: string,
): EngineAutonaming | undefined {
  const s = strategyFor(model, type);
  switch (s.kind) {
    case "default":
      return undefined;
    case "verbatim":
      return { mode: "enforce", proposedName: logicalName, deleteBeforeReplace: true };
    case "disabled":
      return { mode: "disable", deleteBeforeReplace: true };
    case "pattern": {
      const g = generateName(s.pattern, logicalName, seed);
      return {
        mode: s.enforce ? "enforce" : "propose",
        proposedName: g.name,
        deleteBeforeReplace: !g.hasRandom,
      };
    }
  }
}

/**
 * A name the program sets explicitly because it must know it before the resource exists (the ASG
 * whose name the reactor's IAM policy scopes to, the function whose log group exists first). It
 * follows the user's strategy for that type: verbatim → the logical name, a pattern → the pattern
 * (random parts derived from `seed`, so stable across runs), default or disabled → `fallback`
 * (disabled asks for explicit names, which this is).
 */
export function explicitName(
  model: AutonamingModel | undefined,
  type: string,
  logicalName: string,
  fallback: string,
  seed: string,
): string {
  const s = strategyFor(model, type);
  if (s.kind === "verbatim") return logicalName;
  if (s.kind === "pattern") return generateName(s.pattern, logicalName, seed).name;
  return fallback;
}
