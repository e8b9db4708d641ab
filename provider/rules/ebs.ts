/**
 * EBS volumes wherever they are made (an `aws.ebs.Volume`, an instance's root or EBS block device, a
 * launch template's mapping) and volume attachments. The limits live here once, as tables and
 * worded checks, so the rules below and config/providerLimits.ts (which names the config line)
 * refuse the same values in the same words.
 *
 * Sources:
 * - terraform-provider-aws internal/service/ec2/ebs_volume.go: `availability_zone`, `type` (no
 *   validator), `kms_key_id` verify.ValidARN, `throughput` validation.IntBetween(125, 1000), and
 *   resourceEBSVolumeCustomizeDiff, which fails the plan: "'iops' must be set when 'type' is 'io1'"
 *   (io1, io2), "'iops' must not be set when 'type' is '…'" (all but gp3, io1, io2), "'throughput'
 *   must not be set when 'type' is '…'" (all but gp3).
 * - terraform-provider-aws internal/service/ec2/ec2_launch_template.go (block_device_mappings.ebs):
 *   `volume_type` StringInSlice(VolumeType values), `throughput` validation.IntBetween(125, 1000),
 *   `iops` no validator. The version read also had `kms_key_id` verify.ValidARN, but @pulumi/aws
 *   7.48 documents that input as taking a key id, alias or ARN, so that validator is not assumed.
 * - terraform-provider-aws internal/service/ec2/ebs_volume_attachment.go: `device_name`,
 *   `instance_id`, `volume_id` required, no validators.
 * - AWS EC2 API EbsBlockDevice / CreateVolume (Iops "gp3: 3,000 - 16,000 IOPS, io1: 100 - 64,000
 *   IOPS, io2: 100 - 256,000 IOPS … required for io1 and io2 volumes … not supported for gp2, st1,
 *   sc1, or standard volumes"; Throughput "valid only for gp3 volumes", 125-1000) and the EBS User
 *   Guide, Amazon EBS volume types (sizes per type; gp3 performance: 500 IOPS per GiB and 0.25 MiB/s
 *   per provisioned IOPS above the 3,000 IOPS / 125 MiB/s baseline); KmsKeyId ("If KmsKeyId is
 *   specified, the encrypted state must be true"); st1 and sc1 "Boot volume: Not supported".
 *
 * Not verified: AWS raised gp3's limits in 2025 (one current CreateVolume reference gives throughput
 * "125 - 2000 MiB/s"); the provider validators and the references read here still say 1000 MiB/s,
 * 16,000 IOPS and 16 TiB, so a larger gp3 value is refused here and may be accepted by AWS. The
 * io1 (50:1) and io2 (1000:1) IOPS-to-size ratios could not be verified and are not checked.
 */
import { intBetween, ProviderRule, q, stringInSlice, validARN, when } from "./kit";
import { TYPES } from "../types";

/** In the EC2 API model's order, which the SDK's VolumeType values (and so the validator's message) keep. */
export const VOLUME_TYPES = ["standard", "io1", "io2", "gp2", "sc1", "st1", "gp3"];
/** EBS volume size limits in GiB by type (EBS User Guide, "Amazon EBS volume types"). */
export const VOLUME_SIZES: Readonly<Record<string, readonly [number, number]>> = {
  standard: [1, 1024],
  gp2: [1, 16384],
  gp3: [1, 16384],
  io1: [4, 16384],
  io2: [4, 65536],
  sc1: [125, 16384],
  st1: [125, 16384],
};
/** Provisioned IOPS by type (EC2 API EbsBlockDevice, Iops); the other types take none. */
export const IOPS_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  gp3: [3000, 16000],
  io1: [100, 64000],
  io2: [100, 256000],
};
/** Types that cannot be created without provisioned IOPS. */
const IOPS_REQUIRED = ["io1", "io2"];
export const GP3_THROUGHPUT: readonly [number, number] = [125, 1000];
const GP3_BASELINE_IOPS = 3000;
const GP3_IOPS_PER_GIB = 500;
const GP3_MIBPS_PER_IOPS = 0.25;

const EBS_GUIDE = "AWS EBS User Guide, Amazon EBS volume types";
const EBS_API = "AWS EC2 API EbsBlockDevice / CreateVolume";
const TF_VOLUME = "terraform-provider-aws internal/service/ec2/ebs_volume.go";
const TF_TEMPLATE = "terraform-provider-aws internal/service/ec2/ec2_launch_template.go";

