// Instance-level EC2 policies: IMDSv2, encrypted EBS, no launch configurations, instance types.

import { ResourceValidationPolicy } from "@pulumi/policy";
import { T } from "./types";
import { field, isObject, isUnknown, path, plain, show, toBoolean } from "./values";

/** Props as a plain object the remediation can copy; secret markers and unknowns stay as they are. */
function copyable(props: unknown): Record<string, unknown> | undefined {
  return isObject(props) ? { ...props } : undefined;
}

export const ec2ImdsV2Required: ResourceValidationPolicy = {
  name: "ec2-imdsv2-required",
  description:
    'Checks that launch templates and instances require IMDSv2 (metadataOptions.httpTokens "required"); at its default level "remediate" it sets httpTokens "required" where that is all that is missing.',
  enforcementLevel: "remediate",
  // Safe and unambiguous: httpTokens is the one setting the rule is about, the other metadata options
  // stay as given, a launch template gets a new version (only later launches use it) and an instance
  // is updated in place (ModifyInstanceMetadataOptions), never replaced. Left alone: unknown options,
  // and an instance that takes its options from a launch template (setting them on the instance
  // would override the template's hop limit and endpoint too).
  remediateResource: (args) => {
    if (args.type !== T.launchTemplate && args.type !== T.instance) {
      return undefined;
    }
    const props = copyable(plain(args.props));
    const options = props?.["metadataOptions"];
    if (props === undefined || isUnknown(options) || (options !== undefined && !isObject(options))) {
      return undefined;
    }
    if (args.type === T.instance && options === undefined && field(props, "launchTemplate")) {
      return undefined;
    }
    const tokens = field(options, "httpTokens");
    if (tokens === "required" || isUnknown(tokens)) {
      return undefined;
    }
    return { ...props, metadataOptions: { ...(isObject(options) ? options : {}), httpTokens: "required" } };
  },
  validateResource: (args, reportViolation) => {
    const subject =
      args.type === T.launchTemplate
        ? `Launch template "${args.name}"`
        : args.type === T.instance
          ? `Instance "${args.name}"`
          : undefined;
    if (subject === undefined) {
      return;
    }
    const props = plain(args.props);
    if (
      args.type === T.instance &&
      field(props, "metadataOptions") === undefined &&
      field(props, "launchTemplate")
    ) {
      return; // the instance takes its metadata options from the launch template, checked on its own
    }
    // Left unset, the instance metadata service accepts IMDSv1 unless the AMI says otherwise.
    const tokens = path(props, "metadataOptions", "httpTokens");
    const rule = `${subject} must require IMDSv2 (metadataOptions.httpTokens "required")`;
    if (isUnknown(tokens)) {
      reportViolation(`${rule}; cannot be verified at preview: httpTokens is unknown.`);
    } else if (tokens !== "required") {
      reportViolation(`${rule}; it is ${show(tokens)}.`);
    }
  },
};

/** One EBS volume a resource declares: where it sits and its `encrypted` value. */
interface DeclaredVolume {
  readonly where: string;
  readonly encrypted: unknown;
  /** What to name when `encrypted` is unknown because a whole list is. */
  readonly unknownPart?: string;
}

/**
 * The names AMIs give their root device: /dev/xvda (Amazon Linux, most others built on Xen-era
 * conventions) and /dev/sda1 (Ubuntu, Debian, RHEL, Windows). A launch template that maps neither
 * leaves the root volume as the AMI's snapshot describes it. Config `rootDeviceNames` replaces the
 * list for AMIs that use another name.
 */
export const DEFAULT_ROOT_DEVICE_NAMES: readonly string[] = ["/dev/sda1", "/dev/xvda"];

export interface EbsConfig {
  readonly rootDeviceNames?: readonly string[];
}

