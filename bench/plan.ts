/**
 * The offline plan as a user runs it: whole processes, start-up, imports, ajv, the policy pack and
 * all, timed side by side in one run (rounds interleaved, medians), and compared as ratios:
 *
 * - the prod plan (`node scripts/launch.js plan --stack prod`, what `npm run plan` runs) against
 *   the floor of any Pulumi program, `node -e "require('@pulumi/pulumi')"`: wall time and CPU time
 *   (user + sys of the plan and its policy pack, via /usr/bin/time); bound 2.5× on wall time;
 * - the plan's growth as a stack grows along one dimension, at N and 10N, after subtracting the
 *   fixed cost (the same stack without the added items): every dimension ≤ 11×; and peak RSS per
 *   resource added.
 *
 * Unlike the engine, the offline plan overlaps the Remediate → Analyze chains of different
 * resources (scripts/lib/analyzer.ts), so its analysis scales better than `pulumi preview`'s would.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { PROJECT_ROOT } from "../scripts/lib/planner";
import { BenchReport, check, median } from "./lib";

const ROUNDS = 3;

interface Sample {
  wallMs: number;
  cpuMs: number;
  /** Peak resident set of the largest process (the plan or its pack), MB. */
  rssMb: number;
  stdout: string;
}

/** One whole process under /usr/bin/time: wall, user + sys (waited-for children included), max RSS. */
function measure(args: readonly string[]): Sample {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %U %S %M", process.execPath, ...args], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, PULUMI_CONFIG: undefined },
  });
  if (r.status !== 0)
    throw new Error(`${args.join(" ")} exited ${String(r.status)}: ${r.stderr.slice(-2000)}`);
  const last = r.stderr.trim().split("\n").pop()!;
  const [wall, user, sys, rssKb] = last.split(" ").map(Number) as [number, number, number, number];
  return { wallMs: wall * 1000, cpuMs: (user + sys) * 1000, rssMb: rssKb / 1024, stdout: r.stdout };
}

type Stack = Record<string, unknown>;

export function devStack(): Stack {
  return (
    YAML.parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.dev.yaml"), "utf8")) as { config: Stack }
  ).config;
}

/** n more security groups of 10 rules each. */
export function withGroups(config: Stack, n: number): Stack {
  const groups = Array.from({ length: n }, (_, i) => ({
    name: `app-${i}`,
    description: `application group ${i}`,
    rules: Array.from({ length: 10 }, (_, j) => ({
      ip_protocol: "tcp",
      from_port: 8000 + j,
      to_port: 8000 + j,
      cidr_ip: `10.${Math.floor(i / 250)}.${i % 250}.0/24`,
    })),
  }));
  return {
    ...config,
    "pillar:security_groups": [...(config["pillar:security_groups"] as unknown[]), ...groups],
  };
}

/** n more autoscale groups like dev's, each with its launch template, two policies, two alarms, topic, hooks. */
export function withAutoscaleGroups(config: Stack, n: number): Stack {
  const autoscale = config["pillar:autoscale"] as { groups: Record<string, unknown>[] };
  const cloudwatch = config["pillar:cloudwatch"] as { alarms: Record<string, unknown>[] };
  const template = autoscale.groups[0]!;
  const groups = [];
  const alarms = [];
  for (let i = 0; i < n; i++) {
    const name = `hosts-${i}`;
    groups.push({
      ...template,
      name,
      scaling_policies: ["up", "down"].map((d) => ({
        name: `${name}_scale_${d}`,
        adjustment_type: "ChangeInCapacity",
        as_name: name,
        scaling_adjustment: d === "up" ? 1 : -1,
      })),
    });
    for (const [d, comparison, threshold] of [
      ["up", ">=", 70],
      ["down", "<=", 40],
    ] as const) {
      alarms.push({
        name: `${name}_cpu_${d}`,
        attributes: {
          metric: "CPUUtilization",
          namespace: "AWS/EC2",
          statistic: "Average",
          comparison,
          threshold,
          period: 60,
          evaluation_periods: 5,
          alarm_actions: [`scaling_policy:${name}:${name}_scale_${d}`],
          dimensions: { AutoScalingGroupName: [name] },
        },
      });
    }
  }
  return {
    ...config,
    "pillar:autoscale": { ...autoscale, groups: [...autoscale.groups, ...groups] },
    "pillar:cloudwatch": { ...cloudwatch, alarms: [...cloudwatch.alarms, ...alarms] },
  };
}

