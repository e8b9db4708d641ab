/**
 * Protobuf messages of the analyzer protocol, built as the engine builds them
 * (pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go), and read back from the pack.
 */
import * as apb from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { EnforcementLevel, PolicyConfigEntry, PolicyMeta } from "./analyzerConfig";
import { encodeStruct, withTypeAndStruct } from "./structWire";
import type { RunPolicyPackOptions } from "./analyzerTypes";
import {
  marshalProperties,
  marshalValue,
  parseUrn,
  resolveProvider,
  wireOptions,
  type WireObject,
  type WireOptions,
  type WireProvider,
} from "./analyzerWire";
import type { RecordedResource } from "./record";

export type Severity = "low" | "medium" | "high" | "critical";

const LEVEL_FROM_PROTO: Readonly<Record<number, EnforcementLevel>> = {
  [apb.EnforcementLevel.ADVISORY]: "advisory",
  [apb.EnforcementLevel.MANDATORY]: "mandatory",
  [apb.EnforcementLevel.DISABLED]: "disabled",
  [apb.EnforcementLevel.REMEDIATE]: "remediate",
};
export const LEVEL_TO_PROTO: Readonly<Record<EnforcementLevel, apb.EnforcementLevel>> = {
  advisory: apb.EnforcementLevel.ADVISORY,
  mandatory: apb.EnforcementLevel.MANDATORY,
  disabled: apb.EnforcementLevel.DISABLED,
  remediate: apb.EnforcementLevel.REMEDIATE,
};
export const SEVERITY_FROM_PROTO: Readonly<Record<number, Severity>> = {
  [apb.PolicySeverity.POLICY_SEVERITY_LOW]: "low",
  [apb.PolicySeverity.POLICY_SEVERITY_MEDIUM]: "medium",
  [apb.PolicySeverity.POLICY_SEVERITY_HIGH]: "high",
  [apb.PolicySeverity.POLICY_SEVERITY_CRITICAL]: "critical",
};

export function levelFromProto(n: number): EnforcementLevel {
  const level = LEVEL_FROM_PROTO[n];
  if (level === undefined) throw new Error(`invalid enforcement level ${n}`);
  return level;
}

function optionsMessage(o: WireOptions): apb.AnalyzerResourceOptions {
  const t = new apb.AnalyzerResourceOptions.CustomTimeouts();
  t.setCreate(o.customTimeouts.create);
  t.setUpdate(o.customTimeouts.update);
  t.setDelete(o.customTimeouts.delete);
  t.setRead(o.customTimeouts.read);
  const m = new apb.AnalyzerResourceOptions();
  m.setProtect(o.protect);
  m.setIgnorechangesList(o.ignoreChanges);
  m.setDeletebeforereplace(o.deleteBeforeReplace);
  m.setDeletebeforereplacedefined(o.deleteBeforeReplaceDefined);
  m.setAdditionalsecretoutputsList(o.additionalSecretOutputs);
  m.setAliasesList(o.aliases);
  m.setCustomtimeouts(t);
  m.setParent(o.parent);
  return m;
}

function providerMessage(p: WireProvider): apb.AnalyzerProviderResource {
  const m = new apb.AnalyzerProviderResource();
  m.setUrn(p.urn);
  m.setType(p.type);
  m.setName(p.name);
  m.setProperties(Struct.fromJavaScript(p.properties));
  return m;
}

/** What the engine knows of one resource, ready for either request. */
export interface Prepared {
  readonly r: RecordedResource;
  readonly name: string;
  readonly options: WireOptions;
  readonly provider?: WireProvider;
}

/**
 * The request of Analyze and Remediate: the resource's inputs (after the provider's Check, which a
 * plan has no provider to run). Remediate also gets the internal `__` keys, Analyze does not.
 */
export function analyzeRequest(
  p: Prepared,
  inputs: Readonly<Record<string, unknown>>,
  internalKeys: boolean,
): apb.AnalyzeRequest {
  const m = analyzeRequestRest(p);
  m.setType(p.r.type);
  m.setProperties(Struct.fromJavaScript(analyzeProperties(inputs, internalKeys)));
  return m;
}

/** analyzeRequest's bytes, the properties encoded natively (structWire.ts): what the plan sends. */
export function analyzeRequestBytes(
  p: Prepared,
  inputs: Readonly<Record<string, unknown>>,
  internalKeys: boolean,
): Buffer {
  return withTypeAndStruct(
    p.r.type,
    encodeStruct(analyzeProperties(inputs, internalKeys)),
    analyzeRequestRest(p).serializeBinary(),
  );
}

const analyzeProperties = (inputs: Readonly<Record<string, unknown>>, internalKeys: boolean): WireObject =>
  internalKeys ? (marshalValue(inputs) as WireObject) : marshalProperties(inputs);

/** An AnalyzeRequest without its type and properties (fields 1 and 2). */
function analyzeRequestRest(p: Prepared): apb.AnalyzeRequest {
  const m = new apb.AnalyzeRequest();
  m.setUrn(p.r.urn);
  m.setName(p.name);
  m.setOptions(optionsMessage(p.options));
  if (p.provider) m.setProvider(providerMessage(p.provider));
  return m;
}

export function stackResourceMessage(
  p: Prepared,
  remediated: Readonly<Record<string, unknown>> | undefined,
  customProperties: "inputs" | "outputs" = "inputs",
): apb.AnalyzerResource {
  const m = stackResourceRest(p);
  m.setType(p.r.type);
  m.setProperties(Struct.fromJavaScript(stackProperties(p, remediated, customProperties)));
  return m;
}

