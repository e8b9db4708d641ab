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
import { decodeSection, type Json, type NamingJson, type SectionJson } from "./decode";
import { ConfigIssue } from "../issues";
import {
  AutonamingError,
  DEFAULT_NAMING,
  type AutonamingModel,
  type NamingStrategy,
  type ProviderNaming,
} from "./strategy";

export * from "./strategy";

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
  if (!hasMode) return { strategy: DEFAULT_NAMING, has: false };
  switch (c.mode) {
    case "default":
      return { strategy: DEFAULT_NAMING, has: true };
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

export { engineAutonaming, explicitName, generateName, SeededRandom } from "./names";

/** What the program (and the offline plan, standing in for the engine) knows of the stack's config. */
export interface AutonamingSource {
  readonly project: string;
  readonly stack: string;
  /** The stack's organization, for `${organization}` in patterns. */
  readonly organization?: string;
  /** `pulumi:autonaming` as the program receives it (a JSON string for a map). */
  readonly autonaming?: string;
  /** Values of the `pillar:` namespace, keyed without the prefix, for `${config.<key>}`. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Paths of the secret leaves (`cloud.aws_provider.id`), where known; see RawStackConfig. */
  readonly secretPaths?: ReadonlySet<string>;
}

/** `pulumi:autonaming` resolved for the stack; a problem is pushed as a config issue of that key. */
export function autonamingOf(raw: AutonamingSource, issues: ConfigIssue[]): AutonamingModel | undefined {
  try {
    return parseAutonaming(raw.autonaming, {
      organization: raw.organization ?? "organization",
      project: raw.project,
      stack: raw.stack,
      configValue: (key) => configValue(raw, key),
    });
  } catch (err) {
    if (!(err instanceof AutonamingError)) throw err;
    issues.push({ path: "pulumi:autonaming", message: err.message });
    return undefined;
  }
}

/** A config value by path within the project's namespace, as `${config.<key>}` looks it up. */
function configValue(raw: AutonamingSource, key: string): string | undefined {
  const m = /^([^.[]+)(.*)$/.exec(key);
  if (!m) return undefined;
  const [, top, rest] = m as unknown as [string, string, string];
  let v: unknown = raw.values[top];
  for (const seg of rest.match(/\.[^.[]+|\[[0-9]+\]/g) ?? []) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[seg.startsWith(".") ? seg.slice(1) : seg.slice(1, -1)];
  }
  if (v === undefined || v === null) return undefined;
  const secret = raw.secretPaths
    ? [...raw.secretPaths].some((p) => p === key || key.startsWith(`${p}.`) || p.startsWith(`${key}.`))
    : false;
  if (secret)
    throw new AutonamingError(
      `failed to decrypt value for key "${key}": the offline plan cannot decrypt secure values; use a plain value in the pattern`,
    );
  return typeof v === "string" ? v : JSON.stringify(v);
}
