/**
 * The building blocks of the config schema (JSON Schema 2020-12, checked by ajv in validate.ts), typed
 * with TypeBox, so each section's input type is `Static<typeof itsSchema>` and a field cannot drift
 * between the schema and the normalizer that reads it.
 *
 * Leaves whose JSON Schema TypeBox would spell differently (a type union such as `["integer",
 * "string"]`, an `enum`, a map through `additionalProperties`) are written as the raw schema with
 * `Type.Unsafe<T>`, so ajv sees and reports them exactly as written; `T` is what the value is once
 * validated, after validate.ts has turned numeric strings into numbers.
 *
 * `description` is what an error says was expected, in words (validate.ts), so every node that
 * constrains a value (pattern, range) carries one.
 */
import { Type, type Static, type TObject, type TSchema } from "@sinclair/typebox";

export { Type };
export type { Static, TObject, TSchema };

export const str = Type.String({ minLength: 1, description: "a non-empty string" });
export const strList = Type.Array(str);

/**
 * Whole numbers, where YAML or `pulumi config set` may give numeric strings: the validator turns a
 * numeric string into its number before checking ranges (validate.ts), so `"0"` meets `minimum` and
 * a validated value is always a number.
 */
export function intSchema(min?: number, max?: number, what = "a whole number", words?: string) {
  const range =
    min !== undefined && max !== undefined
      ? ` ${min}–${max}`
      : min !== undefined
        ? min === 0
          ? " of 0 or more"
          : ` of at least ${min}`
        : max !== undefined
          ? ` of at most ${max}`
          : "";
  return Type.Unsafe<number>({
    type: ["integer", "string"],
    pattern: "^-?[0-9]+$",
    ...(min !== undefined ? { minimum: min } : {}),
    ...(max !== undefined ? { maximum: max } : {}),
    description: words ?? `${what}${range}`,
  });
}
export const int = intSchema();
export const nonNegInt = intSchema(0);
export const num = Type.Unsafe<number>({
  type: ["number", "string"],
  pattern: "^-?[0-9]+(\\.[0-9]+)?$",
  description: "a number",
});
export const port = intSchema(1, 65535, "a port number");
/**
 * The words Salt reads as booleans: Salt loads YAML with PyYAML, whose YAML 1.1 resolver takes exactly
 * these (pyyaml `resolver.py`, `tag:yaml.org,2002:bool`; not `y`/`n`). Pulumi's YAML parser and
 * `pulumi config set` hand them to the program as strings, so a pasted `enabled: yes` arrives as "yes".
 */
export const YAML11_TRUE = ["yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"] as const;
export const YAML11_FALSE = ["no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"] as const;
export type BoolInput = boolean | (typeof YAML11_TRUE)[number] | (typeof YAML11_FALSE)[number];

/** Every boolean of the schema: true/false, or a word Salt reads as one (YAML11_TRUE/YAML11_FALSE). */
export const bool = Type.Unsafe<BoolInput>({
  type: ["boolean", "string"],
  enum: [true, false, ...YAML11_TRUE, ...YAML11_FALSE],
  description: "true or false (or yes/no, on/off as Salt reads them)",
});
export const strOrList = Type.Unsafe<string | string[]>({
  type: ["string", "array"],
  minLength: 1,
  items: str,
  minItems: 1,
  description: "a non-empty string or a list of them",
});

/** One of a fixed set of values (JSON Schema `enum`, which ajv reports with the values allowed). */
export function oneOf<const T extends readonly (string | number | boolean)[]>(values: T) {
  return Type.Unsafe<T[number]>({ enum: [...values] });
}

/** A map of any keys to values of one schema (`additionalProperties`), as the seed keys profiles by name. */
export function mapOf<S extends TSchema>(
  value: S,
  options: { readonly minProperties?: number; readonly maxProperties?: number } = {},
) {
  return Type.Unsafe<Record<string, Static<S>>>({ type: "object", ...options, additionalProperties: value });
}

/** Names made of letters, digits and `. _ -`, which pillar turns into resource names. */
export const resourceName = (max: number) =>
  Type.String({
    pattern: "^[A-Za-z0-9._-]+$",
    maxLength: max,
    description: `a name of 1–${max} letters, digits and . _ -`,
  });

export const VPC_ID = Type.String({
  pattern: "^vpc-[0-9a-f]{7,17}$",
  description: "a VPC id (vpc- and 8 or 17 hex digits)",
});
export const SUBNET_ID = Type.String({
  pattern: "^subnet-[0-9a-f]{7,17}$",
  description: "a subnet id (subnet- and 8 or 17 hex digits)",
});

export const grains = Type.Unsafe<Record<string, string | number | boolean | (string | number)[]>>({
  type: "object",
  additionalProperties: {
    type: ["string", "number", "boolean", "array"],
    items: { type: ["string", "number"] },
  },
});
export const tags = Type.Unsafe<Record<string, string | number | boolean>>({
  type: "object",
  additionalProperties: { type: ["string", "number", "boolean"] },
});

/** The seed's `Ebs.VolumeSize` style block device mapping (profiles and launch_config). */
export const blockDevice = Type.Object(
  {
    DeviceName: Type.String({ pattern: "^/dev/[a-z0-9]+$", description: "a device name like /dev/sda1" }),
    "Ebs.VolumeSize": Type.Optional(intSchema(1, undefined, "a volume size in GiB")),
    "Ebs.VolumeType": Type.Optional(oneOf(["gp3", "gp2", "io1", "io2", "st1", "sc1", "standard"])),
    "Ebs.Iops": Type.Optional(nonNegInt),
    "Ebs.Throughput": Type.Optional(nonNegInt),
    "Ebs.Encrypted": Type.Optional(bool),
    "Ebs.KmsKeyId": Type.Optional(str),
    "Ebs.DeleteOnTermination": Type.Optional(bool),
  },
  { additionalProperties: false },
);
export type BlockDeviceInput = Static<typeof blockDevice>;

/** An AMI id, or a lookup of the newest image by owners and name. */
export const image = Type.Unsafe<
  string | { owners: string[]; name: string; architecture?: "x86_64" | "arm64" }
>({
  type: ["string", "object"],
  pattern: "^ami-[0-9a-f]{7,17}$",
  description: "an AMI id (ami- and 8 or 17 hex digits) or a lookup {owners, name}",
  required: ["owners", "name"],
  additionalProperties: false,
  properties: { owners: { ...strList, minItems: 1 }, name: str, architecture: { enum: ["x86_64", "arm64"] } },
});
export type ImageInput = Static<typeof image>;
