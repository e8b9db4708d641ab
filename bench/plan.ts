/**
 * The offline plan as a user runs it: whole processes, start-up, imports, ajv, the policy pack and
 * all, timed side by side in one run (rounds interleaved, medians), and compared as ratios:
 *
 * - the prod plan (`node scripts/launch.js plan --stack prod`, what `npm run plan` runs) against
 *   the floor of any Pulumi program, `node -e "require('@pulumi/pulumi')"`: wall time and CPU time
 *   (user + sys of the plan and its policy pack, via /usr/bin/time); bound 2.5× on wall time;
 * - the plan's growth as a stack grows along one dimension (security groups, autoscale groups, load
 *   balancers, alarms, profiles: DIMENSIONS), at N and 10N, after subtracting the fixed cost (the
 *   dev stack without the added items), in CPU time: every dimension ≤ 11×; and peak RSS per
 *   resource added.
 *
 * Unlike the engine, the offline plan overlaps the Remediate → Analyze chains of different
 * resources (scripts/lib/analyzer.ts), so its analysis scales better than `pulumi preview`'s would.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as nodeModule from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { PROJECT_ROOT } from "../scripts/lib/planner";
import { BenchReport, check, median } from "./lib";

interface Sample {
  wallMs: number;
  cpuMs: number;
  /** Peak resident set of the largest process (the plan or its pack), MB. */
  rssMb: number;
  stdout: string;
}

/** One whole process under /usr/bin/time: wall, user + sys (waited-for children included), max RSS. */
export function measure(args: readonly string[], env: NodeJS.ProcessEnv = {}): Sample {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %U %S %M", process.execPath, ...args], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, PULUMI_CONFIG: undefined, ...env },
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

/** n more security groups of 10 rules each: 12 resources each (the group, its rules, its egress). */
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

/**
 * n more classic load balancers beside dev's (`pillar:elb` as a list), each like the seed's
 * MY-ELB: an HTTPS listener with its IAM certificate and an HTTP one, in the public subnets, behind
 * the webhost group. 4 resources each: the component, its aws:elb:LoadBalancer, and the TLS
 * policy with the listener policy that sets it on port 443.
 */
export function withLoadBalancers(config: Stack, n: number): Stack {
  const first = config["pillar:elb"] as Record<string, unknown>;
  const lbs = Array.from({ length: n }, (_, i) => ({
    ...first,
    name: `lb-${i}`,
    listeners: [
      {
        elb_port: 443,
        instance_port: 443,
        certificate: `arn:aws:iam::123456789012:server-certificate/lb-${i}`,
        elb_protocol: "HTTPS",
        instance_protocol: "HTTPS",
      },
      { elb_port: 80, instance_port: 80, elb_protocol: "HTTP", instance_protocol: "HTTP" },
    ],
    health_check: { target: "HTTPS:443/check.html" },
  }));
  return { ...config, "pillar:elb": [first, ...lbs] };
}

/**
 * n more CloudWatch alarms on dev's group, each acting on one of its two scaling policies, with
 * thresholds and periods that differ from alarm to alarm. 1 resource each (its MetricAlarm).
 */
export function withAlarms(config: Stack, n: number): Stack {
  const cloudwatch = config["pillar:cloudwatch"] as { alarms: Record<string, unknown>[] };
  const alarms = Array.from({ length: n }, (_, i) => {
    const up = i % 2 === 0;
    return {
      name: `dev_cpu_${up ? "up" : "down"}_${i}`,
      attributes: {
        metric: "CPUUtilization",
        namespace: "AWS/EC2",
        statistic: "Average",
        comparison: up ? ">=" : "<=",
        threshold: up ? 50 + (i % 50) : 1 + (i % 40),
        period: 60,
        evaluation_periods: 1 + (i % 10),
        alarm_actions: [`scaling_policy:dev-hosts:dev_scale_${up ? "up" : "down"}`],
        dimensions: { AutoScalingGroupName: ["dev-hosts"] },
      },
    };
  });
  return { ...config, "pillar:cloudwatch": { ...cloudwatch, alarms: [...cloudwatch.alarms, ...alarms] } };
}

/**
 * n salt-cloud profiles (`pillar:profiles`) like the seed's mongodb-server: a stateful server with a
 * root and a data volume, grains, the webhost group. 12 resources each: the ServerProfile and its
 * instance, instance profile (role, profile, SSM attachment), data volume and its attachment, and
 * the snapshot policy component (role, two role policies, the DLM policy).
 */
export function withProfiles(config: Stack, n: number): Stack {
  const profiles = Object.fromEntries(
    Array.from({ length: n }, (_, i) => [
      `db-${i}`,
      {
        size: "t3.micro",
        security_groups: ["webhost"],
        block_device_mappings: [
          { DeviceName: "/dev/sda1", "Ebs.VolumeSize": 20 },
          { DeviceName: "/dev/sdf", "Ebs.VolumeSize": 50 },
        ],
        grains: { roles: ["mongodb", "mongodb-server"], env: "dev" },
      },
    ]),
  );
  return {
    ...config,
    "pillar:profiles": { ...(config["pillar:profiles"] as object | undefined), ...profiles },
  };
}

/**
 * n more autoscale groups like dev's, each with its launch template, two policies, two alarms,
 * topic, hooks and the reactor's subscription: 20 resources each.
 */
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
  // No anchors and aliases for the objects generated items share: the plan's YAML parser caps aliases.
  fs.writeFileSync(file, YAML.stringify({ config }, { aliasDuplicateObjects: false }));
  return file;
}

