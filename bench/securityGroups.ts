/**
 * Security-group graph benchmark: plans and registers (under Pulumi's mock runtime) seeded random
 * graphs of N and 10N groups with 10 ingress rules each, and registers the same number of bare
 * resources with literal inputs as a baseline. Checks that the graph scales linearly and costs at
 * most 1.5× registering the same resources directly.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { SecurityGroupGraph } from "../components/securityGroups";
import { ConfigIssue } from "../config/issues";
import { resolveSecurityGroups, RuleDraft, SecurityGroupDraft } from "../config/sections/security_groups";
import { cheapStackTraces } from "../scripts/lib/mockRuntime";
import { BenchReport, check, interleaved, median } from "./lib";

/**
 * 100 and 1,000 groups (1,202 and 12,002 resources). Under the SDK's mock runtime a registration
 * costs about 1 ms, so a 10N run takes ~10 s: three interleaved rounds keep the suite near 80 s.
 * A full GC before each timed run is what keeps the ratios honest at this size (see run()).
 */
export const N = 100;
export const RULES_PER_GROUP = 10;
const SEED = 0x5eed;

/** Mulberry32: a small seeded PRNG, so every run benchmarks the same graphs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PORTS = [22, 80, 443, 3306, 5432, 6379, 8080, 8443, 9090, 11211, 27017];

/**
 * `count` groups with `RULES_PER_GROUP` ingress rules each, every rule with one source and the
 * sources distinct within a group: CIDRs (v4 and v6), other groups (forward references, a ring of
 * cycles, self-references) and `default`.
 */
export function randomGroups(count: number, seed = SEED): SecurityGroupDraft[] {
  const rnd = prng(seed ^ count);
  const pick = (n: number) => Math.floor(rnd() * n);
  const name = (i: number) => `g${String(i).padStart(5, "0")}`;
  const groups: SecurityGroupDraft[] = [];
  for (let i = 0; i < count; i++) {
    const path = `pillar:security_groups[${i}]`;
    const sources = new Set<string>();
    // A forward reference that closes a ring: every group is on one cycle.
    sources.add(name((i + 1) % count));
    if (rnd() < 0.5) sources.add("default");
    while (sources.size < RULES_PER_GROUP) {
      const r = rnd();
      if (r < 0.4) sources.add(name(pick(count)));
      else if (r < 0.85) sources.add(`10.${pick(256)}.${pick(256)}.0/24`);
      else if (r < 0.95) sources.add(`172.${16 + pick(16)}.0.0/16`);
      else sources.add(`2001:db8:${pick(65536).toString(16)}::/48`);
    }
    const rules: RuleDraft[] = [...sources].map((source, j) => {
      const rulePath = `${path}.rules[${j}]`;
      const udp = rnd() < 0.2;
      const port = PORTS[pick(PORTS.length)]!;
      const range = rnd() < 0.2;
      return {
        protocol: udp ? "udp" : "tcp",
        fromPort: port,
        toPort: range ? port + 1 + pick(100) : port,
        sources: [source],
        sourcePaths: [`${rulePath}.cidr_ip`],
        path: rulePath,
      };
    });
    groups.push({ name: name(i), description: `bench group ${i}`, rules, tags: { bench: "true" }, path });
  }
  return groups;
}

/** A fresh mock runtime; returns a counter of registered resources. */
async function freshMocks(): Promise<{ registered: number }> {
  const counter = { registered: 0 };
  await pulumi.runtime.setMocks(
    {
      newResource: (a) => {
        counter.registered++;
        return { id: `${a.name}_id`, state: a.inputs };
      },
      call: (a) => {
        throw new Error(`benchmark makes no calls, got ${a.token}`);
      },
    },
    "pillar",
    "bench",
    false,
  );
  return counter;
}

async function drain(ids: readonly pulumi.Output<string>[]): Promise<void> {
  await new Promise<void>((resolve) => pulumi.all([...ids]).apply(() => resolve()));
  await (settings as unknown as { waitForRPCs: () => Promise<void> }).waitForRPCs();
}

/**
 * Resolves the drafts as config does (every source checked and typed, once) and registers the graph
 * through SecurityGroupGraph; resolves when every registration has completed.
 */
export async function registerGraph(drafts: readonly SecurityGroupDraft[]): Promise<number> {
  const counter = await freshMocks();
  const issues: ConfigIssue[] = [];
  const groups = resolveSecurityGroups(drafts, issues);
  if (issues.length > 0) throw new Error(`the benchmark's graph is invalid: ${issues[0]!.message}`);
  const provider = new aws.Provider("bench", { region: "us-east-1" });
  const graph = new SecurityGroupGraph(
    "sg",
    {
      groups,
      vpcId: "vpc-bench",
      defaultSecurityGroupId: "sg-default",
    },
    { provider },
  );
  await drain(Object.values(graph.groupIds));
  return counter.registered;
}

interface BareRule {
  readonly name: string;
  readonly group: string;
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly source: string;
}

/** Literal inputs for the bare baseline: the same groups, ingress rules and one egress rule per group. */
export function bareSpec(groups: readonly SecurityGroupDraft[]): { groups: string[]; rules: BareRule[] } {
  const rules: BareRule[] = [];
  for (const g of groups) {
    g.rules.forEach((r, j) => {
      rules.push({
        name: `${g.name}-in-${j}`,
        group: `${g.name}_id`,
        protocol: r.protocol,
        fromPort: r.fromPort ?? 0,
        toPort: r.toPort ?? 0,
        source: r.sources[0]!,
      });
    });
  }
  return { groups: groups.map((g) => g.name), rules };
}

