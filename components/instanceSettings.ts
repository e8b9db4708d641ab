/** Settings instances and launch templates share: their block devices and the instance metadata service. */
import { BlockDeviceModel } from "../config/model";

/** Splits block devices into the root (the AMI's root device, gp3 and encrypted if not configured) and the rest. */
export function splitRoot(
  devices: readonly BlockDeviceModel[],
  rootDeviceName: string,
): { root: BlockDeviceModel; others: BlockDeviceModel[] } {
  const root = devices.find((d) => d.deviceName === rootDeviceName) ?? {
    deviceName: rootDeviceName,
    volumeType: "gp3",
    encrypted: true,
    deleteOnTermination: true,
  };
  return { root, others: devices.filter((d) => d !== root) };
}

/** EBS settings shared by instances and launch templates (gp3, encrypted unless said otherwise). */
export function ebs(d: BlockDeviceModel) {
  return {
    volumeType: d.volumeType,
    encrypted: d.encrypted,
    deleteOnTermination: d.deleteOnTermination,
    ...(d.volumeSize !== undefined ? { volumeSize: d.volumeSize } : {}),
    ...(d.iops !== undefined ? { iops: d.iops } : {}),
    ...(d.throughput !== undefined ? { throughput: d.throughput } : {}),
    ...(d.kmsKeyId !== undefined ? { kmsKeyId: d.kmsKeyId } : {}),
  };
}

/** IMDSv2 only, with a hop limit that still lets containers on the host reach it. */
export const METADATA_OPTIONS = {
  httpEndpoint: "enabled",
  httpTokens: "required",
  httpPutResponseHopLimit: 2,
} as const;
