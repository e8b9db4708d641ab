/**
 * EC2 and VPC: launch templates, instances, key pairs, VPCs, subnets, Elastic IPs (security groups
 * are in securityGroups.ts; the EBS settings of their block devices in ebs.ts).
 *
 * Sources: terraform-provider-aws internal/verify/validate.go (ValidLaunchTemplateName),
 * ec2_launch_template.go, ec2_eip.go; AWS EC2 API reference: RunInstances (UserData "limited to 16 KB", before
 * base64), CreateLaunchTemplate (TagSpecification resource types), InstanceMetadataOptionsRequest,
 * ImportKeyPair (KeyName "up to 255 ASCII characters"), CreateVpc and CreateSubnet (CIDR blocks
 * between /16 and /28).
 */
import {
  kmsKeyEncryptedRule,
  MAPPING_KEYS,
  rootVolumeTypeRule,
  TF_TEMPLATE,
  throughputRangeRule,
  volumeIopsRule,
  volumeSizeRule,
  volumeThroughputRule,
  volumeTypeRule,
} from "./ebs";
import { intBetween, ProviderRule, q, stringInSlice, stringLenBetween, when } from "./kit";
import { TYPES } from "../types";

/** Every EBS rule of one kind of block device, at `at` (`rootBlockDevice`, `blockDeviceMappings[].ebs`). */
const blockDevice = (at: string, id: string): ProviderRule[] => [
  volumeTypeRule(`${at}.volumeType`, `${id}-type`),
  volumeSizeRule(`${at}.volumeSize`, MAPPING_KEYS, `${id}-size`),
  volumeIopsRule(`${at}.volumeType`, MAPPING_KEYS, `${id}-iops`),
  volumeThroughputRule(`${at}.throughput`, MAPPING_KEYS, `${id}-throughput`),
  kmsKeyEncryptedRule(`${at}.kmsKeyId`, `${id}-kms-key-encrypted`),
];

const metadata = (prefix: string): ProviderRule[] => [
  {
    id: `ec2-${prefix}-http-tokens`,
    property: "metadataOptions.httpTokens",
    stage: "preview",
    source:
      "terraform-provider-aws internal/service/ec2 (http_tokens: enum.Validate[awstypes.HttpTokensState])",
    check: stringInSlice("http_tokens", ["optional", "required"]),
    examples: {
      pass: [{ value: "required" }],
      fail: [
        {
          value: "mandatory",
          message: 'expected http_tokens to be one of ["optional" "required"], got mandatory',
        },
      ],
    },
  },
  {
    id: `ec2-${prefix}-hop-limit`,
    property: "metadataOptions.httpPutResponseHopLimit",
    stage: "preview",
    source:
      "terraform-provider-aws internal/service/ec2 (http_put_response_hop_limit: validation.IntBetween(1, 64))",
    check: intBetween("http_put_response_hop_limit", 1, 64),
    examples: {
      pass: [{ value: 2 }],
      fail: [
        { value: 0, message: "expected http_put_response_hop_limit to be in the range (1 - 64), got 0" },
      ],
    },
  },
];

const USER_DATA_LIMIT = 16 * 1024;
const userData: ProviderRule = {
  id: "ec2-launch-template-user-data-size",
  property: "userData",
  stage: "apply",
  source: "AWS EC2 API RunInstances / RequestLaunchTemplateData (UserData: limited to 16 KB before base64)",
  check: when(
    (x) => typeof x === "string" && Buffer.from(x, "base64").length > USER_DATA_LIMIT,
    (x) =>
      `AWS refuses user data of ${Buffer.from(String(x), "base64").length} bytes: at most 16384 (16 KB) before base64`,
  ),
  examples: {
    pass: [{ value: Buffer.from("#!/bin/sh\necho hi\n").toString("base64") }],
    fail: [
      {
        value: Buffer.alloc(USER_DATA_LIMIT + 1, "x").toString("base64"),
        message: "AWS refuses user data of 16385 bytes: at most 16384 (16 KB) before base64",
      },
    ],
  },
};

/** VPC and subnet CIDR blocks are /16 to /28 (AWS VPC User Guide, "VPC CIDR blocks"; CreateVpc, CreateSubnet). */
const blockSize = (what: string, id: string, api: string, ok: string, bad: string): ProviderRule => ({
  id,
  property: "cidrBlock",
  stage: "apply",
  source: `AWS EC2 API ${api} (CidrBlock: between /16 and /28)`,
  check: when(
    (x) => {
      const m = typeof x === "string" ? /\/(\d+)$/.exec(x) : null;
      return m !== null && (Number(m[1]) < 16 || Number(m[1]) > 28);
    },
    (x) => `AWS refuses ${what} CIDR ${q(String(x))}: the block size must be between /16 and /28`,
  ),
  examples: {
    pass: [{ value: ok }],
    fail: [
      {
        value: bad,
        message: `AWS refuses ${what} CIDR ${q(bad)}: the block size must be between /16 and /28`,
      },
    ],
  },
});

