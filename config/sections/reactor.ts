/**
 * `pillar:reactor`: how the reactor Lambda runs (runtime, memory, timeout, concurrency, the SNS
 * signature version, freshness, tombstones, alerts), checked against the reactor's own guarantees:
 * the launch hook must outlive every attempt, a tombstone every message that can still arrive.
 */
import { LOG_RETENTION_DAYS } from "../../provider/rules/cloudwatch";
import {
  DEFAULT_CLOCK_SKEW_SECONDS,
  DEFAULT_MAX_MESSAGE_AGE_SECONDS,
  DEPLOYMENT,
  LIMITS,
  maximumEventAgeSeconds,
} from "../../reactor/contract";
import { ConfigIssue, quoteList, sub } from "../issues";
import { bool, intSchema, mapOf, oneOf, Static, strOrList, Type } from "../schemaKit";
import { toBool, toList } from "../values";
import type { AutoscaleGroupModel } from "./autoscale";
import { programName, Section, uniqueNames } from "./context";
import type { ReactorProfileModel } from "./ec2.autoscale";
import { TYPES } from "../../provider/types";

const seconds = (min: number, max: number) => intSchema(min, max, "seconds");
/** A setting the reactor reads back from its environment: the same bounds on both sides. */
const shared = (limit: { readonly min: number; readonly max: number }, what = "seconds") =>
  intSchema(limit.min, limit.max, what);

/**
 * The Salt master's `reactor:` block as the seed writes it: a list of one-key maps, webhook tag → the
 * reactor SLS files it runs (`- 'salt/netapi/hook/autoscale/web/up': [/srv/…/ec2-autoscale.sls]`).
 * The seed's reactor picks its `ec2.autoscale` profile by the tag's second-last segment
 * (`tag.split('/')[-2]`), so the hooks name the reactor profiles in use; pillar's reactor takes the
 * SLS's place, so the files are kept only as the record of what it replaces.
 */
export const reactorHooksSchema = Type.Array(mapOf(strOrList, { minProperties: 1, maxProperties: 1 }), {
  minItems: 1,
});

