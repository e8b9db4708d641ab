/**
 * The reactor's configuration: read once from the function's environment, which
 * components/reactor.ts sets from the stack's config. Every problem is reported at once, each
 * naming its variable, so a bad deployment fails on its first invocation with the whole list.
 */
import { ConfigError } from "./errors";

export const ENV_TABLE_NAME = "PILLAR_TABLE_NAME";
export const ENV_TOPIC_ARNS = "PILLAR_TOPIC_ARNS";
export const ENV_SIGNATURE_VERSION = "PILLAR_SIGNATURE_VERSION";
export const ENV_GROUPS = "PILLAR_GROUPS";
export const ENV_PROFILES = "PILLAR_PROFILES";
export const ENV_TOMBSTONE_TTL_DAYS = "PILLAR_TOMBSTONE_TTL_DAYS";
export const ENV_MAX_MESSAGE_AGE_SECONDS = "PILLAR_MAX_MESSAGE_AGE_SECONDS";
export const ENV_CLOCK_SKEW_SECONDS = "PILLAR_CLOCK_SKEW_SECONDS";
export const ENV_HEARTBEAT_TIMEOUT_SECONDS = "PILLAR_HEARTBEAT_TIMEOUT_SECONDS";

/** Every variable the reactor reads; the component sets exactly these. */
export const REACTOR_ENV_VARS = [
  ENV_TABLE_NAME,
  ENV_TOPIC_ARNS,
  ENV_SIGNATURE_VERSION,
  ENV_GROUPS,
  ENV_PROFILES,
  ENV_TOMBSTONE_TTL_DAYS,
  ENV_MAX_MESSAGE_AGE_SECONDS,
  ENV_CLOCK_SKEW_SECONDS,
  ENV_HEARTBEAT_TIMEOUT_SECONDS,
] as const;

/** The inventory table's partition key (type S) and TTL attribute, for the component that creates it. */
export const INVENTORY_PARTITION_KEY = "instanceId";
export const INVENTORY_TTL_ATTRIBUTE = "expiresAt";

/**
 * Every AWS API action the function calls, for a least-privilege policy. Scope SendCommand to the
 * bootstrap documents and the stack's instances, CompleteLifecycleAction to the stack's groups,
 * and the DynamoDB actions to the inventory table.
 */
export const REACTOR_AWS_ACTIONS = [
  "ssm:SendCommand",
  "ssm:GetCommandInvocation",
  "ssm:CancelCommand",
  "ssm:ListCommands",
  "autoscaling:CompleteLifecycleAction",
  "autoscaling:RecordLifecycleActionHeartbeat",
  "dynamodb:UpdateItem",
  "dynamodb:GetItem",
] as const;

/**
 * How the deployment must hold the function for the code's guarantees to hold; components/reactor.ts
 * and the config loader use these, so the settings and the code cannot drift apart.
 */
export const DEPLOYMENT = {
  /** Lambda's async retries after the first attempt (its API allows 0-2). */
  retryAttempts: 2,
  /** The failure queue keeps a message this long (SQS allows up to 14 days), and so may redrive it that late. */
  failureQueueRetentionSeconds: 1_209_600,
  /**
   * Lambda's bounds on MaximumEventAgeInSeconds (PutFunctionEventInvokeConfig; the AWS provider
   * checks 60-21600, and MaximumRetryAttempts 0-2, at plan time: terraform-provider-aws
   * internal/service/lambda/function_event_invoke_config.go).
   */
  minEventAgeSeconds: 60,
  maxEventAgeSeconds: 21_600,
} as const;

/**
 * The oldest an event may be when Lambda starts an attempt on it: late enough for a retry, early
 * enough that the attempt (at most the function's timeout) ends before the launch hook's heartbeat
 * runs out, so a launch message is never worked on for a hook that has expired. Undefined when the
 * heartbeat leaves less than Lambda's minimum event age after the timeout (the config refuses that).
 */
export function maximumEventAgeSeconds(
  heartbeatTimeoutSeconds: number,
  timeoutSeconds: number,
): number | undefined {
  const age = Math.min(DEPLOYMENT.maxEventAgeSeconds, heartbeatTimeoutSeconds - timeoutSeconds);
  return age < DEPLOYMENT.minEventAgeSeconds ? undefined : age;
}

/** The defaults of the freshness settings (`pillar:reactor.max_message_age` / `clock_skew`). */
export const DEFAULT_MAX_MESSAGE_AGE_SECONDS = DEPLOYMENT.failureQueueRetentionSeconds;
export const DEFAULT_CLOCK_SKEW_SECONDS = 300;

export type Grains = Readonly<Record<string, string | readonly string[]>>;

