// Instance settings worth a second look (advisory): the IMDS hop limit and detailed monitoring.

import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { T } from "./types";
import { field, isUnknown, path, plain, show, toBoolean, toNumber } from "./values";

const KINDS: Readonly<Record<string, string>> = {
  [T.launchTemplate]: "Launch template",
  [T.instance]: "Instance",
};

/** Whether an instance leaves the setting at `key` to the launch template it names. */
function fromTemplate(args: ResourceValidationArgs, key: string): boolean {
  const props = plain(args.props);
  return (
    args.type === T.instance && field(props, key) === undefined && Boolean(field(props, "launchTemplate"))
  );
}

export interface HopLimitConfig {
  /** Instances and launch templates (logical or physical names) that run containers needing IMDS. */
  readonly containerHosts?: readonly string[];
}

export const ec2ImdsHopLimitOne: ResourceValidationPolicy = {
  name: "ec2-imds-hop-limit-one",
  description:
    'Checks that instances and launch templates keep the instance metadata response hop limit at 1, so that only the host itself, not a container or a forwarded packet, can fetch the instance role\'s credentials; hosts that run containers needing IMDS are listed in config "containerHosts".',
  enforcementLevel: "advisory",
  configSchema: {
    properties: {
      containerHosts: { type: "array", items: { type: "string", minLength: 1 }, default: [] },
    },
  },
  validateResource: (args, reportViolation) => {
    const kind = KINDS[args.type];
    if (kind === undefined || fromTemplate(args, "metadataOptions")) {
      return;
    }
    const props = plain(args.props);
    const hosts = args.getConfig<HopLimitConfig>().containerHosts ?? [];
    const physical = field(props, "name");
    if (hosts.includes(args.name) || (typeof physical === "string" && hosts.includes(physical))) {
      return;
    }
    const limit = path(props, "metadataOptions", "httpPutResponseHopLimit");
    const rule = `${kind} "${args.name}" must keep the IMDS hop limit at 1 (metadataOptions.httpPutResponseHopLimit) unless it runs containers that need the instance role`;
    if (isUnknown(limit)) {
      reportViolation(`${rule}; cannot be verified at preview: httpPutResponseHopLimit is unknown.`);
    } else if ((toNumber(limit) ?? 1) > 1) {
      // Unset is EC2's default of 1 (an AMI registered with ImdsSupport v2.0 may raise it to 2).
      reportViolation(
        `${rule}; it is ${show(limit)}. If containers on it need IMDS, name it in config containerHosts.`,
      );
    }
  },
};

export const ec2DetailedMonitoringEnabled: ResourceValidationPolicy = {
  name: "ec2-detailed-monitoring-enabled",
  description:
    "Checks that instances and launch templates enable detailed (1-minute) CloudWatch monitoring, which alarms with 60-second periods, like the seed's scaling alarms, need to see every data point.",
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    const kind = KINDS[args.type];
    if (kind === undefined || fromTemplate(args, "monitoring")) {
      return;
    }
    const props = plain(args.props);
    const value =
      args.type === T.launchTemplate
        ? field(field(props, "monitoring"), "enabled")
        : field(props, "monitoring");
    const rule = `${kind} "${args.name}" must enable detailed monitoring (${args.type === T.launchTemplate ? "monitoring.enabled" : "monitoring"} true)`;
    if (isUnknown(value)) {
      reportViolation(`${rule}; cannot be verified at preview: it is unknown.`);
    } else if (toBoolean(value) !== true) {
      reportViolation(`${rule}; it is ${show(value ?? false)}, so metrics arrive every 5 minutes.`);
    }
  },
};
