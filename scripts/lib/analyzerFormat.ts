/**
 * The "Policies:" section of `pulumi preview`, in plain text, for a PolicyRun; and the short diff
 * of a remediation, as the CLI shows it.
 */
import * as path from "node:path";
import type { PolicyRemediation, PolicyRun } from "./analyzerTypes";
import { displayTypeName, parseUrn } from "./analyzerWire";

const LEVEL_RANK: Readonly<Record<string, number>> = { remediate: 0, mandatory: 1, advisory: 2, disabled: 3 };
const SEVERITY_RANK: Readonly<Record<string, number>> = { critical: 0, high: 1, medium: 2, low: 3 };

/** `abbreviateFilePath` of pkg/engine/update.go: long paths keep their first two and last two parts. */
function abbreviatePath(p: string): string {
  const clean = path.normalize(p);
  if (clean.length <= 75) return clean;
  const dirs = clean.split("/");
  return dirs.length > 4 ? [...dirs.slice(0, 2), "...", ...dirs.slice(-2)].join("/") : clean;
}

function packPathForDisplay(packDir: string): string {
  const rel = path.relative(process.cwd(), packDir);
  return abbreviatePath(rel === "" ? "." : rel.startsWith("..") || path.isAbsolute(rel) ? packDir : rel);
}

/**
 * The "Policies:" section of `pulumi preview` (pkg/backend/display/progress.go printPolicies and
 * diff.go renderDiffPolicyViolationEvent), in plain text: the pack with ✅, ⚠️ or ❌, then each
 * violation sorted by level, severity, policy name and URN, its message indented below it.
 */
export function formatViolations(run: PolicyRun, opts: FormatOptions = {}): string {
  return formatPolicies([run], opts);
}

export interface FormatOptions {
  /** Each remediation with its short diff, in the order applied, as `--show-policy-remediations` prints them. */
  readonly showRemediations?: boolean;
}

function remediationDiff(d: PolicyRun["remediations"][number]["diff"]): string {
  const part = (prefix: string, keys: readonly string[]) =>
    keys.length > 0 ? `${prefix}${keys.join(",")}` : "";
  return `[diff: ${part("+", d.adds)}${part("-", d.deletes)}${part("~", d.updates)}]`;
}

/** The "Policies:" section for one or more packs, each under its `name@vversion` line, packs sorted by it. */
export function formatPolicies(runs: readonly PolicyRun[], opts: FormatOptions = {}): string {
  const sorted = [...runs].sort((a, b) => {
    const ka = `${a.pack}@v${a.version ?? ""}`;
    const kb = `${b.pack}@v${b.version ?? ""}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  return ["Policies:", ...sorted.map((r) => packSection(r, opts))].join("\n") + "\n\n";
}

function packSection(run: PolicyRun, opts: FormatOptions): string {
  const lines: string[] = [];
  const mandatory = run.violations.some((v) => v.level === "mandatory");
  const mark = mandatory ? "❌" : run.violations.length > 0 ? "⚠️" : "✅";
  lines.push(`    ${mark} ${run.pack}@v${run.version ?? ""} (local: ${packPathForDisplay(run.packDir)})`);
  const sorted = [...run.violations].sort(
    (a, b) =>
      (LEVEL_RANK[a.level] ?? 99) - (LEVEL_RANK[b.level] ?? 99) ||
      (SEVERITY_RANK[a.severity ?? ""] ?? 4) - (SEVERITY_RANK[b.severity ?? ""] ?? 4) ||
      (a.policy < b.policy ? -1 : a.policy > b.policy ? 1 : 0) ||
      ((a.urn ?? "") < (b.urn ?? "") ? -1 : (a.urn ?? "") > (b.urn ?? "") ? 1 : 0),
  );
  if (opts.showRemediations) {
    for (const r of run.remediations) {
      const u = parseUrn(r.urn);
      const target = u ? `  (${displayTypeName(u.type)}: ${u.name})` : "";
      lines.push(`        - [remediate]  ${r.policy}${target} ${remediationDiff(r.diff)}`);
    }
  } else {
    // Remediations are summarised per policy, as the CLI does without --show-policy-remediations.
    const counts = new Map<string, number>();
    for (const r of run.remediations) counts.set(r.policy, (counts.get(r.policy) ?? 0) + 1);
    for (const [policy, n] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      lines.push(`        - [remediate]  ${policy}  (${n} ${n === 1 ? "resource" : "resources"})`);
    }
  }
  for (const v of sorted) {
    const severity = v.severity ? ` [severity: ${v.severity}]` : "";
    const u = v.urn !== undefined ? parseUrn(v.urn) : undefined;
    const target = u ? `  (${displayTypeName(u.type)}: ${u.name})` : "";
    lines.push(`        - [${v.level}]${severity}  ${v.policy}${target}`);
    const message = v.message.replace(/\n$/, "").split("\n");
    for (const m of message) lines.push(`          ${m}`);
  }
  return lines.join("\n");
}

/** JSON with object keys sorted: equal values, equal text, whatever order their keys came in. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );
}

/** The CLI's short diff of two property maps (pkg/backend/display/rows.go writeShortDiff), by top-level key. */
export function shortDiff(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): PolicyRemediation["diff"] {
  const visible = (o: Readonly<Record<string, unknown>>) => Object.keys(o).filter((k) => !k.startsWith("__"));
  const adds = visible(after).filter((k) => !(k in before));
  const deletes = visible(before).filter((k) => !(k in after));
  const updates = visible(after).filter((k) => k in before && canonical(before[k]) !== canonical(after[k]));
  return { adds: adds.sort(), deletes: deletes.sort(), updates: updates.sort() };
}