/** How a profile bootstraps a new instance: one SSM Run Command, parameters passed as data. */
export interface BootstrapConfig {
  readonly document: string;
  readonly parameters: Readonly<Record<string, readonly string[]>>;
  readonly timeoutSeconds: number;
}

/** A reactor profile (the seed's `ec2.autoscale.<name>`). */
export interface ProfileConfig {
  readonly name: string;
  readonly grains: Grains;
  readonly bootstrap?: BootstrapConfig;
}

/** One Auto Scaling group this stack manages, keyed in `ReactorConfig.groups` by its real name. */
export interface GroupConfig {
  readonly asgName: string;
  /** The group's name in the stack config (`pillar:autoscale`). */
  readonly group: string;
  readonly profile: string;
}

export interface ReactorConfig {
  readonly tableName: string;
  readonly topicArns: readonly string[];
  readonly signatureVersion: "1" | "2";
  readonly groups: Readonly<Record<string, GroupConfig>>;
  readonly profiles: Readonly<Record<string, ProfileConfig>>;
  readonly tombstoneTtlDays: number;
  /** Messages whose SNS Timestamp is older than this are refused. */
  readonly maxMessageAgeSeconds: number;
  /** Messages dated further in the future than this are refused. */
  readonly clockSkewSeconds: number;
  /** The launch hook's heartbeat timeout: a launch message older than it has no hook left to act for. */
  readonly heartbeatTimeoutSeconds: number;
}

export type Env = Readonly<Record<string, string | undefined>>;

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const TOPIC_ARN = /^arn:aws(?:-cn|-us-gov)?:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/;
// An SSM document name, or a shared document's ARN.
const DOCUMENT = /^(?:arn:aws(?:-cn|-us-gov)?:ssm:[a-z0-9-]+:\d{12}:document\/)?[A-Za-z0-9_.-]{3,128}$/;
const ASG_NAME = /^[^\u0000-\u001f:]{1,255}$/;
/** SSM's own bounds on SendCommand's TimeoutSeconds. */
const MIN_TIMEOUT = 30;
const MAX_TIMEOUT = 2_592_000;

/** Reads and checks the environment; throws one `ConfigError` listing every problem. */
export function loadConfig(env: Env): ReactorConfig {
  const problems: string[] = [];
  const problem = (name: string, text: string) => problems.push(`${name}: ${text}`);

  const raw = (name: string): string | undefined => {
    const v = env[name];
    if (v === undefined || v === "") problem(name, "is not set");
    return v === "" ? undefined : v;
  };
  const json = (name: string): unknown => {
    const v = raw(name);
    if (v === undefined) return undefined;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      problem(name, "is not valid JSON");
      return undefined;
    }
  };

  const tableName = raw(ENV_TABLE_NAME);
  if (tableName !== undefined && !TABLE_NAME.test(tableName))
    problem(ENV_TABLE_NAME, "is not a DynamoDB table name");

  const topics = json(ENV_TOPIC_ARNS);
  const topicArns: string[] = [];
  if (topics !== undefined) {
    if (!Array.isArray(topics) || topics.length === 0)
      problem(ENV_TOPIC_ARNS, "must be a non-empty JSON array");
    else
      topics.forEach((t, i) => {
        if (typeof t === "string" && TOPIC_ARN.test(t)) topicArns.push(t);
        else problem(`${ENV_TOPIC_ARNS}[${i}]`, "is not an SNS topic ARN");
      });
  }

  const version = raw(ENV_SIGNATURE_VERSION);
  if (version !== undefined && version !== "1" && version !== "2")
    problem(ENV_SIGNATURE_VERSION, 'must be "1" or "2"');

  const profiles = parseProfiles(json(ENV_PROFILES), problem);
  const groups = parseGroups(json(ENV_GROUPS), profiles, problem);

  const ttl = raw(ENV_TOMBSTONE_TTL_DAYS);
  const tombstoneTtlDays = Number(ttl);
  if (ttl !== undefined && (!/^\d+$/.test(ttl) || tombstoneTtlDays < 1 || tombstoneTtlDays > 3650)) {
    problem(ENV_TOMBSTONE_TTL_DAYS, "must be a whole number of days from 1 to 3650");
  }

  const seconds = (name: string, min: number, max: number): number => {
    const v = raw(name);
    const n = Number(v);
    if (v !== undefined && (!/^\d+$/.test(v) || n < min || n > max)) {
      problem(name, `must be a whole number of seconds from ${min} to ${max}`);
    }
    return n;
  };
  const maxMessageAgeSeconds = seconds(ENV_MAX_MESSAGE_AGE_SECONDS, 60, 3650 * 86_400);
  const clockSkewSeconds = seconds(ENV_CLOCK_SKEW_SECONDS, 0, 3600);
  const heartbeatTimeoutSeconds = seconds(ENV_HEARTBEAT_TIMEOUT_SECONDS, 30, 7200);

  if (problems.length > 0) {
    throw new ConfigError(
      "invalid_config",
      `the reactor's environment is invalid:\n  ${problems.join("\n  ")}`,
    );
  }
  return {
    tableName: tableName!,
    topicArns,
    signatureVersion: version as "1" | "2",
    groups: groups!,
    profiles: profiles!,
    tombstoneTtlDays,
    maxMessageAgeSeconds,
    clockSkewSeconds,
    heartbeatTimeoutSeconds,
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function parseProfiles(
  value: unknown,
  problem: (name: string, text: string) => void,
): Record<string, ProfileConfig> | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) {
    problem(ENV_PROFILES, "must be a JSON object keyed by profile name");
    return undefined;
  }
  const out: Record<string, ProfileConfig> = {};
  for (const [name, p] of Object.entries(value)) {
    const at = `${ENV_PROFILES}.${name}`;
    if (!isRecord(p)) {
      problem(at, "must be an object");
      continue;
    }
    const grains: Record<string, string | readonly string[]> = {};
    if (p.grains !== undefined && !isRecord(p.grains)) problem(`${at}.grains`, "must be an object");
    for (const [k, g] of Object.entries(isRecord(p.grains) ? p.grains : {})) {
      if (typeof g === "string") grains[k] = g;
      else if (Array.isArray(g) && g.every((x) => typeof x === "string")) grains[k] = g as string[];
      else problem(`${at}.grains.${k}`, "must be a string or a list of strings");
    }
    let bootstrap: BootstrapConfig | undefined;
    if (p.bootstrap !== undefined) bootstrap = parseBootstrap(p.bootstrap, `${at}.bootstrap`, problem);
    out[name] = { name, grains, ...(bootstrap ? { bootstrap } : {}) };
  }
  return out;
}

