/**
 * The analyzer-protocol driver: runs a policy pack over the recorded resources of a plan as
 * `pulumi preview --policy-pack <dir>` does, without the Pulumi CLI. The sequence and the message
 * contents follow the engine (pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go,
 * pkg/resource/deploy/step_generator.go, pkg/engine/update.go):
 *
 *   spawn → ConfigureStack → GetAnalyzerInfo → Configure (reconciled config, one entry per policy)
 *   → Remediate then Analyze for every registered resource
 *   → AnalyzeStack with all of them → stop the pack.
 *
 * Where it differs from the engine: the engine analyzes one resource at a time, in registration
 * order, inside its single step-generator loop. Here the Remediate → Analyze chains of different
 * resources overlap (each chain still in that order; the report still in registration order): the
 * protocol's calls are independent unary RPCs and @pulumi/policy's handlers keep no per-resource
 * state, so a pack gives the same answers, faster.
 *
 * What it cannot reproduce: the provider's Check (no provider runs, so no auto-names or provider
 * defaults in the inputs) and the provider's preview outputs (AnalyzeStack sees a custom
 * resource's inputs, as a preview of a create mostly does).
 */
import { AnalyzerService } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as apb from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { PolicyConfigError, reconcilePolicyConfig } from "./analyzerConfig";
import { PackConnection, unimplemented, type Unary } from "./analyzerConnection";
import { shortDiff } from "./analyzerFormat";
import {
  LEVEL_TO_PROTO,
  SEVERITY_FROM_PROTO,
  analyzeRequestBytes,
  encodeAnalyzeStackRequest,
  levelFromProto,
  parseInfo,
  prepareResource,
  prepareResources,
  stackResourceBytes,
  type Prepared,
  type Severity,
} from "./analyzerMessages";
import { launchPack } from "./analyzerProcess";
import type {
  PolicyPackSession,
  PolicyRemediation,
  PolicyRun,
  PolicyViolation,
  RunPolicyPackOptions,
} from "./analyzerTypes";
import { marshalProperties, rootStackUrn } from "./analyzerWire";
import type { RecordedResource } from "./record";
import { ResourceFeed } from "./resourceFeed";
import type { EncodedResource } from "./requestCache";

export { formatPolicies, formatViolations, shortDiff } from "./analyzerFormat";
export { encodeAnalyzeStackRequest } from "./analyzerMessages";
export type { Severity } from "./analyzerMessages";
export type { EnforcementLevel } from "./analyzerConfig";
export { PolicyConfigError } from "./analyzerConfig";
export type {
  PolicyPackSession,
  PolicyRemediation,
  PolicyRun,
  PolicyViolation,
  RunPolicyPackOptions,
} from "./analyzerTypes";

/** Resources whose Remediate → Analyze chains may be in flight at once (the engine: one). */
export const ANALYZE_WINDOW = 16;

interface Configured {
  readonly packName: string;
  readonly version: string | undefined;
  readonly policies: PolicyRun["policies"];
  readonly severityOf: ReadonlyMap<string, Severity | undefined>;
}

/**
 * The protocol's sequence over one pack connection (analyzerConnection.ts): configure, then
 * Remediate → Analyze per resource and AnalyzeStack, keeping what remediations replaced.
 */
class PackSession extends PackConnection implements PolicyPackSession {
  /** Inputs a remediation replaced, by URN: AnalyzeStack sees these, as the engine's state does. */
  private readonly remediated = new Map<string, Readonly<Record<string, unknown>>>();
  private configured?: Configured;
  private startMs = 0;
  private configureMs = 0;

  static async open(opts: Omit<RunPolicyPackOptions, "resources">): Promise<PackSession> {
    const packDir = path.resolve(opts.packDir);
    // A pack not launched already is launched here: one way to start a pack's process.
    if (opts.requests !== undefined && opts.requests.stackConfig !== opts.stackConfig)
      throw new Error("the encoded requests were made with another stack config than the session's");
    const launch = opts.launch ?? launchPack(packDir, opts);
    if (launch.packDir !== packDir)
      throw new Error(`the pack launched is "${launch.packDir}", not "${packDir}"`);
    // launchPack read the project and refused a runtime other than nodejs; it started nothing then.
    if (launch.project instanceof Error) throw launch.project;
    const session = new PackSession(packDir, launch.project, { ...opts, launch }, opts.timeoutMs ?? 120_000);
    const t0 = performance.now();
    await session.step("start", () => session.start());
    const t1 = performance.now();
    session.configured = await session.step("configure", () => session.configure());
    session.startMs = t1 - t0;
    session.configureMs = performance.now() - t1;
    return session;
  }

