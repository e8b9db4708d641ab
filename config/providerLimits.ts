/**
 * The AWS provider's rules applied to the user's own values, before anything is registered, so a
 * value the provider or AWS would refuse is a config error naming the line to change and the limit
 * (`pillar:elb.name: "…" is 30 characters; with the provider's 8-character suffix the classic load
 * balancer name would be 38, over AWS's 32`). What the plan's provider pass still finds afterwards
 * is the program's own doing.
 *
 * Names: for every resource the program names from a config name, the physical name is predicted
 * the way the plan computes it (provider/naming.ts, the same URN, so the same suffix) and
 * run through that type's name rules. test/providerLimits.test.ts checks every prediction against
 * the names the plan records for the repo's stacks, so this list cannot drift from the components.
 */
import { autoname, NAMING, PhysicalName } from "../provider/naming";
import { PROVIDER_RULES } from "../provider/rules";
import {
  bootVolumeProblem,
  EbsSettings,
  iopsProblem,
  kmsKeyProblem,
  sizeProblem,
  throughputProblem,
} from "../provider/rules/ebs";
import { validARN } from "../provider/rules/kit";
import { firstBadCharacter, SG_CHARSET, SG_CHARSET_WORDS } from "../provider/rules/securityGroups";
import { ENVIRONMENT_MAX_BYTES, environmentBytes } from "../provider/rules/lambda";
import { TAG_KEY_MAX, TAG_VALUE_MAX } from "../provider/rules/tags";
import { arn, partitionOf } from "../components/arn";
import { knownReactorEnvironment } from "../components/reactorVariables";
import { splitStatefulDevices } from "./sections/profiles";
import { AutonamingModel } from "./autonaming";
import { ConfigIssue, sub } from "./issues";
import { BlockDeviceModel, StackModel } from "./model";
import { grainTags } from "./values";
import { TYPES } from "../provider/types";

/** The name limits the messages cite: AWS's own, or the provider's where it is stricter. */
const NAME_LIMITS: Readonly<Record<string, { readonly max: number; readonly whose: string }>> = {
  [TYPES.ec2.SecurityGroup]: { max: 255, whose: "AWS's" },
  [TYPES.elb.LoadBalancer]: { max: 32, whose: "AWS's" },
  [TYPES.lb.LoadBalancer]: { max: 32, whose: "AWS's" },
  [TYPES.lb.TargetGroup]: { max: 32, whose: "AWS's" },
  [TYPES.ec2.LaunchTemplate]: { max: 125, whose: "the provider's" },
  [TYPES.iam.Role]: { max: 64, whose: "AWS's" },
  [TYPES.iam.RolePolicy]: { max: 128, whose: "AWS's" },
  [TYPES.iam.InstanceProfile]: { max: 128, whose: "AWS's" },
  [TYPES.sns.Topic]: { max: 80, whose: "the provider's" },
  [TYPES.cloudwatch.MetricAlarm]: { max: 255, whose: "AWS's" },
  [TYPES.autoscaling.Group]: { max: 255, whose: "AWS's" },
  [TYPES.autoscaling.Policy]: { max: 255, whose: "AWS's" },
  [TYPES.lambda.Function]: { max: 64, whose: "AWS's" },
  [TYPES.lambda.Permission]: { max: 100, whose: "AWS's" },
  [TYPES.cloudwatch.LogGroup]: { max: 512, whose: "AWS's" },
  [TYPES.autoscaling.Schedule]: { max: 255, whose: "AWS's" },
};

/** One physical name the program derives from a config value. */
export interface NamePrediction {
  /** Where the user wrote the value the name comes from. */
  readonly path: string;
  /** The value as written there. */
  readonly value: string;
  readonly type: string;
  /** The resource's logical name (its URN's last part). */
  readonly logical: string;
  readonly urn: string;
  /** A name the program sets itself (no auto-naming). */
  readonly explicit?: string;
}

const urnOf = (m: Pick<StackModel, "project" | "stack">, chain: string, type: string, name: string) =>
  `urn:pulumi:${m.stack}::${m.project}::${chain ? `${chain}$` : ""}${type}::${name}`;

