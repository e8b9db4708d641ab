/**
 * The offline plan's topology diagram: one model (model.ts, built by topology.ts: buildTopology from
 * the readings of labels.ts), three renderings — Graphviz DOT (dot.ts), SVG (that DOT laid out by
 * @viz-js/viz, svg.ts) and Mermaid (mermaid.ts).
 */
import * as path from "node:path";
import type { RecordedResource } from "../record";
import { toDot } from "./dot";
import { toMermaid } from "./mermaid";
import { renderSvg } from "./svg";
import { buildTopology } from "./topology";

export { dotString, toDot } from "./dot";
export { mermaidText, toMermaid } from "./mermaid";
export { alarmLabel, portLabel } from "./labels";
export * from "./model";
export { buildTopology } from "./topology";

export type DiagramFormat = "svg" | "dot" | "mmd";

/** Picks the diagram format from a file name's extension. */
export function formatForPath(file: string): DiagramFormat {
  const ext = path.extname(file).toLowerCase();
  switch (ext) {
    case ".svg":
      return "svg";
    case ".dot":
    case ".gv":
      return "dot";
    case ".mmd":
    case ".mermaid":
      return "mmd";
    default:
      throw new Error(
        `cannot tell the diagram format of ${JSON.stringify(file)}: ` +
          `the extension ${ext === "" ? "is missing" : JSON.stringify(ext) + " is not supported"}; ` +
          `use .svg (rendered Graphviz), .dot or .gv (Graphviz source) or .mmd or .mermaid (Mermaid flowchart)`,
      );
  }
}

/** Draws the topology of the recorded resources as SVG, DOT or Mermaid text. */
export async function renderTopology(
  resources: readonly RecordedResource[],
  format: DiagramFormat,
): Promise<string> {
  const topology = buildTopology(resources);
  switch (format) {
    case "dot":
      return toDot(topology);
    case "mmd":
      return toMermaid(topology);
    case "svg":
      return renderSvg(toDot(topology));
    default:
      throw new Error(`unknown diagram format ${JSON.stringify(format)}: expected svg, dot or mmd`);
  }
}
