/**
 * The offline plan's `--import-file FILE` (what `pulumi preview --import-file` writes: one entry per
 * create, placeholders for ids it cannot know) and `--adopt FILE` (an import file's resources
 * registered with their `import` ids, so the plan shows `= import` and warns where the stack and the
 * live values adopt recorded differ in an input that forces replacement).
 */
import * as fs from "node:fs";
import { StackModel } from "../../../config/model";
import { RecordedResource } from "../record";
import {
  buildImportFile,
  ImportFileError,
  importFileText,
  parseImportFileText,
  resolveImportUrns,
} from "./importFile";
import { fixedName, known, T } from "./model";
import { adoptionFindings } from "./traps";

export interface AdoptFile {
  readonly path: string;
  /** Import id by URN, for custom resources. */
  readonly imports: ReadonlyMap<string, string>;
  /** The live inputs adopt recorded, by URN. */
  readonly live: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  /** Every URN the file declares (components and providers included), with its type. */
  readonly declared: ReadonlyMap<string, string>;
}

/** Reads an import file for `--adopt`; throws ImportFileError (the CLI's own errors) when it is not one. */
export function readAdoptFile(file: string, stack: string, project: string): AdoptFile {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new ImportFileError(
      `cannot read the import file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  const parsed = parseImportFileText(text, file);
  const urns = resolveImportUrns(parsed, stack, project, file);
  const imports = new Map<string, string>();
  const live = new Map<string, Readonly<Record<string, unknown>>>();
  const declared = new Map<string, string>();
  (parsed.resources ?? []).forEach((s, i) => {
    const urn = urns.get(i)!;
    declared.set(urn, s.type);
    if (s.id && !s.component) imports.set(urn, s.id);
    if (s.inputs && !s.type.startsWith("pulumi:providers:")) live.set(urn, s.inputs);
  });
  return { path: file, imports, live, declared };
}

/** What the plan says about an adoption: replacement traps, and entries the program does not register. */
export function adoptWarnings(
  resources: readonly RecordedResource[],
  adopt: AdoptFile,
  model: StackModel,
): string[] {
  const registered = new Map(resources.map((r) => [r.urn, r]));
  const out: string[] = [];
  for (const [urn, type] of adopt.declared) {
    const r = registered.get(urn);
    if (!r)
      out.push(
        `${adopt.path} declares ${urn} (${type}), which the program does not register: pulumi import would put it in the stack's state, and the next pulumi up would delete it`,
      );
    else if (r.type !== type)
      out.push(`${adopt.path} declares ${urn} as ${type}, but the program registers it as ${r.type}`);
  }
  for (const f of adoptionFindings(resources, adopt.live, model))
    out.push(f.level === "replace" ? `would replace: ${f.message}` : f.message);
  return out;
}

/**
 * The import id the offline plan knows for a resource: the names that are ids (a classic ELB, an
 * Auto Scaling group, an alarm: by name; a scaling policy: `<group>/<name>`), when the name is fixed.
 */
export function knownImportId(r: RecordedResource, model: StackModel): string | undefined {
  if (r.type === T.elb || r.type === T.asg || r.type === T.alarm) return fixedName(r, model);
  if (r.type === T.policy) {
    const name = fixedName(r, model);
    const group = known(r, "autoscalingGroupName");
    return name !== undefined && group !== undefined ? `${group}/${name}` : undefined;
  }
  return undefined;
}

/** What `pulumi preview --import-file` writes for this plan: every create, adopted resources left out. */
export function planImportFile(
  resources: readonly RecordedResource[],
  model: StackModel,
): { text: string; warnings: readonly string[] } {
  const built = buildImportFile(resources, {
    include: (r) => r.options.import === undefined,
    id: (r) => knownImportId(r, model),
  });
  return { text: importFileText(built.file), warnings: built.warnings };
}