function declaredVolumes(
  type: string,
  props: unknown,
  rootDeviceNames: readonly string[],
): DeclaredVolume[] | string {
  switch (type) {
    case T.volume:
      return [{ where: "", encrypted: field(props, "encrypted") }];
    case T.instance: {
      const root = field(props, "rootBlockDevice");
      const volumes: DeclaredVolume[] = [];
      if (isUnknown(root) || isObject(root)) {
        volumes.push({ where: " rootBlockDevice", encrypted: field(root, "encrypted") });
      } else if (field(props, "launchTemplate")) {
        // The root volume comes from the launch template's mappings, checked on their own.
      } else {
        // Without a rootBlockDevice the root volume copies the AMI's snapshot, usually unencrypted.
        return "declares no rootBlockDevice, so its root volume's encryption follows the AMI";
      }
      const ebs = field(props, "ebsBlockDevices");
      if (isUnknown(ebs)) {
        volumes.push({ where: " ebsBlockDevices", encrypted: ebs, unknownPart: "the device list" });
      } else if (Array.isArray(ebs)) {
        ebs.forEach((d, i) =>
          volumes.push({ where: ` ebsBlockDevices[${i}]`, encrypted: field(d, "encrypted") }),
        );
      }
      return volumes;
    }
    case T.launchTemplate: {
      const mappings = field(props, "blockDeviceMappings");
      if (isUnknown(mappings)) {
        return [{ where: " blockDeviceMappings", encrypted: mappings, unknownPart: "the mapping list" }];
      }
      const list = Array.isArray(mappings) ? mappings : [];
      const volumes = list.flatMap((m, i) => {
        const ebs = field(m, "ebs");
        // Mappings without `ebs` are instance-store or no-device entries: no EBS volume to encrypt.
        return ebs === undefined || ebs === null
          ? []
          : [{ where: ` blockDeviceMappings[${i}].ebs`, encrypted: field(ebs, "encrypted") }];
      });
      if (volumes.length === 0) {
        return "declares no EBS block device mapping, so its root volume's encryption follows the AMI";
      }
      const roots = `(${rootDeviceNames.join(", ")})`;
      const names = list.map((m) => field(m, "deviceName"));
      if (!names.some((n) => typeof n === "string" && rootDeviceNames.includes(n))) {
        const unknownAt = names.findIndex(isUnknown);
        return unknownAt >= 0
          ? `cannot be verified at preview: the deviceName of blockDeviceMappings[${unknownAt}] is unknown, so whether it maps the root device ${roots} is not known`
          : `maps no root device ${roots}, so its root volume's encryption follows the AMI`;
      }
      return volumes;
    }
    default:
      return [];
  }
}

const SUBJECTS: Readonly<Record<string, string>> = {
  [T.volume]: "EBS volume",
  [T.instance]: "Instance",
  [T.launchTemplate]: "Launch template",
};

export const ec2EbsEncrypted: ResourceValidationPolicy = {
  name: "ec2-ebs-encrypted",
  description:
    'Checks that every EBS volume is encrypted: EBS volumes, instance root and EBS block devices, and launch template block device mappings, which must map the root device (config "rootDeviceNames", default /dev/sda1 and /dev/xvda); at its default level "remediate" it turns encryption on in launch template mappings.',
  enforcementLevel: "remediate",
  configSchema: {
    properties: {
      rootDeviceNames: {
        type: "array",
        items: { type: "string", pattern: "^/dev/" },
        minItems: 1,
        default: [...DEFAULT_ROOT_DEVICE_NAMES],
      },
    },
  },
  remediateResource: (args) => {
    const props = args.type === T.launchTemplate ? copyable(plain(args.props)) : undefined;
    return props === undefined ? undefined : encryptMappings(props);
  },
  validateResource: (args, reportViolation) => {
    const kind = SUBJECTS[args.type];
    if (kind === undefined) {
      return;
    }
    const subject = `${kind} "${args.name}"`;
    const roots = args.getConfig<EbsConfig>().rootDeviceNames ?? DEFAULT_ROOT_DEVICE_NAMES;
    const volumes = declaredVolumes(args.type, plain(args.props), roots);
    if (typeof volumes === "string") {
      const verdict = volumes.startsWith("cannot be verified") ? volumes : `it ${volumes}`;
      reportViolation(`${subject} must encrypt every EBS volume; ${verdict}.`);
      return;
    }
    for (const v of volumes) {
      const rule = `${subject}${v.where} must be encrypted (encrypted: true)`;
      if (isUnknown(v.encrypted)) {
        reportViolation(
          `${rule}; cannot be verified at preview: ${v.unknownPart ?? "encrypted"} is unknown.`,
        );
      } else if (toBoolean(v.encrypted) !== true) {
        reportViolation(`${rule}; it is ${show(v.encrypted)}.`);
      }
    }
  },
};

/**
 * Launch template mappings with `ebs.encrypted` set to "true". Only launch templates: a new version
 * affects instances launched later, while turning on `encrypted` for an existing volume or an
 * instance's block device forces its replacement, which would destroy the data on it.
 */
function encryptMappings(props: Record<string, unknown>): Record<string, unknown> | undefined {
  const mappings = props["blockDeviceMappings"];
  if (!Array.isArray(mappings)) {
    return undefined;
  }
  let changed = false;
  const fixed = mappings.map((m) => {
    const ebs = field(m, "ebs");
    if (
      !isObject(m) ||
      !isObject(ebs) ||
      isUnknown(field(ebs, "encrypted")) ||
      toBoolean(field(ebs, "encrypted")) === true
    ) {
      return m;
    }
    changed = true;
    return { ...m, ebs: { ...ebs, encrypted: "true" } };
  });
  return changed ? { ...props, blockDeviceMappings: fixed } : undefined;
}

