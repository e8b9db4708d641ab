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
