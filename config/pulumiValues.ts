/**
 * The `pillar:` keys of a Pulumi config map (full key → the string the CLI hands a program) as the
 * loader takes them: parsed values keyed without the prefix, and which of those keys are secret.
 * Shared by index.ts (the real config) and the offline plan (a stack file).
 */
export const NAMESPACE = "pillar:";

export function pillarValues(
  config: Readonly<Record<string, string>>,
  isSecret: (fullKey: string) => boolean,
): { values: Record<string, unknown>; secretKeys: Set<string> } {
  const values: Record<string, unknown> = {};
  const secretKeys = new Set<string>();
  for (const [key, raw] of Object.entries(config)) {
    if (!key.startsWith(NAMESPACE)) continue;
    const name = key.slice(NAMESPACE.length);
    try {
      values[name] = JSON.parse(raw);
    } catch {
      // A plain string value, e.g. `pulumi config set pillar:x y`.
      values[name] = raw;
    }
    if (isSecret(key)) secretKeys.add(name);
  }
  return { values, secretKeys };
}

/** What the loader takes: the stack, its `pillar:` values and what it needs to know about them. */
export interface RawStackConfig {
  readonly project: string;
  readonly stack: string;
  /** Values of the `pillar:` namespace, keyed without the prefix, already parsed from JSON/YAML. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Keys (without prefix) whose value is secret in the stack config. */
  readonly secretKeys: ReadonlySet<string>;
  /**
   * Paths of the secret leaves (`cloud.aws_provider.id`), where the caller knows them (the offline
   * plan reads them from the stack file). Pulumi marks a whole key secret when any leaf is, so
   * without these a plaintext key next to a secret id cannot be told apart.
   */
  readonly secretPaths?: ReadonlySet<string>;
  /** `aws:region`, the fallback when the provider names no region. */
  readonly awsRegion?: string;
  /** `pulumi:autonaming` as the program receives it (a JSON string for a map). */
  readonly autonaming?: string;
  /** The stack's organization, for `${organization}` in autonaming patterns. */
  readonly organization?: string;
}