export const ec2LaunchConfigurationsForbidden: ResourceValidationPolicy = {
  name: "ec2-launch-configurations-forbidden",
  description:
    "Checks that no launch configuration is created: accounts created since 1 October 2024 cannot create them; use launch templates.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type === T.launchConfiguration) {
      reportViolation(
        `Launch configuration "${args.name}" must not exist: use an aws.ec2.LaunchTemplate (launch configurations are closed to new accounts).`,
      );
    }
  },
};

/**
 * Current-generation families accepted by default. The seed's m3.medium and t2.small are previous
 * generation (older hardware, no Nitro, worse price/performance) and are flagged, advisory only; a
 * stack that must keep them lists them in `allowedInstanceTypes`.
 */
export const DEFAULT_ALLOWED_INSTANCE_TYPES: readonly string[] = [
  "t3.*",
  "t3a.*",
  "t4g.*",
  "m6i.*",
  "m6a.*",
  "m7i.*",
  "m7g.*",
  "c6i.*",
  "c7i.*",
  "c7g.*",
  "r6i.*",
  "r7i.*",
];

/** Whether `type` matches an allow-list entry: an exact type (`t3.small`) or a family (`t3.*`). */
export function instanceTypeAllowed(type: string, allowed: readonly string[]): boolean {
  return allowed.some((entry) =>
    entry.endsWith(".*") ? type.startsWith(entry.slice(0, -1)) : type === entry,
  );
}

export interface InstanceTypeConfig {
  readonly allowedInstanceTypes?: readonly string[];
}

/** A group's mixed-instances overrides pick the types its instances actually run as. */
function checkOverrides(
  name: string,
  props: unknown,
  allowed: readonly string[],
  reportViolation: (message: string) => void,
): void {
  const overrides = path(props, "mixedInstancesPolicy", "launchTemplate", "overrides");
  const rule = `Autoscaling group "${name}" must override only with allowed instance types (${allowed.join(", ")})`;
  if (isUnknown(overrides)) {
    reportViolation(`${rule}; cannot be verified at preview: its overrides are unknown.`);
    return;
  }
  (Array.isArray(overrides) ? overrides : []).forEach((o, i) => {
    const type = field(o, "instanceType");
    if (isUnknown(type)) {
      reportViolation(`${rule}; cannot be verified at preview: overrides[${i}].instanceType is unknown.`);
    } else if (type !== undefined && (typeof type !== "string" || !instanceTypeAllowed(type, allowed))) {
      reportViolation(`${rule}; overrides[${i}] uses ${show(type)}.`);
    }
  });
}

export const ec2InstanceTypeAllowed: ResourceValidationPolicy = {
  name: "ec2-instance-type-allowed",
  description:
    'Checks that instances, launch templates and the instance type overrides of autoscaling groups use an instance type from the allow-list (config "allowedInstanceTypes"; exact types or families like "t3.*").',
  enforcementLevel: "advisory",
  configSchema: {
    properties: {
      allowedInstanceTypes: {
        type: "array",
        items: { type: "string" },
        default: [...DEFAULT_ALLOWED_INSTANCE_TYPES],
      },
    },
  },
  validateResource: (args, reportViolation) => {
    const allowed =
      args.getConfig<InstanceTypeConfig>().allowedInstanceTypes ?? DEFAULT_ALLOWED_INSTANCE_TYPES;
    if (args.type === T.autoscalingGroup) {
      checkOverrides(args.name, plain(args.props), allowed, reportViolation);
      return;
    }
    const kind =
      args.type === T.instance
        ? "Instance"
        : args.type === T.launchTemplate
          ? "Launch template"
          : args.type === T.launchConfiguration
            ? "Launch configuration"
            : undefined;
    if (kind === undefined) {
      return;
    }
    const type = field(plain(args.props), "instanceType");
    if (type === undefined && args.type === T.launchTemplate) {
      return; // the group's mixed-instances policy picks the type; nothing to check here
    }
    const rule = `${kind} "${args.name}" must use an allowed instance type (${allowed.join(", ")})`;
    if (isUnknown(type)) {
      reportViolation(`${rule}; cannot be verified at preview: instanceType is unknown.`);
    } else if (typeof type !== "string" || !instanceTypeAllowed(type, allowed)) {
      reportViolation(`${rule}; it uses ${show(type)}.`);
    }
  },
};
