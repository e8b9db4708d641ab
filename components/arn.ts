/**
 * ARNs the program writes before the resources they name exist (IAM scopes, topic policies): in the
 * partition of the stack's region, never a hard-coded `arn:aws:`, so a stack in China or GovCloud
 * gets ARNs AWS accepts there.
 */

/** The AWS partition of a region (`aws`, `aws-cn`, `aws-us-gov`). */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
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