const resourceCount = (stdout: string): number => {
  const m = /^Resources: \+ (\d+) to create/m.exec(stdout);
  if (!m) throw new Error("no resource count in the plan's output");
  return Number(m[1]);
};

/** One way a user's stack grows: `make(config, n)` adds n items of `perItem` resources each. */
export interface Dimension {
  readonly n: number;
  readonly perItem: number;
  readonly make: (config: Stack, n: number) => Stack;
  /** Timed rounds at N (default ROUNDS). */
  readonly roundsN?: number;
  /** Timed rounds at 10N (default ROUNDS_10N). */
  readonly rounds10N?: number;
}

/** Rounds of the sdk, prod and each dimension at N (N's cost is its plan minus the fixed plan). */
const ROUNDS = 5;
/** Rounds of the fixed stack, whose noise every dimension's ratio divides by. */
const FIXED_ROUNDS = 25;
/** Rounds at 10N: plans of 10 s to 2 minutes, whose own noise is a small part of their cost. */
const ROUNDS_10N = 1;

/**
 * The dimensions, with N chosen so that N's items cost a few seconds of CPU, well over the fixed
 * plan's noise (≈ 400 resources or more), and 10N a plan of under a minute on a quiet machine, except:
 * - security groups: 2,000 groups of 10 rules (24,000 resources) at 10N, as issue 14 asks, a plan
 *   of about two minutes; 3 rounds at N, whose cost (≈ 13 s of CPU) is far over the noise;
 * - autoscale groups: 2 and 20; 25 rounds at N, as many as the fixed stack (N adds only 40
 *   resources, whose cost is a small difference of two plans: on Node 24, once the plan and its
 *   pack stopped rejecting each other's compile cache, 15 same-round pairs ranged from −130 to 480 ms, and their
 *   median of 160 ms read 13.9×), and 3 at 10N. Every group with a
 *   reactor profile (which its lifecycle hooks need) adds its entry and its topic's ARN to the reactor Lambda's environment,
 *   which AWS caps at 4 KB: 28 such groups fit in the dev stack (4,029 bytes) and config refuses
 *   a 29th (test/reactorEnvironmentSize.test.ts); 20 stay well inside.
 */
export const DIMENSIONS: Readonly<Record<string, Dimension>> = {
  "security groups (×10 rules)": { n: 200, perItem: 12, make: withGroups, roundsN: 3 },
  "autoscale groups": { n: 2, perItem: 20, make: withAutoscaleGroups, roundsN: FIXED_ROUNDS, rounds10N: 3 },
  "load balancers": { n: 100, perItem: 4, make: withLoadBalancers },
  alarms: { n: 400, perItem: 1, make: withAlarms },
  profiles: { n: 40, perItem: 12, make: withProfiles },
};

