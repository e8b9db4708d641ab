/** A config problem: where it is, as the user wrote it, and what was expected. */
export interface ConfigIssue {
  /** e.g. `pillar:security_groups[1].rules[0].cidr_ip` */
  readonly path: string;
  readonly message: string;
}

/** Invalid configuration: every problem found, reported at once, before any resource exists. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(
      `invalid pillar configuration (${issues.length} ${issues.length === 1 ? "problem" : "problems"}):\n` +
        issues.map((i) => `  ${i.path}: ${i.message}`).join("\n"),
    );
  }
}

/** `"a", "b"` for messages that list the names that do exist. */
export function quoteList(names: Iterable<string>): string {
  const list = [...names].sort();
  return list.length === 0 ? "(none)" : list.map((n) => JSON.stringify(n)).join(", ");
}

/** Joins a config path and a key or index the way a user would write it. */
export function sub(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}["${key}"]`;
}

/** Edit distance (insertions, deletions, substitutions), ignoring case. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[y.length]!;
}

/** The known name closest to a misspelt one, if it is close enough to be what was meant. */
export function nearest(word: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(word, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** The issues without repeats (two checks may find the same problem), in the order first found. */
export function dedupe(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.path}\u0000${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * A placeholder the seed article leaves to fill (`ami-<some_id>`, `<account_id>`, `<UUID for sns
 * event>`): a word in angle brackets. It starts with a letter, so an operator such as `<= 40 … >` is
 * not one.
 */
const PLACEHOLDER = /<[A-Za-z_][A-Za-z0-9_ ]*>/;

/** Every string under `v` that holds a placeholder, with its path (written from `at`). */
export function placeholders(v: unknown, at: string): { path: string; value: string }[] {
  if (typeof v === "string") return PLACEHOLDER.test(v) ? [{ path: at, value: v }] : [];
  if (Array.isArray(v)) return v.flatMap((x, i) => placeholders(x, sub(at, i)));
  if (v !== null && typeof v === "object")
    return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => placeholders(x, sub(at, k)));
  return [];
}

/** What a placeholder's issue says, in the loader and the importer alike. */
export const placeholderMessage = (value: string): string =>
  `"${value}" is a placeholder: put the real value`;

/**
 * The issues with one more for each placeholder no issue has named yet (at its path or a path
 * holding it): a section whose shape failed is not normalized, so its other placeholders would
 * otherwise surface only one fix at a time.
 */
export function withPlaceholders(
  issues: readonly ConfigIssue[],
  values: Readonly<Record<string, unknown>>,
): ConfigIssue[] {
  const named = (path: string) =>
    issues.some((i) => i.path === path || path.startsWith(`${i.path}.`) || path.startsWith(`${i.path}[`));
  const extra = Object.entries(values)
    .flatMap(([k, v]) => placeholders(v, `pillar:${k}`))
    .filter((p) => !named(p.path))
    .map((p) => ({ path: p.path, message: placeholderMessage(p.value) }));
  return [...issues, ...extra];
}
