/** Shared helpers for components: tags and options every child gets. */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** Options for a child of `parent`: parented, on the stack's explicit provider. */
export function childOpts(
  parent: pulumi.Resource,
  provider: aws.Provider,
  extra: pulumi.CustomResourceOptions = {},
): pulumi.CustomResourceOptions {
  return { parent, provider, ...extra };
}

/** Stable, sorted tag maps make previews diff-free across runs. */
export function sortedTags(...maps: Readonly<Record<string, string>>[]): Record<string, string> {
  const merged: Record<string, string> = Object.assign({}, ...maps);
  return Object.fromEntries(Object.entries(merged).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
