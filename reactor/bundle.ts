/**
 * Builds the reactor Lambda's code: one CommonJS file with the AWS SDK v3 clients inside, so the
 * SDK version is the one in package-lock.json, not whatever the runtime ships this month.
 *
 * The bytes depend only on the sources and the lockfile: no sourcemap, no legal-comment banners,
 * no metafile, paths relative to the repository, minified (which also drops esbuild's
 * `// path/to/file.ts` markers). Same input, same sha256, so `pulumi preview` shows no diff.
 */
import { buildSync } from "esbuild";
import { createHash } from "node:crypto";
import * as path from "node:path";

export interface ReactorBundle {
  /** The handler module; deploy it as `index.js`, handler `index.handler`. */
  readonly code: string;
  readonly sha256: string;
  readonly bytes: number;
}

export const BUNDLE_LIMIT_BYTES = 1_000_000;

export function bundleReactor(): ReactorBundle {
  const root = path.resolve(__dirname, "..");
  const result = buildSync({
    absWorkingDir: root,
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
  });
  if (result.errors.length > 0) {
    throw new Error(`bundling the reactor failed: ${result.errors.map((e) => e.text).join("; ")}`);
  }
  const file = result.outputFiles[0];
  if (file === undefined || result.outputFiles.length !== 1)
    throw new Error("bundling the reactor gave no single file");
  const code = file.text;
  return {
    code,
    sha256: createHash("sha256").update(file.contents).digest("hex"),
    bytes: file.contents.byteLength,
  };
}
