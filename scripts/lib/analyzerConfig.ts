/**
 * Policy configuration as the engine reconciles it before `Configure` (pulumi/pulumi
 * pkg/resource/analyzer/config.go ReconcilePolicyPackConfig): every policy starts at its own
 * enforcement level and its schema's defaults, then the pack's initial config is applied, then the
 * user's (`--policy-pack-config`), and the result is validated against each policy's schema.
 */
import { createHash } from "node:crypto";
import type { ValidateFunction } from "ajv";
import { cacheDir, cachedBuild } from "./buildCache";
import { PROJECT_ROOT } from "./planInput";

/** A policy config the engine (or, stricter, the offline plan) refuses: exit 2, nothing analyzed. */
export class PolicyConfigError extends Error {
  override readonly name = "PolicyConfigError";
}

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = [
  "advisory",
  "mandatory",
  "remediate",
  "disabled",
];

export function isEnforcementLevel(v: unknown): v is EnforcementLevel {
  return typeof v === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(v);
}

/** What the pack says about one policy in GetAnalyzerInfo. */
export interface PolicyMeta {
  readonly name: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly configSchema?: {
    readonly properties: Record<string, unknown>;
    readonly required: readonly string[];
  };
}

/** One policy's config: an enforcement level (absent when nobody set one) and properties. */
export interface PolicyConfigEntry {
  readonly enforcementLevel?: EnforcementLevel;
  readonly properties?: Record<string, unknown>;
}

/**
 * Parses config shaped like a `--policy-pack-config` file: `{ "<policy>": "<level>" }` or
 * `{ "<policy>": { enforcementLevel?, ...properties } }`; `"all"` sets every policy's level.
 */
export function parsePolicyConfig(config: Readonly<Record<string, unknown>>): Map<string, PolicyConfigEntry> {
  const result = new Map<string, PolicyConfigEntry>();
  for (const [name, value] of Object.entries(config)) {
    if (name === "environments") {
      // The CLI resolves these Pulumi ESC environments through the service; offline nothing can.
      throw new PolicyConfigError(
        `"environments" (Pulumi ESC environments) cannot be resolved offline: write the values into the config file itself`,
      );
    }
    let entry: PolicyConfigEntry;
    if (typeof value === "string") {
      if (!isEnforcementLevel(value)) {
        throw new PolicyConfigError(
          `parsing enforcement level for "${name}": "${value}" is not a valid enforcement level`,
        );
      }
      entry = { enforcementLevel: value };
    } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const { enforcementLevel, ...properties } = value as Record<string, unknown>;
      if (enforcementLevel !== undefined && !isEnforcementLevel(enforcementLevel)) {
        throw new PolicyConfigError(
          `parsing enforcement level for "${name}": ${JSON.stringify(enforcementLevel)} is not a valid enforcement level`,
        );
      }
      entry = {
        ...(enforcementLevel !== undefined ? { enforcementLevel } : {}),
        ...(Object.keys(properties).length > 0 ? { properties } : {}),
      };
    } else {
      throw new PolicyConfigError(
        `parsing "${name}": ${JSON.stringify(value)} is not a valid value; must be a string or object`,
      );
    }
    // Empty configs are dropped, as the engine does.
    if (entry.enforcementLevel !== undefined || entry.properties !== undefined) result.set(name, entry);
  }
  return result;
}

function schemaDefaults(meta: PolicyMeta): Record<string, unknown> | undefined {
  let props: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(meta.configSchema?.properties ?? {})) {
    if (typeof v === "object" && v !== null && "default" in v) {
      props ??= {};
      props[k] = (v as { default: unknown }).default;
    }
  }
  return props;
}

function applyConfig(
  result: Map<string, PolicyConfigEntry>,
  toApply: ReadonlyMap<string, PolicyConfigEntry>,
): Map<string, PolicyConfigEntry> {
  const all = toApply.get("all")?.enforcementLevel;
  if (all !== undefined) {
    for (const [k, v] of result) result.set(k, { ...v, enforcementLevel: all });
  }
  for (const [name, given] of toApply) {
    const current = result.get(name) ?? {};
    const enforcementLevel = given.enforcementLevel ?? current.enforcementLevel;
    const properties =
      given.properties !== undefined
        ? { ...(current.properties ?? {}), ...given.properties }
        : current.properties;
    result.set(name, {
      ...(enforcementLevel !== undefined ? { enforcementLevel } : {}),
      ...(properties !== undefined ? { properties } : {}),
    });
  }
  return result;
}

/** Levenshtein distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** The closest of `candidates` to `name`, when it is close enough to be a typo. */
export function nearest(name: string, candidates: readonly string[]): string | undefined {
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = distance(name.toLowerCase(), c.toLowerCase());
    if (best === undefined || d < best.d) best = { c, d };
  }
  return best !== undefined && best.d <= Math.max(2, Math.floor(name.length / 4)) ? best.c : undefined;
}

const suggestion = (name: string, candidates: readonly string[]): string => {
  const n = nearest(name, candidates);
  return n === undefined ? "" : ` (did you mean "${n}"?)`;
};

/**
 * The offline plan's own check, stricter than the engine's (which sends an unknown policy's entry
 * along and lets a schema without `additionalProperties: false` take any property): every policy the
 * user configures must be one of the pack's, and every property one its schema declares.
 */