  get pack(): string {
    return this.done().packName;
  }
  get version(): string | undefined {
    return this.done().version;
  }
  get policies(): PolicyRun["policies"] {
    return this.done().policies;
  }
  get timings(): { startMs: number; configureMs: number } {
    return { startMs: this.startMs, configureMs: this.configureMs };
  }

  // The engine analyzes every registered resource (components and the stack included); resource
  // policies that do not apply to a type simply pass.
  analyze(
    resources: readonly RecordedResource[] | ResourceFeed,
  ): Promise<{ violations: PolicyViolation[]; remediations: PolicyRemediation[] }> {
    return this.step("Analyze", async () => {
      const feed = resources instanceof ResourceFeed ? resources : ResourceFeed.of(resources);
      const results: { violations: PolicyViolation[]; remediations: PolicyRemediation[] }[] = [];
      let next = 0;
      // Each worker takes the next resource registered (waiting for the program to register it) and
      // runs its Remediate → Analyze chain; results are kept by registration index.
      const worker = async (): Promise<void> => {
        for (;;) {
          const i = next++;
          const r = await feed.at(i);
          if (r === undefined) return;
          const encoded = this.opts.requests?.get(r);
          results[i] = await this.analyzeOne(
            encoded?.prepared ?? prepareResource(r, feed.byUrn, this.opts.stackConfig),
            encoded,
          );
        }
      };
      await Promise.all(Array.from({ length: ANALYZE_WINDOW }, worker));
      return {
        violations: results.flatMap((r) => r.violations),
        remediations: results.flatMap((r) => r.remediations),
      };
    });
  }

  analyzeStack(resources: readonly RecordedResource[]): Promise<PolicyViolation[]> {
    return this.step("AnalyzeStack", async () => {
      // The request is assembled from each resource's encoded message (analyzerMessages.ts), so it
      // is sent as bytes rather than re-encoded.
      const { byUrn, all } = prepareResources(resources, this.opts.stackConfig);
      const mode = this.opts.stackProperties ?? "inputs";
      const req = encodeAnalyzeStackRequest(
        all.map((x) => {
          const remediated = this.remediated.get(x.r.urn);
          const encoded =
            mode === "inputs" && remediated === undefined ? this.opts.requests?.get(x.r) : undefined;
          return encoded?.stack ?? stackResourceBytes(x, remediated, mode);
        }),
      );
      let diags: apb.AnalyzeDiagnostic[] = [];
      try {
        diags = (
          await this.rpc("AnalyzeStack", this.encoded(AnalyzerService.analyzeStack), req)
        ).getDiagnosticsList();
      } catch (e) {
        if (!unimplemented(e)) throw e;
      }
      const rootUrn = rootStackUrn(this.opts.project, this.opts.stack);
      return diags.map((d) => this.violation(d, byUrn.has(d.getUrn()) ? d.getUrn() : rootUrn));
    });
  }

  /** A unary method of the pack's client that takes its request already encoded. */
  private encoded<Res>(method: {
    path: string;
    responseDeserialize: (b: Buffer) => Res;
  }): Unary<Uint8Array, Res> {
    const c = this.client!;
    return (req, md, options, cb) =>
      c.makeUnaryRequest(
        method.path,
        (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength),
        method.responseDeserialize,
        req,
        md,
        options,
        cb,
      );
  }

  private done(): Configured {
    if (this.configured === undefined) throw new Error("the policy pack is not configured yet");
    return this.configured;
  }