function writeStack(dir: string, name: string, config: Stack): string {
  const file = path.join(dir, `Pulumi.${name}.yaml`);
  fs.writeFileSync(file, YAML.stringify({ config }));
  return file;
}

const resourceCount = (stdout: string): number => {
  const m = /^Resources: \+ (\d+) to create/m.exec(stdout);
  if (!m) throw new Error("no resource count in the plan's output");
  return Number(m[1]);
};

export async function run(): Promise<BenchReport> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pillar-bench-plan-"));
  const plan = (...args: string[]) => [path.join("scripts", "launch.js"), "plan", ...args];
  const dimensions = {
    "security groups (×10 rules)": { n: 20, make: withGroups },
    "autoscale groups": { n: 2, make: withAutoscaleGroups },
  } as const;
  const base = devStack();
  const contenders: Record<string, readonly string[]> = {
    sdk: ["-e", "require('@pulumi/pulumi')"],
    prod: plan("--stack", "prod"),
    fixed: plan("--stack-file", writeStack(dir, "fixed", base)),
  };
  for (const [label, d] of Object.entries(dimensions)) {
    contenders[`${label} N`] = plan("--stack-file", writeStack(dir, `n${d.n}`, d.make(base, d.n)));
    contenders[`${label} 10N`] = plan(
      "--stack-file",
      writeStack(dir, `n${d.n * 10}`, d.make(base, d.n * 10)),
    );
  }
  // Untimed: builds the plan's cache and the reactor's, and warms the disk cache.
  measure(contenders["prod"]!);
  const samples: Record<string, Sample[]> = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  for (let round = 0; round < ROUNDS; round++)
    for (const [k, args] of Object.entries(contenders)) samples[k]!.push(measure(args));
  fs.rmSync(dir, { recursive: true, force: true });

  const med = (k: string, f: (s: Sample) => number) => median(samples[k]!.map(f));
  const wall = (k: string) => med(k, (s) => s.wallMs);
  const cpu = (k: string) => med(k, (s) => s.cpuMs);
  const r = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
  const figures: Record<string, number> = {
    "sdk require wall ms": r(wall("sdk"), 0),
    "sdk require cpu ms": r(cpu("sdk"), 0),
    "prod plan wall ms": r(wall("prod"), 0),
    "prod plan cpu ms (plan + pack)": r(cpu("prod"), 0),
    "prod plan / sdk require, wall": r(wall("prod") / wall("sdk")),
    "prod plan / sdk require, cpu": r(cpu("prod") / cpu("sdk")),
    "fixed stack (dev) wall ms": r(wall("fixed"), 0),
  };
  const checks = [
    check(
      "prod plan / node -e require('@pulumi/pulumi'), wall",
      figures["prod plan / sdk require, wall"]!,
      "<=",
      2.5,
    ),
  ];
  const fixedResources = resourceCount(samples["fixed"]![0]!.stdout);
  for (const [label, d] of Object.entries(dimensions)) {
    const n = `${label} N`;
    const n10 = `${label} 10N`;
    const added = (k: string) => resourceCount(samples[k]![0]!.stdout) - fixedResources;
    figures[`${label}: N`] = d.n;
    figures[`${label}: resources added at N`] = added(n);
    figures[`${label}: resources added at 10N`] = added(n10);
    figures[`${label}: wall ms at N minus fixed`] = r(wall(n) - wall("fixed"), 0);
    figures[`${label}: wall ms at 10N minus fixed`] = r(wall(n10) - wall("fixed"), 0);
    const cpuRatio = (cpu(n10) - cpu("fixed")) / (cpu(n) - cpu("fixed"));
    figures[`${label}: 10N/N cpu, fixed cost subtracted`] = r(cpuRatio);
    figures[`${label}: 10N/N wall, fixed cost subtracted`] = r(
      (wall(n10) - wall("fixed")) / (wall(n) - wall("fixed")),
    );
    figures[`${label}: peak RSS KB per resource added`] = r(
      ((med(n10, (s) => s.rssMb) - med("fixed", (s) => s.rssMb)) * 1024) / added(n10),
      1,
    );
    // CPU time: the wall time of a plan on a shared 2-core machine swings with the neighbours' load.
    checks.push(check(`${label}: time(10N)/time(N), fixed cost subtracted (cpu)`, r(cpuRatio), "<=", 11));
  }
  return { suite: "plan", figures, checks };
}