const T = {
  sg: TYPES.ec2.SecurityGroup,
  elb: TYPES.elb.LoadBalancer,
  alb: TYPES.lb.LoadBalancer,
  targetGroup: TYPES.lb.TargetGroup,
  lt: TYPES.ec2.LaunchTemplate,
  role: TYPES.iam.Role,
  rolePolicy: TYPES.iam.RolePolicy,
  profile: TYPES.iam.InstanceProfile,
  topic: TYPES.sns.Topic,
  alarm: TYPES.cloudwatch.MetricAlarm,
  asg: TYPES.autoscaling.Group,
  policy: TYPES.autoscaling.Policy,
  fn: TYPES.lambda.Function,
  permission: TYPES.lambda.Permission,
  logGroup: TYPES.cloudwatch.LogGroup,
  schedule: TYPES.autoscaling.Schedule,
};

/** The names the components give resources made from config names (see components/*.ts). */
export function predictNames(m: StackModel): NamePrediction[] {
  const out: NamePrediction[] = [];
  const add = (
    path: string,
    value: string,
    type: string,
    chain: string,
    logical: string,
    explicit?: string,
  ) =>
    out.push({
      path,
      value,
      type,
      logical,
      urn: urnOf(m, chain, type, logical),
      ...(explicit ? { explicit } : {}),
    });
  for (const g of m.securityGroups)
    add(sub(g.path, "name"), g.name, T.sg, "pillar:ec2:SecurityGroupGraph", g.name);
  for (const l of m.loadBalancers) {
    const at = sub(l.path, "name");
    if (l.type === "classic") add(at, l.name, T.elb, "pillar:elb:LoadBalancer", l.name);
    const alb = l.application;
    if (!alb) continue;
    const chain = "pillar:elb:ApplicationLoadBalancer";
    add(at, l.name, T.alb, chain, l.name);
    for (const tg of alb.targetGroups) add(at, l.name, T.targetGroup, chain, tg.name);
  }
  for (const p of m.profiles) {
    add(p.path, p.name, T.role, "pillar:ec2:ServerProfile", `${p.name}-role`);
    add(p.path, p.name, T.profile, "pillar:ec2:ServerProfile", `${p.name}-profile`);
    if (p.stateful && p.snapshots) {
      // components/snapshots.ts: the DLM service role and its two inline policies.
      const chain = "pillar:ec2:ServerProfile$pillar:dlm:SnapshotPolicy";
      add(p.path, p.name, T.role, chain, `${p.name}-snapshots`);
      add(p.path, p.name, T.rolePolicy, chain, `${p.name}-snapshots-create`);
      add(p.path, p.name, T.rolePolicy, chain, `${p.name}-snapshots-retention`);
    }
  }
  const reacting = m.autoscaleGroups.some((g) => g.reactorProfile !== undefined);
  for (const g of m.autoscaleGroups) {
    const at = sub(g.path, "name");
    const chain = "pillar:autoscaling:AutoscaleGroup";
    add(at, g.name, T.asg, chain, g.name, g.physicalName);
    if (g.launchTemplate.iamInstanceProfile === undefined) {
      add(at, g.name, T.role, chain, `${g.name}-role`);
      add(at, g.name, T.profile, chain, `${g.name}-profile`);
    }
    const lc = g.launchTemplate.name;
    add(lc === g.name ? at : sub(g.path, "launch_config_name"), lc, T.lt, chain, `${g.name}-${lc}`);
    const topicChain = "pillar:autoscaling:AutoscaleTopic";
    add(at, g.name, T.topic, topicChain, `${g.name}-events`);
    add(at, g.name, T.role, topicChain, `${g.name}-events-hooks`);
    add(at, g.name, T.rolePolicy, topicChain, `${g.name}-events-hooks`);
    for (const p of g.scalingPolicies)
      add(sub(p.path, "name"), p.name, T.policy, chain, `${g.name}-${p.name}`, p.name);
    for (const a of g.scheduledActions)
      add(sub(a.path, "name"), a.name, T.schedule, chain, `${g.name}-${a.name}`, a.name);
    if (g.reactorProfile !== undefined && reacting)
      add(at, g.name, T.permission, "pillar:lambda:Reactor", `reactor-${g.name}`);
  }
  for (const a of m.alarms) add(sub(a.path, "name"), a.name, T.alarm, "pillar:cloudwatch:Alarms", a.name);
  m.alarmTopics.forEach((t, i) =>
    add(sub(sub("pillar:cloudwatch", "topics"), i), t.name, T.topic, "pillar:cloudwatch:Alarms", t.name),
  );
  if (reacting) {
    const fn = m.reactor.functionName;
    add(`stack "${m.stack}"`, m.stack, T.fn, "pillar:lambda:Reactor", "reactor", fn);
    add(
      `stack "${m.stack}"`,
      m.stack,
      T.logGroup,
      "pillar:lambda:Reactor",
      "reactor-logs",
      `/aws/lambda/${fn}`,
    );
  }
  return out;
}