export const EC2_RULES: Readonly<Record<string, readonly ProviderRule[]>> = {
  [TYPES.ec2.LaunchTemplate]: [
    {
      id: "ec2-launch-template-name",
      property: "name",
      stage: "preview",
      source:
        "terraform-provider-aws internal/verify/validate.go (ValidLaunchTemplateName: 3-125, [0-9A-Za-z()./_-])",
      check: (x) => {
        if (typeof x !== "string") return undefined;
        if (x.length < 3) return `"name" cannot be less than 3 characters`;
        if (x.length > 125) return `"name" cannot be longer than 125 characters`;
        if (!/^[0-9A-Za-z()./_-]+$/.test(x))
          return `"name" can only alphanumeric characters and ()./_- symbols`;
        return undefined;
      },
      examples: {
        pass: [{ value: "app-hosts-webhost-1a2b3c4" }],
        fail: [
          { value: "l".repeat(126), message: `"name" cannot be longer than 125 characters` },
          { value: "web host", message: `"name" can only alphanumeric characters and ()./_- symbols` },
        ],
      },
    },
    {
      id: "ec2-launch-template-description",
      property: "description",
      stage: "preview",
      source:
        "terraform-provider-aws internal/service/ec2/ec2_launch_template.go (description: StringLenBetween(0, 255))",
      check: stringLenBetween("description", 0, 255),
      examples: {
        pass: [{ value: "pillar app-hosts" }],
        fail: [
          {
            value: "d".repeat(256),
            message: `expected length of description to be in the range (0 - 255), got ${"d".repeat(256)}`,
          },
        ],
      },
    },
    userData,
    ...metadata("launch-template"),
    ...blockDevice("blockDeviceMappings[].ebs", "ec2-launch-template-volume"),
    throughputRangeRule(
      "blockDeviceMappings[].ebs.throughput",
      "ec2-launch-template-volume-throughput-range",
      TF_TEMPLATE,
    ),
    {
      id: "ec2-launch-template-tag-resource-type",
      property: "tagSpecifications[].resourceType",
      stage: "apply",
      source: "AWS EC2 API CreateLaunchTemplate (LaunchTemplateTagSpecificationRequest ResourceType)",
      check: when(
        (x) =>
          typeof x === "string" &&
          !["instance", "volume", "network-interface", "spot-instances-request"].includes(x),
        (x) =>
          `AWS refuses tags for resource type ${q(String(x))} in a launch template: instance, volume, network-interface or spot-instances-request`,
      ),
      examples: {
        pass: [{ value: "instance" }],
        fail: [
          {
            value: "launch-template",
            message:
              'AWS refuses tags for resource type "launch-template" in a launch template: instance, volume, network-interface or spot-instances-request',
          },
        ],
      },
    },
  ],
  [TYPES.ec2.Instance]: [
    ...metadata("instance"),
    ...blockDevice("rootBlockDevice", "ec2-instance-root-volume"),
    rootVolumeTypeRule("rootBlockDevice.volumeType", "ec2-instance-root-volume-bootable"),
    ...blockDevice("ebsBlockDevices[]", "ec2-instance-volume"),
  ],
  [TYPES.ec2.KeyPair]: [
    {
      id: "ec2-key-pair-name",
      property: "keyName",
      stage: "apply",
      source: "AWS EC2 API ImportKeyPair (KeyName: up to 255 ASCII characters)",
      check: when(
        (x) => typeof x === "string" && (x.length < 1 || x.length > 255 || !/^[\x20-\x7e]*$/.test(x)),
        (x) => `AWS refuses key pair name ${q(String(x))}: 1-255 ASCII characters`,
      ),
      examples: {
        pass: [{ value: "salt_master" }],
        fail: [{ value: "clé", message: 'AWS refuses key pair name "clé": 1-255 ASCII characters' }],
      },
    },
  ],
  [TYPES.ec2.Vpc]: [blockSize("VPC", "ec2-vpc-cidr-size", "CreateVpc", "10.20.0.0/16", "10.0.0.0/8")],
  [TYPES.ec2.Subnet]: [
    blockSize("subnet", "ec2-subnet-cidr-size", "CreateSubnet", "10.20.0.0/20", "10.20.0.0/29"),
  ],
  [TYPES.ec2.Eip]: [
    {
      id: "ec2-eip-domain",
      property: "domain",
      stage: "preview",
      source:
        "terraform-provider-aws internal/service/ec2/ec2_eip.go (domain: enum.Validate[awstypes.DomainType])",
      check: stringInSlice("domain", ["vpc", "standard"]),
      examples: {
        pass: [{ value: "vpc" }],
        fail: [{ value: "classic", message: 'expected domain to be one of ["vpc" "standard"], got classic' }],
      },
    },
  ],
};
