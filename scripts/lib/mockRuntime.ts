/**
 * Runs a Pulumi program under the SDK's mock runtime and records every registered resource exactly
 * as the engine would receive it: type, name, URN, parent, inputs with unknowns and secrets in
 * place, dependencies and property dependencies. Lookups are answered by deterministic fakes, each
 * listed as an assumption; a lookup without a fake is an error naming its token.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as settings from "@pulumi/pulumi/runtime/settings";
import * as state from "@pulumi/pulumi/runtime/state";
import { AutonamingModel } from "../../config/autonaming";
import { PhysicalName, physicalName } from "../../provider/naming";
import {
  KNOWN_AFTER_APPLY,
  RecordedResource,
  REDACTED_SECRET,
  RESOURCE_REF_SIG,
  SECRET_SIG,
  SIG_KEY,
  UNKNOWN_SENTINEL,
} from "./record";

const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

export function shortHash(text: string, length: number): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** A deterministic fake for one lookup: the result and the assumption it stands for. */
export type LookupFake = (inputs: Record<string, unknown>) => {
  result: Record<string, unknown>;
  assumption: string;
};

/** Fakes for the lookups pillar's program makes, derived from the stack's own values. */
export function defaultLookups(region: string, accountId = "123456789012"): Record<string, LookupFake> {
  return {
    "aws:ec2/getSecurityGroup:getSecurityGroup": (i) => {
      const id = `sg-${shortHash(`${String(i.vpcId)}/${String(i.name)}`, 17)}`;
      return {
        result: {
          id,
          name: i.name,
          vpcId: i.vpcId,
          arn: `arn:aws:ec2:${region}:${accountId}:security-group/${id}`,
        },
        assumption: `${String(i.name)} group of ${String(i.vpcId)} → ${id}`,
      };
    },
    "aws:ec2/getAmi:getAmi": (i) => {
      const filters = (i.filters as { name: string; values: string[] }[] | undefined) ?? [];
      const byId = filters.find((f) => f.name === "image-id")?.values[0];
      if (byId !== undefined) {
        return {
          result: { id: byId, imageId: byId, rootDeviceName: "/dev/sda1", architecture: "x86_64" },
          assumption: `image ${byId} → root device /dev/sda1`,
        };
      }
      const id = `ami-${shortHash(JSON.stringify(i), 17)}`;
      const name = filters.find((f) => f.name === "name")?.values.join(",") ?? "?";
      return {
        result: { id, imageId: id, name, architecture: "x86_64", rootDeviceName: "/dev/sda1" },
        assumption: `newest image named ${name} owned by ${String(i.owners)} → ${id} (root device /dev/sda1)`,
      };
    },
    "aws:ec2/getSubnet:getSubnet": (i) => {
      // Any id maps to one of the region's zones, the same one every time.
      const zone = ["a", "b", "c"][parseInt(shortHash(String(i.id), 2), 16) % 3]!;
      return {
        result: {
          id: i.id,
          availabilityZone: `${region}${zone}`,
          arn: `arn:aws:ec2:${region}:${accountId}:subnet/${String(i.id)}`,
        },
        assumption: `subnet ${String(i.id)} → availability zone ${region}${zone}`,
      };
    },
    "aws:index/getAvailabilityZones:getAvailabilityZones": () => {
      const names = ["a", "b", "c"].map((s) => `${region}${s}`);
      return {
        result: { names, zoneIds: names.map((_, k) => `use1-az${k + 1}`), id: region },
        assumption: `availability zones of ${region} → ${names.join(", ")}`,
      };
    },
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
      result: {
        accountId,
        arn: `arn:aws:iam::${accountId}:user/offline-plan`,
        userId: "AIDAOFFLINEPLAN",
        id: accountId,
      },
      assumption: `caller identity → account ${accountId}`,
    }),
    "aws:index/getRegion:getRegion": () => ({
      result: { name: region, region, id: region },
      assumption: `region → ${region}`,
    }),
  };
}

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
}

