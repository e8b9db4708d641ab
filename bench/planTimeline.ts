/**
 * Where the prod plan's wall time goes, as `npm run plan` runs it: when the policy pack is spawned,
 * when it listens (prints its port), when it exits (analysis done), and when the plan exits, in ms
 * from the plan process's start, as medians of interleaved runs. Not a suite with a bound: a
 * picture of the critical path (issue 14), which the whole-process ratio of `--suite plan` hides.
 *
 * usage: node --import tsx bench/planTimeline.ts [ROUNDS]   (default 8)
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { median } from "./lib";

const ROOT = path.resolve(__dirname, "..");
const EVENTS = ["spawned", "plan loaded", "listening", "program done", "exited", "plan exit"] as const;

function once(): Record<(typeof EVENTS)[number], number> {
  const r = spawnSync(
    process.execPath,
    [
      "--require",
      path.join(__dirname, "planTimelinePreload.cjs"),
      "scripts/launch.js",
      "plan",
      "--stack",
      "prod",
    ],
    {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "ignore", "ignore", "pipe"],
      env: { ...process.env, PULUMI_CONFIG: undefined },
    },
  );
  if (r.status !== 0) throw new Error(`the prod plan exited ${r.status}`);
  const marks = (r.output[3] ?? "")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { event: string; ms: number });
  return Object.fromEntries(
    EVENTS.map((e) => {
      const m = marks.find((x) => x.event === e);
      if (m === undefined) throw new Error(`the plan never reported "${e}"`);
      return [e, m.ms];
    }),
  ) as Record<(typeof EVENTS)[number], number>;
}

const rounds = Number(process.argv[2] ?? 8);
once(); // untimed: builds the caches
const runs = Array.from({ length: rounds }, once);
const med = (f: (r: ReturnType<typeof once>) => number) => Math.round(median(runs.map(f)));
console.log(`prod plan timeline, median of ${rounds} runs (ms from the plan's start)`);
console.log(`  pack spawned                 ${med((r) => r.spawned)}`);
console.log(`  plan's SDK and program loaded ${med((r) => r["plan loaded"])}`);
console.log(`  program done (all registered) ${med((r) => r["program done"])}`);
console.log(
  `  pack listening               ${med((r) => r.listening)}   (start: ${med((r) => r.listening - r.spawned)})`,
);
console.log(
  `  pack exited (analysis done)  ${med((r) => r.exited)}   (after listening: ${med((r) => r.exited - r.listening)})`,
);
console.log(`  plan exited                  ${med((r) => r["plan exit"])}`);
