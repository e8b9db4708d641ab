/**
 * Builds the reactor Lambda's code: one CommonJS file with the AWS SDK v3 clients inside, so the
 * SDK version is the one in package-lock.json, not whatever the runtime ships this month.
 *
 * The bytes depend only on the sources and the lockfile: no sourcemap, no legal-comment banners,
 * no metafile, paths relative to the repository, minified (which also drops esbuild's
 * `// path/to/file.ts` markers). Same input, same sha256, so `pulumi preview` shows no diff.
 *
 * Built once per change of its inputs (issue 14: 0.4–0.6 s a run): cached by a hash of esbuild's
 * version and options, the lockfile and every project file esbuild's metafile lists
 * (scripts/lib/buildCache.js), so a hit gives the same bytes a build would.
 */
import { buildSync, version as esbuildVersion, type BuildOptions } from "esbuild";
import { createHash } from "node:crypto";
import * as path from "node:path";
import { cacheDir, cachedBuild, projectInputs } from "../scripts/lib/buildCache";

export interface ReactorBundle {
  /** The handler module; deploy it as `index.js`, handler `index.handler`. */
  readonly code: string;
  readonly sha256: string;
  readonly bytes: number;
}

export const BUNDLE_LIMIT_BYTES = 1_000_000;

const ROOT = path.resolve(__dirname, "..");

const OPTIONS = {
  absWorkingDir: ROOT,
  entryPoints: ["reactor/handler.ts"],
  bundle: true,
  platform: "node",
  target: "node22",
  format: "cjs",
  // Prefer the SDK's ES module builds so unused commands and their models are tree-shaken.
  mainFields: ["module", "main"],
  minify: true,
  sourcemap: false,
  legalComments: "none",
  charset: "utf8",
  treeShaking: true,
  write: false,
  logLevel: "silent",
} satisfies BuildOptions;

function build(): { contents: Uint8Array; inputs: string[] } {
  const result = buildSync({ ...OPTIONS, metafile: true });
  if (result.errors.length > 0) {
    throw new Error(`bundling the reactor failed: ${result.errors.map((e) => e.text).join("; ")}`);
  }
  const file = result.outputFiles[0];
  if (file === undefined || result.outputFiles.length !== 1)
    throw new Error("bundling the reactor gave no single file");
  return { contents: file.contents, inputs: projectInputs(ROOT, result.metafile) };
}

/** The reactor's code: from the build cache when no input changed, else built (and cached). */
export function bundleReactor(opts: { cache?: boolean } = {}): ReactorBundle {
  const contents =
    opts.cache === false
      ? Buffer.from(build().contents)
      : cachedBuild({
          dir: cacheDir(ROOT),
          name: "reactor",
          ext: ".js",
          root: ROOT,
          key: JSON.stringify({ esbuild: esbuildVersion, options: OPTIONS }),
          build,
        }).contents;
  return {
    code: contents.toString("utf8"),
    sha256: createHash("sha256").update(contents).digest("hex"),
    bytes: contents.byteLength,
  };
}
