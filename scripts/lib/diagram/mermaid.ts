/** The topology as a Mermaid flowchart (`flowchart LR`), with the same legend as the DOT. */
import { LEGEND } from "./dot";
import { ClusterId, CLUSTER_TITLES, EdgeStyle, NodeKind, Topology, TopologyNode } from "./model";

/**
 * Text inside a Mermaid `"…"` label: entity codes for the characters Mermaid or its HTML labels
 * would read (`"` `#` `&` `<` `>`, and `|` and the backtick of markdown strings), newlines as `<br/>`.
 */
export function mermaidText(text: string): string {
  const codes: Record<string, string> = {
    "#": "#35;",
    '"': "#quot;",
    "&": "#amp;",
    "<": "#lt;",
    ">": "#gt;",
    "|": "#124;",
    "`": "#96;",
  };
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(/[#"&<>|`]/g, (c) => codes[c] ?? c))
    .join("<br/>");
}

const MERMAID_SHAPE: Readonly<Record<NodeKind, [string, string]>> = {
  cidr: ["((", "))"],
  securityGroup: ["(", ")"],
  defaultGroup: ["(", ")"],
  elb: ["[", "]"],
  alb: ["[", "]"],
  targetGroup: ["(", ")"],
  launchTemplate: ["[/", "/]"],
  group: ["[[", "]]"],
  policy: ["(", ")"],
  alarm: ["{{", "}}"],
  topic: [">", "]"],
  lambda: ["[", "]"],
  table: ["[(", ")]"],
  document: ["[/", "/]"],
  queue: ["[(", ")]"],
  instance: ["[[", "]]"],
  external: ["[", "]"],
};

/** The topology as a Mermaid flowchart. */
export function toMermaid(t: Topology): string {
  const out: string[] = ["flowchart LR"];
  const nodeLine = (n: TopologyNode, indent: string) => {
    const [open, close] = MERMAID_SHAPE[n.kind];
    return `${indent}${n.id}${open}"${mermaidText(n.lines.join("\n"))}"${close}`;
  };
  for (const cluster of Object.keys(CLUSTER_TITLES) as ClusterId[]) {
    const members = t.nodes.filter((n) => n.cluster === cluster);
    if (members.length === 0) continue;
    out.push(`  subgraph ${cluster}["${mermaidText(CLUSTER_TITLES[cluster])}"]`);
    for (const n of members) out.push(nodeLine(n, "    "));
    out.push("  end");
  }
  for (const n of t.nodes.filter((x) => x.cluster === undefined)) out.push(nodeLine(n, "  "));
  const arrowOf = (style: EdgeStyle) =>
    style === "attachment" ? "-.-" : style === "metric" ? "-.->" : "-->";
  const used = (Object.keys(LEGEND) as EdgeStyle[]).filter((st) => t.edges.some((e) => e.style === st));
  if (used.length > 0) {
    out.push(`  subgraph legend["legend"]`);
    for (const st of used)
      out.push(`    legend_${st}_a[" "] ${arrowOf(st)}|"${mermaidText(LEGEND[st])}"| legend_${st}_b[" "]`);
    out.push("  end");
  }
  for (const e of t.edges) {
    const arrow = arrowOf(e.style);
    const label = e.label ? `|"${mermaidText(e.label)}"|` : "";
    out.push(`  ${e.from} ${arrow}${label} ${e.to}`);
  }
  const classes: Partial<Record<NodeKind, string>> = {
    cidr: "fill:#fde2e1,stroke:#c0392b",
    securityGroup: "fill:#fff4cc,stroke:#b7950b",
    defaultGroup: "fill:#f2f2f2,stroke:#7f8c8d,stroke-dasharray:4 3",
    elb: "fill:#d6eaf8,stroke:#2e86c1",
    alb: "fill:#d6eaf8,stroke:#1a5276",
    targetGroup: "fill:#ebf5fb,stroke:#2e86c1",
    group: "fill:#d5f5e3,stroke:#1e8449",
    alarm: "fill:#fdebd0,stroke:#ca6f1e",
    topic: "fill:#f5eef8,stroke:#7d3c98",
    lambda: "fill:#fef5e7,stroke:#d68910",
    external: "fill:#ffffff,stroke:#7f8c8d,stroke-dasharray:4 3",
  };
  for (const [kind, style] of Object.entries(classes)) {
    const ids = t.nodes.filter((n) => n.kind === kind).map((n) => n.id);
    if (ids.length === 0) continue;
    out.push(`  classDef ${kind} ${style}`);
    out.push(`  class ${ids.join(",")} ${kind}`);
  }
  return `${out.join("\n")}\n`;
}
