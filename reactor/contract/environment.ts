/**
 * The function's environment, written variable by variable by components/reactor.ts (ENCODE,
 * serializeEnvironment) and read back by the function (parseEnvironment, every problem at once,
 * each naming its variable).
 */
import {
  LIMITS,
  type BootstrapConfig,
  type Env,
  type GroupConfig,
  type ProfileConfig,
  type ReactorConfig,
} from "./types";

export const ENV_TABLE_NAME = "PILLAR_TABLE_NAME";
export const ENV_TOPIC_ARNS = "PILLAR_TOPIC_ARNS";
export const ENV_SIGNATURE_VERSION = "PILLAR_SIGNATURE_VERSION";
export const ENV_GROUPS = "PILLAR_GROUPS";
export const ENV_PROFILES = "PILLAR_PROFILES";
export const ENV_TOMBSTONE_TTL_DAYS = "PILLAR_TOMBSTONE_TTL_DAYS";
export const ENV_MAX_MESSAGE_AGE_SECONDS = "PILLAR_MAX_MESSAGE_AGE_SECONDS";
export const ENV_CLOCK_SKEW_SECONDS = "PILLAR_CLOCK_SKEW_SECONDS";
export const ENV_HEARTBEAT_TIMEOUT_SECONDS = "PILLAR_HEARTBEAT_TIMEOUT_SECONDS";

/** Each field's variable, in the order the component sets them. */
export const ENV_NAMES: { readonly [K in keyof ReactorConfig]: string } = {
  tableName: ENV_TABLE_NAME,
  topicArns: ENV_TOPIC_ARNS,
  signatureVersion: ENV_SIGNATURE_VERSION,
  groups: ENV_GROUPS,
  profiles: ENV_PROFILES,
  tombstoneTtlDays: ENV_TOMBSTONE_TTL_DAYS,
  maxMessageAgeSeconds: ENV_MAX_MESSAGE_AGE_SECONDS,
  clockSkewSeconds: ENV_CLOCK_SKEW_SECONDS,
  heartbeatTimeoutSeconds: ENV_HEARTBEAT_TIMEOUT_SECONDS,
};
export const ENV_FIELDS = Object.keys(ENV_NAMES) as (keyof ReactorConfig)[];

/** Every variable the reactor reads; the component sets exactly these. */
export const REACTOR_ENV_VARS = Object.values(ENV_NAMES);

/** How each field is written as its variable's text (parseEnvironment reads it back). */
/** The fields written as they are: strings already. */
const asIs = (v: string): string => v;

export const ENCODE: { readonly [K in keyof ReactorConfig]: (value: ReactorConfig[K]) => string } = {
  tableName: asIs,
  topicArns: (v) => JSON.stringify([...new Set(v)]),
  signatureVersion: asIs,
  groups: (v) =>
    JSON.stringify(
      Object.fromEntries(Object.values(v).map((g) => [g.asgName, { group: g.group, profile: g.profile }])),
    ),
  profiles: (v) =>
    JSON.stringify(
      Object.fromEntries(
        Object.values(v).map((p) => [
          p.name,
          {
            grains: p.grains,
            ...(p.bootstrap
              ? {
                  bootstrap: {
                    document: p.bootstrap.document,
                    parameters: p.bootstrap.parameters,
                    timeoutSeconds: p.bootstrap.timeoutSeconds,
                  },
                }
              : {}),
          },
        ]),
      ),
    ),
  tombstoneTtlDays: String,
  maxMessageAgeSeconds: String,
  clockSkewSeconds: String,
  heartbeatTimeoutSeconds: String,
};

/** The whole environment, every variable written (components/reactor.ts writes them one by one). */
export function serializeEnvironment(config: ReactorConfig): Record<string, string> {
  const encode = <K extends keyof ReactorConfig>(k: K) => ENCODE[k](config[k]);
  return Object.fromEntries(ENV_FIELDS.map((k) => [ENV_NAMES[k], encode(k)]));
}

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const TOPIC_ARN = /^arn:aws(?:-cn|-us-gov)?:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/;
// An SSM document name, or a shared document's ARN.
const DOCUMENT = /^(?:arn:aws(?:-cn|-us-gov)?:ssm:[a-z0-9-]+:\d{12}:document\/)?[A-Za-z0-9_.-]{3,128}$/;
const ASG_NAME = /^[^\u0000-\u001f:]{1,255}$/;

/** Reads and checks the environment: the config, or every problem found, each naming its variable. */
export function parseEnvironment(
  env: Env,
):
  | { readonly config: ReactorConfig; readonly problems?: undefined }
  | { readonly problems: readonly string[] } {
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
  const days = LIMITS.tombstoneTtlDays;
  if (
    ttl !== undefined &&
    (!/^\d+$/.test(ttl) || tombstoneTtlDays < days.min || tombstoneTtlDays > days.max)
  ) {
    problem(ENV_TOMBSTONE_TTL_DAYS, `must be a whole number of days from ${days.min} to ${days.max}`);
  }

  const seconds = (name: string, { min, max }: { min: number; max: number }): number => {
    const v = raw(name);
    const n = Number(v);
    if (v !== undefined && (!/^\d+$/.test(v) || n < min || n > max)) {
      problem(name, `must be a whole number of seconds from ${min} to ${max}`);
    }
    return n;
  };
  const maxMessageAgeSeconds = seconds(ENV_MAX_MESSAGE_AGE_SECONDS, LIMITS.maxMessageAgeSeconds);
  const clockSkewSeconds = seconds(ENV_CLOCK_SKEW_SECONDS, LIMITS.clockSkewSeconds);
  const heartbeatTimeoutSeconds = seconds(ENV_HEARTBEAT_TIMEOUT_SECONDS, LIMITS.heartbeatTimeoutSeconds);

  if (problems.length > 0) return { problems };
  const config: ReactorConfig = {
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
  return { config };
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
  const { min, max } = LIMITS.bootstrapTimeoutSeconds;
  if (typeof t !== "number" || !Number.isInteger(t) || t < min || t > max) {
    problem(`${at}.timeoutSeconds`, `must be a whole number of seconds from ${min} to ${max}`);
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
