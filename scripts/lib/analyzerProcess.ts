/**
 * Starting and stopping a Node.js policy pack the way the Pulumi CLI does. The nodejs language
 * host's RunPlugin (pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go) runs
 *
 *     node <@pulumi/pulumi/cmd/run-policy-pack, resolved from the pack> [nodeargs] <engine address> <pack dir>
 *
 * with the pack's folder as working directory, and adds the stack's identity and config to the
 * environment. run-policy-pack registers ts-node (the pack's own, else the copy vendored in
 * @pulumi/pulumi) with type-checking on, so a TypeScript pack is compiled and type-checked exactly as
 * in `pulumi preview`. The pack prints the port of its gRPC server on 127.0.0.1 as its first line.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as nodeModule from "node:module";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { fitsInEnv } from "./configEnv";

/** What PulumiPolicy.yaml says that matters here. */
export interface PolicyPackProject {
  readonly runtime: string;
  readonly nodeargs: readonly string[];
  /** The runtime option `typescript` (default true); the language host announces it in the environment. */
  readonly typescript: boolean;
  readonly version?: string;
  readonly description?: string;
  readonly main?: string;
}

export function loadPolicyPackProject(packDir: string): PolicyPackProject {
  const file = path.join(packDir, "PulumiPolicy.yaml");
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`failed to load Pulumi policy project located at "${packDir}": ${(e as Error).message}`);
  }
  const doc: unknown = parseYaml(text);
  if (typeof doc !== "object" || doc === null) throw new Error(`${file}: not a mapping`);
  const d = doc as Record<string, unknown>;
  const rt = d["runtime"];
  const runtime =
    typeof rt === "string"
      ? rt
      : typeof rt === "object" && rt !== null
        ? (rt as { name?: unknown }).name
        : undefined;
  if (typeof runtime !== "string" || runtime === "")
    throw new Error(`${file}: project is missing a 'runtime' attribute`);
  const options = typeof rt === "object" && rt !== null ? (rt as { options?: unknown }).options : undefined;
  const opt = (k: string): unknown =>
    typeof options === "object" && options !== null ? (options as Record<string, unknown>)[k] : undefined;
  const nodeargs = opt("nodeargs");
  const str = (k: string): string | undefined => (typeof d[k] === "string" ? (d[k] as string) : undefined);
  return {
    runtime,
    nodeargs: typeof nodeargs === "string" ? nodeargs.split(/\s+/).filter((a) => a !== "") : [],
    typescript: opt("typescript") !== false,
    ...(str("version") !== undefined ? { version: str("version") } : {}),
    ...(str("description") !== undefined ? { description: str("description") } : {}),
    ...(str("main") !== undefined ? { main: str("main") } : {}),
  };
}

/**
 * Environment the CLI gives a policy pack: both the PULUMI_NODEJS_* and PULUMI_* spellings. A config
 * too big for one environment string (configEnv.ts) is left out: the CLI would fail to start the
 * pack with E2BIG; the offline plan hands it over in a file instead (`configFile`).
 */
export function packEnv(
  base: NodeJS.ProcessEnv,
  o: {
    organization?: string;
    project: string;
    stack: string;
    dryRun: boolean;
    config: Record<string, string>;
    typescript: boolean;
  },
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  // Our own process may be a Pulumi program (the offline plan runs one under mocks); its runtime
  // settings describe that program, not the pack, and the CLI would not have them.
  for (const [k, v] of Object.entries(base)) {
    if (!k.startsWith("PULUMI_NODEJS_") && k !== "PULUMI_CONFIG" && k !== "PULUMI_CONFIG_SECRET_KEYS")
      env[k] = v;
  }
  const set = (k: string, v: string | undefined): void => {
    if (v !== undefined && v !== "") env[k] = v;
  };
  if (o.typescript) set("PULUMI_NODEJS_TYPESCRIPT", "true");
  for (const prefix of ["PULUMI_NODEJS_", "PULUMI_"]) {
    set(`${prefix}ORGANIZATION`, o.organization);
    set(`${prefix}PROJECT`, o.project);
    set(`${prefix}STACK`, o.stack);
    set(`${prefix}DRY_RUN`, String(o.dryRun));
  }
  const config = JSON.stringify(o.config);
  if (fitsInEnv("PULUMI_CONFIG", config)) set("PULUMI_CONFIG", config);
  return env;
}

