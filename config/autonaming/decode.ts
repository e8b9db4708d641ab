/**
 * `pulumi:autonaming` decoded as the engine decodes it: Go's encoding/json into its structs with
 * DisallowUnknownFields (pkg/cmd/pulumi/autonaming/json.go), so every error is the CLI's own text.
 */
import { AutonamingError } from "./strategy";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function jsonKind(v: Json): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "object") return "object";
  return typeof v === "boolean" ? "bool" : typeof v;
}

export interface NamingJson {
  mode?: string;
  pattern?: string;
  enforce?: boolean;
}

function structError(value: Json, struct: string, field: string, goType: string): AutonamingError {
  return new AutonamingError(
    `json: cannot unmarshal ${jsonKind(value)} into Go struct field ${struct}.${field} of type ${goType}`,
  );
}

/**
 * Decodes one struct: Go matches field names case-insensitively, ignores nulls, and (with
 * DisallowUnknownFields) refuses any other key.
 */
function decodeStruct(value: { [k: string]: Json }, fields: readonly string[]): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [key, v] of Object.entries(value)) {
    const field = fields.find((f) => f.toLowerCase() === key.toLowerCase());
    if (field === undefined) throw new AutonamingError(`json: unknown field "${key}"`);
    if (v !== null) out[field] = v;
    else delete out[field];
  }
  return out;
}

function decodeNaming(value: Record<string, Json>, struct: string, path: string): NamingJson {
  const out: NamingJson = {};
  const at = (f: string) => (path === "" ? f : `${path}.${f}`);
  if (value.mode !== undefined) {
    if (typeof value.mode !== "string") throw structError(value.mode, struct, at("mode"), "string");
    out.mode = value.mode;
  }
  if (value.pattern !== undefined) {
    if (typeof value.pattern !== "string") throw structError(value.pattern, struct, at("pattern"), "string");
    out.pattern = value.pattern;
  }
  if (value.enforce !== undefined) {
    if (typeof value.enforce !== "boolean") throw structError(value.enforce, struct, at("enforce"), "bool");
    out.enforce = value.enforce;
  }
  return out;
}

function isObject(v: Json | undefined): v is { [k: string]: Json } {
  return v !== null && v !== undefined && typeof v === "object" && !Array.isArray(v);
}

export interface SectionJson {
  naming: NamingJson;
  providers: Record<string, { naming: NamingJson; resources: Record<string, NamingJson> }>;
}

export function decodeSection(raw: Json): SectionJson {
  if (!isObject(raw))
    throw new AutonamingError(
      `json: cannot unmarshal ${jsonKind(raw)} into Go value of type autonaming.autonamingSectionJSON`,
    );
  const top = decodeStruct(raw, ["mode", "pattern", "enforce", "providers"]);
  const providers: SectionJson["providers"] = {};
  if (top.providers !== undefined) {
    if (!isObject(top.providers))
      throw structError(
        top.providers,
        "autonamingSectionJSON",
        "providers",
        "map[string]autonaming.providerConfigJSON",
      );
    for (const [name, pv] of Object.entries(top.providers)) {
      const path = `providers.${name}`;
      if (pv === null) {
        providers[name] = { naming: {}, resources: {} };
        continue;
      }
      if (!isObject(pv))
        throw structError(pv, "autonamingSectionJSON", path, "autonaming.providerConfigJSON");
      const p = decodeStruct(pv, ["mode", "pattern", "enforce", "resources"]);
      const resources: Record<string, NamingJson> = {};
      if (p.resources !== undefined) {
        if (!isObject(p.resources))
          throw structError(
            p.resources,
            "providerConfigJSON",
            `${path}.resources`,
            "map[string]autonaming.namingConfigJSON",
          );
        for (const [token, rv] of Object.entries(p.resources)) {
          const rpath = `${path}.resources.${token}`;
          if (rv === null) {
            resources[token] = {};
            continue;
          }
          if (!isObject(rv))
            throw structError(rv, "providerConfigJSON", rpath, "autonaming.namingConfigJSON");
          resources[token] = decodeNaming(
            decodeStruct(rv, ["mode", "pattern", "enforce"]),
            "namingConfigJSON",
            rpath,
          );
        }
      }
      providers[name] = { naming: decodeNaming(p, "providerConfigJSON", path), resources };
    }
  }
  return { naming: decodeNaming(top, "autonamingSectionJSON", ""), providers };
}