/** The physical name of a prediction, as the plan will compute it. */
export function predictedName(p: NamePrediction, autonaming: AutonamingModel | undefined): PhysicalName {
  const spec = NAMING[p.type]!;
  if (p.explicit !== undefined) return { property: spec.property, source: "explicit", value: p.explicit };
  return { ...autoname(p.type, p.logical, p.urn, {}, spec.autoname!, autonaming), property: spec.property };
}

const q = (s: string) => JSON.stringify(s);

function nameProblem(p: NamePrediction, name: PhysicalName): string | undefined {
  const spec = NAMING[p.type]!;
  const limit = NAME_LIMITS[p.type];
  const derived = p.logical !== p.value ? ` the ${spec.what} ${q(p.logical)}` : "";
  if (name.error !== undefined) {
    if (name.error.startsWith("could not make instance") && limit) {
      const suffix = 8;
      const total = p.logical.length + suffix;
      const room = limit.max - suffix - (p.logical.length - p.value.length);
      return derived
        ? `${q(p.value)} is ${p.value.length} characters;${derived} with the provider's ${suffix}-character suffix would be ${total}, over ${limit.whose} ${limit.max} (keep it to ${room})`
        : `${q(p.value)} is ${p.value.length} characters; with the provider's ${suffix}-character suffix the ${spec.what} name would be ${total}, over ${limit.whose} ${limit.max}`;
    }
    if (name.error.startsWith("automatic naming is disabled"))
      return `pulumi:autonaming disables automatic names for ${p.type}, and pillar leaves the name of the ${spec.what} ${q(p.logical)} to the provider, which would fail: "${name.error}"; use mode default, verbatim or a pattern for that type`;
    return `the AWS provider would refuse the name pulumi:autonaming makes for the ${spec.what} ${q(p.logical)}: ${name.error}`;
  }
  const value = name.value;
  if (value === undefined) return undefined;
  const rules = (PROVIDER_RULES[p.type] ?? []).filter((r) => r.property === spec.property);
  for (const r of rules) {
    const message = r.check(value, {}, {});
    if (message === undefined) continue;
    if (limit && value.length > limit.max) {
      if (name.source === "auto" && name.suffixLength !== undefined) {
        const room = limit.max - name.suffixLength - (p.logical.length - p.value.length);
        return derived
          ? `${q(p.value)} is ${p.value.length} characters;${derived} with the provider's ${name.suffixLength}-character suffix would be ${value.length}, over ${limit.whose} ${limit.max} (keep it to ${room})`
          : `${q(p.value)} is ${p.value.length} characters; with the provider's ${name.suffixLength}-character suffix the ${spec.what} name would be ${value.length}, over ${limit.whose} ${limit.max}`;
      }
      return `the ${spec.what} name would be ${q(value)}, ${value.length} characters, over ${limit.whose} ${limit.max}${name.source === "enforced" || name.source === "proposed" ? " (as pulumi:autonaming makes it)" : ""}`;
    }
    return `the ${spec.what} name would be ${q(value)}, which the AWS provider refuses: ${message}`;
  }
  return undefined;
}

/**
 * Every AWS account id is 12 digits (AWS General Reference, "Amazon Resource Names (ARNs)": "The ID
 * of the AWS account that owns the resource, without the hyphens"), so an ARN's length is the same
 * whoever's account the stack goes to.
 */
const ANY_ACCOUNT = "000000000000";

/** The reactor's environment as AWS will measure it at CreateFunction. */
export interface ReactorEnvironmentSize {
  /** The variables as they will be, but for the account (any 12 digits). */
  readonly variables: Readonly<Record<string, string>>;
  /** Their JSON, in bytes (environmentBytes). */
  readonly bytes: number;
  /** False when a name could not be predicted and counted as empty: `bytes` is then a lower bound. */
  readonly complete: boolean;
}

