// A build cache keyed by a hash of every input, shared by the plan's launcher (scripts/launch.js) and
// the reactor's bundle (reactor/bundle.ts). Plain CommonJS, so that it runs before anything is built.
//
// An entry is two files in the cache folder: `<name>-<digest><ext>` (the output) and `<name>.json`
// (the manifest: the digest and the input files it was computed over). A hit re-reads and re-hashes
// exactly the inputs the manifest lists: any edit to one of them changes the digest, and a file that
// is new to the build can only enter it through an edit of a file already in it. Files under
// node_modules are stood for by package-lock.json, which the caller lists among the inputs.
//
// Safe with several processes at once (CI runs the suite on two Node versions side by side in one
// checkout, and a plan may run beside them): every file is written to a unique temporary name and
// renamed into place, which is atomic on one filesystem, so a reader sees the old file or the new
// one, never half of one; an output is never replaced by different bytes under the same name (its
// name carries its digest), so a manifest never points at an output it did not describe.
"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, run before any build */
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

/** sha256 over the key and, in order, each input's path (relative to root) and bytes. */
function digestOf(root, key, inputs) {
  const h = crypto.createHash("sha256");
  h.update(key);
  for (const rel of inputs) {
    h.update("\0");
    h.update(rel);
    h.update("\0");
    h.update(fs.readFileSync(path.join(root, rel)));
  }
  return h.digest("hex");
}

function writeAtomically(file, data) {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(6).toString("hex")}.tmp`;
  fs.writeFileSync(tmp, data);
  try {
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

const manifestOf = (opts) => path.join(opts.dir, `${opts.name}.json`);
const outputOf = (opts, digest) => path.join(opts.dir, `${opts.name}-${digest}${opts.ext}`);

/**
 * The cached output when every input it was built from is unchanged, else undefined.
 * opts: { dir, name, ext, root, key }, where `key` is everything besides the files that decides the
 * output (the builder's version and options). Returns { file, contents, hit: true }.
 */
function lookup(opts) {
  try {
    const manifest = JSON.parse(fs.readFileSync(manifestOf(opts), "utf8"));
    if (
      Array.isArray(manifest.inputs) &&
      digestOf(opts.root, opts.key, manifest.inputs) === manifest.digest
    ) {
      const file = outputOf(opts, manifest.digest);
      return { file, contents: fs.readFileSync(file), hit: true };
    }
  } catch {
    // No entry yet, an input gone, or an output removed: a miss.
  }
  return undefined;
}

/** Stores a build's { contents, inputs (relative to root) } and returns { file, contents, hit: false }. */
function store(opts, built) {
  const inputs = [...new Set(built.inputs)].sort();
  const digest = digestOf(opts.root, opts.key, inputs);
  const file = outputOf(opts, digest);
  fs.mkdirSync(opts.dir, { recursive: true });
  writeAtomically(file, built.contents);
  writeAtomically(manifestOf(opts), `${JSON.stringify({ digest, inputs }, null, 1)}\n`);
  return { file, contents: Buffer.from(built.contents), hit: false };
}

/** lookup, else store(build()): `build()` returns { contents, inputs }. */
function cachedBuild(opts) {
  return lookup(opts) ?? store(opts, opts.build());
}

/** The cache folder of this checkout: node_modules/.cache/pillar (npm ci clears it). */
function cacheDir(root) {
  return path.join(root, "node_modules", ".cache", "pillar");
}

/** The project's inputs of an esbuild metafile, relative to root, plus the lockfile for node_modules. */
function projectInputs(root, metafile) {
  const inputs = ["package-lock.json"];
  for (const input of Object.keys(metafile.inputs)) {
    const abs = path.resolve(root, input);
    const rel = path.relative(root, abs);
    if (!rel.split(path.sep).includes("node_modules") && !rel.startsWith("..")) inputs.push(rel);
  }
  return inputs;
}

module.exports = { cachedBuild, cacheDir, digestOf, lookup, projectInputs, store };