  private async configure(): Promise<Configured> {
    const opts = this.opts;
    const c = this.client!;
    // ConfigureStack: optional for a pack; the engine carries on when it is unimplemented.
    const cs = new apb.AnalyzerStackConfigureRequest();
    cs.setStack(opts.stack);
    cs.setProject(opts.project);
    cs.setOrganization(opts.organization ?? "");
    cs.setDryRun(opts.dryRun);
    for (const [k, v] of Object.entries(opts.stackConfig)) cs.getConfigMap().set(k, v);
    cs.setConfigSecretKeysList([...(opts.secretConfigKeys ?? [])]);
    for (const [k, v] of Object.entries(opts.stackTags ?? {})) cs.getTagsMap().set(k, v);
    try {
      await this.rpc("ConfigureStack", c.configureStack, cs);
    } catch (e) {
      if (!unimplemented(e)) throw e;
    }

    const info = await this.rpc("GetAnalyzerInfo", c.getAnalyzerInfo, new Empty());
    const { policies, initialConfig } = parseInfo(info);
    const packName = info.getName();
    const levels = new Map(policies.map((x) => [x.name, x.enforcementLevel]));

    if (!info.getSupportsconfig()) {
      if (opts.policyConfig !== undefined)
        throw new PolicyConfigError(`policy pack "${packName}" does not support config`);
    } else {
      const config = reconcilePolicyConfig(policies, initialConfig, opts.policyConfig, packName);
      if (config.size > 0) {
        const req = new apb.ConfigureAnalyzerRequest();
        for (const [name, entry] of config) {
          const pc = new apb.PolicyConfig();
          pc.setEnforcementlevel(LEVEL_TO_PROTO[entry.enforcementLevel]);
          pc.setProperties(Struct.fromJavaScript(marshalProperties(entry.properties)));
          req.getPolicyconfigMap().set(name, pc);
          if (levels.has(name)) levels.set(name, entry.enforcementLevel);
        }
        await this.rpc("Configure", c.configure, req);
      }
    }
    return {
      packName,
      version: this.project.version ?? (info.getVersion() || undefined),
      policies: policies
        .map((x) => ({
          name: x.name,
          description: x.description,
          enforcementLevel: levels.get(x.name) ?? "",
        }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      severityOf: new Map(policies.map((x) => [x.name, x.severity])),
    };
  }

  private violation(d: apb.AnalyzeDiagnostic, urn: string): PolicyViolation {
    const level = levelFromProto(d.getEnforcementlevel());
    const severity = SEVERITY_FROM_PROTO[d.getSeverity()] ?? this.done().severityOf.get(d.getPolicyname());
    return {
      policy: d.getPolicyname(),
      // A violation still reported at "remediate" means the remediation did not fix it.
      level: level === "remediate" ? "mandatory" : level,
      urn,
      message: d.getMessage(),
      ...(d.getDescription() ? { description: d.getDescription() } : {}),
      ...(severity ? { severity } : {}),
    };
  }

  /** Remediate, then Analyze on the remediated inputs, for one resource (the engine's two passes). */
  private async analyzeOne(
    x: Prepared,
    /** Its requests encoded ahead (requestCache.ts), if they were. */
    encoded?: EncodedResource,
  ): Promise<{ violations: PolicyViolation[]; remediations: PolicyRemediation[] }> {
    const violations: PolicyViolation[] = [];
    const remediations: PolicyRemediation[] = [];
    // First pass, as in the engine: remediations, which may replace the inputs. A remediation
    // that could not run (an unknown value) comes back as a diagnostic, shown as advisory.
    let inputs: Readonly<Record<string, unknown>> = x.r.wireInputs;
    let changed = false;
    try {
      const rem = await this.rpc(
        "Remediate",
        this.encoded(AnalyzerService.remediate),
        encoded?.remediate ?? analyzeRequestBytes(x, inputs, true),
      );
      for (const r of rem.getRemediationsList()) {
        const props = r.getProperties();
        if (r.getDiagnostic() !== "") {
          violations.push({
            policy: r.getPolicyname(),
            level: "advisory",
            urn: x.r.urn,
            message: r.getDiagnostic(),
            ...(r.getDescription() ? { description: r.getDescription() } : {}),
          });
        } else if (props !== undefined) {
          const after = props.toJavaScript();
          remediations.push({ policy: r.getPolicyname(), urn: x.r.urn, diff: shortDiff(inputs, after) });
          if (this.opts.remediations !== "report") {
            inputs = after;
            changed = true;
          }
        }
      }
    } catch (e) {
      if (!unimplemented(e)) throw e;
    }
    if (changed) this.remediated.set(x.r.urn, inputs);
    else this.remediated.delete(x.r.urn);

    const res = await this.rpc(
      "Analyze",
      this.encoded(AnalyzerService.analyze),
      (changed ? undefined : encoded?.analyze) ?? analyzeRequestBytes(x, inputs, false),
    );
    return {
      violations: [...violations, ...res.getDiagnosticsList().map((d) => this.violation(d, x.r.urn))],
      remediations,
    };
  }
}

/**
 * Starts the pack and configures it (ConfigureStack, GetAnalyzerInfo, Configure). The timeout runs
 * from here until `close`. On any failure the pack is stopped before the error is thrown.
 */
export function openPolicyPack(opts: Omit<RunPolicyPackOptions, "resources">): Promise<PolicyPackSession> {
  return PackSession.open(opts);
}

/** Runs the pack over `resources` as a preview would and returns what it reported. Always stops the pack. */
export async function runPolicyPack(opts: RunPolicyPackOptions): Promise<PolicyRun> {
  const session = await openPolicyPack(opts);
  try {
    const t0 = performance.now();
    const { violations, remediations } = await session.analyze(opts.resources);
    const t1 = performance.now();
    const stacked = await session.analyzeStack(opts.resources);
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
  } finally {
    await session.close();
  }
}