export interface RunResult {
  readonly resources: RecordedResource[];
  readonly assumptions: string[];
  readonly outputs: Record<string, unknown>;
}

/** Wire value → what a preview shows. */
export function displayValue(v: unknown): unknown {
  if (v === UNKNOWN_SENTINEL) return KNOWN_AFTER_APPLY;
  if (Array.isArray(v)) return v.map(displayValue);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const sig = o[SIG_KEY];
    if (sig === SECRET_SIG) return REDACTED_SECRET;
    if (sig === RESOURCE_REF_SIG) return o.urn;
    if (sig === ASSET_SIG) {
      const text = typeof o.text === "string" ? o.text : "";
      return `(asset: ${text.length} bytes, sha256 ${createHash("sha256").update(text).digest("hex").slice(0, 16)})`;
    }
    if (sig === ARCHIVE_SIG) {
      const assets = (o.assets ?? {}) as Record<string, unknown>;
      return { archive: Object.fromEntries(Object.entries(assets).map(([k, a]) => [k, displayValue(a)])) };
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, displayValue(x)]));
  }
  return v;
}

const ACCOUNT = "123456789012";

/** Realistic fake ids and ARNs per type, for update-mode runs (tests compare references with them). */
function fakeIdentity(type: string, name: string, urn: string, region: string): { id: string; arn: string } {
  const h = (n: number) => shortHash(urn, n);
  const uuid = `${h(8)}-${h(12).slice(8, 12)}-4${h(15).slice(12, 15)}-8${h(18).slice(15, 18)}-${shortHash(`${urn}#`, 12)}`;
  const ec2 = (prefix: string, kind: string) => {
    const id = `${prefix}-${h(17)}`;
    return { id, arn: `arn:aws:ec2:${region}:${ACCOUNT}:${kind}/${id}` };
  };
  switch (type) {
    case "aws:ec2/securityGroup:SecurityGroup":
    case "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":
      return ec2("sg", "security-group");
    case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
    case "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":
      return ec2("sgr", "security-group-rule");
    case "aws:ec2/instance:Instance":
      return ec2("i", "instance");
    case "aws:ec2/launchTemplate:LaunchTemplate":
      return ec2("lt", "launch-template");
    case "aws:ec2/vpc:Vpc":
      return ec2("vpc", "vpc");
    case "aws:ec2/subnet:Subnet":
      return ec2("subnet", "subnet");
    case "aws:ec2/internetGateway:InternetGateway":
      return ec2("igw", "internet-gateway");
    case "aws:ec2/routeTable:RouteTable":
      return ec2("rtb", "route-table");
    case "aws:ec2/natGateway:NatGateway":
      return ec2("nat", "natgateway");
    case "aws:ec2/eip:Eip":
      return ec2("eipalloc", "elastic-ip");
    case "aws:ebs/volume:Volume":
      return ec2("vol", "volume");
    case "aws:ec2/volumeAttachment:VolumeAttachment":
      return { id: `vai-${parseInt(h(8), 16)}`, arn: "" };
    case "aws:dlm/lifecyclePolicy:LifecyclePolicy": {
      const id = `policy-${h(17)}`;
      return { id, arn: `arn:aws:dlm:${region}:${ACCOUNT}:policy/${id}` };
    }
    case "aws:ec2/keyPair:KeyPair":
      return { id: name, arn: `arn:aws:ec2:${region}:${ACCOUNT}:key-pair/key-${h(17)}` };
    case "aws:iam/role:Role":
      return { id: name, arn: `arn:aws:iam::${ACCOUNT}:role/${name}` };
    case "aws:iam/instanceProfile:InstanceProfile":
      return { id: name, arn: `arn:aws:iam::${ACCOUNT}:instance-profile/${name}` };
    case "aws:sns/topic:Topic": {
      const arn = `arn:aws:sns:${region}:${ACCOUNT}:${name}`;
      return { id: arn, arn };
    }
    case "aws:sns/topicSubscription:TopicSubscription": {
      const arn = `arn:aws:sns:${region}:${ACCOUNT}:${name}:${uuid}`;
      return { id: arn, arn };
    }
    case "aws:sqs/queue:Queue":
      return {
        id: `https://sqs.${region}.amazonaws.com/${ACCOUNT}/${name}`,
        arn: `arn:aws:sqs:${region}:${ACCOUNT}:${name}`,
      };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { id: name, arn: `arn:aws:logs:${region}:${ACCOUNT}:log-group:${name}` };
    case "aws:cloudwatch/metricAlarm:MetricAlarm":
      return { id: name, arn: `arn:aws:cloudwatch:${region}:${ACCOUNT}:alarm:${name}` };
    case "aws:dynamodb/table:Table":
      return { id: name, arn: `arn:aws:dynamodb:${region}:${ACCOUNT}:table/${name}` };
    case "aws:lambda/function:Function":
      return { id: name, arn: `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}` };
    case "aws:ssm/document:Document":
      return { id: name, arn: `arn:aws:ssm:${region}:${ACCOUNT}:document/${name}` };
    case "aws:elb/loadBalancer:LoadBalancer":
      return { id: name, arn: `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:loadbalancer/${name}` };
    case "aws:autoscaling/group:Group":
      return {
        id: name,
        arn: `arn:aws:autoscaling:${region}:${ACCOUNT}:autoScalingGroup:${uuid}:autoScalingGroupName/${name}`,
      };
    default:
      return {
        id: `${name}-${h(8)}`,
        arn: `arn:aws:${type.split(":")[1]?.split("/")[0] ?? "x"}:${region}:${ACCOUNT}:${name}`,
      };
  }
}

