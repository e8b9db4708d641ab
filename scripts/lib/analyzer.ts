/**
 * The analyzer-protocol driver: runs a policy pack over the recorded resources of a plan exactly as
 * `pulumi preview --policy-pack <dir>` does, without the Pulumi CLI. The sequence and the message
 * contents follow the engine (pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go,
 * pkg/resource/deploy/step_generator.go, pkg/engine/update.go):
 *
 *   spawn → ConfigureStack → GetAnalyzerInfo → Configure (reconciled config, one entry per policy)
 *   → Remediate then Analyze for every registered resource, in registration order
 *   → AnalyzeStack with all of them → stop the pack.
 *
 * What it cannot reproduce: the provider's Check (no provider runs, so no auto-names or provider
 * defaults in the inputs) and the provider's preview outputs (AnalyzeStack sees a custom
 * resource's inputs, as a preview of a create mostly does).
 */
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient, AnalyzerService } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as apb from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { PolicyConfigError, reconcilePolicyConfig, type EnforcementLevel } from "./analyzerConfig";
import {
  LEVEL_TO_PROTO,
  SEVERITY_FROM_PROTO,
  analyzeRequest,
  encodeAnalyzeStackRequest,
  levelFromProto,
  parseInfo,
  stackResourceMessage,
  type Prepared,
  type Severity,
} from "./analyzerMessages";
import { loadPolicyPackProject, packEnv, startPack, type PackProcess } from "./analyzerProcess";
import { marshalProperties, parseUrn, resolveProvider, rootStackUrn, wireOptions } from "./analyzerWire";
import type { RecordedResource } from "./record";

export { formatPolicies, formatViolations } from "./analyzerFormat";
export { encodeAnalyzeStackRequest } from "./analyzerMessages";
export type { Severity } from "./analyzerMessages";
export type { EnforcementLevel } from "./analyzerConfig";
export { PolicyConfigError } from "./analyzerConfig";

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

/** JSON with object keys sorted: equal values, equal text, whatever order their keys came in. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );
}

/** The CLI's short diff of two property maps (pkg/backend/display/rows.go writeShortDiff), by top-level key. */
export function shortDiff(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): PolicyRemediation["diff"] {
  const visible = (o: Readonly<Record<string, unknown>>) => Object.keys(o).filter((k) => !k.startsWith("__"));
  const adds = visible(after).filter((k) => !(k in before));
  const deletes = visible(before).filter((k) => !(k in after));
  const updates = visible(after).filter((k) => k in before && canonical(before[k]) !== canonical(after[k]));
  return { adds: adds.sort(), deletes: deletes.sort(), updates: updates.sort() };
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
  /** For the whole run, start-up included. Default 120 s. */
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
}

const MAX_MESSAGE_BYTES = 400 * 1024 * 1024; // what both the engine and the pack's server allow
const GRPC_UNIMPLEMENTED = 12;

type Unary<Req, Res> = (
  req: Req,
  md: grpc.Metadata,
  options: Partial<grpc.CallOptions>,
  cb: (err: grpc.ServiceError | null, res?: Res) => void,
) => grpc.ClientUnaryCall;

class RpcError extends Error {
  constructor(
    message: string,
    readonly code?: number,
  ) {
    super(message);
    this.name = "RpcError";
  }
}

/** One unary call that also fails when the pack dies or the run times out, instead of hanging. */
function call<Req, Res>(
  pack: PackProcess,
  signal: AbortSignal,
  method: Unary<Req, Res>,
  req: Req,
): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    const onAbort = (): void => {
      pending.cancel();
      reject(new RpcError(signal.reason instanceof Error ? signal.reason.message : String(signal.reason)));
    };
    const pending = method(req, new grpc.Metadata(), {}, (err, res) => {
      signal.removeEventListener("abort", onAbort);
      if (err) reject(new RpcError(err.details || err.message, err.code));
      else if (res === undefined) reject(new RpcError("empty response"));
      else resolve(res);
    });
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    void pack.exited.then(({ code, signal: sig }) => {
      signal.removeEventListener("abort", onAbort);
      reject(new RpcError(`the pack exited (${sig !== null ? `signal ${sig}` : `code ${String(code)}`})`));
    });
  });
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
   * For each resource in order, Remediate and then Analyze (on the remediated inputs); violations
   * are attributed to the resource analyzed. Remediated inputs are kept for analyzeStack.
   */
  analyze(
    resources: readonly RecordedResource[],
  ): Promise<{ violations: PolicyViolation[]; remediations: PolicyRemediation[] }>;
  /** AnalyzeStack over all of them; a violation naming no resource among them goes to the root stack. */
  analyzeStack(resources: readonly RecordedResource[]): Promise<PolicyViolation[]>;
  /** Stops the pack and waits until its process is gone. */
  close(): Promise<void>;
}

