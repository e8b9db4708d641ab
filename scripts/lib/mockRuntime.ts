/**
 * Runs a Pulumi program under the SDK's mock runtime and records every registered resource exactly
 * as the engine would receive it: type, name, URN, parent, inputs with unknowns and secrets in
 * place, dependencies and property dependencies. Lookups are answered by deterministic fakes, each
 * listed as an assumption; a lookup without a fake is an error naming its token.
 */
import * as pulumi from "@pulumi/pulumi";
import { RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as settings from "@pulumi/pulumi/runtime/settings";
import * as state from "@pulumi/pulumi/runtime/state";
import { AutonamingModel } from "../../config/autonaming";
import { fakeState, LookupFake } from "./fakeAws";
import { RecordedResource } from "./record";
import { engineUrn, recordRegistration } from "./registration";

export interface RunOptions {
  readonly project: string;
  readonly stack: string;
  /** Preview (unknown ids and computed outputs) or update (fake ids and ARNs). */
  readonly preview: boolean;
  /** Full config keys (`pillar:cloud`) to JSON or plain string values, as the CLI passes them. */
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys: readonly string[];
  readonly lookups: Readonly<Record<string, LookupFake>>;
  readonly region: string;
  /** `pulumi:autonaming`, resolved; shapes the names the provider would generate. */
  readonly autonaming?: AutonamingModel;
  /** What `pulumi.getOrganization()` answers; "organization", as with a DIY backend, when absent. */
  readonly organization?: string;
  /**
   * Ids of existing resources to adopt, by URN: each registration carries it as its `import` option,
   * as if the program had set it, so the plan shows `= import` (an import file, `plan --adopt`).
   */
  readonly imports?: ReadonlyMap<string, string>;
  /** Called with each resource as it is registered, in order (the plan's policy packs analyze it then). */
  readonly onRegister?: (r: RecordedResource) => void;
}

export interface RunResult {
  readonly resources: RecordedResource[];
  readonly assumptions: string[];
  readonly outputs: Record<string, unknown>;
}

/**
 * Runs `program` (which registers resources, e.g. the web tier from its model) inside a root stack, as the
 * Node language host does, and returns what it registered.
 */
export async function runProgram(program: () => unknown, opts: RunOptions): Promise<RunResult> {
  const resources: RecordedResource[] = [];
  const byUrn = new Map<string, RecordedResource>();
  const assumptions: string[] = [];
  const seenAssumptions = new Set<string>();
  const failures: Error[] = [];

  const mocks: pulumi.runtime.Mocks = {
    newResource: (args) => {
      const { id, state: st } = fakeState(args.type, args.name, "", args.inputs, opts.preview, opts.region);
      return { id: id ?? "", state: st };
    },
    call: (args) => {
      const fake = opts.lookups[args.token];
      if (!fake) {
        const err = new Error(
          `the offline plan has no fake for the lookup "${args.token}"; add one in scripts/lib/fakeAws.ts or avoid the lookup`,
        );
        failures.push(err);
        throw err;
      }
      const { result, assumption } = fake(args.inputs as Record<string, unknown>);
      if (!seenAssumptions.has(assumption)) {
        seenAssumptions.add(assumption);
        assumptions.push(assumption);
      }
      return result;
    },
  };

  const urnOf = (parent: string, type: string, name: string): string =>
    engineUrn(opts.stack, opts.project, parent, type, name);

  class RecordingMonitor extends MockMonitor {
    constructor(m: pulumi.runtime.Mocks) {
      super(m);
      // The base class names children by the parent's last type only; components answered by the base must agree with us.
      (this as unknown as { newUrn: typeof urnOf }).newUrn = urnOf;
    }

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override async registerResource(req: any, callback: (err: any, resp?: any) => void): Promise<void> {
      const importId = opts.imports?.get(urnOf(req.getParent(), req.getType(), req.getName()));
      if (importId !== undefined && req.getCustom()) req.setImportid(importId);
      const record = recordRegistration(req, opts);
      const { type, name, urn } = record;
      resources.push(record);
      byUrn.set(urn, record);
      opts.onRegister?.(record);
      if (!req.getCustom()) {
        // Components and the stack have no provider state: answer directly, as the engine does.
        return super.registerResource(req, callback);
      }
      try {
        const result = fakeState(
          type,
          name,
          urn,
          pulumi.runtime.deserializeProperties(req.getObject()),
          opts.preview,
          opts.region,
          record.physicalName,
        );
        record.outputs = await pulumi.runtime.serializeProperties("outputs", result.state);
        if (result.id !== undefined) record.id = result.id;
        const response = new RegisterResourceResponse();
        response.setUrn(urn);
        response.setId(result.id ?? "");
        response.setObject(Struct.fromJavaScript(record.outputs as never));
        callback(null, response);
      } catch (err) {
        callback(err);
      }
    }

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override registerResourceOutputs(req: any, callback: (err: any, resp?: any) => void): void {
      const record = byUrn.get(req.getUrn());
      if (record) record.outputs = (req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
      super.registerResourceOutputs(req, callback);
    }
  }

  pulumi.runtime.setAllConfig({ ...opts.config }, [...opts.secretKeys]);
  settings.setMockOptions(
    new RecordingMonitor(mocks),
    opts.project,
    opts.stack,
    opts.preview,
    opts.organization ?? "organization",
  );
  // The store's feature flags are what setMocks sets too; they are not in the SDK's typings.
  const store = (state as unknown as { getStore(): Record<string, boolean> }).getStore();
  store.supportsSecrets = true;
  store.supportsResourceReferences = true;
  store.supportsOutputValues = false;
  store.supportsDeletedWith = true;
  store.supportsAliasSpecs = true;

  let outputs: Record<string, unknown> = {};
  let programError: unknown;
  const restoreStackTraces = cheapStackTraces();
  try {
    outputs = ((await pulumi.runtime.runInPulumiStack(async () => program())) ?? {}) as Record<
      string,
      unknown
    >;
  } catch (err) {
    programError = err;
  }
  try {
    await waitForRpcs();
  } finally {
    restoreStackTraces();
  }
  if (programError !== undefined) throw programError;
  if (failures.length > 0) throw failures[0];
  return { resources, assumptions, outputs };
}

/**
 * The SDK captures a stack trace for every promise it makes (runtime/debuggable.ts: `new
 * Error().stack`) and every resource (resource.ts callsites(): `Error.stackTraceLimit = Infinity`,
 * then `new Error().stack` parsed for the source position). Formatting those, source-mapped, is most of
 * the program's time at scale (issue 14: 47% at 50 autoscale groups), and nothing offline reads them:
 * no engine shows a resource's source position, and the analyzer protocol does not carry it. No SDK
 * switch turns the capture off, so while the program registers, a trace of a bare `new Error()` (what
 * both of those make) formats to its header alone: the SDK then finds no frames and leaves the
 * source position unset. The frame limit is 0 meanwhile (callsites() raises it for its own capture),
 * so a promise's capture costs nothing: an error the program throws while registering carries its
 * message but no frames. Returns the function that puts the previous formatter and limit back.
 */
export function cheapStackTraces(): () => void {
  const previous = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  Error.prepareStackTrace = (err: Error, frames: NodeJS.CallSite[]) => {
    if (err.message === "" && err.name === "Error") return "Error";
    if (previous !== undefined) return previous(err, frames) as unknown;
    let header: string;
    try {
      header = String(err);
    } catch {
      header = "Error";
    }
    return `${header}${frames.map((f) => `\n    at ${String(f)}`).join("")}`;
  };
  return () => {
    Error.prepareStackTrace = previous;
    Error.stackTraceLimit = limit;
  };
}

async function waitForRpcs(): Promise<void> {
  // The SDK tracks outstanding registrations; wait until the queue stays drained.
  await (settings as unknown as { waitForRPCs: () => Promise<void> }).waitForRPCs();
}
