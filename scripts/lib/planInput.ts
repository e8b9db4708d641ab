/**
 * The offline plan's input: which stack, and its config file read (no SDK, no program: a command
 * reads this, and launches its policy packs with it, before it loads anything heavy).
 */
import * as path from "node:path";
import { readProjectConfig, readStackFile, type StackFile } from "./stackFile";

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
export const PROJECT = "pillar";
/** What `pulumi.getOrganization()` answers without a backend (the DIY backends' own name for it). */
export const OFFLINE_ORGANIZATION = "organization";

export interface PlanInput {
  readonly stack: string;
  readonly stackFile: StackFile;
}

/** Loads a stack's config file (by stack name or path). Throws StackFileError when unreadable. */
export function loadPlanInput(opts: { stack?: string; stackFile?: string }): PlanInput {
  const file = opts.stackFile ?? path.join(PROJECT_ROOT, `Pulumi.${opts.stack ?? "prod"}.yaml`);
  const stack =
    opts.stack ??
    (opts.stackFile
      ? path
          .basename(opts.stackFile)
          .replace(/^Pulumi\./, "")
          .replace(/\.ya?ml$/, "")
      : "prod");
  const stackFile = readStackFile(file, PROJECT);
  // Project-level config (Pulumi.yaml `config:`) applies to every stack; the stack file wins.
  const project = readProjectConfig(path.join(PROJECT_ROOT, "Pulumi.yaml"), PROJECT);
  return { stack, stackFile: { ...stackFile, config: { ...project, ...stackFile.config } } };
}
