/**
 * What `pulumi stack export` would write for resources the mock runtime recorded after an apply
 * (ids and outputs known): an untyped deployment, version 3, resources as apitype.ResourceV3
 * (pulumi/pulumi sdk/go/common/apitype/core.go), secrets encrypted by the stack's secrets provider.
 */
import { SECRET_SIG, SIG_KEY, type RecordedResource } from "../../scripts/lib/record";

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A secret as the service-backed secrets manager stores it: ciphertext nobody offline can read. */
function encrypt(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(encrypt);
  if (!isObject(v)) return v;
  if (v[SIG_KEY] === SECRET_SIG) {
    const text = Buffer.from(JSON.stringify(v["value"] ?? null)).toString("base64");
    return { [SIG_KEY]: SECRET_SIG, ciphertext: `v1:Zm9vYmFyYmF6:${text}` };
  }
  return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, encrypt(e)]));
}

const seconds = (d: string | undefined): number | undefined =>
  d === undefined
    ? undefined
    : Number(/^(\d+)m$/.exec(d)?.[1] ?? "0") * 60 || Number(/^(\d+)s$/.exec(d)?.[1]);

export function resourceV3(r: RecordedResource): Record<string, unknown> {
  const t = r.options.customTimeouts;
  const timeouts = {
    ...(seconds(t?.create) ? { create: seconds(t?.create) } : {}),
    ...(seconds(t?.update) ? { update: seconds(t?.update) } : {}),
    ...(seconds(t?.delete) ? { delete: seconds(t?.delete) } : {}),
  };
  return {
    urn: r.urn,
    custom: r.custom,
    ...(r.id !== undefined ? { id: r.id } : {}),
    type: r.type,
    ...(r.custom ? { inputs: encrypt(r.wireInputs) } : {}),
    outputs: encrypt(r.custom ? { ...r.wireInputs, ...r.outputs, ...(r.id ? { id: r.id } : {}) } : r.outputs),
    ...(r.parent ? { parent: r.parent } : {}),
    ...(r.options.protect ? { protect: true } : {}),
    ...(r.dependencies.length > 0 ? { dependencies: r.dependencies } : {}),
    ...(r.provider ? { provider: r.provider } : {}),
    ...(Object.keys(r.propertyDependencies).length > 0
      ? { propertyDependencies: r.propertyDependencies }
      : {}),
    ...(r.options.additionalSecretOutputs.length > 0
      ? { additionalSecretOutputs: r.options.additionalSecretOutputs }
      : {}),
    ...(r.options.aliases.length > 0 ? { aliases: r.options.aliases } : {}),
    ...(Object.keys(timeouts).length > 0 ? { customTimeouts: timeouts } : {}),
    ...(r.options.ignoreChanges.length > 0 ? { ignoreChanges: r.options.ignoreChanges } : {}),
    created: "2026-09-01T10:00:00.000Z",
    modified: "2026-09-01T10:00:00.000Z",
  };
}

/** The whole export document. */
export function stackExport(resources: readonly RecordedResource[]): Record<string, unknown> {
  return {
    version: 3,
    deployment: {
      manifest: {
        time: "2026-09-01T10:00:00.000Z",
        magic: "0b2fbb5b5d0a5a7d1b1e9d6a3f9a5a0e3e1f2f3c4d5e6f708192a3b4c5d6e7f8",
        version: "v3.270.0",
      },
      secrets_providers: { type: "service", state: { url: "https://api.pulumi.com", owner: "acme" } },
      resources: resources.map(resourceV3),
    },
  };
}
