/**
 * The analyzer client's types: what a run of a policy pack reports and what a session offers. In
 * their own module so that the client (analyzer.ts) and the report's formatting (analyzerFormat.ts)
 * both depend on them and not on each other.
 */
import type { EnforcementLevel } from "./analyzerConfig";
import type { PackLaunch } from "./analyzerProcess";
import type { Severity } from "./analyzerMessages";
import type { RecordedResource } from "./record";
import type { RequestCache } from "./requestCache";
import type { ResourceFeed } from "./resourceFeed";

export interface PolicyViolation {
  policy: string;
  level: EnforcementLevel;
  /** The resource the engine attributes the violation to (the root stack for a stack policy that names none). */
  urn?: string;
  message: string;
  description?: string;
  severity?: Severity;
}

export interface PolicyRun {
  /** The pack's name, as it reports it. */
  pack: string;
  /** PulumiPolicy.yaml's version if set, else the pack's package.json version. */
  version?: string;
  /** The pack's folder, absolute. */
  packDir: string;
  /** Sorted by name; enforcementLevel is the one in force after Configure. */
  policies: { name: string; description: string; enforcementLevel: string }[];
  /** Analyze diagnostics in resource order, then AnalyzeStack's, each in the order the pack sent them. */
  violations: PolicyViolation[];
  /** Remediations the pack applied (policies at "remediate"), in the order received. */
  remediations: PolicyRemediation[];
  timings: { startMs: number; configureMs: number; analyzeMs: number; analyzeStackMs: number };
}

/** A remediation policy changed (or, analyzing deployed state, would change) a resource's inputs. */
export interface PolicyRemediation {
  policy: string;
  urn: string;
  /** Top-level input keys the remediation added, deleted and updated, as the CLI's short diff lists them. */
  diff: { adds: string[]; deletes: string[]; updates: string[] };
}

export interface RunPolicyPackOptions {
  /** Folder of the pack (PulumiPolicy.yaml). */
  packDir: string;
  project: string;
  stack: string;
  organization?: string;
  /** true for a preview. */
  dryRun: boolean;
  /** Project config, "pillar:x" → its value as the engine holds it (ConfigureStack, PULUMI_CONFIG). */
  stackConfig: Record<string, string>;
  secretConfigKeys?: string[];
  /** Stack tags (ConfigureStack); policies read them as `args.stackTags`. */
  stackTags?: Record<string, string>;
  /** In registration order, including components. */
  resources: readonly RecordedResource[];
  /** Like --policy-pack-config: { "<policy-name>": { enforcementLevel?, ...props } } or { "<policy-name>": "<level>" }. */
  policyConfig?: Record<string, unknown>;
  /**
   * How long the pack may go without progress: to print its port, or to answer a call while calls
   * are in flight (so a run of any size may finish; a hung pack is stopped). Default 120 s.
   */
  timeoutMs?: number;
  /**
   * "apply" (a preview): a remediation replaces the inputs Analyze and AnalyzeStack see. "report"
   * (`pulumi policy analyze` over deployed state): it is reported, and the state analyzed as it is.
   */
  remediations?: "apply" | "report";
  /**
   * What AnalyzeStack sees of a custom resource: its inputs (a preview of creates, where outputs are
   * not known yet) or its recorded outputs (deployed state, as `pulumi policy analyze` sends them).
   */
  stackProperties?: "inputs" | "outputs";
  /** The pack's process, already started by launchPack (analyzerProcess.ts) for this packDir and stack. */
  launch?: PackLaunch;
  /** Requests encoded ahead (requestCache.ts), made with this very `stackConfig` object. */
  requests?: RequestCache;
}

export interface PolicyPackSession {
  readonly pack: string;
  readonly version?: string;
  readonly packDir: string;
  readonly policies: PolicyRun["policies"];
  /** The pack's command line, as spawned in its folder. */
  readonly command: readonly string[];
  readonly timings: { readonly startMs: number; readonly configureMs: number };
  /**
   * For each resource, Remediate and then Analyze (on the remediated inputs); violations are
   * attributed to the resource analyzed and reported in resource order. Remediated inputs are kept
   * for analyzeStack.
   */
  analyze(
    resources: readonly RecordedResource[] | ResourceFeed,
  ): Promise<{ violations: PolicyViolation[]; remediations: PolicyRemediation[] }>;
  /** AnalyzeStack over all of them; a violation naming no resource among them goes to the root stack. */
  analyzeStack(resources: readonly RecordedResource[]): Promise<PolicyViolation[]>;
  /** Stops the pack and waits until its process is gone. */
  close(): Promise<void>;
}