/** The config's JSON when it must go in a file (it does not fit in the pack's environment), else undefined. */
export function configFile(config: Record<string, string>): string | undefined {
  const text = JSON.stringify(config);
  return fitsInEnv("PULUMI_CONFIG", text) ? undefined : text;
}

/** Preloaded into the pack when its config comes in a file; it sets PULUMI_CONFIG inside the pack. */
export const PACK_CONFIG_PRELOAD = path.join(__dirname, "packConfigPreload.cjs");
/** The variable that names that file to the preload (which removes it from the pack's environment). */
export const PACK_CONFIG_FILE_VAR = "PILLAR_PACK_CONFIG_FILE";

/** Preloaded into the pack when the plan's compile cache is on (packCompileCache.cjs). */
export const PACK_COMPILE_CACHE_PRELOAD = path.join(__dirname, "packCompileCache.cjs");

/**
 * The V8 compile cache the plan's launcher turned on (scripts/launch.js), for the pack too: on Node
 * 22.1+ NODE_COMPILE_CACHE is in the pack's environment, on Node 20 V8_COMPILE_CACHE_CACHE_DIR. The
 * preload makes the pack write its cache when the plan stops it. Nothing when no cache is on.
 */
export function compileCachePreload(): string[] {
  const builtIn = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === "function";
  const on = builtIn
    ? process.env.NODE_COMPILE_CACHE !== undefined && !process.env.NODE_DISABLE_COMPILE_CACHE
    : process.env.V8_COMPILE_CACHE_CACHE_DIR !== undefined && !process.env.DISABLE_V8_COMPILE_CACHE;
  return on ? ["--require", PACK_COMPILE_CACHE_PRELOAD] : [];
}

/**
 * The CLI passes its engine's address; run-policy-pack drops that argument unread. There is no
 * engine here, so a closed loopback port stands in.
 */
export const NO_ENGINE_ADDRESS = "127.0.0.1:0";

export interface PackProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** The command line, for error messages and the report. */
  readonly argv: readonly string[];
  /** Everything the pack wrote to stderr so far (bounded to its last 64 KiB). */
  stderr(): string;
  /** Resolves once the process has exited, whatever the reason. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Terminates the process and waits until it is gone. Safe to call more than once. */
  kill(): Promise<void>;
}

const STDERR_LIMIT = 64 * 1024;

