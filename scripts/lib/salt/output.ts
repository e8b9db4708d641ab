/** The importer's outputs: the stack file's text and the report a user reads. */
import * as path from "node:path";
import * as YAML from "yaml";
import { ImportResult } from "./importer";
import { OptionEntry } from "./walk";

/** `Pulumi.<stack>.yaml`: a header saying where it came from, then `config:`. */
export function stackFileText(result: ImportResult, cwd: string): string {
  const header = [
    " Imported from Salt by `npm run import`, from:",
    ...result.files.map((f) => `   ${path.relative(cwd, path.resolve(f)) || f}`),
    " Credentials are not in this file: the import printed the `pulumi config set --secret` commands.",
  ].join("\n");
  // YAML 1.1 quoting: a string like "yes" or "0755" stays a string for every reader, 1.1 or 1.2.
  const doc = new YAML.Document({ config: result.config }, { version: "1.1" });
  doc.commentBefore = header;
  return doc.toString();
}

function line(e: OptionEntry, showNote: boolean): string {
  const note = showNote && e.note ? e.note : "";
  switch (e.action) {
    case "mapped":
      return `→ ${e.pillar}${note ? `  (${note})` : ""}`;
    case "rewritten":
      return `→ ${e.pillar ?? "(read)"}, rewritten: ${e.note}`;
    case "derived":
      return `derived → ${e.pillar}: ${e.note}`;
    case "credential":
      return `credential: ${e.note}`;
    case "ignored":
      return `ignored: ${e.note}`;
    case "decide":
      return `to decide: ${e.note}`;
  }
}

/** `a[0].b[12]` → `a[].b[]`. */
function collapse(path: string): string {
  return path.replace(/\[\d+\]/g, "[]");
}

/** The report: every option by file, the credential commands, what is left to decide, what next. */
export function formatReport(
  result: ImportResult,
  opts: { stack: string; out: string; cwd: string },
): string {
  const rel = (f: string) =>
    f === "" ? "(worked out by the import)" : path.relative(opts.cwd, path.resolve(f)) || f;
  const byFile = new Map<string, OptionEntry[]>();
  for (const e of result.entries) {
    const list = byFile.get(e.file) ?? [];
    list.push(e);
    byFile.set(e.file, list);
  }
  const order = [...result.files.filter((f) => byFile.has(f)), ...(byFile.has("") ? [""] : [])];
  const out: string[] = [
    `Imported ${result.files.length} Salt file(s) into ${rel(opts.out)} (stack ${opts.stack}).`,
    "",
    "Every Salt option, and what pillar does with it:",
  ];
  for (const f of order) {
    out.push(`  ${rel(f)}`);
    // Options of list items alike (every rule's from_port …) are one line: `rules[].from_port (×5)`.
    const rows: { option: string; entry: OptionEntry; count: number }[] = [];
    const byPattern = new Map<string, { option: string; entry: OptionEntry; count: number }>();
    for (const e of byFile.get(f)!) {
      if (e.action === "mapped" || e.action === "ignored") {
        const option = collapse(e.option);
        const key = `${e.action}\u0000${option}\u0000${collapse(e.pillar ?? "")}\u0000${e.note}`;
        const row = byPattern.get(key);
        if (row) {
          row.count++;
          continue;
        }
        const fresh = {
          option,
          entry: { ...e, ...(e.pillar ? { pillar: collapse(e.pillar) } : {}) },
          count: 1,
        };
        byPattern.set(key, fresh);
        rows.push(fresh);
      } else rows.push({ option: e.option, entry: e, count: 1 });
    }
    const width = Math.min(48, Math.max(...rows.map((r) => r.option.length)));
    const seen = new Set<string>();
    for (const r of rows) {
      const show = !seen.has(r.entry.note);
      seen.add(r.entry.note);
      const times = r.count > 1 ? ` (×${r.count})` : "";
      out.push(`    ${r.option.padEnd(width)}  ${line(r.entry, show)}${times}`);
    }
  }
  if (result.secretCommands.length > 0) {
    out.push(
      "",
      "Credentials (not written to the stack file). Best: no keys in config at all — an AWS profile",
      `(pulumi config set --stack ${opts.stack} --path 'pillar:cloud.${result.providerName ?? "aws_provider"}.profile' NAME) or ambient credentials`,
      "(SSO, the environment, an instance role). If you must keep the keys, store them as secrets (each command",
      "prompts for the value):",
      ...result.secretCommands.map((c) => `    ${c}`),
    );
  }
  const decide = result.entries.filter((e) => e.action === "decide");
  if (decide.length > 0) {
    out.push(
      "",
      "To decide before the stack plans:",
      ...decide.map((e) => `    ${e.pillar ?? e.option}: ${e.note}`),
    );
  }
  out.push("", `Next: npm run plan -- --stack-file ${rel(opts.out)}`);
  return `${out.join("\n")}\n`;
}
