// Preloaded with `node --require` into a policy pack the offline plan starts, when the plan's V8
// compile cache is on (scripts/launch.js; see compileCachePreload in analyzerProcess.ts). On Node
// 22.1+ the pack's cache is already on (NODE_COMPILE_CACHE is in its environment); on Node 20 this
// turns on v8-compile-cache (its folder in V8_COMPILE_CACHE_CACHE_DIR). Either writes what it learnt
// when the process exits; but the plan stops its pack with SIGTERM, whose default action ends a
// process without its exit hooks, so nothing would ever be written and every pack would start cold.
// So SIGTERM flushes the cache and exits with the code a shell reports for it (128 + 15).
"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, preloaded before the pack */
const nodeModule = require("node:module");

if (typeof nodeModule.enableCompileCache !== "function") require("v8-compile-cache");
// On Node 22.1+, as the plan's launcher does (scripts/launch.js): the flag @pulumi/pulumi turns on,
// from here, so that every module after this one compiles under the same V8 flags in the pack and
// the plan, which share one cache (run-policy-pack would turn it on a few modules later).
else require("node:v8").setFlagsFromString("--allow-natives-syntax");

process.once("SIGTERM", () => {
  if (typeof nodeModule.flushCompileCache === "function") nodeModule.flushCompileCache();
  process.exit(128 + 15);
});
