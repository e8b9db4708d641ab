/**
 * Which policy packs a command runs (this file: the arguments, read without loading the analyzer
 * client, so that a command can launch its packs first) and running them together (policyPacks.ts), as the CLI does for
 * `pulumi preview --policy-pack A --policy-pack B --policy-pack-config a.json --policy-pack-config b.json`
 * and `pulumi policy analyze` (pulumi/pulumi pkg/cmd/pulumi/operations/up.go validatePolicyPackConfig,
 * pkg/engine/update.go MakeLocalPolicyPacks): `--policy-pack` is repeatable (and, a string slice,
 * splits on commas); `--policy-pack-config` is either absent or given once per pack, matched by
 * position. With no `--policy-pack`, the offline plan and `npm run analyze` run the pillar pack.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** Bad `--policy-pack`, `--policy-pack-config` or `--policy-config` arguments: exit 2. */
export class PolicyArgsError extends Error {
  override readonly name = "PolicyArgsError";
}

export interface PackRequest {
  /** The pack's folder, absolute. */
  readonly dir: string;
  /** Its `--policy-pack-config`, parsed. */
  readonly config?: Record<string, unknown>;
}

/** Reads a `--policy-pack-config` style JSON file; an empty file is no config, as in the CLI. */
export function readPolicyConfigFile(file: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new PolicyArgsError(`cannot read policy config ${file}: ${(err as Error).message}`);
  }
  if (text.trim() === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new PolicyArgsError(`${file}: not valid JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new PolicyArgsError(`${file}: expected a JSON object of policy names to settings`);
  }
  return value as Record<string, unknown>;
}

export interface PackArgs {
  /** `--policy-pack` values, in order (each may hold comma-separated paths). */
  readonly packs: readonly string[];
  /** `--policy-pack-config` values, in order. */
  readonly packConfigs: readonly string[];
  /** `--policy-config FILE`: the config of the pillar pack, wherever it is in the list. */
  readonly policyConfig?: string;
  /** The pillar pack's folder: what runs when no `--policy-pack` is given. */
  readonly defaultDir: string;
  /** What relative paths are relative to. */
  readonly cwd: string;
}

/** The packs to run and their configs, or a PolicyArgsError naming what is wrong. */
export function packRequests(args: PackArgs): PackRequest[] {
  const packs = args.packs.flatMap((p) => p.split(",")).filter((p) => p !== "");
  const configs = args.packConfigs.flatMap((p) => p.split(",")).filter((p) => p !== "");
  if (configs.length > 0 && packs.length === 0) {
    throw new PolicyArgsError(`"--policy-pack-config" must be specified with "--policy-pack"`);
  }
  if (configs.length > 0 && configs.length !== packs.length) {
    throw new PolicyArgsError(
      `the number of "--policy-pack-config" flags must match the number of "--policy-pack" flags (${configs.length} and ${packs.length})`,
    );
  }
  const defaultDir = path.resolve(args.defaultDir);
  const dirs = packs.length > 0 ? packs.map((p) => path.resolve(args.cwd, p)) : [defaultDir];
  const seen = new Set<string>();
  for (const dir of dirs) {
    if (!fs.existsSync(path.join(dir, "PulumiPolicy.yaml"))) {
      throw new PolicyArgsError(
        `--policy-pack ${path.relative(args.cwd, dir) || "."}: no policy pack there (a folder with PulumiPolicy.yaml)`,
      );
    }
    if (seen.has(dir)) {
      throw new PolicyArgsError(`--policy-pack ${path.relative(args.cwd, dir) || "."} is given twice`);
    }
    seen.add(dir);
  }
  const requests = dirs.map((dir, i) => {
    const file = configs[i];
    const config = file !== undefined ? readPolicyConfigFile(path.resolve(args.cwd, file)) : undefined;
    return { dir, ...(config !== undefined ? { config } : {}) };
  });
  if (args.policyConfig === undefined) return requests;
  const at = requests.findIndex((r) => r.dir === defaultDir);
  if (at === -1) {
    throw new PolicyArgsError(
      `--policy-config configures the pillar pack (${path.relative(args.cwd, defaultDir)}), which --policy-pack does not name; give each pack's config with --policy-pack-config instead`,
    );
  }
  if (configs[at] !== undefined) {
    throw new PolicyArgsError(
      `Only one of [--policy-config] or [--policy-pack-config for ${path.relative(args.cwd, defaultDir)}] can be specified`,
    );
  }
  const config = readPolicyConfigFile(path.resolve(args.cwd, args.policyConfig));
  return requests.map((r, i) => (i === at && config !== undefined ? { ...r, config } : r));
}