/**
 * What the provider answers for a custom resource: its inputs, the name it generated (known at
 * preview, as the bridge computes it in Check), and in an update fake ids and ARNs.
 */
export function fakeState(
  type: string,
  name: string,
  urn: string,
  inputs: Record<string, unknown>,
  preview: boolean,
  region: string,
  physical?: PhysicalName,
): { id?: string; state: Record<string, unknown> } {
  const state: Record<string, unknown> = { ...inputs };
  if (physical && physical.source !== "explicit") {
    if (physical.value !== undefined) state[physical.property] = physical.value;
    // Terraform makes a prefixed name at create: `<prefix><26-digit unique id>`.
    else if (physical.source === "prefix" && !preview)
      state[physical.property] = `${physical.prefix ?? ""}${BigInt(`0x${shortHash(urn, 20)}`)
        .toString()
        .slice(-26)
        .padStart(26, "0")}`;
  }
  if (preview) return { state };
  const named = physical ? state[physical.property] : undefined;
  const physicalValue = typeof named === "string" ? named : name;
  const { id, arn } = fakeIdentity(type, physicalValue, urn, region);
  state.arn = arn;
  if (type === "aws:autoscaling/policy:Policy") {
    state.arn = `arn:aws:autoscaling:${region}:${ACCOUNT}:scalingPolicy:${shortHash(urn, 8)}-0000-4000-8000-${shortHash(urn, 12)}:autoScalingGroupName/${String(inputs.autoscalingGroupName)}:policyName/${physicalValue}`;
  }
  if (type === "aws:autoscaling/schedule:Schedule") {
    state.arn = `arn:aws:autoscaling:${region}:${ACCOUNT}:scheduledUpdateGroupAction:${shortHash(urn, 8)}-0000-4000-8000-${shortHash(urn, 12)}:autoScalingGroupName/${String(inputs.autoscalingGroupName)}:scheduledActionName/${String(inputs.scheduledActionName)}`;
    return { id: String(inputs.scheduledActionName), state };
  }
  if (type === "aws:elb/loadBalancer:LoadBalancer") {
    state.dnsName = `${physicalValue}-${shortHash(urn, 9)}.${region}.elb.amazonaws.com`;
    state.zoneId = "Z35SXDOTRQ7X7K";
  }
  if (type === "aws:ec2/launchTemplate:LaunchTemplate") state.latestVersion = 1;
  if (type === "aws:lambda/functionUrl:FunctionUrl")
    state.functionUrl = `https://${shortHash(urn, 32)}.lambda-url.${region}.on.aws/`;
  return { id, state };
}

