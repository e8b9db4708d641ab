/**
 * Shared by the diagram tests: the planned prod and dev stacks (planned once per process), and
 * readers that turn the DOT and Mermaid texts back into node and edge sets keyed by node labels.
 */
import { loadPlanInput, planStack } from "../../scripts/lib/planner";
import { RecordedResource } from "../../scripts/lib/record";

const plans = new Map<string, Promise<readonly RecordedResource[]>>();
let queue: Promise<unknown> = Promise.resolve();

/** The recorded resources of a stack; runs are serialized (one mock runtime at a time). */
export function planned(stack: string): Promise<readonly RecordedResource[]> {
  let result = plans.get(stack);
  if (!result) {
    result = queue.then(async () => {
      return (await planStack(loadPlanInput({ stack }))).resources;
    });
    queue = result.catch(() => undefined);
    plans.set(stack, result);
  }
  return result;
}

export interface ParsedGraph {
  /** node id → label (all lines, joined with "\n"). */
  readonly labels: ReadonlyMap<string, string>;
  /** id → cluster title, for nodes inside a cluster. */
  readonly clusters: ReadonlyMap<string, string>;
  readonly edges: readonly { from: string; to: string; label: string; style: string }[];
}

/** The first line of a node's label: its name in the diagram. */
export function title(g: ParsedGraph, id: string): string {
  const label = g.labels.get(id);
  if (label === undefined) throw new Error(`edge to undeclared node ${id}`);
  return label.split("\n")[0] ?? "";
}

/** Node titles, sorted. */
export function nodeTitles(g: ParsedGraph): string[] {
  return [...g.labels.keys()].map((id) => title(g, id)).sort();
}

/** Edges as "from -> to [style] label" with node titles, sorted. */
export function edgeStrings(g: ParsedGraph): string[] {
  return g.edges
    .map((e) => `${title(g, e.from)} -> ${title(g, e.to)} [${e.style}]${e.label ? ` ${e.label}` : ""}`)
    .sort();
}

const DOT_STRING = String.raw`"((?:[^"\\]|\\.)*)"`;

function unescapeDot(text: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
}

/** Reads the DOT this project writes (one statement per line). */
export function parseDot(dot: string): ParsedGraph {
  const labels = new Map<string, string>();
  const clusters = new Map<string, string>();
  const edges: { from: string; to: string; label: string; style: string }[] = [];
  const nodeRe = new RegExp(String.raw`^\s*${DOT_STRING} \[label=${DOT_STRING}[,\]]`);
  const edgeRe = new RegExp(String.raw`^\s*${DOT_STRING} -> ${DOT_STRING} \[(.*)\];$`);
  const clusterLabelRe = new RegExp(String.raw`^\s*label=${DOT_STRING};`);
  let cluster: string | undefined;
  for (const line of dot.split("\n")) {
    const e = edgeRe.exec(line);
    // The legend's sample edges (legend_<style>_a -> legend_<style>_b) are read by legendOf.
    if (e && (e[1] ?? "").startsWith("legend_")) continue;
    if (e) {
      const attrs = e[3] ?? "";
      const label = new RegExp(String.raw`label=${DOT_STRING}`).exec(attrs);
      const style = /dir=none/.test(attrs) ? "attachment" : /style=dotted/.test(attrs) ? "metric" : "flow";
      edges.push({
        from: unescapeDot(e[1] ?? ""),
        to: unescapeDot(e[2] ?? ""),
        label: label ? unescapeDot(label[1] ?? "") : "",
        style,
      });
      continue;
    }
    const n = nodeRe.exec(line);
    if (n) {
      const id = unescapeDot(n[1] ?? "");
      labels.set(id, unescapeDot(n[2] ?? ""));
      if (cluster !== undefined) clusters.set(id, cluster);
      continue;
    }
    if (/^\s*subgraph /.test(line)) cluster = "";
    else if (/^\s*}$/.test(line)) cluster = undefined;
    const c = clusterLabelRe.exec(line);
    if (c && cluster !== undefined) cluster = unescapeDot(c[1] ?? "");
  }
  return { labels, clusters, edges };
}

const MERMAID_CODES: Record<string, string> = { quot: '"', amp: "&", lt: "<", gt: ">" };

