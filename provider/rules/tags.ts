/**
 * Tags, on every resource that takes them, and the provider's own region.
 *
 * Sources: AWS Tagging Best Practices / "Tag naming limits and requirements" and the EC2 User Guide
 * "Tag restrictions" (key 1-128 Unicode characters, value 0-256, at most 50 user tags per resource,
 * keys beginning with `aws:` reserved for AWS); pulumi-aws provider/resources.go (region typed by
 * the schema's Region enum, `skip_region_validation` defaulting to true, so the provider does not
 * refuse an unknown region itself: the first AWS call does) and @pulumi/aws aws.Region.
 */
import { Region } from "@pulumi/aws/types/enums";
import { ProviderRule, q, when } from "./kit";
import { AWS_PROVIDER_TYPE } from "../types";

export const TAG_KEY_MAX = 128;
export const TAG_VALUE_MAX = 256;
export const TAGS_PER_RESOURCE = 50;
export const REGIONS: readonly string[] = Object.values(Region);

const TAGGING = "AWS tag restrictions (EC2 User Guide, Tag restrictions; Tagging AWS resources)";
const chars = (s: string): number => [...s].length;

const tagKey = (property: string, id: string): ProviderRule => ({
  id,
  property,
  stage: "apply",
  source: TAGGING,
  check: when(
    (x) =>
      typeof x === "string" && (chars(x) < 1 || chars(x) > TAG_KEY_MAX || x.toLowerCase().startsWith("aws:")),
    (x) =>
      String(x).toLowerCase().startsWith("aws:")
        ? `AWS refuses tag key ${q(String(x))}: keys beginning with "aws:" are reserved for AWS`
        : `AWS refuses tag key ${q(String(x))}: 1-128 characters`,
  ),
  examples: {
    pass: [{ value: "pillar:group" }],
    fail: [
      {
        value: "aws:owner",
        message: 'AWS refuses tag key "aws:owner": keys beginning with "aws:" are reserved for AWS',
      },
      { value: "k".repeat(129), message: `AWS refuses tag key "${"k".repeat(129)}": 1-128 characters` },
    ],
  },
});
const tagValue = (property: string, id: string): ProviderRule => ({
  id,
  property,
  stage: "apply",
  source: TAGGING,
  check: when(
    (x) => typeof x === "string" && chars(x) > TAG_VALUE_MAX,
    (x, _i, parent) =>
      `AWS refuses the value of tag ${q(String(parent.$key ?? parent.key ?? ""))}: ${chars(String(x))} characters, at most ${TAG_VALUE_MAX}`,
  ),
  examples: {
    pass: [{ value: "web-host", parent: { $key: "roles" } }],
    fail: [
      {
        value: "v".repeat(257),
        parent: { $key: "roles" },
        message: 'AWS refuses the value of tag "roles": 257 characters, at most 256',
      },
    ],
  },
});

/** Applied to every AWS resource type; a path the resource does not have finds nothing. */
export const TAG_RULES: readonly ProviderRule[] = [
  tagKey("tags{key}", "tag-key"),
  tagValue("tags{}", "tag-value"),
  // Auto Scaling groups take a list of {key, value, propagateAtLaunch}.
  tagKey("tags[].key", "tag-key-list"),
  tagValue("tags[].value", "tag-value-list"),
  tagKey("tagSpecifications[].tags{key}", "tag-key-launch-template"),
  tagValue("tagSpecifications[].tags{}", "tag-value-launch-template"),
  tagKey("volumeTags{key}", "tag-key-volume"),
  tagValue("volumeTags{}", "tag-value-volume"),
  // An instance's own block devices carry tags of their own (a stateful server's root volume).
  tagKey("rootBlockDevice.tags{key}", "tag-key-root-volume"),
  tagValue("rootBlockDevice.tags{}", "tag-value-root-volume"),
  tagKey("ebsBlockDevices[].tags{key}", "tag-key-block-device"),
  tagValue("ebsBlockDevices[].tags{}", "tag-value-block-device"),
];

export const PROVIDER_RESOURCE_RULES: Readonly<Record<string, readonly ProviderRule[]>> = {
  [AWS_PROVIDER_TYPE]: [
    {
      id: "provider-region",
      property: "region",
      stage: "apply",
      source:
        "@pulumi/aws aws.Region (the provider's region list); pulumi-aws skips region validation by default",
      check: when(
        (x) => typeof x === "string" && !REGIONS.includes(x),
        (x) => `no AWS region is called ${q(String(x))}: every call the provider makes there fails`,
      ),
      examples: {
        pass: [{ value: "us-east-1" }, { value: "cn-north-1" }, { value: "us-gov-west-1" }],
        fail: [
          {
            value: "us-esat-1",
            message: 'no AWS region is called "us-esat-1": every call the provider makes there fails',
          },
        ],
      },
    },
  ],
};
