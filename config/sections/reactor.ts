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
import { ConfigIssue, sub } from "../issues";
import { bool, intSchema, oneOf, Static, Type } from "../schemaKit";
import { toBool } from "../values";
import type { AutoscaleGroupModel } from "./autoscale";
import { programName, Section } from "./context";
import type { ReactorProfileModel } from "./ec2.autoscale";
import { TYPES } from "../../provider/types";

const seconds = (min: number, max: number) => intSchema(min, max, "seconds");
/** A setting the reactor reads back from its environment: the same bounds on both sides. */
const shared = (limit: { readonly min: number; readonly max: number }, what = "seconds") =>
  intSchema(limit.min, limit.max, what);

export const reactorSchema = Type.Object(
  {
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

export interface ReactorSettingsModel {
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

export function loadReactorSettings(r: ReactorInput | undefined, s: Section): ReactorSettingsModel {
  const v = r ?? {};
  return {
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
