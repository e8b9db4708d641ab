/**
 * Where the prod plan's wall time goes, as `npm run plan` runs it: when the policy pack is spawned,
 * when the plan has loaded the SDK and the program, when the program has registered everything,
 * when the pack listens (prints its port), when it exits (analysis done), and when the plan exits,
 * in ms from the plan process's start, as medians. Each round also times the plan and `node -e
 * "require('@pulumi/pulumi')"` side by side (wall, from spawn to exit, without the preload), and
 * prints the median of the rounds' ratios: the same comparison as `--suite plan`'s bound, in a
 * minute rather than its several. Not a suite with a bound: a picture of the critical path (issue
 * 14), which the whole-process ratio hides.
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
      // The plan's own marks are missing from a tree older than them (for side-by-side runs).
      if (m === undefined && (e === "plan loaded" || e === "program done")) return [e, NaN];
      if (m === undefined) throw new Error(`the plan never reported "${e}"`);
      return [e, m.ms];
    }),
  ) as Record<(typeof EVENTS)[number], number>;
}

/** Wall ms of one whole process, spawn to exit. */
function wall(args: readonly string[], env: NodeJS.ProcessEnv = {}): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT,
    stdio: "ignore",
    env: { ...process.env, PULUMI_CONFIG: undefined, ...env },
  });
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}`);
  return performance.now() - t0;
}

const rounds = Number(process.argv[2] ?? 8);
once(); // untimed: builds the caches
const runs: ReturnType<typeof once>[] = [];
const ratios: number[] = [];
for (let i = 0; i < rounds; i++) {
  runs.push(once());
  // The floor as --suite plan takes it: no compile cache, whatever this process was given.
  const sdk = wall(["-e", "require('@pulumi/pulumi')"], { NODE_COMPILE_CACHE: undefined });
  ratios.push(wall(["scripts/launch.js", "plan", "--stack", "prod"]) / sdk);
}
const med = (f: (r: ReturnType<typeof once>) => number): number | string => {
  const xs = runs.map(f);
  return xs.some(Number.isNaN) ? "n/a" : Math.round(median(xs));
};
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
console.log(
  `  prod plan / node -e require('@pulumi/pulumi'), wall: ${median(ratios).toFixed(2)}   (rounds: ${ratios.map((x) => x.toFixed(2)).join(", ")})`,
);
