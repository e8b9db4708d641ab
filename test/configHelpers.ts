import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { ConfigError } from "../config/issues";
import { loadStackConfig } from "../config/loader";
import { StackModel } from "../config/model";
import { pillarValues } from "../config/pulumiValues";
import { shapeForms, type ShapeForm } from "../config/schema";
import { PROJECT, PROJECT_ROOT } from "../scripts/lib/planner";
import { readStackFile } from "../scripts/lib/stackFile";

/** The `pillar:` values of a stack file, keyed without the prefix, as index.ts hands them over. */
export function seedValues(stack = "prod"): Record<string, unknown> {
  const doc = YAML.parse(fs.readFileSync(path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`), "utf8")) as {
    config: Record<string, unknown>;
  };
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc.config)) if (k.startsWith("pillar:")) values[k.slice(7)] = v;
  return values;
}

/**
 * Every `pillar:` value of every stack file in the repository (Pulumi.*.yaml and test/stacks/), as
 * the program receives it, with the form validate.ts checks it in (a bare list is its list form).
 */
export function stackFileValues(): { file: string; form: ShapeForm; value: unknown }[] {
  const stackFiles = (dir: string) =>
    fs
      .readdirSync(path.join(PROJECT_ROOT, dir))
      .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
      .map((f) => path.join(dir, f));
  const out: { file: string; form: ShapeForm; value: unknown }[] = [];
  for (const file of [...stackFiles("."), ...stackFiles("test/stacks")]) {
    const { config } = readStackFile(path.join(PROJECT_ROOT, file), PROJECT);
    for (const [key, value] of Object.entries(pillarValues(config, () => false).values)) {
      const list = `${key}[]` as ShapeForm;
      const form = Array.isArray(value) && shapeForms.has(list) ? list : (key as ShapeForm);
      if (shapeForms.has(form)) out.push({ file, form, value });
    }
  }
  return out;
}

export interface LoadOptions {
  secretKeys?: string[];
  awsRegion?: string;
  stack?: string;
  /** `pulumi:autonaming`, as the program receives it (JSON text for a map). */
  autonaming?: unknown;
}

export function load(values: Record<string, unknown>, opts: LoadOptions = {}): StackModel {
  return loadStackConfig({
    project: "pillar",
    stack: opts.stack ?? "prod",
    values,
    secretKeys: new Set(opts.secretKeys ?? []),
    ...(opts.awsRegion !== undefined ? { awsRegion: opts.awsRegion } : { awsRegion: "us-east-1" }),
    ...(opts.autonaming !== undefined
      ? {
          autonaming: typeof opts.autonaming === "string" ? opts.autonaming : JSON.stringify(opts.autonaming),
        }
      : {}),
  });
}

/** Every issue of an invalid config as `path: message`; fails when the config loads. */
export function issuesOf(values: Record<string, unknown>, opts: LoadOptions = {}): string[] {
  try {
    load(values, opts);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  throw new Error("expected the config to be rejected, but it loaded");
}

/** The seed's YAML is untyped data; tests reach into it freely to break one thing at a time. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SeedDoc = Record<string, any>;

/** A deep copy of the seed with `edit` applied. */
export function seedWith(edit: (v: SeedDoc) => void, stack = "prod"): Record<string, unknown> {
  const v = structuredClone(seedValues(stack)) as SeedDoc;
  edit(v);
  return v;
}
