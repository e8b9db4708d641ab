/** SVG: the DOT laid out in-process by @viz-js/viz (WebAssembly Graphviz). */

type VizInstance = { renderString(input: string, options?: { format?: string; engine?: string }): string };
let vizPromise: Promise<VizInstance> | undefined;

export async function renderSvg(dot: string): Promise<string> {
  vizPromise ??= (async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const viz = require("@viz-js/viz") as { instance(): Promise<VizInstance> };
    return viz.instance();
  })();
  const viz = await vizPromise;
  return viz.renderString(dot, { format: "svg", engine: "dot" });
}
