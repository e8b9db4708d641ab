/**
 * salt-cloud's profile files → `pillar:profiles` (the provider files are cloud.ts).
 *
 * Sources (Salt 3006 docs, salt.cloud.clouds.ec2; saltstack/salt salt/cloud/__init__.py):
 * - a profile names its provider as `alias` or `alias:driver`, may `extends` another profile (merged
 *   over it, maps recursively), and takes the provider's settings for what it does not set;
 * - `salt-cloud --list-profiles PROVIDER --out=json` prints `{profile: {provider: {}}}`: names only
 *   (Cloud.profile_list), so the settings come from the profile files.
 */
import { sub } from "../../../config/issues";
import { INHERITED, type ProviderChoice } from "./cloud";
import { ignoredReason } from "./options";
import { asMap, kindOf, SaltFile, SaltInputError } from "./read";
import { OptionEntry, sectionSchema, walk } from "./walk";

/** Recursive map merge, later wins, lists replaced (salt.utils.dictupdate.update). */
export function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const left = asMap(out[k]);
    const right = asMap(v);
    out[k] = left && right ? deepMerge(left, right) : v;
  }
  return out;
}

/** Profile name → the names `salt-cloud --list-profiles` printed, or a problem when the shape is not that. */
export function listedProfiles(f: SaltFile, problems: SaltInputError[]): Map<string, string> | undefined {
  const top = asMap(f.data);
  const out = new Map<string, string>();
  const bad = () =>
    problems.push(
      new SaltInputError(
        f.path,
        undefined,
        "expected the output of `salt-cloud --list-profiles PROVIDER --out=json`: a map of profile names to {provider: {}}",
      ),
    );
  if (!top) {
    bad();
    return undefined;
  }
  for (const [name, v] of Object.entries(top)) {
    const m = asMap(v);
    const providers = m ? Object.keys(m) : [];
    if (!m || providers.length !== 1) {
      bad();
      return undefined;
    }
    out.set(name, providers[0]!);
  }
  return out;
}

/** The profiles of the chosen provider as `pillar:profiles`. */
export function translateProfiles(
  files: readonly SaltFile[],
  provider: ProviderChoice | undefined,
  listed: { file: string; names: Map<string, string> } | undefined,
  entries: OptionEntry[],
  problems: SaltInputError[],
): Record<string, unknown> {
  const all = new Map<string, { file: string; settings: Record<string, unknown> }>();
  for (const f of files) {
    const top = asMap(f.data);
    if (!top) {
      problems.push(
        new SaltInputError(
          f.path,
          undefined,
          `expected a map of profile names to their settings, got ${kindOf(f.data)}`,
        ),
      );
      continue;
    }
    for (const [name, v] of Object.entries(top)) {
      const settings = asMap(v);
      if (!settings) {
        problems.push(
          new SaltInputError(f.path, name, `expected the profile's settings (a map), got ${kindOf(v)}`),
        );
        continue;
      }
      const before = all.get(name);
      if (before) {
        problems.push(
          new SaltInputError(f.path, name, `the profile is defined twice (also in ${before.file})`),
        );
        continue;
      }
      all.set(name, { file: f.path, settings });
    }
  }
  if (listed) {
    for (const [name, prov] of listed.names) {
      if (!all.has(name))
        problems.push(
          new SaltInputError(
            listed.file,
            name,
            `salt-cloud lists this profile (provider ${prov}), but no profile file given defines it: --list-profiles prints names only, so give the profile's file (cloud.profiles.d/*.conf) too`,
          ),
        );
    }
  }
  const resolve = (name: string, chain: string[]): Record<string, unknown> | undefined => {
    const p = all.get(name)!;
    const ext = p.settings.extends;
    if (ext === undefined) return p.settings;
    if (typeof ext !== "string" || !all.has(ext)) {
      problems.push(
        new SaltInputError(
          p.file,
          sub(name, "extends"),
          `names no profile of these files (${JSON.stringify(ext)}); profiles: ${[...all.keys()].map((n) => JSON.stringify(n)).join(", ")}`,
        ),
      );
      return undefined;
    }
    if (chain.includes(ext)) {
      problems.push(
        new SaltInputError(
          p.file,
          sub(name, "extends"),
          `profiles extend each other in a circle: ${[...chain, ext].join(" → ")}`,
        ),
      );
      return undefined;
    }
    const parent = resolve(ext, [...chain, ext]);
    if (!parent) return undefined;
    const { extends: _e, ...own } = p.settings;
    void _e;
    entries.push({
      file: p.file,
      option: sub(name, "extends"),
      action: "rewritten",
      note: `merged over profile ${ext}, as salt-cloud does`,
    });
    return deepMerge(parent, own);
  };
  const out: Record<string, unknown> = {};
  const profileSchema = sectionSchema("profiles").additionalProperties as Record<string, unknown>;
  for (const [name, { file }] of all) {
    if (listed && !listed.names.has(name)) {
      entries.push({
        file,
        option: name,
        action: "ignored",
        note: `salt-cloud --list-profiles (${listed.file}) does not list it for this provider`,
      });
      continue;
    }
    const settings = resolve(name, [name]);
    if (!settings) continue;
    const ref = typeof settings.provider === "string" ? settings.provider.split(":")[0]! : undefined;
    if (provider && ref !== undefined && ref !== provider.alias) {
      entries.push({
        file,
        option: name,
        action: "ignored",
        note: `a profile of provider ${ref}, not of the imported provider ${provider.alias}`,
      });
      continue;
    }
    const merged: Record<string, unknown> = { ...settings };
    if (provider) {
      for (const k of INHERITED) {
        if (merged[k] === undefined && provider.settings[k] !== undefined) {
          merged[k] = provider.settings[k];
          entries.push({
            file: provider.file,
            option: sub(provider.alias, k),
            action: "derived",
            pillar: sub(sub("pillar:profiles", name), k === "securitygroup" ? "security_groups" : k),
            note: `profile ${name} takes it from its provider, as salt-cloud does`,
          });
        }
      }
    }
    const translated: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(merged)) {
      if (k === "extends") continue;
      const option = sub(name, k);
      const pillar = sub(sub("pillar:profiles", name), k);
      if (k === "provider" && typeof v === "string" && v.includes(":")) {
        translated.provider = v.split(":")[0];
        entries.push({
          file,
          option,
          action: "rewritten",
          pillar,
          note: `salt-cloud's alias:driver form; pillar names the provider alias (${v.split(":")[0]})`,
        });
      } else if (k === "securitygroup") {
        const list = Array.isArray(v) ? v : [v];
        translated.security_groups = list;
        entries.push({
          file,
          option,
          action: "rewritten",
          pillar: sub(sub("pillar:profiles", name), "security_groups"),
          note: "salt-cloud's securitygroup (group names): pillar's security_groups, by name through the graph",
        });
      } else {
        const child = (profileSchema.properties as Record<string, Record<string, unknown>>)[k];
        if (child)
          translated[k] = walk(v, child, pillar, option, { file, source: "cloud-profiles", entries });
        else entries.push({ file, option, action: "ignored", note: ignoredReason("cloud-profiles", k) });
      }
    }
    out[name] = translated;
  }
  return out;
}
