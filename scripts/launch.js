// `npm run plan` runs this: the plan as JavaScript built once per change of its inputs, not
// TypeScript transpiled on every run. Under tsx every CommonJS file of node_modules that contains
// "export" (nearly all of @pulumi/pulumi and @pulumi/aws) goes through its JavaScript module lexer,
// and it has no option to skip node_modules (issue 14: about 16% of the plan); Node's own type
// stripping needs `.ts` on every relative import and is not in Node 20. So: one esbuild bundle of
// scripts/plan.ts and the program it imports, node_modules left to Node's `require`, cached by
// scripts/lib/buildCache.js under node_modules/.cache/pillar (safe with several plans at once).
//
// usage: node scripts/launch.js plan [ARGS...]
"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS: this is what builds the rest */
const fs = require("node:fs");
const path = require("node:path");
const { cacheDir, lookup, projectInputs, store } = require("./lib/buildCache");

const ROOT = path.resolve(__dirname, "..");
const COMMANDS = { plan: "scripts/plan.ts" };

// The sources use __dirname to find the project (scripts/lib/planner.ts PROJECT_ROOT, the reactor's
// entry, the pack preload); in one bundle each file's own folder is written in its place.
const dirnamePlugin = {
  name: "source-dirname",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.split(path.sep).includes("node_modules")) return undefined;
      const text = fs.readFileSync(args.path, "utf8");
      return {
        contents: text.replace(/\b__dirname\b/g, JSON.stringify(path.dirname(args.path))),
        loader: "ts",
      };
    });
  },
};

function options(entry) {
  return {
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    packages: "external",
    sourcemap: false,
    legalComments: "none",
    charset: "utf8",
    write: false,
    logLevel: "silent",
  };
}

/** The command's module, built (esbuild's plugins need its asynchronous API) unless cached. */
async function load(command) {
  const entry = COMMANDS[command];
  if (entry === undefined)
    throw new Error(`usage: node scripts/launch.js ${Object.keys(COMMANDS).join("|")} [ARGS...]`);
  const opts = options(entry);
  const esbuildVersion = JSON.parse(fs.readFileSync(require.resolve("esbuild/package.json"), "utf8")).version;
  const entryOpts = {
    dir: cacheDir(ROOT),
    name: command,
    ext: ".js",
    root: ROOT,
    // The launcher itself decides the build too (the plugin, the options).
    key: JSON.stringify({
      esbuild: esbuildVersion,
      options: opts,
      launcher: fs.readFileSync(__filename, "utf8"),
    }),
  };
  let out = lookup(entryOpts);
  if (out === undefined) {
    const result = await require("esbuild").build({ ...opts, metafile: true, plugins: [dirnamePlugin] });
    out = store(entryOpts, {
      contents: result.outputFiles[0].contents,
      inputs: projectInputs(ROOT, result.metafile),
    });
  }
  return require(out.file);
}

/**
 * V8's code cache for every module the plan loads (the Pulumi SDK and AWS provider SDK are most of
 * its start-up, and compiling them is much of that), kept beside the build cache. Node 22.1+ has it
 * built in: NODE_COMPILE_CACHE is set first, so the policy packs the plan starts use it too. Node 20
 * has only the v8-compile-cache package, for this process. Either is off with Node's own
 * NODE_DISABLE_COMPILE_CACHE=1 (or, on Node 20, DISABLE_V8_COMPILE_CACHE=1). A cache entry whose
 * source changed is not used: V8 checks the source's hash.
 */
function enableCompileCache() {
  // PILLAR_COMPILE_CACHE_DIR: another folder (the tests use a fresh one).
  const dir = process.env.PILLAR_COMPILE_CACHE_DIR || path.join(cacheDir(ROOT), "v8");
  const nodeModule = require("node:module");
  if (typeof nodeModule.enableCompileCache === "function") {
    if (process.env.NODE_DISABLE_COMPILE_CACHE) return;
    process.env.NODE_COMPILE_CACHE ??= dir;
    nodeModule.enableCompileCache(process.env.NODE_COMPILE_CACHE);
    // Then --allow-natives-syntax, before anything else loads. V8 takes a module's code cache only
    // from a process whose flags hash the same, and @pulumi/pulumi turns that flag on as it loads
    // (runtime/closure/v8.js, v8Hooks.js): a policy pack does so before it loads the SDK
    // (run-policy-pack/index.js requires v8Hooks first), this process only midway through it. So
    // each compiled the SDK modules the two share under other flags, rejected what the other had
    // written (750 for prod; NODE_DEBUG_NATIVE=COMPILE_CACHE names each module accepted or
    // rejected), and neither started from the cache. The cache is turned on first because Node
    // names its folder after V8's flags at that moment: the pack turns it on as it starts, from
    // NODE_COMPILE_CACHE, before any flag, and so the two share one folder. The flag only lets
    // `%Name(...)` parse where an operand goes, which is a syntax error otherwise, so no program
    // means anything else by it; the SDK sets it anyway. (The pack's preload does the same.)
    require("node:v8").setFlagsFromString("--allow-natives-syntax");
  } else {
    process.env.V8_COMPILE_CACHE_CACHE_DIR ??= dir;
    require("v8-compile-cache");
  }
}

if (require.main === module) {
  enableCompileCache();
  const [command, ...args] = process.argv.slice(2);
  load(command).then(
    (mod) => mod.cli(args),
    (err) => {
      process.stderr.write(`error: ${err.message}\n`);
      process.exit(2);
    },
  );
}

module.exports = { load, COMMANDS };
