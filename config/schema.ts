/**
 * The schema of every `pillar:` config key (JSON Schema 2020-12, in the seed's own shapes), each
 * from its section (config/sections/<key>.ts). Shapes only: cross-references (group, ELB, policy and
 * profile names, subnets, regions) are checked by the sections' normalizers after the shapes pass,
 * so every message can list the names that do exist.
 */
import { autoscaleSchema } from "./sections/autoscale";
import { cloudSchema } from "./sections/cloud";
import { cloudwatchSchema } from "./sections/cloudwatch";
import { reactorProfilesSchema } from "./sections/ec2.autoscale";
import { elbSchema } from "./sections/elb";
import { networkSchema } from "./sections/network";
import { profilesSchema } from "./sections/profiles";
import { reactorSchema } from "./sections/reactor";
import { securityGroupsSchema } from "./sections/security_groups";
import type { Static, TSchema } from "./schemaKit";

/** Schema per config key, without the `pillar:` prefix, in the order problems are reported. */
export const schemas = {
  cloud: cloudSchema,
  network: networkSchema,
  profiles: profilesSchema,
  security_groups: securityGroupsSchema,
  elb: elbSchema,
  autoscale: autoscaleSchema,
  cloudwatch: cloudwatchSchema,
  "ec2.autoscale": reactorProfilesSchema,
  reactor: reactorSchema,
} as const;

export type ConfigKey = keyof typeof schemas;

/**
 * Keys the seed may write as a bare list that the stack's map holds under one of its keys: the Salt
 * master's `reactor:` block (a list of hooks) pasted as `pillar:reactor` is `pillar:reactor.hooks`.
 * Errors name the path as written (`pillar:reactor[0]`).
 */
export const listForms: { readonly [K in ConfigKey]?: string } = { reactor: "hooks" };

/** Each key's value as its schema describes it, once validated (numeric strings already numbers). */
export type SectionInputs = { readonly [K in ConfigKey]?: Static<(typeof schemas)[K]> };

/** Every config key pillar reads, in the order they are reported. */
export const configKeys = Object.keys(schemas) as ConfigKey[];

/** A key's form as validate.ts checks it: the key itself, or `<key>[]` for its list form (listForms). */
export type ShapeForm = ConfigKey | `${ConfigKey}[]`;

/**
 * The schema of every form, in the order of configKeys with each list form after its key: a key's
 * list form is the property of its map that holds the list. Each has its validator in
 * config/validators.generated.js (scripts/genValidators.ts compiles exactly these).
 */
export const shapeForms: ReadonlyMap<ShapeForm, TSchema> = new Map(
  configKeys.flatMap((key): [ShapeForm, TSchema][] => {
    const prop = listForms[key];
    const own: [ShapeForm, TSchema] = [key, schemas[key]];
    if (prop === undefined) return [own];
    const list = (schemas[key] as unknown as { properties: Record<string, TSchema> }).properties[prop]!;
    return [own, [`${key}[]`, list]];
  }),
);