/** A volume's settings as the checks read them (the type defaults to gp3, as pillar's do). */
export interface EbsSettings {
  readonly type: string;
  readonly size?: number;
  readonly iops?: number;
  readonly throughput?: number;
}

/** Why AWS refuses the volume's size, in words; undefined when it takes it. */
export function sizeProblem(s: EbsSettings): string | undefined {
  const range = VOLUME_SIZES[s.type];
  if (!range || s.size === undefined || (s.size >= range[0] && s.size <= range[1])) return undefined;
  return `a ${s.type} volume is ${range[0]}-${range[1]} GiB, got ${s.size}`;
}

/** HDD types that cannot boot an instance (EBS User Guide, volume types: "Boot volume: Not supported"). */
const NOT_BOOTABLE = ["st1", "sc1"];

/** Why AWS refuses the volume as an instance's root (boot) volume, in words. */
export function bootVolumeProblem(type: string): string | undefined {
  return NOT_BOOTABLE.includes(type)
    ? `${type} volumes cannot be an instance's root (boot) volume; use gp3 there and ${type} for data`
    : undefined;
}

/** Why AWS refuses the volume's provisioned IOPS (or their absence), in words. */
export function iopsProblem(s: EbsSettings): string | undefined {
  const range = IOPS_RANGES[s.type];
  if (s.iops === undefined) {
    return IOPS_REQUIRED.includes(s.type) && range
      ? `an ${s.type} volume needs provisioned IOPS (${range[0]}-${range[1]})`
      : undefined;
  }
  if (!range) return `${s.type} volumes take no provisioned IOPS (only gp3, io1 and io2 do)`;
  if (s.iops < range[0] || s.iops > range[1])
    return `${s.type} volumes take ${range[0]}-${range[1]} IOPS, got ${s.iops}`;
  if (s.type === "gp3" && s.size !== undefined && s.iops > GP3_BASELINE_IOPS) {
    const max = Math.max(GP3_BASELINE_IOPS, s.size * GP3_IOPS_PER_GIB);
    if (s.iops > max)
      return `a ${s.size} GiB gp3 volume takes at most ${max} IOPS (${GP3_IOPS_PER_GIB} per GiB), got ${s.iops}`;
  }
  return undefined;
}

/** Why AWS refuses the volume's throughput, in words. */
export function throughputProblem(s: EbsSettings): string | undefined {
  if (s.throughput === undefined) return undefined;
  if (s.type !== "gp3") return `only gp3 volumes take a throughput, not ${s.type}`;
  const [lo, hi] = GP3_THROUGHPUT;
  if (s.throughput < lo || s.throughput > hi)
    return `gp3 throughput is ${lo}-${hi} MiB/s, got ${s.throughput}`;
  const iops = s.iops ?? GP3_BASELINE_IOPS;
  const max = Math.max(lo, Math.floor(iops * GP3_MIBPS_PER_IOPS));
  if (s.throughput > max)
    return `gp3 throughput is at most ${GP3_MIBPS_PER_IOPS} MiB/s per provisioned IOPS (${max} MiB/s at ${iops} IOPS), got ${s.throughput}`;
  return undefined;
}

const num = (x: unknown): number | undefined => (typeof x === "number" ? x : undefined);

/** Where a kind of block device keeps its settings: the volume's own keys, or a mapping's. */
interface EbsKeys {
  readonly type: string;
  readonly size: string;
}
const settingsOf = (holder: Readonly<Record<string, unknown>>, keys: EbsKeys): EbsSettings => {
  const size = num(holder[keys.size]);
  const iops = num(holder.iops);
  const throughput = num(holder.throughput);
  return {
    type: typeof holder[keys.type] === "string" ? (holder[keys.type] as string) : "gp3",
    ...(size !== undefined ? { size } : {}),
    ...(iops !== undefined ? { iops } : {}),
    ...(throughput !== undefined ? { throughput } : {}),
  };
};

const refused = (problem: string) => `AWS refuses this volume: ${problem}`;

