/**
 * ARNs the program writes before the resources they name exist (IAM scopes, topic policies): in the
 * partition of the stack's region, never a hard-coded `arn:aws:`, so a stack in China or GovCloud
 * gets ARNs AWS accepts there.
 */

/**
 * Each partition but `aws` by the region codes it holds. Sources: AWS General Reference, "Amazon
 * Resource Names (ARNs)" (https://docs.aws.amazon.com/general/latest/gr/aws-arns-and-namespaces.html:
 * aws, aws-cn for the China Regions, aws-us-gov for GovCloud (US)); the others as the AWS SDKs'
 * partitions.json defines them (aws-sdk-js-v3 util-endpoints lib/aws/partitions.json, regionRegex:
 * aws-eusc `eusc-de-*` (European Sovereign Cloud), aws-iso `us-iso-*`, aws-iso-b `us-isob-*`,
 * aws-iso-e `eu-isoe-*`, aws-iso-f `us-isof-*`). Every other region code is in `aws`.
 */
const PARTITIONS: readonly (readonly [prefix: string, partition: string])[] = [
  ["cn-", "aws-cn"],
  ["us-gov-", "aws-us-gov"],
  ["eusc-", "aws-eusc"],
  ["us-iso-", "aws-iso"],
  ["us-isob-", "aws-iso-b"],
  ["eu-isoe-", "aws-iso-e"],
  ["us-isof-", "aws-iso-f"],
];

/** The AWS partition of a region (`aws`, `aws-cn`, `aws-us-gov`, …: PARTITIONS). */
export function partitionOf(region: string): string {
  return PARTITIONS.find(([prefix]) => region.startsWith(prefix))?.[1] ?? "aws";
}

/**
 * `arn:<partition>:<service>:<region>:<account>:<resource>` for a resource of the stack's region;
 * `global` ones (IAM) carry no region but still the region's partition. Account may be empty (AWS's
 * own SSM documents) or `aws` (AWS managed policies).
 */
export function arn(
  region: string,
  service: string,
  account: string,
  resource: string,
  scope: "regional" | "global" = "regional",
): string {
  return `arn:${partitionOf(region)}:${service}:${scope === "global" ? "" : region}:${account}:${resource}`;
}
