/**
 * The shape of a provider rule and the validators rules are built from, worded as their sources word
 * them: Terraform's helper/validation (terraform-plugin-sdk v2, which the bridge runs in Check, so a
 * `preview` rule fails `pulumi preview`) and the AWS APIs (which refuse at create, an `apply` rule).
 */

/** Inputs of one resource as the provider sees them: wire values, secrets unwrapped, names filled in. */
export type Inputs = Readonly<Record<string, unknown>>;

/**
 * Returns the source's words for a value it rejects, or undefined. Never called with unknown values.
 * `parent` is the object that holds the value (the resource's inputs for a top-level property, the
 * list element for `blockDeviceMappings[].ebs.volumeSize`).
 */
export type Check = (value: unknown, inputs: Inputs, parent: Inputs) => string | undefined;

export interface RuleExample {
  readonly value: unknown;
  /** The resource's other inputs, for rules that read them (e.g. `fifoQueue` for a queue name). */
  readonly inputs?: Inputs;
  /** The object holding a nested value, when the rule reads its siblings (defaults to `inputs`). */
  readonly parent?: Inputs;
}

export interface ProviderRule {
  /** Stable id: `<service>-<subject>-<condition>`, e.g. `elb-name-length`. */
  readonly id: string;
  /**
   * The input it reads, as a path: `name`, `healthCheck.target`, `listeners[].lbPort` (each element),
   * `tags{}` (each value of a map, the key passed in the inputs as `$key`), `tags{key}` (each key).
   */
  readonly property: string;
  /** `preview`: the provider's validator refuses it in `pulumi preview`; `apply`: AWS refuses it at create. */
  readonly stage: "preview" | "apply";
  /** Where the rule comes from: the validator's file and function, or the AWS API reference. */
  readonly source: string;
  readonly check: Check;
  /** The check also takes values with unknowns inside (it measures what is known); others never see them. */
  readonly allowUnknown?: boolean;
  /** Values the rule accepts and values it refuses (with the exact message); the suite runs every one. */
  readonly examples: {
    readonly pass: readonly RuleExample[];
    readonly fail: readonly (RuleExample & { readonly message: string })[];
  };
}

/** Go's %q of a string. */
export const q = (s: string): string => JSON.stringify(s);
/** Go's %q of a []string: `["a" "b"]`. */
const qList = (l: readonly string[]): string => `[${l.map(q).join(" ")}]`;
/** Go's %v of a value. */
const v = (x: unknown): string => (typeof x === "string" ? x : JSON.stringify(x));

const isInt = (x: unknown): x is number => typeof x === "number" && Number.isInteger(x);
/** Go's len() of a string: UTF-8 bytes. */
export const bytes = (s: string): number => Buffer.byteLength(s, "utf8");

/** helper/validation.StringLenBetween (bytes, as Go counts). */
export const stringLenBetween =
  (k: string, min: number, max: number): Check =>
  (x) =>
    typeof x !== "string"
      ? `expected type of ${k} to be string`
      : bytes(x) < min || bytes(x) > max
        ? `expected length of ${k} to be in the range (${min} - ${max}), got ${x}`
        : undefined;

/** helper/validation.StringMatch with a message. */
export const stringMatch =
  (k: string, re: RegExp, message: string): Check =>
  (x) =>
    typeof x === "string" && !re.test(x) ? `invalid value for ${k} (${message})` : undefined;

/** helper/validation.StringDoesNotMatch with a message. */
export const stringDoesNotMatch =
  (k: string, re: RegExp, message: string): Check =>
  (x) =>
    typeof x === "string" && re.test(x) ? `invalid value for ${k} (${message})` : undefined;

/** helper/validation.IntBetween. */
export const intBetween =
  (k: string, min: number, max: number): Check =>
  (x) =>
    !isInt(x)
      ? `expected type of ${k} to be integer`
      : x < min || x > max
        ? `expected ${k} to be in the range (${min} - ${max}), got ${x}`
        : undefined;

/** helper/validation.IntAtLeast. */
export const intAtLeast =
  (k: string, min: number): Check =>
  (x) =>
    !isInt(x)
      ? `expected type of ${k} to be integer`
      : x < min
        ? `expected ${k} to be at least (${min}), got ${x}`
        : undefined;

/** helper/validation.StringInSlice (also what enum.Validate words). */
export const stringInSlice =
  (k: string, valid: readonly string[], ignoreCase = false): Check =>
  (x) => {
    if (typeof x !== "string") return `expected type of ${k} to be string`;
    const ok = ignoreCase ? valid.some((s) => s.toLowerCase() === x.toLowerCase()) : valid.includes(x);
    return ok ? undefined : `expected ${k} to be one of ${qList(valid)}, got ${x}`;
  };

/** helper/validation.IntInSlice. */
export const intInSlice =
  (k: string, valid: readonly number[]): Check =>
  (x) =>
    isInt(x) && valid.includes(x)
      ? undefined
      : `expected ${k} to be one of [${valid.join(" ")}], got ${v(x)}`;

/** internal/verify.ValidARN: aws-sdk-go's arn.Parse, then the partition, region and account checks. */
export const validARN =
  (k: string): Check =>
  (x) => {
    if (typeof x !== "string" || x === "") return undefined;
    const bad = (why: string) => `${q(k)} (${x}) is an invalid ARN: ${why}`;
    if (!x.startsWith("arn:")) return bad("arn: invalid prefix");
    const parts = x.split(":");
    if (parts.length < 6) return bad("arn: not enough sections");
    const [, partition, , region, account] = parts as [string, string, string, string, string];
    if (!/^aws(-[a-z]+)*$/.test(partition))
      return bad("invalid partition value (expecting to match regular expression: ^aws(-[a-z]+)*$)");
    if (region !== "" && !/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region))
      return bad(
        "invalid region value (expecting to match regular expression: ^[a-z]{2}(-[a-z]+)+-\\d{1,2}$)",
      );
    if (account !== "" && !/^(aws|aws-managed|third-party|\d{12}|cw.{10})$/.test(account))
      return bad(
        "invalid account ID value (expecting to match regular expression: ^(aws|aws-managed|third-party|\\d{12}|cw.{10})$)",
      );
    return undefined;
  };

/** A plain check with its own words (AWS API constraints). */
export const when =
  (
    refuse: (x: unknown, inputs: Inputs, parent: Inputs) => boolean,
    words: (x: unknown, inputs: Inputs, parent: Inputs) => string,
  ): Check =>
  (x, inputs, parent) =>
    refuse(x, inputs, parent) ? words(x, inputs, parent) : undefined;

/** The first failure of several checks. */
export const all =
  (...checks: Check[]): Check =>
  (x, inputs, parent) => {
    for (const c of checks) {
      const m = c(x, inputs, parent);
      if (m !== undefined) return m;
    }
    return undefined;
  };
