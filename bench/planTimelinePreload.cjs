// Preloaded by bench/planTimeline.ts into `npm run plan`'s process only: writes, as JSON lines on
// file descriptor 3, the milliseconds since this process started at which it spawned each policy
// pack, the pack first wrote to stdout (its port: it is listening), the pack exited, the plan made
// each of its own marks (performance.mark "pillar:…": the SDK and program loaded, the program
// done), and the plan exited.
"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, preloaded */
const childProcess = require("node:child_process");
const fs = require("node:fs");
const { performance } = require("node:perf_hooks");

const mark = (event) => fs.writeSync(3, `${JSON.stringify({ event, ms: performance.now() })}\n`);
const spawn = childProcess.spawn;
childProcess.spawn = function (command, args, ...rest) {
  const child = spawn.call(this, command, args, ...rest);
  if ((args ?? []).some((a) => String(a).includes("run-policy-pack"))) {
    mark("spawned");
    child.stdout?.once("data", () => mark("listening"));
    child.once("exit", () => mark("exited"));
  }
  return child;
};
process.on("exit", () => {
  // The plan's own marks (scripts/plan.ts, scripts/lib/planRun.ts): "pillar:plan loaded", "pillar:program done".
  for (const m of performance.getEntriesByType("mark"))
    if (m.name.startsWith("pillar:"))
      fs.writeSync(3, `${JSON.stringify({ event: m.name.slice(7), ms: m.startTime })}\n`);
  mark("plan exit");
});
