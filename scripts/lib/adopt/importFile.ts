/**
 * The file `pulumi import --file FILE` reads, exactly as the CLI writes and reads it.
 *
 * Source: pulumi/pulumi pkg/cmd/pulumi/operations/import.go (importFile, importSpec, parseImportFile,
 * writeImportFile: Go's encoding/json, fields in struct order with omitempty, map keys sorted,
 * 4-space indent, HTML not escaped, a trailing newline) and preview.go (buildImportFile: what
 * `pulumi preview --import-file` writes: one entry per create, the root stack and default providers
 * left out, `<PLACEHOLDER>` ids, explicit providers declared with their known inputs and no id,
 * components as `component: true`, parents and providers not in the file in `nameTable`, names made
 * unique by appending the title-cased type name and then a counter, `logicalName` only then).
 */
import { engineUrn } from "../registration";
import { RecordedResource, SECRET_SIG, SIG_KEY, UNKNOWN_SENTINEL } from "../record";
import { STACK_TYPE } from "../../../provider/types";

export const PLACEHOLDER_ID = "<PLACEHOLDER>";
const ROOT_STACK_TYPE = STACK_TYPE;

/** One entry of an import file (importSpec), fields in the CLI's order. */
export interface ImportSpec {
  readonly type: string;
  readonly name: string;
  readonly id?: string;
  readonly parent?: string;
  readonly provider?: string;
  readonly version?: string;
  readonly pluginDownloadUrl?: string;
  readonly properties?: readonly string[];
  readonly component?: boolean;
  readonly remote?: boolean;
  readonly inputs?: Readonly<Record<string, unknown>>;
  readonly outputs?: Readonly<Record<string, unknown>>;
  readonly logicalName?: string;
}

export interface ImportFile {
  readonly nameTable?: Readonly<Record<string, string>>;
  readonly resources?: readonly ImportSpec[];
}

const SPEC_FIELDS = [
  "type",
  "name",
  "id",
  "parent",
  "provider",
  "version",
  "pluginDownloadUrl",
  "properties",
  "component",
  "remote",
  "inputs",
  "outputs",
  "logicalName",
] as const;

/** A Go map: keys sorted, at every level. */
function sortedDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedDeep);
  if (v !== null && typeof v === "object")
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortedDeep((v as Record<string, unknown>)[k])]),
    );
  return v;
}

/** The file's text, byte for byte as writeImportFile encodes it. */
export function importFileText(file: ImportFile): string {
  const doc: Record<string, unknown> = {};
  if (file.nameTable && Object.keys(file.nameTable).length > 0) doc.nameTable = sortedDeep(file.nameTable);
  if (file.resources && file.resources.length > 0)
    doc.resources = file.resources.map((r) => {
      const o: Record<string, unknown> = {};
      for (const f of SPEC_FIELDS) {
        const v = r[f];
        // omitempty: "", false, empty maps and slices are left out.
        if (v === undefined || v === "" || v === false) continue;
        if (Array.isArray(v) && v.length === 0) continue;
        if (f === "inputs" || f === "outputs") {
          if (Object.keys(v as object).length === 0) continue;
          o[f] = sortedDeep(v);
        } else o[f] = v;
      }
      return o;
    });
  // Go escapes U+2028/U+2029 even without HTML escaping; JSON.stringify does not.
  return `${JSON.stringify(doc, null, 4)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029")}\n`;
}

const isProviderType = (type: string): boolean => type.startsWith("pulumi:providers:");

/** `Name()` of a type token: its last part (`aws:ec2/securityGroup:SecurityGroup` → `SecurityGroup`). */
function typeName(type: string): string {
  return type.split(":").pop() ?? type;
}

/** cases.Title(language.English, cases.NoLower): the first letter upper-cased, the rest kept. */
function title(s: string): string {
  return s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1);
}

/** The version of the provider plugin a package's resources use (its SDK's own version). */
export function providerVersion(pkg: string): string | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require(`@pulumi/${pkg}/package.json`) as { version: string }).version;
  } catch {
    return undefined;
  }
}

/** A provider's inputs as the import file declares them: what the preview knows, secrets left out. */
function providerInputs(r: RecordedResource): { inputs: Record<string, unknown>; omitted: string[] } {
  const inputs: Record<string, unknown> = {};
  const omitted: string[] = [];
  const hasUnknown = (v: unknown): boolean =>
    v === UNKNOWN_SENTINEL ||
    (Array.isArray(v)
      ? v.some(hasUnknown)
      : v !== null && typeof v === "object" && Object.values(v).some(hasUnknown));
  const isSecret = (v: unknown): boolean =>
    v !== null && typeof v === "object" && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
  for (const [k, v] of Object.entries(r.wireInputs)) {
    if (hasUnknown(v) || isSecret(v)) omitted.push(k);
    else inputs[k] = v;
  }
  const version = providerVersion(r.type.slice("pulumi:providers:".length));
  if (version !== undefined) inputs.version = version;
  return { inputs, omitted };
}