/**
 * The size of the reactor Lambda's environment with the first `count` reacting groups (all by
 * default), before anything exists. At preview the topics' ARNs are unknown (AWS makes them at
 * CreateTopic), so neither `pulumi preview` nor the plan's provider rule, which counts an unknown as
 * empty, can see an environment over AWS's limit; here every value is written as it will be:
 * - each topic's ARN `arn:<partition>:sns:<region>:<account>:<name>`: partition and region from the
 *   stack's region (exact), the account's 12 digits (exact length), and the topic's name as the
 *   provider will make it from its logical name and pulumi:autonaming (predictedName: exact, the
 *   random suffix being of fixed length);
 * - the inventory table's and the Salt document's names, auto-named the same way (exact);
 * - the groups' physical names, the profiles and the other documents' names, as config gives them (exact).
 * A name the provider cannot make (its own config error) counts as empty: a lower bound.
 */
export function reactorEnvironmentSize(m: StackModel, count?: number): ReactorEnvironmentSize | undefined {
  const reacting = m.autoscaleGroups.filter((g) => g.reactorProfile !== undefined);
  if (reacting.length === 0) return undefined;
  let complete = true;
  const named = (type: string, chain: string, logical: string): string => {
    const urn = urnOf(m, chain, type, logical);
    const v = predictedName({ path: "", value: logical, type, logical, urn }, m.autonaming).value;
    if (v === undefined) complete = false;
    return v ?? "";
  };
  // components/webTier.ts and components/reactor.ts: the reactor "reactor", its table and Salt
  // document, and each group's topic `<group>-events`.
  const reactor = "pillar:lambda:Reactor";
  const salt = named(TYPES.ssm.Document, reactor, "reactor-salt");
  const groups = reacting.slice(0, count ?? reacting.length);
  const env = knownReactorEnvironment({
    tableName: named(TYPES.dynamodb.Table, reactor, "reactor-inventory"),
    topicArns: groups.map((g) =>
      arn(
        m.cloud.region,
        "sns",
        ANY_ACCOUNT,
        named(TYPES.sns.Topic, "pillar:autoscaling:AutoscaleTopic", `${g.name}-events`),
      ),
    ),
    groups: groups.map((g) => ({ group: g.name, asgName: g.physicalName, profile: g.reactorProfile! })),
    profiles: m.reactorProfiles,
    documentNames: m.reactorProfiles.map((p) =>
      p.bootstrap === undefined ? "" : p.bootstrap.kind === "salt" ? salt : p.bootstrap.document,
    ),
    settings: m.reactor,
  });
  return { variables: env, bytes: environmentBytes(env).bytes, complete };
}

/**
 * The partitions whose topics the reactor accepts: its environment's topic ARNs
 * (reactor/contract/environment.ts TOPIC_ARN) and each message's topic and signing certificate
 * host (reactor/sns.ts: sns.<region>.amazonaws.com, .com.cn in China) are checked against these.
 */
export const REACTOR_PARTITIONS: readonly string[] = ["aws", "aws-cn", "aws-us-gov"];

/** A reacting group in another partition would have a reactor that refuses its own environment. */
function checkReactorPartition(m: StackModel, issues: ConfigIssue[]): boolean {
  const partition = partitionOf(m.cloud.region);
  const n = m.autoscaleGroups.filter((g) => g.reactorProfile !== undefined).length;
  if (n === 0 || REACTOR_PARTITIONS.includes(partition)) return true;
  issues.push({
    path: sub("pillar:autoscale", "groups"),
    message: `the stack's region ${m.cloud.region} is in the ${partition} partition, and pillar's reactor accepts only topics of the ${REACTOR_PARTITIONS.join(", ")} partitions (it verifies each SNS message's topic and signing certificate by them): the stack's ${n} reacting ${n === 1 ? "group" : "groups"} (those with a reactor profile) would have a reactor that refuses every event; give no group a reactor profile in this region`,
  });
  return false;
}

/**
 * AWS refuses a function whose environment is over 4 KB (provider/rules/lambda.ts), and each
 * reacting group adds its topic's ARN and its entry: a config error naming the count that fits,
 * before `pulumi up` creates the groups and topics and only then fails on the function.
 */