function parseBootstrap(
  b: unknown,
  at: string,
  report: (name: string, text: string) => void,
): BootstrapConfig | undefined {
  let bad = false;
  const problem = (name: string, text: string) => {
    bad = true;
    report(name, text);
  };
  if (!isRecord(b)) {
    problem(at, "must be an object");
    return undefined;
  }
  if (typeof b.document !== "string" || !DOCUMENT.test(b.document))
    problem(`${at}.document`, "is not an SSM document name");
  const parameters: Record<string, readonly string[]> = {};
  if (b.parameters !== undefined && !isRecord(b.parameters)) problem(`${at}.parameters`, "must be an object");
  for (const [k, v] of Object.entries(isRecord(b.parameters) ? b.parameters : {})) {
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) parameters[k] = v as string[];
    else problem(`${at}.parameters.${k}`, "must be a list of strings");
  }
  const t = b.timeoutSeconds;
  if (typeof t !== "number" || !Number.isInteger(t) || t < MIN_TIMEOUT || t > MAX_TIMEOUT) {
    problem(
      `${at}.timeoutSeconds`,
      `must be a whole number of seconds from ${MIN_TIMEOUT} to ${MAX_TIMEOUT}`,
    );
  }
  if (bad) return undefined;
  return { document: b.document as string, parameters, timeoutSeconds: t as number };
}

function parseGroups(
  value: unknown,
  profiles: Record<string, ProfileConfig> | undefined,
  problem: (name: string, text: string) => void,
): Record<string, GroupConfig> | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value) || Object.keys(value).length === 0) {
    problem(ENV_GROUPS, "must be a non-empty JSON object keyed by Auto Scaling group name");
    return undefined;
  }
  const out: Record<string, GroupConfig> = {};
  for (const [asgName, g] of Object.entries(value)) {
    const at = `${ENV_GROUPS}.${asgName}`;
    if (!ASG_NAME.test(asgName)) problem(at, "is not an Auto Scaling group name");
    if (!isRecord(g) || typeof g.group !== "string" || g.group === "" || typeof g.profile !== "string") {
      problem(at, 'must be { "group": string, "profile": string }');
      continue;
    }
    if (profiles !== undefined && !Object.prototype.hasOwnProperty.call(profiles, g.profile)) {
      const known = Object.keys(profiles).sort().join(", ") || "none";
      problem(`${at}.profile`, `names unknown profile "${g.profile}" (known: ${known})`);
      continue;
    }
    out[asgName] = { asgName, group: g.group, profile: g.profile };
  }
  return out;
}
