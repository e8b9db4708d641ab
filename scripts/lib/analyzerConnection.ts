/**
 * One running policy pack and its gRPC client, for the analyzer driver (analyzer.ts). Every call
 * fails, instead of hanging, when the pack exits or gives no answer for the timeout: the connection
 * keeps its calls in flight and fails them all on either (one listener each, however many calls). A
 * failure names the pack, the step and the pack's stderr, and stops it.
 */
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { PolicyConfigError } from "./analyzerConfig";
import type { PackLaunch, PackProcess, PolicyPackProject } from "./analyzerProcess";
import type { RunPolicyPackOptions } from "./analyzerTypes";

const MAX_MESSAGE_BYTES = 400 * 1024 * 1024; // what both the engine and the pack's server allow
const GRPC_UNIMPLEMENTED = 12;
export type Unary<Req, Res> = (
  req: Req,
  md: grpc.Metadata,
  options: Partial<grpc.CallOptions>,
  cb: (err: grpc.ServiceError | null, res?: Res) => void,
) => grpc.ClientUnaryCall;

export class RpcError extends Error {
  constructor(
    message: string,
    /** The RPC that failed, for the error's "<rpc> failed". */
    readonly rpc: string,
    readonly code?: number,
  ) {
    super(message);
    this.name = "RpcError";
  }
}

export const unimplemented = (e: unknown): boolean => e instanceof RpcError && e.code === GRPC_UNIMPLEMENTED;

export class PackConnection {
  readonly packDir: string;
  private readonly controller: AbortController;
  private readonly timer: NodeJS.Timeout;
  /** Counts the pack's signs of life (its port, each answer), for the timeout. */
  private progress = 0;
  protected process?: PackProcess;
  protected client?: AnalyzerClient;
  private readonly inFlight = new Set<{ fail(e: Error): void }>();

  protected constructor(
    packDir: string,
    protected readonly project: PolicyPackProject,
    protected readonly opts: Omit<RunPolicyPackOptions, "resources"> & { readonly launch: PackLaunch },
    timeoutMs: number,
  ) {
    this.packDir = packDir;
    // The pack is aborted through the signal its launch (analyzerProcess.ts) started it with.
    this.controller = opts.launch.controller;
    // Timers run before I/O in Node's event loop: after a long stretch of our own work (the program
    // runs beside the pack's start) an answer that came in time may still be waiting to be read. So
    // the timeout looks again once pending I/O has been handled (setImmediate) before it gives up.
    this.timer = setTimeout(() => {
      const seen = this.progress;
      setImmediate(() => {
        if (this.progress !== seen) this.timer.refresh();
        else this.controller.abort(new Error(`timed out after ${timeoutMs} ms`));
      });
    }, timeoutMs);
    this.controller.signal.addEventListener("abort", () => this.failAll(this.abortReason()), { once: true });
  }

  get command(): readonly string[] {
    return this.process!.argv;
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.client?.close();
    await this.process?.kill();
  }

  private abortReason(): Error {
    const r: unknown = this.controller.signal.reason;
    return r instanceof Error ? r : new Error(String(r));
  }

  private failAll(e: Error): void {
    for (const p of this.inFlight) p.fail(e);
    this.inFlight.clear();
  }

  protected async start(): Promise<void> {
    const p = await this.opts.launch.started;
    this.process = p;
    this.progress++;
    this.timer.refresh();
    void p.exited.then(({ code, signal: sig }) =>
      this.failAll(new Error(`the pack exited (${sig !== null ? `signal ${sig}` : `code ${String(code)}`})`)),
    );
    this.client = new AnalyzerClient(`127.0.0.1:${p.port}`, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
      "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
    });
  }

  /** Runs one step; a failure names the pack, the step and the pack's stderr, and stops the pack. */
  protected async step<T>(name: string, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      await this.close();
      // startPack's own errors already name the pack and carry its stderr; a config error is the user's.
      if (name === "start" || e instanceof PolicyConfigError) throw e;
      const message = e instanceof Error ? e.message : String(e);
      const what = e instanceof RpcError ? e.rpc : name;
      const tail = this.process?.stderr().trim();
      throw new Error(
        `policy pack "${this.packDir}": ${what} failed: ${message}${tail ? `\nstderr:\n${tail}` : ""}`,
        { cause: e },
      );
    }
  }

  /** One unary call on the pack's client, failing when the pack dies or the run times out. */
  protected rpc<Req, Res>(name: string, method: Unary<Req, Res>, req: Req): Promise<Res> {
    const c = this.client!;
    return new Promise<Res>((resolve, reject) => {
      const entry = {
        fail: (e: Error) => {
          pending.cancel();
          reject(new RpcError(e.message, name));
        },
      };
      const pending = method.call(c, req, new grpc.Metadata(), {}, (err, res) => {
        this.inFlight.delete(entry);
        this.progress++;
        this.timer.refresh(); // an answer is progress: the timeout counts from the latest one
        if (err) reject(new RpcError(err.details || err.message, name, err.code));
        else if (res === undefined) reject(new RpcError("empty response", name));
        else resolve(res);
      });
      if (this.controller.signal.aborted) entry.fail(this.abortReason());
      else if (this.process!.child.exitCode !== null || this.process!.child.signalCode !== null) {
        const { exitCode: code, signalCode: sig } = this.process!.child;
        entry.fail(new Error(`the pack exited (${sig !== null ? `signal ${sig}` : `code ${String(code)}`})`));
      } else this.inFlight.add(entry);
    });
  }
}