function unescapeMermaid(text: string): string {
  return text
    .replace(/<br\/>/g, "\n")
    .replace(/#([a-z]+|\d+);/g, (m, code: string) =>
      /^\d+$/.test(code) ? String.fromCharCode(Number(code)) : (MERMAID_CODES[code] ?? m),
    );
}

/** Reads the Mermaid flowchart this project writes. */
export function parseMermaid(mmd: string): ParsedGraph {
  const labels = new Map<string, string>();
  const clusters = new Map<string, string>();
  const edges: { from: string; to: string; label: string; style: string }[] = [];
  const nodeRe =
    /^\s*([A-Za-z0-9_]+)(\(\(|\[\[|\[\(|\[\/|\{\{|\(|\[|>)"([^"]*)"(\)\)|\]\]|\)\]|\/\]|\}\}|\)|\])$/;
  const edgeRe = /^\s*([A-Za-z0-9_]+) (-->|-\.->|-\.-)(?:\|"([^"]*)"\|)? ([A-Za-z0-9_]+)$/;
  const subgraphRe = /^\s*subgraph [A-Za-z0-9_]+\["([^"]*)"\]$/;
  let cluster: string | undefined;
  for (const line of mmd.split("\n")) {
    const s = subgraphRe.exec(line);
    if (s) {
      cluster = unescapeMermaid(s[1] ?? "");
      continue;
    }
    if (/^\s*end$/.test(line)) {
      cluster = undefined;
      continue;
    }
    if (cluster === "legend") continue;
    const e = edgeRe.exec(line);
    if (e) {
      const style = e[2] === "-.-" ? "attachment" : e[2] === "-.->" ? "metric" : "flow";
      edges.push({ from: e[1] ?? "", to: e[4] ?? "", label: unescapeMermaid(e[3] ?? ""), style });
      continue;
    }
    const n = nodeRe.exec(line);
    if (n) {
      labels.set(n[1] ?? "", unescapeMermaid(n[3] ?? ""));
      if (cluster !== undefined) clusters.set(n[1] ?? "", cluster);
    }
  }
  return { labels, clusters, edges };
}

/** A small XML well-formedness check: balanced, properly nested tags, quoted attributes, one root. */
export function assertWellFormedXml(xml: string): void {
  const body = xml
    .replace(/^<\?xml[^>]*\?>/, "")
    .replace(/<!DOCTYPE[^>[]*(\[[^\]]*\])?\s*>/, "")
    .replace(/<!--[\s\S]*?-->/g, "");
  const stack: string[] = [];
  let roots = 0;
  const tagRe = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tagRe.exec(body); m !== null; m = tagRe.exec(body)) {
    const between = body.slice(last, m.index);
    if (/[<>]/.test(between))
      throw new Error(`stray markup before offset ${m.index}: ${JSON.stringify(between.slice(0, 80))}`);
    if (/&(?!(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);)/.test(between))
      throw new Error(`bare & in text before offset ${m.index}`);
    last = tagRe.lastIndex;
    const [, close, name = "", , selfClose] = m;
    if (close) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open ?? "nothing"}>`);
    } else if (!selfClose) {
      if (stack.length === 0) roots++;
      stack.push(name);
    } else if (stack.length === 0) roots++;
  }
  if (/[<>]/.test(body.slice(last))) throw new Error("stray markup after the last tag");
  if (stack.length > 0) throw new Error(`unclosed <${stack.join("> <")}>`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
}

/** The legend's entries, "style: meaning", from DOT or Mermaid text. */
export function legendOf(text: string): string[] {
  const glyphs: Record<string, string> = { "───▶": "flow", "╌╌╌╌": "attachment", "┈┈┈▶": "metric" };
  const dot = [
    ...text.matchAll(
      /<font color="[^"]*">([^<]*)<\/font><\/td><td align="left"><font point-size="9">([^<]*)<\/font><\/td>/g,
    ),
  ].map((m) => ["", glyphs[m[1] ?? ""] ?? "?", m[2] ?? ""]);
  const mmd = [...text.matchAll(/legend_(\w+)_a\[" "\] \S+\|"([^"]*)"\| legend_\w+_b/g)];
  return [...dot, ...mmd].map((m) => `${m[1]}: ${m[2]}`);
}