export interface BuildOptions {
  /** Which resources the file declares (a preview: every create). */
  readonly include: (r: RecordedResource) => boolean;
  /** The id of a custom resource, when known; `<PLACEHOLDER>` otherwise. */
  readonly id: (r: RecordedResource) => string | undefined;
  /** Inputs to declare for a custom resource (adopt: the live values it checked). */
  readonly inputs?: (r: RecordedResource) => Record<string, unknown> | undefined;
}

export interface BuiltImportFile {
  readonly file: ImportFile;
  /** The name each recorded resource has in the file, by URN. */
  readonly names: ReadonlyMap<string, string>;
  /** What a preview warns about: provider inputs it could not write. */
  readonly warnings: readonly string[];
}

/** An import file over recorded resources, in registration order, exactly as buildImportFile makes one. */
export function buildImportFile(resources: readonly RecordedResource[], opts: BuildOptions): BuiltImportFile {
  const fullNameTable = new Map<string, string>();
  const importSet = new Set<string>();
  const taken = new Map<string, { name: string; type: string }>();
  const providerVersions = new Map<string, string | undefined>();
  const nameTable: Record<string, string> = {};
  const specs: (ImportSpec & { name: string; parent?: string; provider?: string })[] = [];
  const warnings: string[] = [];
  const urnName = (urn: string) => urn.split("::").pop() ?? urn;

  const uniqueName = (name: string, type: string): string => {
    const base = `${name}${title(typeName(type))}`;
    let candidate = base;
    for (let counter = 2; taken.has(candidate); counter++) candidate = `${base}${counter}`;
    return candidate;
  };

  for (const r of resources) {
    let name = urnName(r.urn);
    const old = taken.get(name);
    if (old) {
      if (old.name !== name) {
        // The holder was itself renamed: rename it again and take its name back.
        const newName = uniqueName(old.name, old.type);
        if (nameTable[name] !== undefined) {
          nameTable[newName] = nameTable[name]!;
          delete nameTable[name];
        }
        for (const s of specs) {
          if (s.name === name) s.name = newName;
          if (s.parent === name) s.parent = newName;
          if (s.provider === name) s.provider = newName;
        }
        for (const [u, n] of fullNameTable) if (n === name) fullNameTable.set(u, newName);
        taken.set(newName, old);
        taken.delete(name);
      } else name = uniqueName(name, r.type);
    }
    fullNameTable.set(r.urn, name);
    taken.set(name, { name: urnName(r.urn), type: r.type });
    if (isProviderType(r.type))
      providerVersions.set(r.urn, providerVersion(r.type.slice("pulumi:providers:".length)));

    if (!opts.include(r) || r.type === ROOT_STACK_TYPE) continue;
    importSet.add(r.urn);

    let parent: string | undefined;
    if (r.parent && r.parent.split("::")[2] !== ROOT_STACK_TYPE) {
      parent = fullNameTable.get(r.parent);
      if (parent === undefined) throw new Error(`expected parent ${r.parent} to be in the full name table`);
      if (!importSet.has(r.parent)) nameTable[parent] = r.parent;
    }
    let provider: string | undefined;
    let version: string | undefined;
    if (r.provider) {
      const cut = r.provider.lastIndexOf("::");
      const providerUrn = cut > 0 ? r.provider.slice(0, cut) : r.provider;
      provider = fullNameTable.get(providerUrn);
      if (provider === undefined)
        throw new Error(`expected provider ${providerUrn} to be in the full name table`);
      if (!importSet.has(providerUrn)) nameTable[provider] = providerUrn;
      version = providerVersions.get(providerUrn);
    }
    let id: string | undefined;
    let inputs: Record<string, unknown> | undefined;
    if (r.custom) {
      if (isProviderType(r.type)) {
        const p = providerInputs(r);
        inputs = p.inputs;
        if (p.omitted.length > 0)
          warnings.push(
            `configuration of provider ${r.urn} is not known during the preview and has been omitted from the import file, fill it in before importing: ${p.omitted.sort().join(", ")}`,
          );
      } else {
        id = opts.id(r) ?? PLACEHOLDER_ID;
        inputs = opts.inputs?.(r);
      }
    }
    const logical = urnName(r.urn);
    specs.push({
      type: r.type,
      name,
      ...(id !== undefined ? { id } : {}),
      ...(parent !== undefined ? { parent } : {}),
      ...(provider !== undefined ? { provider } : {}),
      ...(version !== undefined ? { version } : {}),
      component: !r.custom,
      remote: !r.custom && r.provider !== undefined,
      ...(inputs !== undefined ? { inputs } : {}),
      ...(name !== logical ? { logicalName: logical } : {}),
    });
  }
  // Names fixed up after the fact keep logicalName in step.
  const fixed = specs.map((s) => {
    const { logicalName: _l, ...rest } = s;
    void _l;
    const urn = [...fullNameTable].find(([, n]) => n === s.name)?.[0];
    const logical = urn ? urnName(urn) : s.name;
    return { ...rest, ...(s.name !== logical ? { logicalName: logical } : {}) } as ImportSpec;
  });
  const names = new Map(fullNameTable);
  return { file: { nameTable, resources: fixed }, names, warnings };
}

