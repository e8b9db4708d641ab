/**
 * Which policy packs a command runs, and running them together, as the CLI does for
 * `pulumi preview --policy-pack A --policy-pack B --policy-pack-config a.json --policy-pack-config b.json`
 * and `pulumi policy analyze` (pulumi/pulumi pkg/cmd/pulumi/operations/up.go validatePolicyPackConfig,
 * pkg/engine/update.go MakeLocalPolicyPacks): `--policy-pack` is repeatable (and, a string slice,
 * splits on commas); `--policy-pack-config` is either absent or given once per pack, matched by
 * position. With no `--policy-pack`, the offline plan and `npm run analyze` run the pillar pack.
 */
import {
  openPolicyPack,
  type PolicyPackSession,
  type PolicyRun,
  type RunPolicyPackOptions,
} from "./analyzer";
import type { PackLaunch } from "./analyzerProcess";
import type { PackRequest } from "./packRequests";
import type { RecordedResource } from "./record";
import { ResourceFeed } from "./resourceFeed";

export {
  packRequests,
  PolicyArgsError,
  readPolicyConfigFile,
  type PackArgs,
  type PackRequest,
} from "./packRequests";

export type PacksOptions = Omit<RunPolicyPackOptions, "packDir" | "policyConfig" | "resources" | "launch">;

/**
 * Starts and configures every pack at once (each is its own process). If one fails, the others are
 * stopped before the error is thrown: a PolicyConfigError is the user's (exit 2), anything else the
 * pack's.
 */
export async function openPacks(
  requests: readonly PackRequest[],
  opts: PacksOptions,
  /** The packs' processes, when launched already (launchPack), in the order of the requests. */
  launches?: readonly PackLaunch[],
): Promise<PolicyPackSession[]> {
  const opened = await Promise.allSettled(
    requests.map((r, i) =>
      openPolicyPack({
        ...opts,
        packDir: r.dir,
        ...(r.config !== undefined ? { policyConfig: r.config } : {}),
        ...(launches?.[i] !== undefined ? { launch: launches[i] } : {}),
      }),
    ),
  );
  const failed = opened.find((o): o is PromiseRejectedResult => o.status === "rejected");
  if (failed !== undefined) {
    await Promise.all(opened.map((o) => (o.status === "fulfilled" ? o.value.close() : Promise.resolve())));
    throw failed.reason;
  }
  return opened.map((o) => (o as PromiseFulfilledResult<PolicyPackSession>).value);
}

/**
 * Analyze then AnalyzeStack with every pack, each in its own process at the same time; stops them all.
 * With a feed, AnalyzeStack waits for the feed to end (Analyze has then seen every resource).
 */
export async function analyzeWithPacks(
  sessions: readonly PolicyPackSession[],
  /** A list, or a feed the program is still adding to (analyzed as it comes; AnalyzeStack once it ends). */
  resources: readonly RecordedResource[] | ResourceFeed,
): Promise<PolicyRun[]> {
  try {
    return await Promise.all(
      sessions.map(async (session) => {
        const t0 = performance.now();
        const { violations, remediations } = await session.analyze(resources);
        const t1 = performance.now();
        const stacked = await session.analyzeStack(
          resources instanceof ResourceFeed ? resources.all : resources,
        );
        const t2 = performance.now();
        return {
          pack: session.pack,
          ...(session.version !== undefined ? { version: session.version } : {}),
          packDir: session.packDir,
          policies: session.policies,
          violations: [...violations, ...stacked],
          remediations,
          timings: { ...session.timings, analyzeMs: t1 - t0, analyzeStackMs: t2 - t1 },
        };
      }),
    );
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
  }
}

export const mandatoryCount = (runs: readonly PolicyRun[]): number =>
  runs.reduce((n, r) => n + r.violations.filter((v) => v.level === "mandatory").length, 0);

/** The `policies` part of the commands' --json documents: the first pack as `pack`, every pack in `packs`. */
export function policiesJson(runs: readonly PolicyRun[]): Record<string, unknown> {
  const label = (r: PolicyRun) => (r.version !== undefined ? `${r.pack}@v${r.version}` : r.pack);
  return {
    pack: runs[0] !== undefined ? label(runs[0]) : null,
    packs: runs.map(label),
    violations: runs.flatMap((r) =>
      r.violations.map((v) => ({
        policy: v.policy,
        level: v.level,
        urn: v.urn ?? null,
        message: v.message,
        ...(v.severity !== undefined ? { severity: v.severity } : {}),
        pack: label(r),
      })),
    ),
    remediations: runs.flatMap((r) => r.remediations.map((m) => ({ ...m, pack: label(r) }))),
  };
}
