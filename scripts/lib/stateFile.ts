/**
 * Reads a `pulumi stack export` file (an untyped deployment, apitype.UntypedDeployment with a
 * version-3 DeploymentV3 inside: pulumi/pulumi sdk/go/common/apitype/core.go) into the records the
 * analyzer driver sends, as `pulumi policy analyze --file` does (pkg/resource/deploy/analyze_snapshot.go):
 * each live resource's inputs for Analyze and outputs for AnalyzeStack. Secrets are encrypted with the
 * stack's secrets provider, which needs the backend or a passphrase; like the CLI without them, every
 * secret is analyzed as the string "[secret]", still marked secret.
 */
import * as fs from "node:fs";
import { parseUrn } from "./analyzerWire";
import { REDACTED_SECRET, SECRET_SIG, SIG_KEY, type RecordedResource } from "./record";

export class StateFileError extends Error {
  override readonly name = "StateFileError";
}

export interface StateInput {
  /** From the resources' URNs: their stack and project, or "multiple" when they differ. */
  readonly project: string;
  readonly stack: string;
  /** Live resources (not pending deletion), in the file's order. */
  readonly resources: RecordedResource[];
  /** How many secrets could not be decrypted here and are analyzed as "[secret]". */
  readonly redactedSecrets: number;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** State values to wire values: a secret keeps its marker, its value the plaintext or "[secret]". */
function wireValue(v: unknown, counter: { redacted: number }): unknown {
  if (Array.isArray(v)) return v.map((e) => wireValue(e, counter));
  if (!isObject(v)) return v;
  if (v[SIG_KEY] === SECRET_SIG) {
    if (typeof v["plaintext"] === "string") {
      // `pulumi stack export --show-secrets` writes the value as JSON text.
      let value: unknown;
      try {
        value = JSON.parse(v["plaintext"]);
      } catch {
        value = v["plaintext"];
      }
      return { [SIG_KEY]: SECRET_SIG, value: wireValue(value, counter) };
    }
    counter.redacted++;
    return { [SIG_KEY]: SECRET_SIG, value: REDACTED_SECRET };
  }
  return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, wireValue(e, counter)]));
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : [];

function seconds(v: unknown): string | undefined {
  return typeof v === "number" && v > 0 ? `${v}s` : undefined;
}

function record(r: Record<string, unknown>, where: string, counter: { redacted: number }): RecordedResource {
  const urn = r["urn"];
  const parsed = typeof urn === "string" ? parseUrn(urn) : undefined;
  if (typeof urn !== "string" || parsed === undefined) {
    throw new StateFileError(`${where}: the resource has an invalid URN ${JSON.stringify(urn)}`);
  }
  const type = typeof r["type"] === "string" ? r["type"] : parsed.type;
  const inputs = isObject(r["inputs"]) ? (wireValue(r["inputs"], counter) as Record<string, unknown>) : {};
  const outputs = isObject(r["outputs"]) ? (wireValue(r["outputs"], counter) as Record<string, unknown>) : {};
  const deps = isObject(r["propertyDependencies"]) ? r["propertyDependencies"] : {};
  const timeouts = isObject(r["customTimeouts"]) ? r["customTimeouts"] : {};
  const customTimeouts = {
    ...(seconds(timeouts["create"]) ? { create: seconds(timeouts["create"]) } : {}),
    ...(seconds(timeouts["update"]) ? { update: seconds(timeouts["update"]) } : {}),
    ...(seconds(timeouts["delete"]) ? { delete: seconds(timeouts["delete"]) } : {}),
  };
  return {
    urn,
    type,
    name: parsed.name,
    custom: r["custom"] === true,
    ...(typeof r["parent"] === "string" && r["parent"] !== "" ? { parent: r["parent"] } : {}),
    ...(typeof r["provider"] === "string" && r["provider"] !== "" ? { provider: r["provider"] } : {}),
    inputs,
    wireInputs: inputs,
    dependencies: strings(r["dependencies"]),
    propertyDependencies: Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, strings(v)])),
    ...(typeof r["id"] === "string" && r["id"] !== "" ? { id: r["id"] } : {}),
    outputs,
    options: {
      protect: r["protect"] === true,
      ignoreChanges: strings(r["ignoreChanges"]),
      deleteBeforeReplace: false,
      retainOnDelete: r["retainOnDelete"] === true,
      aliases: strings(r["aliases"]),
      ...(Object.keys(customTimeouts).length > 0 ? { customTimeouts } : {}),
      additionalSecretOutputs: strings(r["additionalSecretOutputs"]),
    },
  };
}

/** Parses an export; throws StateFileError naming the file and what is wrong. */
export function parseState(text: string, file: string): StateInput {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new StateFileError(`reading deployment from ${file}: not valid JSON: ${(err as Error).message}`);
  }
  if (!isObject(doc) || !isObject(doc["deployment"])) {
    throw new StateFileError(
      `reading deployment from ${file}: expected the output of \`pulumi stack export\`: an object with "version" and "deployment"`,
    );
  }
  const version = doc["version"];
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1 || version > 3) {
    throw new StateFileError(
      `reading deployment from ${file}: deployment version ${JSON.stringify(version)} is not supported (1 to 3 are)`,
    );
  }
  const list = doc["deployment"]["resources"] ?? [];
  if (!Array.isArray(list)) {
    throw new StateFileError(`reading deployment from ${file}: "deployment.resources" must be a list`);
  }
  const counter = { redacted: 0 };
  const resources = list.flatMap((r, i) => {
    const where = `${file}: deployment.resources[${i}]`;
    if (!isObject(r)) throw new StateFileError(`${where}: expected an object`);
    // Resources pending deletion are not part of what runs, as in AnalyzeSnapshot.
    return r["delete"] === true ? [] : [record(r, where, counter)];
  });
  const identities = new Set(
    resources.map((r) => {
      const u = parseUrn(r.urn)!;
      return `${u.project}\u0000${u.stack}`;
    }),
  );
  const first = resources[0] !== undefined ? parseUrn(resources[0].urn) : undefined;
  const [project, stack] =
    first === undefined
      ? ["unknown", "unknown"]
      : identities.size === 1
        ? [first.project, first.stack]
        : ["multiple", "multiple"];
  return { project, stack, resources, redactedSecrets: counter.redacted };
}

export function readStateFile(file: string): StateInput {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new StateFileError(`could not open file: ${(err as Error).message}`);
  }
  return parseState(text, file);
}