// Node colours its stack traces even into a pipe; an error message is read as plain text.
const ANSI_ESCAPE = /\u001b\[[0-9;]*m/g;

export function resolveRunPolicyPack(packDir: string): string {
  try {
    return createRequire(path.join(packDir, "package.json")).resolve("@pulumi/pulumi/cmd/run-policy-pack");
  } catch {
    throw new Error(
      `it looks like the policy pack's dependencies are not installed; try running npm install or yarn install in "${packDir}"`,
    );
  }
}

export function startPack(
  packDir: string,
  project: PolicyPackProject,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
  /** The stack config's JSON, to hand over in a file (see configFile) instead of the environment. */
  config?: string,
): Promise<PackProcess> {
  const runPolicyPack = resolveRunPolicyPack(packDir);
  const program = project.main !== undefined ? path.resolve(packDir, project.main) : packDir;
  let configDir: string | undefined;
  let childEnv = env;
  if (config !== undefined) {
    // Private to us (the config may hold secrets' ciphertext and plain values alike); removed once
    // the pack is up or gone. A file, not a pipe: the pack reads it at its own pace, whatever ours.
    configDir = fs.mkdtempSync(path.join(os.tmpdir(), "pillar-pack-config-"));
    const file = path.join(configDir, "config.json");
    fs.writeFileSync(file, config, { mode: 0o600 });
    childEnv = { ...env, [PACK_CONFIG_FILE_VAR]: file };
  }
  const removeConfig = (): void => {
    if (configDir !== undefined) fs.rmSync(configDir, { recursive: true, force: true });
    configDir = undefined;
  };
  const preload = [
    ...compileCachePreload(),
    ...(config !== undefined ? ["--require", PACK_CONFIG_PRELOAD] : []),
  ];
  const argv = [process.execPath, ...preload, runPolicyPack, ...project.nodeargs, NO_ENGINE_ADDRESS, program];
  let child: ChildProcess;
  try {
    child = spawn(argv[0]!, argv.slice(1), {
      cwd: packDir,
      env: childEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (e) {
    removeConfig();
    throw e;
  }

  let stderr = "";
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (s: string) => {
    stderr = (stderr + s).slice(-STDERR_LIMIT);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once("exit", (code, sig) => resolve({ code, signal: sig }));
  });
  // A spawn failure (ENOENT, EACCES) is reported through "error" and then "exit" may never come.
  // The listener stays for the life of the child: an "error" nobody listens to would crash us.
  const spawnFailed = new Promise<Error>((resolve) => child.on("error", resolve));

  const kill = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    child.kill("SIGTERM");
    const grace = setTimeout(() => child.kill("SIGKILL"), 2000);
    await exited;
    clearTimeout(grace);
  };

  const handle = (port: number): PackProcess => ({
    child,
    port,
    argv,
    stderr: () => stderr.replace(ANSI_ESCAPE, ""),
    exited,
    kill,
  });

  return new Promise<PackProcess>((resolve, reject) => {
    let out = "";
    let settled = false;
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      cleanup();
      removeConfig();
      void kill().then(() => {
        const tail = stderr.replace(ANSI_ESCAPE, "").trim();
        reject(
          new Error(`policy pack "${packDir}" failed to start: ${why}${tail ? `\nstderr:\n${tail}` : ""}`),
        );
      });
    };
    const onData = (s: string): void => {
      out += s;
      const nl = out.indexOf("\n");
      if (nl === -1) return;
      const line = out.slice(0, nl).trim();
      const port = Number(line);
      if (!/^\d+$/.test(line) || port <= 0 || port > 65535) {
        fail(`expected a port on its first line of output, got ${JSON.stringify(line)}`);
        return;
      }
      settled = true;
      cleanup();
      removeConfig(); // read by the preload before the pack loaded, so before its port
      // Later output is the policies' own console logging; keep draining it so the pipe never fills.
      child.stdout!.resume();
      resolve(handle(port));
    };
    const onExit = (): void => {
      void exited.then(({ code, signal: sig }) =>
        fail(
          `it exited (${sig !== null ? `signal ${sig}` : `code ${String(code)}`}) before printing its port`,
        ),
      );
    };
    const onAbort = (): void =>
      fail(String(signal.reason instanceof Error ? signal.reason.message : signal.reason));
    const cleanup = (): void => {
      child.stdout!.off("data", onData);
      child.off("exit", onExit);
      signal.removeEventListener("abort", onAbort);
    };
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", onData);
    child.once("exit", onExit);
    void spawnFailed.then((e) => fail(`could not run ${argv[0]}: ${e.message}`));
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** What the pack's environment is made from: the stack's identity and config. */
export interface PackStackOptions {
  readonly organization?: string;
  readonly project: string;
  readonly stack: string;
  readonly dryRun: boolean;
  readonly stackConfig: Record<string, string>;
}

/**
 * A pack's process being started, before anything speaks to it. The offline plan launches its packs
 * first thing, before it loads the Pulumi SDK and runs the program: a pack takes about as long to
 * start as the program to run, and each has a core of its own. The session that later speaks to the
 * pack (analyzerConnection.ts) takes the launch over, its abort signal included.
 */
export interface PackLaunch {
  readonly packDir: string;
  readonly controller: AbortController;
  /** The project file as read, or why it could not be (reported when the session opens). */
  readonly project: PolicyPackProject | Error;
  /** The started process; rejects as startPack does. Never an unhandled rejection. */
  readonly started: Promise<PackProcess>;
  /** Stops the process if it started (a command that ends early). Safe to call more than once. */
  dispose(): Promise<void>;
}

export function launchPack(packDir: string, o: PackStackOptions): PackLaunch {
  const dir = path.resolve(packDir);
  const controller = new AbortController();
  let project: PolicyPackProject | Error;
  let started: Promise<PackProcess>;
  try {
    project = loadPolicyPackProject(dir);
    if (project.runtime !== "nodejs")
      throw new Error(`policy pack "${dir}": runtime "${project.runtime}" is not supported, only nodejs`);
    const env = packEnv(process.env, {
      ...(o.organization !== undefined ? { organization: o.organization } : {}),
      project: o.project,
      stack: o.stack,
      dryRun: o.dryRun,
      config: o.stackConfig,
      typescript: project.typescript,
    });
    started = startPack(dir, project, env, controller.signal, configFile(o.stackConfig));
  } catch (e) {
    project = e instanceof Error ? e : new Error(String(e));
    started = Promise.reject(project);
  }
  started.catch(() => undefined);
  return {
    packDir: dir,
    controller,
    project,
    started,
    dispose: async () => {
      controller.abort(new Error("the command ended"));
      await started.then(
        (p) => p.kill(),
        () => undefined,
      );
    },
  };
}