export function checkPolicyNames(
  packName: string,
  policies: readonly PolicyMeta[],
  userConfig: ReadonlyMap<string, PolicyConfigEntry>,
): void {
  const names = policies.map((p) => p.name);
  const errors: string[] = [];
  for (const [name, entry] of userConfig) {
    if (name === "all") continue;
    const policy = policies.find((p) => p.name === name);
    if (policy === undefined) {
      errors.push(
        `"${name}" is not a policy of pack "${packName}"${suggestion(name, names)}; its policies are: ${names.join(", ")}`,
      );
      continue;
    }
    const known = Object.keys(policy.configSchema?.properties ?? {});
    for (const property of Object.keys(entry.properties ?? {})) {
      if (known.includes(property)) continue;
      errors.push(
        `policy "${name}" has no property "${property}"${suggestion(property, known)}; ${known.length > 0 ? `it takes: ${known.join(", ")}` : "it takes none (only enforcementLevel)"}`,
      );
    }
  }
  if (errors.length > 0) {
    throw new PolicyConfigError(`invalid policy config for pack "${packName}":\n  ${errors.join("\n  ")}`);
  }
}

/**
 * The config the engine sends in `Configure`. Throws, naming the policy, when a policy's resulting
 * properties fail its schema or an entry ends up with no enforcement level (the engine refuses
 * those too: `invalid enforcement level ""`).
 */
export function reconcilePolicyConfig(
  policies: readonly PolicyMeta[],
  initialConfig: ReadonlyMap<string, PolicyConfigEntry>,
  userConfig: Readonly<Record<string, unknown>> | undefined,
  packName?: string,
): Map<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }> {
  let result = new Map<string, PolicyConfigEntry>();
  for (const p of policies) {
    const defaults = schemaDefaults(p);
    result.set(p.name, {
      enforcementLevel: p.enforcementLevel,
      ...(defaults ? { properties: defaults } : {}),
    });
  }
  result = applyConfig(result, initialConfig);
  if (userConfig !== undefined) {
    const parsed = parsePolicyConfig(userConfig);
    if (packName !== undefined) checkPolicyNames(packName, policies, parsed);
    result = applyConfig(result, parsed);
  }

  const errors: string[] = [];
  for (const p of policies) {
    if (p.configSchema === undefined) continue;
    const schema = {
      type: "object",
      ...(Object.keys(p.configSchema.properties).length > 0 ? { properties: p.configSchema.properties } : {}),
      ...(p.configSchema.required.length > 0 ? { required: p.configSchema.required } : {}),
    };
    const validate = policySchemaValidator(schema);
    if (!validate(result.get(p.name)?.properties ?? {})) {
      for (const e of validate.errors ?? []) {
        errors.push(
          `${p.name}: ${e.instancePath === "" ? "" : `${e.instancePath.slice(1)} `}${e.message ?? "is invalid"}`,
        );
      }
    }
  }
  if (errors.length > 0) {
    const of = packName !== undefined ? ` for pack "${packName}"` : "";
    throw new PolicyConfigError(`validating policy config${of}: ${errors.sort().join("; ")}`);
  }

  const out = new Map<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }>();
  for (const [name, entry] of result) {
    if (entry.enforcementLevel === undefined) {
      throw new PolicyConfigError(`configuring policy "${name}": invalid enforcement level ""`);
    }
    out.set(name, { enforcementLevel: entry.enforcementLevel, properties: entry.properties ?? {} });
  }
  return out;
}

const AJV_OPTIONS = { allErrors: true, strict: false } as const;

/**
 * The validator of a policy's config schema. The schemas come from the pack (GetAnalyzerInfo), so
 * they cannot be compiled ahead like the stack config's (config/validators.generated.js); but a pack
 * sends the same schemas every run, and compiling them (with ajv's import) is a fifth of a second
 * each time, while the plan waits on the pack. So ajv's standalone code for each schema is kept in
 * the build cache (node_modules/.cache/pillar), named by a hash of the schema, ajv's version and its
 * options: a schema that changes gets a file of its own, and the code is ajv's, so the verdicts and
 * errors are the compiled validator's. Where the cache cannot be written, the schema is compiled.
 */
export function policySchemaValidator(schema: Readonly<Record<string, unknown>>): ValidateFunction {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a JSON file, not the module
  const ajvVersion = (require("ajv/package.json") as { version: string }).version;
  const key = JSON.stringify({ ajv: ajvVersion, options: AJV_OPTIONS, schema });
  const hash = createHash("sha256").update(key).digest("hex").slice(0, 32);
  try {
    const out = cachedBuild({
      dir: cacheDir(PROJECT_ROOT),
      name: `policy-schema-${hash}`,
      ext: ".js",
      root: PROJECT_ROOT,
      key,
      build: () => ({ contents: Buffer.from(standaloneCode(schema)), inputs: [] }),
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a file named at run time
    return require(out.file) as ValidateFunction;
  } catch {
    return compile(schema).validate;
  }
}

function compile(schema: Readonly<Record<string, unknown>>): {
  ajv: import("ajv").default;
  validate: ValidateFunction;
} {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when a schema is not cached
  const Ajv = (require("ajv") as typeof import("ajv")).default;
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
  return { ajv, validate: ajv.compile(schema) };
}

function standaloneCode(schema: Readonly<Record<string, unknown>>): string {
  const { ajv, validate } = compile(schema);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when a schema is not cached
  const standalone = (require("ajv/dist/standalone") as typeof import("ajv/dist/standalone")).default;
  return standalone(ajv, validate);
}