/** The volume type enum, as the launch template's and the instance's validators word it. */
export const volumeTypeRule = (property: string, id: string): ProviderRule => ({
  id,
  property,
  stage: "preview",
  source: `${TF_TEMPLATE} and ec2_instance.go (volume_type: StringInSlice of the EC2 VolumeType values)`,
  check: stringInSlice("volume_type", VOLUME_TYPES),
  examples: {
    pass: [{ value: "gp3" }],
    fail: [
      {
        value: "gp4",
        message:
          'expected volume_type to be one of ["standard" "io1" "io2" "gp2" "sc1" "st1" "gp3"], got gp4',
      },
    ],
  },
});

/** The size a type allows; `property` is the size's path, `keys` where its siblings are. */
export const volumeSizeRule = (property: string, keys: EbsKeys, id: string): ProviderRule => ({
  id,
  property,
  stage: "apply",
  source: `${EBS_GUIDE} (sizes per type)`,
  check: (_x, _i, parent) => {
    const p = sizeProblem(settingsOf(parent, keys));
    return p === undefined ? undefined : refused(p);
  },
  examples: {
    pass: [
      { value: 50, parent: { [keys.type]: "gp3", [keys.size]: 50 } },
      { value: 8, parent: { [keys.size]: 8 } },
    ],
    fail: [
      {
        value: 20000,
        parent: { [keys.type]: "gp3", [keys.size]: 20000 },
        message: "AWS refuses this volume: a gp3 volume is 1-16384 GiB, got 20000",
      },
      {
        value: 100,
        parent: { [keys.type]: "st1", [keys.size]: 100 },
        message: "AWS refuses this volume: a st1 volume is 125-16384 GiB, got 100",
      },
    ],
  },
});

/**
 * Provisioned IOPS: needed by io1/io2, refused by the types without them, within the type's range
 * and (gp3) the size's. Checked at the volume type, which every mapping pillar makes carries.
 */
export const volumeIopsRule = (property: string, keys: EbsKeys, id: string): ProviderRule => ({
  id,
  property,
  stage: "apply",
  source: `${EBS_API} (Iops per type, required for io1 and io2, not supported for gp2, st1, sc1, standard); ${EBS_GUIDE} (gp3: 500 IOPS per GiB)`,
  check: (_x, _i, parent) => {
    const p = iopsProblem(settingsOf(parent, keys));
    return p === undefined ? undefined : refused(p);
  },
  examples: {
    pass: [
      { value: "gp3", parent: { [keys.type]: "gp3", iops: 6000, [keys.size]: 500 } },
      { value: "io2", parent: { [keys.type]: "io2", iops: 20000, [keys.size]: 200 } },
      { value: "st1", parent: { [keys.type]: "st1", [keys.size]: 1000 } },
    ],
    fail: [
      {
        value: "io1",
        parent: { [keys.type]: "io1", [keys.size]: 100 },
        message: "AWS refuses this volume: an io1 volume needs provisioned IOPS (100-64000)",
      },
      {
        value: "gp2",
        parent: { [keys.type]: "gp2", iops: 300 },
        message: "AWS refuses this volume: gp2 volumes take no provisioned IOPS (only gp3, io1 and io2 do)",
      },
      {
        value: "gp3",
        parent: { [keys.type]: "gp3", iops: 20000 },
        message: "AWS refuses this volume: gp3 volumes take 3000-16000 IOPS, got 20000",
      },
      {
        value: "gp3",
        parent: { [keys.type]: "gp3", iops: 6000, [keys.size]: 10 },
        message:
          "AWS refuses this volume: a 10 GiB gp3 volume takes at most 5000 IOPS (500 per GiB), got 6000",
      },
    ],
  },
});

/** Throughput: gp3 only, 125-1000 MiB/s, at most 0.25 MiB/s per provisioned IOPS. */
export const volumeThroughputRule = (property: string, keys: EbsKeys, id: string): ProviderRule => ({
  id,
  property,
  stage: "apply",
  source: `${EBS_API} (Throughput: valid only for gp3 volumes, 125-1000 MiB/s); ${EBS_GUIDE} (gp3: 0.25 MiB/s per provisioned IOPS)`,
  check: (_x, _i, parent) => {
    const p = throughputProblem(settingsOf(parent, keys));
    return p === undefined ? undefined : refused(p);
  },
  examples: {
    pass: [{ value: 500, parent: { [keys.type]: "gp3", iops: 6000, throughput: 500 } }],
    fail: [
      {
        value: 250,
        parent: { [keys.type]: "io2", iops: 4000, throughput: 250 },
        message: "AWS refuses this volume: only gp3 volumes take a throughput, not io2",
      },
      {
        value: 1000,
        parent: { [keys.type]: "gp3", throughput: 1000 },
        message:
          "AWS refuses this volume: gp3 throughput is at most 0.25 MiB/s per provisioned IOPS (750 MiB/s at 3000 IOPS), got 1000",
      },
    ],
  },
});