function checkReactorEnvironment(m: StackModel, issues: ConfigIssue[]): void {
  const all = reactorEnvironmentSize(m);
  if (all === undefined || all.bytes <= ENVIRONMENT_MAX_BYTES) return;
  const n = m.autoscaleGroups.filter((g) => g.reactorProfile !== undefined).length;
  const size = (k: number) => reactorEnvironmentSize(m, k)!.bytes;
  // The most groups that fit, in config order: the size grows with each group.
  let fit = 0;
  for (let lo = 0, hi = n - 1; lo <= hi;) {
    const mid = (lo + hi) >> 1;
    if (size(mid) <= ENVIRONMENT_MAX_BYTES) [fit, lo] = [mid, mid + 1];
    else hi = mid - 1;
  }
  const base = size(0);
  const perGroup = Math.round((all.bytes - base) / n);
  const each =
    n === 1
      ? "The stack's one reacting group (one with a reactor profile)"
      : `Each of the stack's ${n} reacting groups (those with a reactor profile)`;
  const over = `the reactor Lambda's environment variables would be ${all.complete ? "" : "at least "}${all.bytes} bytes, over the ${ENVIRONMENT_MAX_BYTES} (4 KB) AWS allows a function: AWS would refuse the function at pulumi up, after much of the stack is created`;
  issues.push({
    path: sub("pillar:autoscale", "groups"),
    message:
      base > ENVIRONMENT_MAX_BYTES
        ? `${over}; its reactor profiles and settings alone are ${base} bytes (PILLAR_PROFILES holds each profile's grains and bootstrap parameters): shorten them`
        : fit === 0
          ? `${over}. ${each} adds its notification topic's ARN and its entry, about ${perGroup} bytes a group here, and not one fits beside the reactor profiles and settings (${base} bytes; PILLAR_PROFILES holds each profile's grains and bootstrap parameters): shorten those, or the group names (each is in its topic's ARN, its Auto Scaling group's name and its entry)`
          : `${over}. ${each} adds its notification topic's ARN and its entry, about ${perGroup} bytes a group here, and ${fit === 1 ? "only the first fits" : `only the first ${fit} fit`}: give fewer groups a reactor profile (another stack has a reactor of its own), or shorten the group names (each is in its topic's ARN, its Auto Scaling group's name and its entry)`,
  });
}

function checkTags(tags: Readonly<Record<string, string>>, path: string, issues: ConfigIssue[]): void {
  for (const [k, v] of Object.entries(tags)) {
    if (k.toLowerCase().startsWith("aws:"))
      issues.push({
        path: sub(path, k),
        message: `tag keys beginning with "aws:" are reserved for AWS; rename "${k}"`,
      });
    else if ([...k].length > TAG_KEY_MAX)
      issues.push({
        path: sub(path, k),
        message: `a tag key is at most ${TAG_KEY_MAX} characters; "${k}" is ${[...k].length}`,
      });
    if ([...v].length > TAG_VALUE_MAX)
      issues.push({
        path: sub(path, k),
        message: `a tag value is at most ${TAG_VALUE_MAX} characters; this one is ${[...v].length}`,
      });
  }
}

function checkCharset(text: string, path: string, what: string, issues: ConfigIssue[]): void {
  const bad = firstBadCharacter(text, SG_CHARSET);
  if (bad !== undefined)
    issues.push({
      path,
      message: `${q(bad)} is not allowed in ${what}: AWS takes ${SG_CHARSET_WORDS}`,
    });
}

/**
 * Where a block device ends up decides which checks the provider adds to AWS's: a stateful profile's
 * data volume (an aws.ebs.Volume) takes a KMS key only as an ARN, and its root volume must boot.
 */
type DeviceUse = "template" | "data volume" | "instance" | "root volume";

