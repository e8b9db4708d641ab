// Reading resource properties the way a policy must during `pulumi preview`: some values are not
// known yet. @pulumi/policy hands policies a proxy that throws `UnknownValueError` the moment an
// unknown is read, and its server turns that throw into an *advisory* "can't run policy" note —
// so a mandatory policy that simply reads an unknown would pass silently. Every policy here reads
// the raw property tree instead and decides explicitly what an unknown means for its rule.

import { Secret } from "@pulumi/policy";

/**
 * The sentinels Pulumi uses on the wire (and @pulumi/policy after deserializing) for values that
 * are unknown during preview. The engine sends every unknown as the string sentinel; the others
 * are kept for completeness because @pulumi/policy's proxy recognises them too.
 */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string (what the engine sends)
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** The sentinel the engine sends for any unknown value. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when `value` is a preview-time unknown. */
export function isUnknown(value: unknown): boolean {
  return typeof value === "string" && UNKNOWN_SENTINELS.has(value);
}

// @pulumi/policy's proxies answer this key with the object they wrap (proxy.ts, getSpecialProxyTarget).
const PROXY_TARGET_KEY = "__getSpecialProxyTarget";

/**
 * The plain property tree behind `props`, with unknowns left in place as sentinels. Reading it
 * never throws. Unwraps every layer of SDK proxy (the unknown-checking one and, with
 * `keepSecretMarkers`, the secrets-preserving one, whose array handling trips V8's proxy
 * invariants on `map`/`filter`); nested values are plain because the SDK proxies lazily. Secret
 * markers may remain in the tree: read it through `field`/`path`, which see through them.
 */
export function plain(props: unknown): unknown {
  let current = props;
  for (let depth = 0; depth < 8 && current !== null && typeof current === "object"; depth++) {
    const target: unknown = (current as Record<string, unknown>)[PROXY_TARGET_KEY];
    if (target === undefined || target === current) {
      break;
    }
    current = target;
  }
  return current;
}

/** The value inside a `Secret` marker (see secrets.ts), or `value` itself. */
export function unsecret(value: unknown): unknown {
  return value instanceof Secret ? unsecret(value.value) : value;
}

export type PlainObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is PlainObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** `obj[key]`; an unknown `obj` propagates as unknown, anything that is not an object gives undefined. */
export function field(obj: unknown, key: string): unknown {
  const container = unsecret(obj);
  if (isUnknown(container)) {
    return container;
  }
  if (!isObject(container)) {
    return undefined;
  }
  const value = unsecret(container[key]);
  // Lists come back with their elements unwrapped too, so callers can compare elements directly.
  return Array.isArray(value) && value.some((e) => e instanceof Secret) ? value.map(unsecret) : value;
}

/** Follows `keys` through nested objects with the same rules as `field`. */
export function path(obj: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>((acc, key) => field(acc, key), obj);
}

/** True when `value` is unknown or is a list/object with an unknown somewhere inside. */
export function containsUnknown(secretOrValue: unknown): boolean {
  const value = unsecret(secretOrValue);
  if (isUnknown(value)) {
    return true;
  }
  if (Array.isArray(value)) {
    return value.some(containsUnknown);
  }
  if (isObject(value)) {
    return Object.values(value).some(containsUnknown);
  }
  return false;
}

/** A number from a number or a numeric string (the provider accepts both for ports), else undefined. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) {
    return value;
  }
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) {
    return Number(value);
  }
  return undefined;
}

/** A boolean from a boolean or the strings "true"/"false" (launch template EBS flags are strings). */
export function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === "boolean") {
    return value;
  }
  if (value === "true" || value === "false") {
    return value === "true";
  }
  return undefined;
}

/** How a value is quoted in violation messages; a secret is never printed. */
export function show(value: unknown): string {
  if (isUnknown(value)) {
    return "(unknown at preview)";
  }
  if (value === undefined) {
    return "(not set)";
  }
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Secret ? "[secret]" : v)) ?? String(value);
}
