/** Inputs as the provider validates them: wire values, secrets unwrapped, the generated name filled in. */
import { unknownValue as UNKNOWN_SENTINEL } from "@pulumi/pulumi/runtime/rpc";
import type { RegisteredResource } from "../resource";
import { unwrap } from "../naming";
import type { Inputs } from "./kit";

/** Wire values with every secret's wrapper removed (the provider sees the plaintext). */
export function unwrapDeep(v: unknown): unknown {
  const u = unwrap(v);
  if (Array.isArray(u)) return u.map(unwrapDeep);
  if (u !== null && typeof u === "object")
    return Object.fromEntries(
      Object.entries(u as Record<string, unknown>).map(([k, x]) => [k, unwrapDeep(x)]),
    );
  return u;
}

export function hasUnknown(v: unknown): boolean {
  if (v === UNKNOWN_SENTINEL) return true;
  if (Array.isArray(v)) return v.some(hasUnknown);
  if (v !== null && typeof v === "object") return Object.values(v).some(hasUnknown);
  return false;
}

/** The inputs the provider validates: the program's, secrets unwrapped, the generated name filled in. */
export function effectiveInputs(r: RegisteredResource): Inputs {
  const inputs = unwrapDeep(r.wireInputs) as Record<string, unknown>;
  const p = r.physicalName;
  if (p && p.source !== "explicit" && p.value !== undefined) inputs[p.property] = p.value;
  return inputs;
}