function checkVolumes(
  devices: readonly BlockDeviceModel[],
  path: string,
  issues: ConfigIssue[],
  use: (d: BlockDeviceModel) => DeviceUse,
): void {
  devices.forEach((d, i) => {
    const at = (key: string) => sub(sub(sub(path, "block_device_mappings"), i), key);
    const s: EbsSettings = {
      type: d.volumeType,
      ...(d.volumeSize !== undefined ? { size: d.volumeSize } : {}),
      ...(d.iops !== undefined ? { iops: d.iops } : {}),
      ...(d.throughput !== undefined ? { throughput: d.throughput } : {}),
    };
    const size = sizeProblem(s);
    if (size !== undefined) issues.push({ path: at("Ebs.VolumeSize"), message: size });
    const iops = iopsProblem(s);
    if (iops !== undefined)
      issues.push({
        path: d.iops === undefined ? sub(sub(path, "block_device_mappings"), i) : at("Ebs.Iops"),
        message: d.iops === undefined ? `${iops}: set Ebs.Iops` : iops,
      });
    const throughput = throughputProblem(s);
    if (throughput !== undefined) issues.push({ path: at("Ebs.Throughput"), message: throughput });
    const kms = kmsKeyProblem(d.kmsKeyId, d.encrypted);
    if (kms !== undefined)
      issues.push({ path: at("Ebs.KmsKeyId"), message: `${kms}; drop Ebs.Encrypted: false` });
    const kind = use(d);
    const boot = kind === "root volume" ? bootVolumeProblem(d.volumeType) : undefined;
    if (boot !== undefined) issues.push({ path: at("Ebs.VolumeType"), message: boot });
    if (d.kmsKeyId !== undefined && kind === "data volume" && validARN("kms_key_id")(d.kmsKeyId, {}, {}))
      issues.push({
        path: at("Ebs.KmsKeyId"),
        message: `expected a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), got ${q(d.kmsKeyId)}: the provider takes no key id or alias for a ${kind}`,
      });
  });
}

function checkKeyName(name: string | undefined, path: string, issues: ConfigIssue[]): void {
  if (name !== undefined && (name.length > 255 || !/^[\x20-\x7e]+$/.test(name)))
    issues.push({ path, message: `a key pair name is 1-255 ASCII characters, got ${q(name)}` });
}

/** Every user value of the model that the AWS provider or AWS would refuse. */
export function checkProviderLimits(m: StackModel): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const p of predictNames(m)) {
    const problem = nameProblem(p, predictedName(p, m.autonaming));
    if (problem !== undefined) issues.push({ path: p.path, message: problem });
  }
  for (const g of m.securityGroups) {
    checkCharset(g.description, sub(g.path, "description"), "a security group description", issues);
    checkTags(g.tags, sub(g.path, "tags"), issues);
    for (const r of [...g.rules, ...(g.egress ?? [])])
      if (r.description !== undefined)
        checkCharset(r.description, sub(r.path, "description"), "a rule description", issues);
  }
  checkTags(m.cloud.defaultTags, sub(sub("pillar:cloud", m.cloud.name), "default_tags"), issues);
  checkKeyName(m.cloud.keyPair?.name, sub(sub("pillar:cloud", m.cloud.name), "keyname"), issues);
  for (const p of m.profiles) {
    checkTags(grainTags(p.grains), sub(p.path, "grains"), issues);
    // A stateful profile's root mapping is fixed by its device name (config/dayTwo.ts ROOT_DEVICE_NAMES);
    // a throwaway one's is whichever the image boots from, known only to the plan.
    const fixed = p.stateful ? splitStatefulDevices(p.blockDevices) : undefined;
    checkVolumes(p.blockDevices, p.path, issues, (d) =>
      fixed?.root === d ? "root volume" : fixed?.data.includes(d) ? "data volume" : "instance",
    );
    checkKeyName(p.keyName, sub(p.path, "keyname"), issues);
  }
  for (const rp of m.reactorProfiles) checkTags(grainTags(rp.grains), sub(rp.path, "grains"), issues);
  for (const g of m.autoscaleGroups) {
    checkTags(g.tags, sub(g.path, "tags"), issues);
    const lt = g.launchTemplate;
    checkVolumes(lt.blockDevices, lt.path, issues, () => "template");
    checkKeyName(lt.keyName, lt.path, issues);
    if (lt.userData !== undefined && Buffer.byteLength(lt.userData) > 16 * 1024)
      issues.push({
        path: lt.path,
        message: `user_data is ${Buffer.byteLength(lt.userData)} bytes; AWS takes at most 16384 (16 KB) before base64`,
      });
  }
  if (checkReactorPartition(m, issues)) checkReactorEnvironment(m, issues);
  return issues;
}
