/** Stable, sorted tag maps make previews diff-free across runs. */
export function sortedTags(...maps: Readonly<Record<string, string>>[]): Record<string, string> {
  const merged: Record<string, string> = Object.assign({}, ...maps);
  return Object.fromEntries(Object.entries(merged).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
