/**
 * What the engine does to a resource's recorded wire values before it hands them to an analyzer:
 * `MarshalProperties(props, {KeepUnknowns: true, KeepSecrets: true, SkipInternalKeys: true})` with
 * KeepResources and KeepOutputValues off (pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go and
 * sdk/go/common/resource/plugin/rpc.go). Pure functions from plain values to plain values.
 */
import { RESOURCE_REF_SIG, SECRET_SIG, SIG_KEY, UNKNOWN_SENTINEL, type RecordedResource } from "./record";

/** Signature of a first-class output value (`{ [SIG_KEY]: OUTPUT_VALUE_SIG, value?, secret?, dependencies? }`). */
export const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

/** A JSON-shaped value as it goes into a protobuf Struct. */
export type WireValue = null | boolean | number | string | WireValue[] | { [key: string]: WireValue };
export type WireObject = { [key: string]: WireValue };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function wrapSecret(value: WireValue): WireObject {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/**
 * One value, as the engine re-marshals it. `undefined` means "absent": the engine's property maps
 * cannot hold it, so an object drops the key and an array keeps the slot as null.
 */
export function marshalValue(v: unknown): WireValue | undefined {
  if (v === undefined) return undefined;
  if (v === null || typeof v === "boolean" || typeof v === "number" || typeof v === "string") return v;
  if (Array.isArray(v)) return v.map((e) => marshalValue(e) ?? null);
  if (!isPlainObject(v)) throw new Error(`cannot marshal a ${typeof v} to the analyzer`);
  const sig = v[SIG_KEY];
  if (sig === SECRET_SIG) {
    // KeepSecrets: the secret stays wrapped; the pack's SDK unwraps it for the policy.
    return wrapSecret(marshalValue(v["value"]) ?? null);
  }
  if (sig === RESOURCE_REF_SIG) {
    // KeepResources is off: a reference collapses to its id (unknown if not yet known), or to its
    // URN when it has no id (a component).
    if ("id" in v) {
      const id = v["id"];
      return typeof id === "string" && id !== "" && id !== UNKNOWN_SENTINEL ? id : UNKNOWN_SENTINEL;
    }
    return typeof v["urn"] === "string" ? v["urn"] : UNKNOWN_SENTINEL;
  }
  if (sig === OUTPUT_VALUE_SIG) {
    // KeepOutputValues is off: a known output becomes its element, an unknown one the sentinel,
    // and a secret output a wrapped secret.
    const known = "value" in v && v["value"] !== undefined;
    const element: WireValue = known ? (marshalValue(v["value"]) ?? null) : UNKNOWN_SENTINEL;
    return v["secret"] === true ? wrapSecret(element) : element;
  }
  // Assets, archives and plain objects: same shape, values re-marshalled.
  const out: WireObject = {};
  for (const [k, e] of Object.entries(v)) {
    const m = marshalValue(e);
    if (m !== undefined) out[k] = m;
  }
  return out;
}

/** A property map: as marshalValue, plus SkipInternalKeys (`__defaults` etc.), which the engine applies at the top level only. */
export function marshalProperties(props: Readonly<Record<string, unknown>>): WireObject {
  const out: WireObject = {};
  for (const [k, v] of Object.entries(props)) {
    if (k.startsWith("__")) continue;
    const m = marshalValue(v);
    if (m !== undefined) out[k] = m;
  }
  return out;
}

/** The parts of a URN: `urn:pulumi:<stack>::<project>::<qualified type>::<name>`. */
export interface ParsedUrn {
  readonly stack: string;
  readonly project: string;
  /** The resource's own type: the last `$`-separated segment of the qualified type. */
  readonly type: string;
  readonly name: string;
}

export function parseUrn(urn: string): ParsedUrn | undefined {
  if (!urn.startsWith("urn:pulumi:")) return undefined;
  const parts = urn.slice("urn:pulumi:".length).split("::");
  if (parts.length < 4) return undefined;
  const [stack, project, qualifiedType] = parts as [string, string, string];
  const type = qualifiedType.split("$").pop() ?? qualifiedType;
  // A name may itself contain "::"; everything after the third separator is the name.
  return { stack, project, type, name: parts.slice(3).join("::") };
}

/** `DefaultRootStackURN` of sdk/go/common/resource/stack.go. */
export function rootStackUrn(project: string, stack: string): string {
  return `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
}

/**
 * `tokens.Type.DisplayName`: `aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule` shows as
 * `aws:vpc:SecurityGroupIngressRule`; anything not of that shape shows unchanged.
 */
export function displayTypeName(type: string): string {
  const parts = type.split(":");
  if (parts.length !== 3) return type;
  const [pkg, mod, name] = parts as [string, string, string];
  const slash = mod.lastIndexOf("/");
  if (name === "" || slash === -1) return type;
  const file = mod.slice(slash + 1);
  if (file !== name.charAt(0).toLowerCase() + name.slice(1)) return type;
  return `${pkg}:${mod.slice(0, slash)}:${name}`;
}

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

/**
 * Seconds in a Go duration string ("5m", "1h30m", "1.5s"), as the engine parses a resource's
 * customTimeouts before it passes them to analyzers. Empty means 0.
 */
export function durationSeconds(d: string | undefined): number {
  if (d === undefined || d === "" || d === "0") return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let end = 0;
  for (let m = re.exec(d); m !== null; m = re.exec(d)) {
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    end = re.lastIndex;
  }
  if (end !== d.length || end === 0) throw new Error(`invalid custom timeout ${JSON.stringify(d)}`);
  return total;
}

/** The engine's `AnalyzerResourceOptions`, as plain values (analyzer_plugin.go marshalResourceOptions). */
export interface WireOptions {
  readonly protect: boolean;
  readonly ignoreChanges: string[];
  readonly deleteBeforeReplace: boolean;
  /** The SDK sends whether deleteBeforeReplace was set; the record keeps only its value, so only `true` counts as set. */
  readonly deleteBeforeReplaceDefined: boolean;
  readonly additionalSecretOutputs: string[];
  readonly aliases: string[];
  readonly customTimeouts: { create: number; update: number; delete: number; read: number };
  readonly parent: string;
}

export function wireOptions(r: RecordedResource): WireOptions {
  const t = r.options.customTimeouts;
  return {
    protect: r.options.protect,
    ignoreChanges: [...r.options.ignoreChanges],
    deleteBeforeReplace: r.options.deleteBeforeReplace,
    deleteBeforeReplaceDefined: r.options.deleteBeforeReplace,
    additionalSecretOutputs: [...r.options.additionalSecretOutputs],
    aliases: [...r.options.aliases],
    customTimeouts: {
      create: durationSeconds(t?.create),
      update: durationSeconds(t?.update),
      delete: durationSeconds(t?.delete),
      read: 0,
    },
    parent: r.parent ?? "",
  };
}

/** The provider an analyzer is told about: the provider resource's URN, type, name and inputs. */
export interface WireProvider {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly properties: WireObject;
}

/**
 * Resolves `<provider urn>::<provider id>` against the recorded resources. A default provider is
 * never registered by the program, so it is not among them: the engine would send the inputs it
 * made for it, which are the stack config of the provider's package (`aws:region` → `region`).
 */
export function resolveProvider(
  ref: string | undefined,
  byUrn: ReadonlyMap<string, RecordedResource>,
  stackConfig: Readonly<Record<string, string>>,
): WireProvider | undefined {
  if (ref === undefined || ref === "") return undefined;
  const cut = ref.lastIndexOf("::");
  const urn = cut > 0 ? ref.slice(0, cut) : ref;
  const recorded = byUrn.get(urn);
  const parsed = parseUrn(urn);
  if (recorded !== undefined) {
    return {
      urn,
      type: recorded.type,
      name: recorded.name,
      properties: marshalProperties(recorded.wireInputs),
    };
  }
  if (parsed === undefined) throw new Error(`malformed provider reference ${JSON.stringify(ref)}`);
  const pkg = parsed.type.startsWith("pulumi:providers:")
    ? parsed.type.slice("pulumi:providers:".length)
    : "";
  const properties: WireObject = {};
  for (const [k, v] of Object.entries(stackConfig)) {
    if (pkg !== "" && k.startsWith(`${pkg}:`)) properties[k.slice(pkg.length + 1)] = v;
  }
  return { urn, type: parsed.type, name: parsed.name, properties };
}
