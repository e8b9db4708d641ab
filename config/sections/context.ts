/**
 * What the section normalizers share: the stack, the sections a section may refer to, the one issue
 * list they all push to, and the checks more than one section makes (group names, the cloud
 * provider's name, subnets, names unique within a list, names the program sets itself).
 */
import type { AutonamingModel } from "../autonaming";
import { explicitName } from "../autonaming";
import { ConfigIssue, quoteList, sub } from "../issues";
import type { CloudModel } from "./cloud";
import type { NetworkModel, SubnetRef } from "./network";

export interface Section {
  readonly project: string;
  readonly stack: string;
  /** `pulumi:autonaming`, for the names the program sets itself. */
  readonly autonaming: AutonamingModel | undefined;
  readonly cloud: CloudModel | undefined;
  readonly network: NetworkModel | undefined;
  readonly issues: ConfigIssue[];
  /** Known security group names; undefined when that section is itself invalid (skip the check). */
  readonly groupNames: ReadonlySet<string> | undefined;
  readonly subnet: (ref: string, path: string) => SubnetRef | undefined;
}

/** Security group names as written, each checked against the groups the stack defines (and `default`). */
export function checkGroupRefs(names: readonly string[] | undefined, path: string, s: Section): string[] {
  const list = [...(names ?? [])];
  const known = s.groupNames;
  if (known) {
    list.forEach((n, i) => {
      if (n !== "default" && !known.has(n)) {
        s.issues.push({
          path: sub(path, i),
          message: `unknown security group "${n}"; known groups: ${quoteList(new Set([...known, "default"]))}`,
        });
      }
    });
  }
  return list;
}

/** A profile's `provider:` must name the stack's one cloud provider. */
export function checkCloudProvider(provider: string | undefined, path: string, s: Section): void {
  if (provider !== undefined && s.cloud && provider !== s.cloud.name) {
    s.issues.push({
      path: sub(path, "provider"),
      message: `unknown cloud provider "${provider}"; known providers: ${quoteList([s.cloud.name])}`,
    });
  }
}

export function subnets(list: readonly string[] | undefined, path: string, s: Section): SubnetRef[] {
  return (list ?? []).flatMap((ref, i) => s.subnet(ref, sub(path, i)) ?? []);
}

/**
 * "Each name unique" within a list: returns a function to call with each name and where it is
 * written; a repeat is an issue naming where the name was first given. It answers whether the name
 * was new, so a caller can skip what a duplicate would only repeat.
 */
export function uniqueNames(
  issues: ConfigIssue[],
  message: (name: string, first: string) => string,
): (name: string, path: string) => boolean {
  const first = new Map<string, string>();
  return (name, path) => {
    const at = first.get(name);
    if (at === undefined) {
      first.set(name, path);
      return true;
    }
    issues.push({ path, message: message(name, at) });
    return false;
  };
}

/**
 * A physical name the program sets itself (it must know it before the resource exists):
 * `<project>-<stack>-<logical>` unless `pulumi:autonaming` says otherwise for the type.
 */
export function programName(
  s: { readonly project: string; readonly stack: string; readonly autonaming: AutonamingModel | undefined },
  type: string,
  logicalName: string,
): string {
  return explicitName(
    s.autonaming,
    type,
    logicalName,
    `${s.project}-${s.stack}-${logicalName}`,
    `${s.project}/${s.stack}/${type}/${logicalName}`,
  );
}

/**
 * A whole number the schema took without its range (so the message can say the range in words and
 * why); undefined when absent. Out of range is an issue; the value is still returned.
 */
export function wholeNumber(
  n: number | undefined,
  path: string,
  issues: ConfigIssue[],
  range: { min: number; max?: number; what?: string },
): number | undefined {
  if (n === undefined) return undefined;
  if (n < range.min || (range.max !== undefined && n > range.max)) {
    issues.push({
      path,
      message:
        range.max === undefined
          ? `expected a whole number of at least ${range.min}, got ${n}`
          : `expected ${range.what ?? "a whole number"} from ${range.min} to ${range.max}, got ${n}`,
    });
  }
  return n;
}
