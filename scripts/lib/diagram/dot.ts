/** The topology as Graphviz DOT source, labels escaped; a legend says what each line style means. */
import { ClusterId, CLUSTER_TITLES, EdgeStyle, NodeKind, Topology, TopologyNode } from "./model";

/** A DOT double-quoted string: backslashes and quotes escaped, newlines as the `\n` escape. */
export function dotString(text: string): string {
  const escaped = text
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\r\n|\r|\n/g, "\\n");
  return `"${escaped}"`;
}

const DOT_NODE_STYLE: Readonly<Record<NodeKind, string>> = {
  cidr: 'shape=ellipse, style=filled, fillcolor="#fde2e1", color="#c0392b"',
  securityGroup: 'shape=box, style="rounded,filled", fillcolor="#fff4cc", color="#b7950b", penwidth=1.4',
  defaultGroup: 'shape=box, style="rounded,filled,dashed", fillcolor="#f2f2f2", color="#7f8c8d"',
  elb: 'shape=box, style="filled", fillcolor="#d6eaf8", color="#2e86c1", penwidth=1.4',
  alb: 'shape=box, style="filled", fillcolor="#d6eaf8", color="#1a5276", penwidth=2',
  targetGroup: 'shape=box, style="rounded,filled", fillcolor="#ebf5fb", color="#2e86c1"',
  launchTemplate: 'shape=note, style=filled, fillcolor="#eaf2f8", color="#5d6d7e"',
  group: 'shape=box3d, style=filled, fillcolor="#d5f5e3", color="#1e8449", penwidth=1.4',
  policy: 'shape=box, style="rounded,filled", fillcolor="#e8f8f5", color="#148f77"',
  alarm: 'shape=box, style="rounded,filled", fillcolor="#fdebd0", color="#ca6f1e"',
  topic: 'shape=cds, style=filled, fillcolor="#f5eef8", color="#7d3c98"',
  lambda: 'shape=component, style=filled, fillcolor="#fef5e7", color="#d68910", penwidth=1.4',
  table: 'shape=cylinder, style=filled, fillcolor="#ebf5fb", color="#2874a6"',
  document: 'shape=note, style=filled, fillcolor="#f4f6f6", color="#566573"',
  queue: 'shape=cylinder, style=filled, fillcolor="#fbeee6", color="#a04000"',
  instance: 'shape=box3d, style=filled, fillcolor="#eafaf1", color="#196f3d"',
  external: 'shape=box, style="dashed", color="#7f8c8d", fontcolor="#555555"',
};

const DOT_EDGE_STYLE: Readonly<Record<EdgeStyle, string>> = {
  flow: 'color="#34495e"',
  attachment: 'style=dashed, dir=none, color="#b7950b"',
  metric: 'style=dotted, color="#ca6f1e", fontcolor="#ca6f1e"',
};

/** The topology as Graphviz DOT source. */
export function toDot(t: Topology): string {
  const out: string[] = [
    "digraph topology {",
    `  graph [rankdir=LR, fontname="Helvetica", nodesep=0.35, ranksep=0.7, newrank=true, compound=true, label=${dotTitle(t)}, labelloc=t, fontsize=14];`,
    '  node [fontname="Helvetica", fontsize=10, margin="0.15,0.06"];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  const nodeLine = (n: TopologyNode, indent: string) =>
    `${indent}${dotString(n.id)} [label=${dotString(n.lines.join("\n"))}, ${DOT_NODE_STYLE[n.kind]}];`;
  for (const n of t.nodes.filter((x) => x.cluster === undefined)) out.push(nodeLine(n, "  "));
  for (const cluster of Object.keys(CLUSTER_TITLES) as ClusterId[]) {
    const members = t.nodes.filter((n) => n.cluster === cluster);
    if (members.length === 0) continue;
    out.push(`  subgraph ${dotString(`cluster_${cluster}`)} {`);
    out.push(
      `    label=${dotString(CLUSTER_TITLES[cluster])}; style="rounded,filled"; color="#aab7b8"; fillcolor="${cluster === "tier" ? "#fbfcfc" : "#fffdf5"}"; fontsize=12;`,
    );
    for (const n of members) out.push(nodeLine(n, "    "));
    out.push("  }");
  }
  for (const e of t.edges) {
    const attrs = [DOT_EDGE_STYLE[e.style]];
    if (e.label) attrs.unshift(`label=${dotString(e.label)}`);
    out.push(`  ${dotString(e.from)} -> ${dotString(e.to)} [${attrs.join(", ")}];`);
  }
  out.push("}");
  return `${out.join("\n")}\n`;
}

/** What each line style means, for the styles the diagram uses (EdgeStyle's words). */
export const LEGEND: Readonly<Record<EdgeStyle, string>> = {
  flow: "traffic or control",
  attachment: "wears the security group",
  metric: "metric an alarm watches",
};

/** How a line style looks, drawn in text for the legend (an HTML label cannot draw a line). */
const LEGEND_GLYPHS: Readonly<Record<EdgeStyle, string>> = {
  flow: "───▶",
  attachment: "╌╌╌╌",
  metric: "┈┈┈▶",
};

/**
 * The graph's title with the legend under it: a row per line style in use, drawn in text and said in
 * words. In the graph label, not a node or sample edges: those would take a place in the
 * left-to-right layout and make a wide diagram wider, while a label costs no width.
 */
function dotTitle(t: Topology): string {
  const used = (Object.keys(LEGEND) as EdgeStyle[]).filter((s) => t.edges.some((e) => e.style === s));
  if (used.length === 0) return dotString(TITLE);
  const html = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const color = (s: EdgeStyle) => /color="([^"]+)"/.exec(DOT_EDGE_STYLE[s])?.[1] ?? "#34495e";
  const rows = used
    .map(
      (s) =>
        `<tr><td align="left"><font color="${color(s)}">${LEGEND_GLYPHS[s]}</font></td><td align="left"><font point-size="9">${html(LEGEND[s])}</font></td></tr>`,
    )
    .join("");
  return `<<table border="0" cellspacing="1"><tr><td colspan="2">${html(TITLE)}</td></tr>${rows}</table>>`;
}

const TITLE = "pillar topology (offline plan)";
