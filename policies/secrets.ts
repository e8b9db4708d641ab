// Whether a property arrived as a Pulumi secret.
//
// The engine sends secrets to analyzers wrapped (MarshalOptions{KeepSecrets: true}), but
// @pulumi/policy 1.21 deserializes Analyze/AnalyzeStack properties with `proxySecrets = false`,
// which strips the wrapper: `args.props` holds the plaintext and nothing says it was secret. The
// SDK already has the machinery to keep the marker — with `proxySecrets = true` values stay
// `Secret` objects behind `secretsPreservingProxy`, which unwraps them on every read, so policies
// see the same plain values — it just never turns it on for validation. `keepSecretMarkers`
// turns it on by wrapping the module export the server calls; `secretness` then reads the marker
// from the raw tree. If the SDK changes shape, the wrapper is not installed and `secretness`
// answers "undetectable" rather than guessing.

import { Secret } from "@pulumi/policy";
import { isObject, plain } from "./values";

type Deserialize = (struct: unknown, proxySecrets: boolean) => unknown;

let markersKept = false;

/**
 * Makes @pulumi/policy keep secret markers on validation inputs. Returns a function that undoes
 * it (for tests), or undefined when it installed nothing: already kept, or the SDK's internals
 * are not the shape this was written for.
 */
export function keepSecretMarkers(): (() => void) | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require("@pulumi/policy/deserialize") as { deserializeProperties?: Deserialize };
  const original = mod.deserializeProperties;
  if (markersKept || typeof original !== "function" || original.length !== 2) {
    return undefined;
  }
  mod.deserializeProperties = (struct: unknown) => original(struct, true);
  markersKept = true;
  return () => {
    mod.deserializeProperties = original;
    markersKept = false;
  };
}

// The wire form of a secret, as the offline plan or an older SDK might hand it over unparsed.
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

function isSecretValue(value: unknown): boolean {
  return value instanceof Secret || (isObject(value) && value[SIG_KEY] === SECRET_SIG);
}

export type Secretness = "absent" | "secret" | "plaintext" | "undetectable";

/** Whether `props[key]` is set, and if so whether it is a secret. */
export function secretness(props: unknown, key: string): Secretness {
  const container = plain(props);
  const value = isObject(container) ? container[key] : undefined;
  if (value === undefined || value === null || value === "") {
    return "absent";
  }
  if (isSecretValue(value)) {
    return "secret";
  }
  if (!markersKept) {
    return "undetectable";
  }
  // With markers kept, a value without one is plaintext — an unknown too: it will not become secret.
  return "plaintext";
}

/** For tests: whether `keepSecretMarkers` is in effect in this process. */
export function secretMarkersKept(): boolean {
  return markersKept;
}