/** An instance's root volume must be a type that boots. */
export const rootVolumeTypeRule = (property: string, id: string): ProviderRule => ({
  id,
  property,
  stage: "apply",
  source: `${EBS_GUIDE} (st1 and sc1: boot volume not supported)`,
  check: (x) => {
    const p = typeof x === "string" ? bootVolumeProblem(x) : undefined;
    return p === undefined ? undefined : refused(p);
  },
  examples: {
    pass: [{ value: "gp3" }, { value: "standard" }],
    fail: [
      {
        value: "st1",
        message:
          "AWS refuses this volume: st1 volumes cannot be an instance's root (boot) volume; use gp3 there and st1 for data",
      },
    ],
  },
});

/** The provider's own throughput range (launch templates and EBS volumes), at preview. */
export const throughputRangeRule = (property: string, id: string, file: string): ProviderRule => ({
  id,
  property,
  stage: "preview",
  source: `${file} (throughput: validation.IntBetween(125, 1000))`,
  check: intBetween("throughput", GP3_THROUGHPUT[0], GP3_THROUGHPUT[1]),
  examples: {
    pass: [{ value: 125 }],
    fail: [{ value: 2000, message: "expected throughput to be in the range (125 - 1000), got 2000" }],
  },
});

/** The provider takes an EBS volume's KMS key only as an ARN, at preview. */
export const kmsKeyArnRule = (property: string, id: string, file: string): ProviderRule => ({
  id,
  property,
  stage: "preview",
  source: `${file} (kms_key_id: verify.ValidARN)`,
  check: validARN("kms_key_id"),
  examples: {
    pass: [{ value: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" }],
    fail: [
      {
        value: "alias/pillar",
        message: '"kms_key_id" (alias/pillar) is an invalid ARN: arn: invalid prefix',
      },
    ],
  },
});

/** Why AWS refuses a KMS key on the volume, in words: a key encrypts, so the volume must be encrypted. */
export function kmsKeyProblem(kmsKeyId: string | undefined, encrypted: unknown): string | undefined {
  return kmsKeyId !== undefined && encrypted !== true && encrypted !== "true"
    ? "a KMS key is given but the volume is not encrypted: a volume with a KMS key must be encrypted"
    : undefined;
}

/** A KMS key only on an encrypted volume (a launch template's mapping says "true" as a string). */
export const kmsKeyEncryptedRule = (property: string, id: string): ProviderRule => ({
  id,
  property,
  stage: "apply",
  source: `${EBS_API} (KmsKeyId: "If KmsKeyId is specified, the encrypted state must be true")`,
  check: (x, _i, parent) => {
    const p = typeof x === "string" ? kmsKeyProblem(x, parent.encrypted) : undefined;
    return p === undefined ? undefined : refused(p);
  },
  examples: {
    pass: [
      { value: "alias/pillar", parent: { encrypted: true } },
      { value: "alias/pillar", parent: { encrypted: "true" } },
    ],
    fail: [
      {
        value: "alias/pillar",
        parent: { encrypted: false },
        message:
          "AWS refuses this volume: a KMS key is given but the volume is not encrypted: a volume with a KMS key must be encrypted",
      },
    ],
  },
});

const VOLUME_KEYS: EbsKeys = { type: "type", size: "size" };
const notEmpty = (what: string, api: string, id: string, property: string, ok: string): ProviderRule => ({
  id,
  property,
  stage: "apply",
  source: `${api}; terraform-provider-aws internal/service/ec2 (required, no validator)`,
  check: when(
    (x) => x === "",
    () => `AWS refuses an empty ${what}`,
  ),
  examples: {
    pass: [{ value: ok }],
    fail: [{ value: "", message: `AWS refuses an empty ${what}` }],
  },
});

export const EBS_RULES: Readonly<Record<string, readonly ProviderRule[]>> = {
  [TYPES.ebs.Volume]: [
    notEmpty(
      "availability zone",
      "AWS EC2 API CreateVolume (AvailabilityZone)",
      "ebs-volume-availability-zone",
      "availabilityZone",
      "us-east-1a",
    ),
    {
      id: "ebs-volume-type",
      property: "type",
      stage: "apply",
      source: `AWS EC2 API CreateVolume (VolumeType); ${TF_VOLUME} (type: no validator)`,
      check: when(
        (x) => typeof x === "string" && !VOLUME_TYPES.includes(x),
        (x) => `AWS refuses volume type ${q(String(x))}: expected one of ${VOLUME_TYPES.join(", ")}`,
      ),
      examples: {
        pass: [{ value: "io2" }],
        fail: [
          {
            value: "gp4",
            message: 'AWS refuses volume type "gp4": expected one of standard, io1, io2, gp2, sc1, st1, gp3',
          },
        ],
      },
    },
    {
      id: "ebs-volume-iops-required",
      property: "type",
      stage: "preview",
      source: `${TF_VOLUME} (resourceEBSVolumeCustomizeDiff: iops with io1 and io2, and with gp3 or those only)`,
      check: (x, i) => {
        if (typeof x !== "string") return undefined;
        const iops = num(i.iops) ?? 0;
        if (IOPS_REQUIRED.includes(x) && iops === 0) return `'iops' must be set when 'type' is '${x}'`;
        if (!IOPS_RANGES[x] && iops !== 0) return `'iops' must not be set when 'type' is '${x}'`;
        return undefined;
      },
      examples: {
        pass: [
          { value: "io2", inputs: { iops: 4000 } },
          { value: "gp3", inputs: {} },
        ],
        fail: [
          { value: "io1", inputs: {}, message: "'iops' must be set when 'type' is 'io1'" },
          { value: "st1", inputs: { iops: 500 }, message: "'iops' must not be set when 'type' is 'st1'" },
        ],
      },
    },
    {
      id: "ebs-volume-throughput-type",
      property: "throughput",
      stage: "preview",
      source: `${TF_VOLUME} (resourceEBSVolumeCustomizeDiff: throughput is valid only for gp3 volumes)`,
      check: (x, i) =>
        typeof x === "number" && x > 0 && i.type !== "gp3"
          ? `'throughput' must not be set when 'type' is '${String(i.type ?? "")}'`
          : undefined,
      examples: {
        pass: [{ value: 250, inputs: { type: "gp3" } }],
        fail: [
          {
            value: 250,
            inputs: { type: "io2" },
            message: "'throughput' must not be set when 'type' is 'io2'",
          },
        ],
      },
    },
    throughputRangeRule("throughput", "ebs-volume-throughput-range", TF_VOLUME),
    kmsKeyArnRule("kmsKeyId", "ebs-volume-kms-key", TF_VOLUME),
    kmsKeyEncryptedRule("kmsKeyId", "ebs-volume-kms-key-encrypted"),
    volumeSizeRule("size", VOLUME_KEYS, "ebs-volume-size"),
    volumeIopsRule("type", VOLUME_KEYS, "ebs-volume-iops"),
    volumeThroughputRule("throughput", VOLUME_KEYS, "ebs-volume-throughput"),
  ],
  [TYPES.ec2.VolumeAttachment]: [
    notEmpty(
      "device name",
      "AWS EC2 API AttachVolume (Device)",
      "ec2-volume-attachment-device",
      "deviceName",
      "/dev/sdf",
    ),
    notEmpty(
      "instance id",
      "AWS EC2 API AttachVolume (InstanceId)",
      "ec2-volume-attachment-instance",
      "instanceId",
      "i-0abc1234def567890",
    ),
    notEmpty(
      "volume id",
      "AWS EC2 API AttachVolume (VolumeId)",
      "ec2-volume-attachment-volume",
      "volumeId",
      "vol-0abc1234def567890",
    ),
  ],
};

/** The mapping keys of instances and launch templates. */
export const MAPPING_KEYS: EbsKeys = { type: "volumeType", size: "volumeSize" };
export { TF_TEMPLATE };