/** A problem with an import file, in the CLI's words where it has them. */
export class ImportFileError extends Error {
  override readonly name = "ImportFileError";
}

/** Parses an import file's text; throws ImportFileError naming the file. */
export function parseImportFileText(text: string, file: string): ImportFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ImportFileError(`${file}: not an import file: not JSON (${(err as Error).message})`);
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc))
    throw new ImportFileError(`${file}: not an import file: expected a JSON object with "resources"`);
  const d = doc as { nameTable?: unknown; resources?: unknown };
  if (d.resources !== undefined && !Array.isArray(d.resources))
    throw new ImportFileError(`${file}: "resources" must be a list`);
  if (
    d.nameTable !== undefined &&
    (d.nameTable === null || typeof d.nameTable !== "object" || Array.isArray(d.nameTable))
  )
    throw new ImportFileError(`${file}: "nameTable" must map names to URNs`);
  return doc as ImportFile;
}

/**
 * The URN each entry stands for, resolved as parseImportFile resolves it: `name` and `logicalName`
 * default to each other, a parent is a name of the file or of `nameTable`. Throws the CLI's errors.
 */
export function resolveImportUrns(
  file: ImportFile,
  stack: string,
  project: string,
  where: string,
): Map<number, string> {
  const specs = (file.resources ?? []).map((s) => ({
    ...s,
    name: s.name || s.logicalName || "",
    logicalName: s.logicalName || s.name || "",
  }));
  const errors: string[] = [];
  const describe = (i: number, s: ImportSpec) =>
    `resource ${s.name ? `'${s.name}'` : s.id ? `'${s.id}'` : i}${s.type ? ` of type '${s.type}'` : ""}`;
  const counts = new Map<string, number>();
  specs.forEach((s, i) => {
    if (!s.type) errors.push(`${describe(i, s)} has no type`);
    if (!s.name) errors.push(`${describe(i, s)} has no name`);
    if (s.type && isProviderType(s.type)) {
      if (s.id)
        errors.push(`${describe(i, s)} has an ID, but is a provider, which is created rather than read`);
    } else if (!s.component && !s.id) errors.push(`${describe(i, s)} has no ID`);
    else if (s.component && s.id) errors.push(`${describe(i, s)} has an ID, but is marked as a component`);
    counts.set(s.name, (counts.get(s.name) ?? 0) + 1);
  });
  if (errors.length > 0) throw new ImportFileError(`${where}: ${errors.join("; ")}`);
  const table = file.nameTable ?? {};
  const byName = new Map<string, string>();
  const urns = new Map<number, string>();
  for (let progress = true; progress && urns.size < specs.length;) {
    progress = false;
    specs.forEach((s, i) => {
      if (urns.has(i)) return;
      let parentUrn = "";
      if (s.parent) {
        if ((counts.get(s.parent) ?? 0) > 1) errors.push(`${describe(i, s)} has an ambiguous parent`);
        if (table[s.parent] !== undefined) parentUrn = table[s.parent]!;
        else if (byName.has(s.parent)) parentUrn = byName.get(s.parent)!;
        else if (specs.some((x) => x.name === s.parent))
          return; // resolved on a later pass
        else {
          errors.push(`the parent '${s.parent}' for ${describe(i, s)} has no entry in 'nameTable'`);
          urns.set(i, "");
          return;
        }
      }
      const urn = engineUrn(stack, project, parentUrn, s.type, s.logicalName);
      if ([...urns.values()].includes(urn))
        errors.push(`${describe(i, s)} has an ambiguous URN, set name (or logical name) to be unique`);
      urns.set(i, urn);
      byName.set(s.name, urn);
      progress = true;
    });
  }
  if (urns.size < specs.length) errors.push("the parents of some resources form a cycle");
  if (errors.length > 0) throw new ImportFileError(`${where}: ${errors.join("; ")}`);
  return urns;
}