const ACCEPTED = /^Provider checks: the AWS provider and AWS would accept every resource /m;

/**
 * What every generated stack must be: a plan that exits 0 (measure() throws otherwise), with no
 * provider or mandatory policy violation, and exactly perItem × n resources more than the fixed stack.
 */
function checkPlan(label: string, stdout: string, expected: number): void {
  const count = resourceCount(stdout);
  if (count !== expected) throw new Error(`${label}: the plan has ${count} resources, expected ${expected}`);
  if (!ACCEPTED.test(stdout)) throw new Error(`${label}: the plan's provider checks did not pass`);
  if (/\[mandatory\]/.test(stdout)) throw new Error(`${label}: the plan has a mandatory policy violation`);
}

export async function run(): Promise<BenchReport> {
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pillar-bench-plan-"));
  const plan = (...args: string[]) => [path.join("scripts", "launch.js"), "plan", ...args];
  const base = devStack();
  // The SDK's import with the V8 compile cache the plan's launcher turns on (scripts/launch.js), in
  // a folder of its own: the plan is also compared with the floor that cache gives any program.
  const builtInCache =
    typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === "function";
  const cacheDirFor = path.join(dir, "v8");
  const contenders: Record<string, { args: readonly string[]; rounds: number; env?: NodeJS.ProcessEnv }> = {
    sdk: { args: ["-e", "require('@pulumi/pulumi')"], rounds: ROUNDS },
    "sdk, compile cache": builtInCache
      ? {
          args: ["-e", "require('@pulumi/pulumi')"],
          rounds: ROUNDS,
          env: { NODE_COMPILE_CACHE: cacheDirFor },
        }
      : {
          args: ["--require", require.resolve("v8-compile-cache"), "-e", "require('@pulumi/pulumi')"],
          rounds: ROUNDS,
          env: { V8_COMPILE_CACHE_CACHE_DIR: cacheDirFor },
        },
    prod: { args: plan("--stack", "prod"), rounds: ROUNDS },
    fixed: { args: plan("--stack-file", writeStack(dir, "fixed", base)), rounds: FIXED_ROUNDS },
  };
  // Each dimension's samples pair with the fixed plan's of the same round (overFixed below).
  for (const [label, d] of Object.entries(DIMENSIONS)) {
    if ((d.roundsN ?? ROUNDS) > FIXED_ROUNDS || (d.rounds10N ?? ROUNDS_10N) > FIXED_ROUNDS)
      throw new Error(`bench plan: ${label} has more rounds than the fixed stack (${FIXED_ROUNDS})`);
  }
  Object.entries(DIMENSIONS).forEach(([label, d], i) => {
    for (const [key, n, rounds] of [
      [`${label} N`, d.n, d.roundsN ?? ROUNDS],
      [`${label} 10N`, d.n * 10, d.rounds10N ?? ROUNDS_10N],
    ] as const) {
      contenders[key] = {
        args: plan("--stack-file", writeStack(dir, `d${i}-${n}`, d.make(base, n))),
        rounds,
      };
    }
  });
  // Untimed: builds the plan's cache and the reactor's, and warms the disk cache.
  measure(contenders["prod"]!.args);
  measure(contenders["sdk, compile cache"]!.args, contenders["sdk, compile cache"]!.env);
  const samples: Record<string, Sample[]> = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  const rounds = Math.max(...Object.values(contenders).map((c) => c.rounds));
  for (let round = 0; round < rounds; round++)
    for (const [k, c] of Object.entries(contenders)) {
      if (round >= c.rounds) continue;
      const x = measure(c.args, c.env);
      samples[k]!.push(x);
      // Progress, for a suite of minutes (the entry sends a suite's own output to stderr).
      console.log(
        `plan: round ${round + 1} ${k}: cpu ${Math.round(x.cpuMs)} ms, wall ${Math.round(x.wallMs)} ms, peak RSS ${Math.round(x.rssMb)} MB`,
      );
    }
  fs.rmSync(dir, { recursive: true, force: true });

  const med = (k: string, f: (s: Sample) => number) => median(samples[k]!.map(f));
  const wall = (k: string) => med(k, (s) => s.wallMs);
  const cpu = (k: string) => med(k, (s) => s.cpuMs);
  const r = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
  // A dimension's cost: the median over rounds of its plan minus the fixed plan of the same round.
  // The two ran side by side, so an additive drift between rounds cancels, and so does a cold first
  // run (where the fixed plan too ran ≈ 20% slower than later). A slower host scales both, which
  // overstates the cost. At 10N, timed once, the figure is that one pair, and round 1's fixed plan
  // ran before every 10N plan (minutes before the last).
  const overFixed = (k: string, f: (s: Sample) => number) =>
    median(samples[k]!.map((s, i) => f(s) - f(samples["fixed"]![i]!)));
  const figures: Record<string, number> = {
    "rounds (medians) of sdk, prod and at N unless a dimension says": ROUNDS,
    "rounds of the fixed stack": FIXED_ROUNDS,
    "rounds at 10N unless a dimension says": ROUNDS_10N,
    "sdk require wall ms": r(wall("sdk"), 0),
    "sdk require cpu ms": r(cpu("sdk"), 0),
    "sdk require with the compile cache wall ms": r(wall("sdk, compile cache"), 0),
    "prod plan wall ms": r(wall("prod"), 0),
    "prod plan cpu ms (plan + pack)": r(cpu("prod"), 0),
    "prod plan / sdk require, wall": r(wall("prod") / wall("sdk")),
    "prod plan / sdk require, cpu": r(cpu("prod") / cpu("sdk")),
    // The plan runs with the compile cache warm; so does this floor (reported, not checked).
    "prod plan / sdk require with the same compile cache, wall": r(wall("prod") / wall("sdk, compile cache")),
    "fixed stack (dev) wall ms": r(wall("fixed"), 0),
    "fixed stack (dev) cpu ms": r(cpu("fixed"), 0),
    "fixed stack (dev) peak RSS MB": r(
      med("fixed", (s) => s.rssMb),
      0,
    ),
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
  checkPlan("fixed", samples["fixed"]![0]!.stdout, fixedResources);
  for (const [label, d] of Object.entries(DIMENSIONS)) {
    const n = `${label} N`;
    const n10 = `${label} 10N`;
    checkPlan(n, samples[n]![0]!.stdout, fixedResources + d.perItem * d.n);
    checkPlan(n10, samples[n10]![0]!.stdout, fixedResources + d.perItem * d.n * 10);
    const added = (k: string) => resourceCount(samples[k]![0]!.stdout) - fixedResources;
    figures[`${label}: N`] = d.n;
    figures[`${label}: resources added at N`] = added(n);
    figures[`${label}: resources added at 10N`] = added(n10);
    figures[`${label}: rounds at N`] = samples[n]!.length;
    figures[`${label}: rounds at 10N`] = samples[n10]!.length;
    const cpuOver = (k: string) => overFixed(k, (s) => s.cpuMs);
    const wallOver = (k: string) => overFixed(k, (s) => s.wallMs);
    figures[`${label}: cpu ms at N minus fixed`] = r(cpuOver(n), 0);
    figures[`${label}: cpu ms at 10N minus fixed`] = r(cpuOver(n10), 0);
    figures[`${label}: wall ms at N minus fixed`] = r(wallOver(n), 0);
    figures[`${label}: wall ms at 10N minus fixed`] = r(wallOver(n10), 0);
    const cpuRatio = cpuOver(n10) / cpuOver(n);
    figures[`${label}: 10N/N cpu, fixed cost subtracted`] = r(cpuRatio);
    figures[`${label}: 10N/N wall, fixed cost subtracted`] = r(wallOver(n10) / wallOver(n));
    figures[`${label}: peak RSS KB per resource added (10N)`] = r(
      ((med(n10, (s) => s.rssMb) - med("fixed", (s) => s.rssMb)) * 1024) / added(n10),
      1,
    );
    // CPU time: the wall time of a plan on a shared 2-core machine swings with the neighbours' load.
    checks.push(check(`${label}: time(10N)/time(N), fixed cost subtracted (cpu)`, r(cpuRatio), "<=", 11));
  }
  figures["suite wall s"] = r((Date.now() - started) / 1000, 0);
  return { suite: "plan", figures, checks };
}