/** stackResourceMessage's bytes, the properties encoded natively (structWire.ts): what the plan sends. */
export function stackResourceBytes(
  p: Prepared,
  remediated: Readonly<Record<string, unknown>> | undefined,
  customProperties: "inputs" | "outputs" = "inputs",
): Buffer {
  return withTypeAndStruct(
    p.r.type,
    encodeStruct(stackProperties(p, remediated, customProperties)),
    stackResourceRest(p).serializeBinary(),
  );
}

function stackProperties(
  p: Prepared,
  remediated: Readonly<Record<string, unknown>> | undefined,
  customProperties: "inputs" | "outputs",
): WireObject {
  // AnalyzeStack sees each resource's state. In a preview a custom resource's state is what it was
  // given (its outputs are not known yet); a component's is what it passed to registerOutputs.
  // Deployed state (`pulumi policy analyze`) sends every resource's recorded outputs.
  const state = customProperties === "outputs" ? p.r.outputs : (remediated ?? p.r.wireInputs);
  return marshalProperties(p.r.custom ? state : p.r.outputs);
}

/** An AnalyzerResource without its type and properties (fields 1 and 2). */
function stackResourceRest(p: Prepared): apb.AnalyzerResource {
  const m = new apb.AnalyzerResource();
  m.setUrn(p.r.urn);
  m.setName(p.name);
  m.setOptions(optionsMessage(p.options));
  if (p.provider) m.setProvider(providerMessage(p.provider));
  m.setParent(p.r.parent ?? "");
  m.setDependenciesList([...p.r.dependencies]);
  const deps = m.getPropertydependenciesMap();
  for (const [k, urns] of Object.entries(p.r.propertyDependencies)) {
    if (urns.length === 0) continue; // the engine skips properties without dependencies
    const d = new apb.AnalyzerPropertyDependencies();
    d.setUrnsList([...urns]);
    deps.set(k, d);
  }
  return m;
}

/**
 * The bytes of `AnalyzeStackRequest { repeated AnalyzerResource resources = 1; }` from each
 * resource's own encoding: field 1, length-delimited, once per resource, which is exactly what
 * serializing the whole request writes. Encoding resource by resource keeps only one resource's
 * message objects alive at a time; building the whole request first kept every one alive through
 * V8's young-generation collections and made large stacks superlinearly slow.
 */
export function encodeAnalyzeStackRequest(resources: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  const heads = resources.map((r) => {
    const head = [0x0a]; // field 1, wire type 2
    for (let n = r.length; ; n >>>= 7) {
      if (n < 0x80) {
        head.push(n);
        break;
      }
      head.push((n & 0x7f) | 0x80);
    }
    total += head.length + r.length;
    return head;
  });
  const out = new Uint8Array(total);
  let at = 0;
  resources.forEach((r, i) => {
    out.set(heads[i]!, at);
    at += heads[i]!.length;
    out.set(r, at);
    at += r.length;
  });
  return out;
}

export function parseInfo(info: apb.AnalyzerInfo): {
  policies: (PolicyMeta & { description: string; severity?: Severity })[];
  initialConfig: Map<string, PolicyConfigEntry>;
} {
  const policies = info.getPoliciesList().map((p) => {
    const schema = p.getConfigschema();
    const severity = SEVERITY_FROM_PROTO[p.getSeverity()];
    return {
      name: p.getName(),
      description: p.getDescription(),
      enforcementLevel: levelFromProto(p.getEnforcementlevel()),
      ...(schema
        ? {
            configSchema: {
              properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
              required: schema.getRequiredList(),
            },
          }
        : {}),
      ...(severity ? { severity } : {}),
    };
  });
  // As in the engine's convertPolicyConfig, an initial-config entry always carries a level: one the
  // pack left unset reads as ADVISORY (the proto default), and so overrides the policy's own level.
  const initialConfig = new Map<string, PolicyConfigEntry>();
  info.getInitialconfigMap().forEach((v: apb.PolicyConfig, k: string) => {
    const props = v.getProperties()?.toJavaScript();
    initialConfig.set(k, {
      enforcementLevel: levelFromProto(v.getEnforcementlevel()),
      ...(props && Object.keys(props).length > 0 ? { properties: props as Record<string, unknown> } : {}),
    });
  });
  return { policies, initialConfig };
}

/** Each resource with the name, options and provider reference its Analyze request carries. */
export function prepareResources(
  resources: readonly RecordedResource[],
  stackConfig: RunPolicyPackOptions["stackConfig"],
): {
  byUrn: Map<string, RecordedResource>;
  all: Prepared[];
} {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  return { byUrn, all: resources.map((r) => prepareResource(r, byUrn, stackConfig)) };
}

/** One resource prepared; `byUrn` holds its provider (registered before it) if that is in the stack. */
export function prepareResource(
  r: RecordedResource,
  byUrn: ReadonlyMap<string, RecordedResource>,
  stackConfig: RunPolicyPackOptions["stackConfig"],
): Prepared {
  const provider = resolveProvider(r.provider, byUrn, stackConfig);
  return {
    r,
    name: parseUrn(r.urn)?.name ?? r.name,
    options: wireOptions(r),
    ...(provider ? { provider } : {}),
  };
}

/** A started, configured pack: what `pulumi preview` holds between loading a pack and closing it. */