/** URNs as the engine makes them: the parent's full type chain, except for the root stack. */
export function engineUrn(
  stack: string,
  project: string,
  parent: string,
  type: string,
  name: string,
): string {
  let qualified = type;
  if (parent) {
    const parentType = parent.split("::")[2] ?? "";
    if (parentType !== ROOT_STACK_TYPE) qualified = `${parentType}$${type}`;
  }
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/**
 * The URNs a RegisterResource request's aliases stand for: URNs as given, specs resolved the way the
 * engine resolves them (pkg/resource/deploy/source_eval.go, each part defaulting to the resource's own).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function aliasUrns(req: any, stack: string, project: string): string[] {
  const out: string[] = [...(req.getAliasurnsList?.() ?? [])];
  for (const a of req.getAliasesList?.() ?? []) {
    if (a.getUrn()) {
      out.push(a.getUrn());
      continue;
    }
    const spec = a.getSpec();
    if (!spec) continue;
    const parent = spec.getNoparent() ? "" : spec.getParenturn() || req.getParent();
    out.push(
      engineUrn(
        spec.getStack() || stack,
        spec.getProject() || project,
        parent,
        spec.getType() || req.getType(),
        spec.getName() || req.getName(),
      ),
    );
  }
  return [...new Set(out)];
}

/** Everything the offline plan keeps of one RegisterResource request, as the engine would see it. */
export function recordRegistration(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  req: any,
  ctx: { readonly stack: string; readonly project: string; readonly autonaming?: AutonamingModel },
): RecordedResource {
  const type: string = req.getType();
  const name: string = req.getName();
  const parent: string = req.getParent();
  const urn = engineUrn(ctx.stack, ctx.project, parent, type, name);
  const wireInputs = (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
  const propertyDependencies: Record<string, string[]> = {};
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
    propertyDependencies[key] = deps.getUrnsList();
  });
  const timeouts = req.getCustomtimeouts();
  const custom: boolean = req.getCustom();
  const physical = custom ? physicalName({ type, name, urn, wireInputs }, ctx.autonaming) : undefined;
  const importId: string = req.getImportid?.() ?? "";
  return {
    urn,
    type,
    name,
    custom,
    ...(parent ? { parent } : {}),
    ...(req.getProvider() ? { provider: req.getProvider() } : {}),
    inputs: displayValue(wireInputs) as Record<string, unknown>,
    wireInputs,
    dependencies: [...new Set<string>(req.getDependenciesList())],
    propertyDependencies,
    outputs: {},
    ...(physical ? { physicalName: physical } : {}),
    options: {
      protect: req.getProtect() ?? false,
      ignoreChanges: req.getIgnorechangesList(),
      deleteBeforeReplace: req.getDeletebeforereplace(),
      retainOnDelete: req.getRetainondelete?.() ?? false,
      ...(importId !== "" ? { import: importId } : {}),
      aliases: aliasUrns(req, ctx.stack, ctx.project),
      ...(timeouts
        ? {
            customTimeouts: {
              create: timeouts.getCreate(),
              update: timeouts.getUpdate(),
              delete: timeouts.getDelete(),
            },
          }
        : {}),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    },
  };
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
          `the offline plan has no fake for the lookup "${args.token}"; add one in scripts/lib/mockRuntime.ts or avoid the lookup`,
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
