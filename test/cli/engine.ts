/**
 * Runs the program the way `pulumi preview` does, with a mock engine in place of the CLI: the nodejs
 * language host's command line (pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go,
 * constructArguments: `node <@pulumi/pulumi/cmd/run> --monitor … --engine … --organization …
 * --project … --root-directory … --stack … --pwd … --dry-run --parallel N <entry point>`) and its
 * environment (constructConfig: PULUMI_CONFIG with keys in the old `<ns>:config:<name>` form,
 * PULUMI_CONFIG_SECRET_KEYS; PULUMI_NODEJS_TYPESCRIPT for the `typescript` runtime option), so the
 * program loads through @pulumi/pulumi's own run script and ts-node, type-checked.
 *
 * The engine side is two gRPC servers on 127.0.0.1: a ResourceMonitor that records each
 * RegisterResource and answers it as the offline plan's mock runtime does (the same fake state and
 * lookups), and an Engine that keeps the root resource and collects log messages.
 */
import * as grpc from "@grpc/grpc-js";
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as enginepb from "@pulumi/pulumi/proto/engine_pb";
import { EngineService } from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as rpb from "@pulumi/pulumi/proto/resource_pb";
import { ResourceMonitorService } from "@pulumi/pulumi/proto/resource_grpc_pb";
import { AutonamingModel } from "../../config/autonaming";
import { defaultLookups, fakeState } from "../../scripts/lib/fakeAws";
import { recordRegistration } from "../../scripts/lib/registration";
import { RecordedResource } from "../../scripts/lib/record";

export interface CliRun {
  readonly resources: RecordedResource[];
  readonly code: number | null;
  readonly stderr: string;
  /** Messages the program logged at warning or error severity. */
  readonly logs: string[];
}

type Callback = (err: grpc.ServiceError | null, res?: unknown) => void;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Call = { request: any };

const ALL_FEATURES = Object.values(rpb.ResourceMonitorFeature).filter(
  (f) => typeof f === "number" && f !== 0,
);

function listen(server: grpc.Server): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) =>
      err ? reject(err) : resolve(port),
    ),
  );
}

export async function runUnderCli(o: {
  readonly root: string;
  readonly project: string;
  readonly stack: string;
  readonly organization: string;
  /** Full keys (`pillar:cloud`) to the strings the CLI passes. */
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys: readonly string[];
  readonly region: string;
  readonly autonaming?: AutonamingModel;
}): Promise<CliRun> {
  const resources: RecordedResource[] = [];
  const logs: string[] = [];
  const lookups = defaultLookups(o.region);
  let root = "";

  const unimplemented = (_c: Call, cb: Callback) =>
    cb({ code: grpc.status.UNIMPLEMENTED, details: "not in the mock engine" } as grpc.ServiceError);
  const monitor = new grpc.Server();
  const monitorImpl: Record<string, (c: Call, cb: Callback) => void> = {};
  for (const method of Object.keys(ResourceMonitorService)) monitorImpl[method] = unimplemented;
  Object.assign(monitorImpl, {
    getDeploymentInfo: (_c: Call, cb: Callback) => {
      const r = new rpb.DeploymentInfo();
      r.setSupportedfeaturesList(ALL_FEATURES as rpb.ResourceMonitorFeature[]);
      cb(null, r);
    },
    supportsFeature: (_c: Call, cb: Callback) =>
      cb(null, new rpb.SupportsFeatureResponse().setHassupport(true)),
    invoke: (c: Call, cb: Callback) => {
      const tok: string = c.request.getTok();
      const fake = lookups[tok];
      if (!fake)
        return cb({ code: grpc.status.NOT_FOUND, details: `no fake for ${tok}` } as grpc.ServiceError);
      const args = (c.request.getArgs()?.toJavaScript() ?? {}) as Record<string, unknown>;
      cb(null, new rpb.ResourceInvokeResponse().setReturn(Struct.fromJavaScript(fake(args).result as never)));
    },
    registerResource: (c: Call, cb: Callback) => {
      const record = recordRegistration(c.request, {
        stack: o.stack,
        project: o.project,
        ...(o.autonaming ? { autonaming: o.autonaming } : {}),
      });
      resources.push(record);
      const response = new rpb.RegisterResourceResponse().setUrn(record.urn);
      if (record.custom) {
        const { id, state } = fakeState(
          record.type,
          record.name,
          record.urn,
          record.wireInputs,
          true,
          o.region,
          record.physicalName,
        );
        response.setId(id ?? "");
        response.setObject(Struct.fromJavaScript(state as never));
      } else response.setObject(new Struct());
      cb(null, response);
    },
    registerResourceOutputs: (_c: Call, cb: Callback) => cb(null, new Empty()),
    registerPackage: (_c: Call, cb: Callback) => cb(null, new rpb.RegisterPackageResponse().setRef("mock")),
    signalAndWaitForShutdown: (_c: Call, cb: Callback) => cb(null, new Empty()),
  });
  monitor.addService(ResourceMonitorService, monitorImpl as grpc.UntypedServiceImplementation);

  const engine = new grpc.Server();
  engine.addService(EngineService, {
    log: (c: Call, cb: Callback) => {
      const severity: number = c.request.getSeverity();
      if (severity >= enginepb.LogSeverity.WARNING) logs.push(String(c.request.getMessage()));
      cb(null, new Empty());
    },
    getRootResource: (_c: Call, cb: Callback) =>
      cb(null, new enginepb.GetRootResourceResponse().setUrn(root)),
    setRootResource: (c: Call, cb: Callback) => {
      root = c.request.getUrn();
      cb(null, new enginepb.SetRootResourceResponse());
    },
    startDebugging: unimplemented,
    requirePulumiVersion: (_c: Call, cb: Callback) => cb(null, new enginepb.RequirePulumiVersionResponse()),
  } as grpc.UntypedServiceImplementation);

  const [monitorPort, enginePort] = await Promise.all([listen(monitor), listen(engine)]);
  try {
    const runScript = createRequire(path.join(o.root, "package.json")).resolve("@pulumi/pulumi/cmd/run");
    const oldStyle = Object.fromEntries(
      Object.entries(o.config).map(([k, v]) => {
        const i = k.indexOf(":");
        return [`${k.slice(0, i)}:config:${k.slice(i + 1)}`, v];
      }),
    );
    const env: NodeJS.ProcessEnv = {};
    // The CLI's own process environment, minus what would make this a different run.
    for (const [k, v] of Object.entries(process.env))
      if (!k.startsWith("PULUMI_") && k !== "NODE_OPTIONS" && k !== "TS_NODE_PROJECT") env[k] = v;
    Object.assign(env, {
      PULUMI_CONFIG: JSON.stringify(oldStyle),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(o.secretKeys),
      PULUMI_NODEJS_TYPESCRIPT: "true",
    });
    const args = [
      runScript,
      "--monitor",
      `127.0.0.1:${monitorPort}`,
      "--engine",
      `127.0.0.1:${enginePort}`,
      "--organization",
      o.organization,
      "--project",
      o.project,
      "--root-directory",
      o.root,
      "--stack",
      o.stack,
      "--pwd",
      o.root,
      "--dry-run",
      "--parallel",
      "16",
      ".",
    ];
    const child = spawn(process.execPath, args, { cwd: o.root, env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.stdout.resume();
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    return { resources, code, stderr, logs };
  } finally {
    monitor.forceShutdown();
    engine.forceShutdown();
  }
}
