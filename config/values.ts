/**
 * Coercions for values the schema has already shape-checked: YAML and `pulumi config set` give
 * booleans as strings, the seed gives `cidr_ip` as a string or a list, and the shapes several
 * sections share (images, block devices, grains, tags) become their model form here.
 */
import type { BlockDeviceModel, Grains, ImageModel } from "./model";
import { YAML11_TRUE, type BlockDeviceInput, type BoolInput, type ImageInput } from "./schemaKit";

export function toInt(v: unknown): number {
  return typeof v === "number" ? v : Number.parseInt(String(v), 10);
}

/** A boolean the schema accepted (`bool`): true/false or a YAML 1.1 word Salt reads as one. */
export function toBool(v: BoolInput): boolean {
  return v === true || (YAML11_TRUE as readonly unknown[]).includes(v);
}

export function optInt(v: unknown): number | undefined {
  return v === undefined || v === null ? undefined : toInt(v);
}

export function toList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => String(x));
}

export type Obj = Record<string, unknown>;

export function obj(v: unknown): Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {};
}

/** Ubuntu 24.04 LTS from Canonical's own account: the default image when a profile names none. */
export const DEFAULT_IMAGE: ImageModel = {
  kind: "lookup",
  owners: ["099720109477"],
  namePattern: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*",
  architecture: "x86_64",
};

export function toImage(v: ImageInput | undefined): ImageModel {
  if (v === undefined) return DEFAULT_IMAGE;
  if (typeof v === "string") return { kind: "id", id: v };
  return {
    kind: "lookup",
    owners: [...v.owners],
    namePattern: v.name,
    architecture: v.architecture ?? "x86_64",
  };
}

/** The seed's `Ebs.VolumeSize` style mapping; volumes are gp3 and encrypted unless said otherwise. */
export function toBlockDevice(o: BlockDeviceInput): BlockDeviceModel {
  const kms = o["Ebs.KmsKeyId"];
  return {
    deviceName: o.DeviceName,
    volumeSize: o["Ebs.VolumeSize"],
    volumeType: o["Ebs.VolumeType"] ?? "gp3",
    iops: o["Ebs.Iops"],
    throughput: o["Ebs.Throughput"],
    encrypted: o["Ebs.Encrypted"] === undefined ? true : toBool(o["Ebs.Encrypted"]),
    ...(kms !== undefined ? { kmsKeyId: kms } : {}),
    deleteOnTermination:
      o["Ebs.DeleteOnTermination"] === undefined ? true : toBool(o["Ebs.DeleteOnTermination"]),
  };
}

export function toGrains(v: unknown): Grains {
  const out: Record<string, string | string[]> = {};
  for (const [k, g] of Object.entries(obj(v))) out[k] = Array.isArray(g) ? g.map(String) : String(g);
  return out;
}

export function toTags(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, t] of Object.entries(obj(v))) out[k] = String(t);
  return out;
}

/** Grains as EC2 tags: lists are comma-joined (`roles=mongodb,mongodb-server`), the rest as their strings. */
export function grainTags(grains: Grains): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(grains)) out[k] = typeof v === "string" ? v : v.join(",");
  return out;
}