export const reactorSchema = Type.Object(
  {
    hooks: Type.Optional(reactorHooksSchema),
    signature_version: Type.Optional(oneOf(["1", "2", 1, 2])),
    runtime: Type.Optional(oneOf(["nodejs22.x", "nodejs24.x"])),
    memory_size: Type.Optional(intSchema(128, 10240, "a memory size in MB")),
    timeout: Type.Optional(seconds(30, 900)),
    reserved_concurrency: Type.Optional(intSchema(1, undefined, "a count")),
    deletion_protection: Type.Optional(bool),
    alert_email: Type.Optional(
      Type.String({ pattern: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", description: "an e-mail address" }),
    ),
    log_retention_days: Type.Optional(
      Type.Unsafe<number>({
        type: ["integer", "string"],
        enum: [...LOG_RETENTION_DAYS.filter((d) => d > 0)],
      }),
    ),
    tombstone_ttl_days: Type.Optional(shared(LIMITS.tombstoneTtlDays, "days")),
    function_url: Type.Optional(bool),
    lifecycle_heartbeat_timeout: Type.Optional(shared(LIMITS.heartbeatTimeoutSeconds)),
    max_message_age: Type.Optional(shared(LIMITS.maxMessageAgeSeconds)),
    clock_skew: Type.Optional(shared(LIMITS.clockSkewSeconds)),
  },
  { additionalProperties: false },
);
export type ReactorInput = Static<typeof reactorSchema>;

/** One of the seed's `reactor:` hooks: the webhook tag, the profile it picks, the SLS it ran. */
export interface ReactorHookModel {
  readonly tag: string;
  /** The `ec2.autoscale` profile the seed's reactor picks for this tag (`tag.split('/')[-2]`). */
  readonly profile: string;
  /** The reactor SLS files Salt ran for it, which pillar's reactor replaces. */
  readonly sls: readonly string[];
}

const HOOK_PREFIX = "salt/netapi/hook/";

/**
 * The hooks of `pillar:reactor` (the seed's list, or `hooks:` of the settings map), each checked:
 * a salt-api webhook tag with a profile and an action after it, the profile one `ec2.autoscale`
 * defines, each tag once. `at` is where the list is written; `profiles` the reactor profiles
 * defined, undefined when that section is itself invalid (the check is skipped).
 */
export function loadReactorHooks(
  hooks: ReactorInput["hooks"],
  at: string,
  profiles: ReadonlySet<string> | undefined,
  issues: ConfigIssue[],
): ReactorHookModel[] {
  const unique = uniqueNames(issues, (tag, first) => `hook "${tag}" is already given at ${first}`);
  return (hooks ?? []).flatMap((h, i): ReactorHookModel[] => {
    const [tag, files] = Object.entries(h)[0]!;
    const path = sub(sub(at, i), tag);
    const parts = tag.startsWith(HOOK_PREFIX) ? tag.slice(HOOK_PREFIX.length).split("/") : [];
    if (parts.length < 2 || parts.some((p) => p === "")) {
      issues.push({
        path,
        message: `"${tag}" is not a salt-api autoscale webhook tag (salt/netapi/hook/autoscale/<profile>/up or /down): pillar's reactor handles autoscaling events only; keep other reactors in Salt`,
      });
      return [];
    }
    if (!unique(tag, path)) return [];
    const profile = parts[parts.length - 2]!;
    if (profiles && !profiles.has(profile)) {
      issues.push({
        path,
        message: `the tag picks reactor profile "${profile}" (its second-last segment, as the seed's reactor reads it), which pillar:ec2.autoscale does not define; known profiles: ${quoteList(profiles)}`,
      });
      return [];
    }
    return [{ tag, profile, sls: toList(files) }];
  });
}

export interface ReactorSettingsModel {
  /** The seed's `reactor:` hooks, when given: they name the reactor profiles the reactor handles. */
  readonly hooks?: readonly ReactorHookModel[];
  /** The function's physical name, known before creation so its log group can exist first. */
  readonly functionName: string;
  /** SNS signature version the topics are set to and the reactor requires. */
  readonly signatureVersion: "1" | "2";
  readonly runtime: "nodejs22.x" | "nodejs24.x";
  readonly memorySize: number;
  readonly timeoutSeconds: number;
  /** Reserved concurrency; none by default (new accounts cannot reserve below their minimum of 10 unreserved). */
  readonly reservedConcurrency?: number;
  /** Deletion protection on the inventory table. */
  readonly deletionProtection: boolean;
  /** Where the reactor's error and dead-letter alarms notify, besides the alerts topic. */
  readonly alertEmail?: string;
  readonly logRetentionDays: number;
  readonly tombstoneTtlDays: number;
  /** Expose the HTTP delivery form (the seed's webhook) behind a Function URL. */
  readonly functionUrl: boolean;
  /** How long a launch lifecycle hook waits for the bootstrap before its default result. */
  readonly lifecycleHeartbeatTimeout: number;
  /** The reactor refuses messages older than this (seconds, by their SNS Timestamp). */
  readonly maxMessageAgeSeconds: number;
  /** The reactor refuses messages dated further than this in the future (seconds). */
  readonly clockSkewSeconds: number;
}

export function loadReactorSettings(
  r: ReactorInput | undefined,
  s: Section,
  hooks: readonly ReactorHookModel[] | undefined,
): ReactorSettingsModel {
  const v = r ?? {};
  return {
    ...(hooks !== undefined ? { hooks } : {}),
    functionName: programName(s, TYPES.lambda.Function, "reactor"),
    signatureVersion: v.signature_version === undefined ? "2" : (String(v.signature_version) as "1" | "2"),
    runtime: v.runtime ?? "nodejs24.x",
    memorySize: v.memory_size ?? 256,
    timeoutSeconds: v.timeout ?? 900,
    ...(v.reserved_concurrency !== undefined ? { reservedConcurrency: v.reserved_concurrency } : {}),
    deletionProtection: v.deletion_protection === undefined ? true : toBool(v.deletion_protection),
    ...(v.alert_email !== undefined ? { alertEmail: v.alert_email } : {}),
    logRetentionDays: v.log_retention_days ?? 30,
    tombstoneTtlDays: v.tombstone_ttl_days ?? 30,
    functionUrl: v.function_url === undefined ? false : toBool(v.function_url),
    lifecycleHeartbeatTimeout: v.lifecycle_heartbeat_timeout ?? 1200,
    maxMessageAgeSeconds: v.max_message_age ?? DEFAULT_MAX_MESSAGE_AGE_SECONDS,
    clockSkewSeconds: v.clock_skew ?? DEFAULT_CLOCK_SKEW_SECONDS,
  };
}

/** The reactor waits for a bootstrap inside one invocation, and the hook must outlive that wait. */
export function checkReactor(
  reactor: ReactorSettingsModel,
  profiles: readonly ReactorProfileModel[],
  groups: readonly AutoscaleGroupModel[],
  issues: ConfigIssue[],
): void {
  // Each launch holds one invocation while its bootstrap runs: fewer slots than instances means waits past the hook.
  const launches = groups.filter((g) => g.reactorProfile !== undefined).reduce((n, g) => n + g.maxSize, 0);
  if (reactor.reservedConcurrency !== undefined && reactor.reservedConcurrency < launches) {
    issues.push({
      path: "pillar:reactor.reserved_concurrency",
      message: `${reactor.reservedConcurrency} is below the reacting groups' combined max_size (${launches}): launches past it would wait for a free reactor while their hooks time out`,
    });
  }
  // Lambda starts no attempt on an event older than its maximum event age, which the component
  // sets to heartbeat − timeout: every attempt then ends before the launch hook runs out.
  const eventAge = maximumEventAgeSeconds(reactor.lifecycleHeartbeatTimeout, reactor.timeoutSeconds);
  if (eventAge === undefined) {
    issues.push({
      path: "pillar:reactor.lifecycle_heartbeat_timeout",
      message: `${reactor.lifecycleHeartbeatTimeout}s must exceed the reactor's timeout (${reactor.timeoutSeconds}s) by at least ${DEPLOYMENT.minEventAgeSeconds}s (Lambda's shortest maximum event age), or a launch hook can expire while its bootstrap or a retry still runs`,
    });
  }
  // A tombstone must outlive every copy of a message that can still be delivered and accepted:
  // the failure queue may redrive one until its retention ends, Lambda holds one for the event age,
  // and the reactor takes one up to max_message_age old (plus the clock skew either way).
  const deliverable = Math.max(
    DEPLOYMENT.failureQueueRetentionSeconds + (eventAge ?? DEPLOYMENT.minEventAgeSeconds),
    reactor.maxMessageAgeSeconds,
  );
  const needed = deliverable + reactor.clockSkewSeconds;
  if (reactor.tombstoneTtlDays * 86_400 < needed) {
    issues.push({
      path: "pillar:reactor.tombstone_ttl_days",
      message: `${reactor.tombstoneTtlDays} days is shorter than a message can still be delivered and accepted (${needed}s: the failure queue's ${DEPLOYMENT.failureQueueRetentionSeconds}s retention plus Lambda's ${eventAge ?? DEPLOYMENT.minEventAgeSeconds}s event age, or max_message_age if longer, plus the ${reactor.clockSkewSeconds}s clock skew); set at least ${Math.ceil(needed / 86_400)} days, or a late launch could revive a terminated instance`,
    });
  }
  for (const p of profiles) {
    if (p.bootstrap && p.bootstrap.timeoutSeconds > reactor.timeoutSeconds - 10) {
      issues.push({
        path: sub(p.path, "bootstrap"),
        message: `the bootstrap timeout (${p.bootstrap.timeoutSeconds}s) must leave 10s of the reactor's timeout (${reactor.timeoutSeconds}s) to complete the lifecycle action`,
      });
    }
  }
}