/**
 * Starts the pack and configures it (ConfigureStack, GetAnalyzerInfo, Configure). The timeout runs
 * from here until `close`. On any failure the pack is stopped before the error is thrown.
 */
export async function openPolicyPack(
  opts: Omit<RunPolicyPackOptions, "resources">,
): Promise<PolicyPackSession> {
  const packDir = path.resolve(opts.packDir);
  const project = loadPolicyPackProject(packDir);
  if (project.runtime !== "nodejs") {
    throw new Error(`policy pack "${packDir}": runtime "${project.runtime}" is not supported, only nodejs`);
  }
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  const env = packEnv(process.env, {
    ...(opts.organization !== undefined ? { organization: opts.organization } : {}),
    project: opts.project,
    stack: opts.stack,
    dryRun: opts.dryRun,
    config: opts.stackConfig,
    typescript: project.typescript,
  });

  // Filled in as the pack comes up; close() stops whatever exists by then.
  const live: { pack?: PackProcess; client?: AnalyzerClient } = {};
  let phase = "start";
  const close = async (): Promise<void> => {
    clearTimeout(timer);
    live.client?.close();
    await live.pack?.kill();
  };
  /** Runs one step; a failure names the pack, the step and the pack's stderr, and stops the pack. */
  const step = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
    phase = name;
    try {
      return await f();
    } catch (e) {
      await close();
      // startPack's own errors already name the pack and carry its stderr; a config error is the user's.
      if (name === "start" || e instanceof PolicyConfigError) throw e;
      const message = e instanceof Error ? e.message : String(e);
      const tail = live.pack?.stderr().trim();
      throw new Error(
        `policy pack "${packDir}": ${phase} failed: ${message}${tail ? `\nstderr:\n${tail}` : ""}`,
        {
          cause: e,
        },
      );
    }
  };

  const t0 = performance.now();
  const p = await step("start", () => startPack(packDir, project, env, controller.signal));
  live.pack = p;
  const t1 = performance.now();
  const c = new AnalyzerClient(`127.0.0.1:${p.port}`, grpc.credentials.createInsecure(), {
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
  });
  live.client = c;
  const rpc = <Req, Res>(name: string, method: Unary<Req, Res>, req: Req): Promise<Res> => {
    phase = name;
    return call(p, controller.signal, method.bind(c) as Unary<Req, Res>, req);
  };

  const method = AnalyzerService.analyzeStack;
  const analyzeStackEncoded: Unary<Uint8Array, apb.AnalyzeResponse> = (req, md, options, cb) =>
    c.makeUnaryRequest(
      method.path,
      (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength),
      method.responseDeserialize,
      req,
      md,
      options,
      cb,
    );

  const configured = await step("configure", async () => {
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
      await rpc("ConfigureStack", c.configureStack, cs);
    } catch (e) {
      if (!(e instanceof RpcError && e.code === GRPC_UNIMPLEMENTED)) throw e;
    }

    const info = await rpc("GetAnalyzerInfo", c.getAnalyzerInfo, new Empty());
    const { policies, initialConfig } = parseInfo(info);
    const packName = info.getName();
    const levels = new Map(policies.map((x) => [x.name, x.enforcementLevel]));

    if (!info.getSupportsconfig()) {
      if (opts.policyConfig !== undefined)
        throw new PolicyConfigError(`policy pack "${packName}" does not support config`);
    } else {
      phase = "reconciling policy config";
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
        await rpc("Configure", c.configure, req);
      }
    }
    return {
      packName,
      version: project.version ?? (info.getVersion() || undefined),
      policies: policies
        .map((x) => ({
          name: x.name,
          description: x.description,
          enforcementLevel: levels.get(x.name) ?? "",
        }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      severityOf: new Map(policies.map((x) => [x.name, x.severity])),
    };
  });
  const t2 = performance.now();

  const violation = (d: apb.AnalyzeDiagnostic, urn: string): PolicyViolation => {
    const level = levelFromProto(d.getEnforcementlevel());
    const severity = SEVERITY_FROM_PROTO[d.getSeverity()] ?? configured.severityOf.get(d.getPolicyname());
    return {
      policy: d.getPolicyname(),
      // A violation still reported at "remediate" means the remediation did not fix it.
      level: level === "remediate" ? "mandatory" : level,
      urn,
      message: d.getMessage(),
      ...(d.getDescription() ? { description: d.getDescription() } : {}),
      ...(severity ? { severity } : {}),
    };
  };
  // Inputs a remediation replaced, by URN: AnalyzeStack sees these, as the engine's state does.
  const remediated = new Map<string, Readonly<Record<string, unknown>>>();
  const prepare = (
    resources: readonly RecordedResource[],
  ): { byUrn: Map<string, RecordedResource>; all: Prepared[] } => {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const all = resources.map((r) => {
      const provider = resolveProvider(r.provider, byUrn, opts.stackConfig);
      return {
        r,
        name: parseUrn(r.urn)?.name ?? r.name,
        options: wireOptions(r),
        ...(provider ? { provider } : {}),
      };
    });
    return { byUrn, all };
  };

  return {
    pack: configured.packName,
    ...(configured.version !== undefined ? { version: configured.version } : {}),
    packDir,
    policies: configured.policies,
    command: p.argv,
    timings: { startMs: t1 - t0, configureMs: t2 - t1 },
    // The engine analyzes every registered resource (components and the stack included), one
    // registration at a time; resource policies that do not apply to a type simply pass.
    analyze: (resources) =>
      step("Analyze", async () => {
        const violations: PolicyViolation[] = [];
        const remediations: PolicyRemediation[] = [];
        for (const x of prepare(resources).all) {
          // First pass, as in the engine: remediations, which may replace the inputs. A remediation
          // that could not run (an unknown value) comes back as a diagnostic, shown as advisory.
          let inputs: Readonly<Record<string, unknown>> = x.r.wireInputs;
          let changed = false;
          try {
            const rem = await rpc("Remediate", c.remediate, analyzeRequest(x, inputs, true));
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
                remediations.push({
                  policy: r.getPolicyname(),
                  urn: x.r.urn,
                  diff: shortDiff(inputs, after),
                });
                if (opts.remediations !== "report") {
                  inputs = after;
                  changed = true;
                }
              }
            }
          } catch (e) {
            if (!(e instanceof RpcError && e.code === GRPC_UNIMPLEMENTED)) throw e;
          }
          if (changed) remediated.set(x.r.urn, inputs);
          else remediated.delete(x.r.urn);

          const res = await rpc("Analyze", c.analyze, analyzeRequest(x, inputs, false));
          for (const d of res.getDiagnosticsList()) violations.push(violation(d, x.r.urn));
        }
        return { violations, remediations };
      }),
    analyzeStack: (resources) =>
      step("AnalyzeStack", async () => {
        const { byUrn, all } = prepare(resources);
        const req = encodeAnalyzeStackRequest(
          all.map((x) =>
            stackResourceMessage(
              x,
              remediated.get(x.r.urn),
              opts.stackProperties ?? "inputs",
            ).serializeBinary(),
          ),
        );
        let diags: apb.AnalyzeDiagnostic[] = [];
        try {
          diags = (await rpc("AnalyzeStack", analyzeStackEncoded, req)).getDiagnosticsList();
        } catch (e) {
          if (!(e instanceof RpcError && e.code === GRPC_UNIMPLEMENTED)) throw e;
        }
        const rootUrn = rootStackUrn(opts.project, opts.stack);
        return diags.map((d) => violation(d, byUrn.has(d.getUrn()) ? d.getUrn() : rootUrn));
      }),
    close,
  };
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