/** Registers the same resource counts directly, with literal inputs (no plan, no Outputs between them). */
export async function registerBare(spec: ReturnType<typeof bareSpec>): Promise<number> {
  const counter = await freshMocks();
  const provider = new aws.Provider("bench", { region: "us-east-1" });
  const o = { provider };
  const ids: pulumi.Output<string>[] = [];
  for (const g of spec.groups) {
    ids.push(
      new aws.ec2.SecurityGroup(`sg-${g}`, { vpcId: "vpc-bench", description: g, tags: { Name: g } }, o).id,
    );
    new aws.vpc.SecurityGroupEgressRule(
      `sg-${g}-out`,
      {
        securityGroupId: `${g}_id`,
        ipProtocol: "-1",
        cidrIpv4: "0.0.0.0/0",
        description: g,
        tags: { Name: g },
      },
      o,
    );
  }
  for (const r of spec.rules) {
    const source = r.source.includes("/")
      ? r.source.includes(":")
        ? { cidrIpv6: r.source }
        : { cidrIpv4: r.source }
      : { referencedSecurityGroupId: `${r.source}_id` };
    new aws.vpc.SecurityGroupIngressRule(
      `sg-${r.name}`,
      {
        securityGroupId: r.group,
        ipProtocol: r.protocol,
        fromPort: r.fromPort,
        toPort: r.toPort,
        ...source,
        description: r.name,
        tags: { Name: r.name },
      },
      o,
    );
  }
  await drain(ids);
  return counter.registered;
}

const mb = (kb: number) => Math.round((kb / 1024) * 10) / 10;

export async function run(): Promise<BenchReport> {
  const small = randomGroups(N);
  const large = randomGroups(10 * N);
  const bare = bareSpec(large);

  // As in a real plan (npm run plan): the launcher's JavaScript build runs without source maps, and
  // the mock runtime formats the SDK's per-promise and per-resource stack traces cheaply while the
  // program registers (scripts/lib/mockRuntime.ts cheapStackTraces) — the same code, not a bench's
  // own approximation of it, so the figures are what a plan pays per resource.
  const sourceMaps = process.sourceMapsEnabled;
  process.setSourceMapsEnabled(false);
  const restoreStackTraces = cheapStackTraces();
  try {
    // One untimed run of ours at 10N first (also the warm-up), so the peak memory read after it is
    // ours; the entry reports the whole process's peak separately.
    const ours10N = await registerGraph(large);
    const peakAt10N = mb(process.resourceUsage().maxRSS);
    let oursN = 0;
    let bare10N = 0;
    // CPU time of each timed run too: registration under mocks is pure CPU, so on a shared machine
    // it shows what the wall-time ratios would be without other processes' load.
    const cpu = { oursN: [] as number[], ours10N: [] as number[], bare10N: [] as number[] };
    const timedCpu = async <T>(into: number[], f: () => Promise<T>): Promise<T> => {
      const c0 = process.cpuUsage();
      const r = await f();
      const c = process.cpuUsage(c0);
      into.push((c.user + c.system) / 1000);
      return r;
    };
    const t = await interleaved(
      {
        oursN: async () => (oursN = await timedCpu(cpu.oursN, () => registerGraph(small))),
        ours10N: () => timedCpu(cpu.ours10N, () => registerGraph(large)),
        bare10N: async () => (bare10N = await timedCpu(cpu.bare10N, () => registerBare(bare))),
      },
      // A full collection before each timed run (the entry starts suites with --expose-gc): without
      // it, garbage of earlier runs makes whichever run comes next pay, skewing the ratios.
      { rounds: 3, warmup: 0, beforeEach: () => (globalThis as { gc?: () => void }).gc?.() },
    );
    const c = { oursN: median(cpu.oursN), ours10N: median(cpu.ours10N), bare10N: median(cpu.bare10N) };
    return {
      suite: "securityGroups",
      figures: {
        [`ms at N=${N} groups`]: round(t.oursN),
        [`ms at 10N=${10 * N} groups`]: round(t.ours10N),
        [`ms bare at 10N=${10 * N} groups`]: round(t.bare10N),
        "cpu ms at N": round(c.oursN),
        "cpu ms at 10N": round(c.ours10N),
        "cpu ms bare at 10N": round(c.bare10N),
        "cpu time(10N)/time(N)": round(c.ours10N / c.oursN, 3),
        "cpu ours/bare at 10N": round(c.ours10N / c.bare10N, 3),
        "resources registered at N": oursN,
        "resources registered at 10N": ours10N,
        "resources registered bare at 10N": bare10N,
        "peak RSS MB after first 10N run": peakAt10N,
      },
      checks: [
        check("time(10N)/time(N)", round(t.ours10N / t.oursN, 3), "<=", 12),
        check("ours/bare at 10N", round(t.ours10N / t.bare10N, 3), "<=", 1.5),
      ],
    };
  } finally {
    restoreStackTraces();
    process.setSourceMapsEnabled(sourceMaps);
  }
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
