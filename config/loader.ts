/**
 * Stack config → validated, normalized StackModel. Shapes first (ajv, every error), then the seed's
 * quirks normalized, then cross-references, all collected and thrown together as one ConfigError.
 * Nothing here knows about Pulumi: index.ts reads the config and hands the plain values over.
 */
import { checkSecurityGroups, normalizeProtocol } from "../components/securityGroupPlan";
import { ConfigError, ConfigIssue, nearest, quoteList, sub } from "./issues";
import {
  AutoscaleGroupModel,
  CloudModel,
  NetworkModel,
  ReactorProfileModel,
  ReactorSettingsModel,
  RuleModel,
  SecurityGroupModel,
  StackModel,
  SubnetRef,
} from "./model";
import {
  DEFAULT_CLOCK_SKEW_SECONDS,
  DEFAULT_MAX_MESSAGE_AGE_SECONDS,
  DEPLOYMENT,
  maximumEventAgeSeconds,
} from "../reactor/config";
import { loadAllowedTypes } from "./dayTwo";
import { configKeys, schemas } from "./schema";
import {
  loadAutoscale,
  loadAlarms,
  loadLoadBalancers,
  loadProfiles,
  loadReactorProfiles,
  programName,
  Section,
} from "./sections";
import { REGIONS } from "../scripts/lib/provider/rules/tags";
import { checkProviderLimits } from "./providerLimits";
import { AutonamingError, AutonamingModel, parseAutonaming } from "./autonaming";
import { coerceNumbers, validateShape } from "./validate";
import { obj, optInt, toBool, toInt, toList, toTags } from "./values";

export interface RawStackConfig {
  readonly project: string;
  readonly stack: string;
  /** Values of the `pillar:` namespace, keyed without the prefix, already parsed from JSON/YAML. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Keys (without prefix) whose value is secret in the stack config. */
  readonly secretKeys: ReadonlySet<string>;
  /**
   * Paths of the secret leaves (`cloud.aws_provider.id`), where the caller knows them (the offline
   * plan reads them from the stack file). Pulumi marks a whole key secret when any leaf is, so
   * without these a plaintext key next to a secret id cannot be told apart.
   */
  readonly secretPaths?: ReadonlySet<string>;
  /** `aws:region`, the fallback when the provider names no region. */
  readonly awsRegion?: string;
  /** `pulumi:autonaming` as the program receives it (a JSON string for a map). */
  readonly autonaming?: string;
  /** The stack's organization, for `${organization}` in autonaming patterns. */
  readonly organization?: string;
}

/** Validates and normalizes the whole stack config, or throws ConfigError listing every problem. */
export function loadStackConfig(raw: RawStackConfig): StackModel {
  const issues: ConfigIssue[] = [];
  for (const key of Object.keys(raw.values)) {
    if (!configKeys.includes(key)) {
      const guess = nearest(key, configKeys);
      issues.push({
        path: `pillar:${key}`,
        message: `unknown config key${guess ? ` (did you mean "pillar:${guess}"?)` : ""}; expected one of ${quoteList(configKeys.map((k) => `pillar:${k}`))}`,
      });
    }
  }
  const ok = new Set<string>();
  // Numbers YAML or `pulumi config set` gave as strings become numbers before their ranges are checked.
  const coerced: Record<string, unknown> = {};
  for (const key of configKeys) {
    if (raw.values[key] === undefined) continue;
    coerced[key] = coerceNumbers(schemas[key], raw.values[key]);
    const shape = validateShape(key, coerced[key]);
    issues.push(...shape);
    if (shape.length === 0) ok.add(key);
  }
  const value = (key: string): unknown => (ok.has(key) ? coerced[key] : undefined);
  const autonaming = loadAutonaming(raw, issues);

  const cloud = loadCloud(raw, value("cloud"), issues);
  const network = loadNetwork(
    value("network"),
    ok.has("network") || raw.values.network === undefined,
    issues,
  );
  const securityGroups = loadSecurityGroups(value("security_groups"), network, issues);
  const sgNames = new Set(securityGroups.map((g) => g.name));
  const section: Section = {
    project: raw.project,
    stack: raw.stack,
    autonaming,
    cloud,
    network,
    issues,
    groupNames: ok.has("security_groups") || raw.values.security_groups === undefined ? sgNames : undefined,
    subnet: (ref, path) => resolveSubnet(ref, path, network, issues),
  };
  const reactorProfiles = loadReactorProfiles(value("ec2.autoscale"), section);
  const profiles = loadProfiles(value("profiles"), section);
  const loadBalancers = loadLoadBalancers(value("elb"), section);
  const cw = obj(value("cloudwatch"));
  const alarmTopics = (Array.isArray(cw.topics) ? cw.topics : []).map((t) => {
    const o = obj(t);
    return {
      name: String(o.name),
      subscriptions: (Array.isArray(o.subscriptions) ? o.subscriptions : []).map((x) => ({
        protocol: String(obj(x).protocol),
        endpoint: String(obj(x).endpoint),
      })),
    };
  });
  const topicNames = new Set(alarmTopics.map((t) => t.name));
  const autoscaleGroups = loadAutoscale(value("autoscale"), section, {
    loadBalancers:
      ok.has("elb") || raw.values.elb === undefined ? new Set(loadBalancers.map((l) => l.name)) : undefined,
    reactorProfiles:
      ok.has("ec2.autoscale") || raw.values["ec2.autoscale"] === undefined
        ? new Map(reactorProfiles.map((p) => [p.name, p]))
        : undefined,
    allowedInstanceTypes: loadAllowedTypes(obj(value("autoscale")).allowed_instance_types, issues),
  });
  const alarms = loadAlarms(cw.alarms, section, {
    groups: ok.has("autoscale") || raw.values.autoscale === undefined ? autoscaleGroups : undefined,
    topics: topicNames,
  });
  const reactor = loadReactorSettings(value("reactor"), section);
  checkReactor(reactor, reactorProfiles, autoscaleGroups, issues);

  if (issues.length > 0 || !cloud || !network) throw new ConfigError(dedupe(issues));
  const model: StackModel = {
    project: raw.project,
    stack: raw.stack,
    ...(autonaming ? { autonaming } : {}),
    cloud,
    network,
    profiles,
    securityGroups,
    loadBalancers,
    autoscaleGroups,
    alarms,
    alarmTopics,
    reactorProfiles,
    reactor,
  };
  // Values that pass their own shapes but that the AWS provider or AWS would refuse once named.
  const limits = checkProviderLimits(model);
  if (limits.length > 0) throw new ConfigError(dedupe(limits));
  return model;
}

/** A config value by path within the project's namespace, as `${config.<key>}` looks it up. */
function configValue(raw: RawStackConfig, key: string): string | undefined {
  const m = /^([^.[]+)(.*)$/.exec(key);
  if (!m) return undefined;
  const [, top, rest] = m as unknown as [string, string, string];
  let v: unknown = raw.values[top];
  for (const seg of rest.match(/\.[^.[]+|\[[0-9]+\]/g) ?? []) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[seg.startsWith(".") ? seg.slice(1) : seg.slice(1, -1)];
  }
  if (v === undefined || v === null) return undefined;
  const secret = raw.secretPaths
    ? [...raw.secretPaths].some((p) => p === key || key.startsWith(`${p}.`) || p.startsWith(`${key}.`))
    : false;
  if (secret)
    throw new AutonamingError(
      `failed to decrypt value for key "${key}": the offline plan cannot decrypt secure values; use a plain value in the pattern`,
    );
  return typeof v === "string" ? v : JSON.stringify(v);
}

function loadAutonaming(raw: RawStackConfig, issues: ConfigIssue[]): AutonamingModel | undefined {
  try {
    return parseAutonaming(raw.autonaming, {
      organization: raw.organization ?? "organization",
      project: raw.project,
      stack: raw.stack,
      configValue: (key) => configValue(raw, key),
    });
  } catch (err) {
    if (!(err instanceof AutonamingError)) throw err;
    issues.push({ path: "pulumi:autonaming", message: err.message });
    return undefined;
  }
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.path}\u0000${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function loadCloud(raw: RawStackConfig, v: unknown, issues: ConfigIssue[]): CloudModel | undefined {
  if (v === undefined) {
    if (raw.values.cloud === undefined)
      issues.push({
        path: "pillar:cloud",
        message: "missing: the cloud provider (the seed's aws_provider block) is required",
      });
    return undefined;
  }
  const entries = Object.entries(obj(v));
  if (entries.length > 1) {
    issues.push({
      path: "pillar:cloud",
      message: `expected one cloud provider per stack (a stack is one account and region), found ${entries.length}: ${quoteList(entries.map(([n]) => n))}`,
    });
    return undefined;
  }
  const [name, pv] = entries[0]!;
  const p = obj(pv);
  const path = sub("pillar:cloud", name);
  const region = typeof p.region === "string" ? p.region : raw.awsRegion;
  for (const [where, r] of [
    [sub(path, "region"), p.region],
    ["aws:region", raw.awsRegion],
  ] as const) {
    if (typeof r === "string" && !REGIONS.includes(r)) {
      const guess = nearest(r, REGIONS);
      issues.push({
        path: where,
        message: guess
          ? `"${r}" is not an AWS region; did you mean "${guess}"?`
          : `"${r}" is not an AWS region; the provider knows ${REGIONS.join(", ")}`,
      });
    }
  }
  if (region === undefined) {
    issues.push({
      path: sub(path, "region"),
      message: "missing: set the provider's region here or aws:region",
    });
    return undefined;
  }
  if (raw.awsRegion !== undefined && raw.awsRegion !== region) {
    issues.push({
      path: sub(path, "region"),
      message: `region "${region}" differs from aws:region "${raw.awsRegion}"; set one region for the stack`,
    });
  }
  let credentials: CloudModel["credentials"];
  if (p.id !== undefined || p.key !== undefined) {
    const isSecret = (k: string) =>
      raw.secretPaths !== undefined ? raw.secretPaths.has(`cloud.${name}.${k}`) : raw.secretKeys.has("cloud");
    const plaintext = (["id", "key"] as const).filter((k) => p[k] !== undefined && !isSecret(k));
    if (plaintext.length > 0) {
      for (const k of plaintext) {
        issues.push({
          path: sub(path, k),
          message: `AWS credentials must not be plaintext config; use \`pulumi config set --secret --path 'pillar:cloud.${name}.${k}' …\`, or better an AWS profile (\`profile:\`) or ambient credentials`,
        });
      }
    } else if (typeof p.id !== "string" || typeof p.key !== "string") {
      issues.push({
        path,
        message: "expected both id (access key id) and key (secret access key) as secret strings, or neither",
      });
    } else credentials = { accessKeyId: p.id, secretAccessKey: p.key };
    if (p.profile !== undefined)
      issues.push({
        path: sub(path, "profile"),
        message: "Only one of [id/key] or [profile] can be specified",
      });
  }
  const minion = obj(p.minion);
  const defaultTags = toTags(p.default_tags);
  return {
    name,
    region,
    ...(typeof p.profile === "string" ? { profile: p.profile } : {}),
    ...(credentials ? { credentials } : {}),
    ...(typeof p.keyname === "string"
      ? {
          keyPair: {
            name: p.keyname,
            ...(typeof p.public_key === "string" ? { publicKey: p.public_key } : {}),
          },
        }
      : {}),
    sshUsernames: p.ssh_username === undefined ? ["ubuntu"] : toList(p.ssh_username),
    sshInterface: p.ssh_interface === "public_ips" ? "public_ips" : "private_ips",
    ...(typeof minion.master === "string" ? { saltMaster: minion.master } : {}),
    defaultTags,
    env: typeof p.env === "string" ? p.env : raw.stack,
  };
}

function loadNetwork(v: unknown, shapeOk: boolean, issues: ConfigIssue[]): NetworkModel | undefined {
  if (v === undefined) {
    if (shapeOk)
      issues.push({
        path: "pillar:network",
        message: "missing: expected vpc_id (an existing VPC) or cidr_block (a VPC this stack creates)",
      });
    return undefined;
  }
  const n = obj(v);
  if (n.vpc_id !== undefined && n.cidr_block !== undefined) {
    issues.push({ path: "pillar:network", message: "Only one of [vpc_id] or [cidr_block] can be specified" });
    return undefined;
  }
  if (typeof n.vpc_id === "string") {
    for (const k of ["availability_zones", "nat_gateways"]) {
      if (n[k] !== undefined)
        issues.push({
          path: sub("pillar:network", k),
          message: "only applies to a VPC the stack creates (cidr_block)",
        });
    }
    return {
      mode: "existing",
      vpcId: n.vpc_id,
      publicSubnetIds: toList(n.public_subnets),
      privateSubnetIds: toList(n.private_subnets),
    };
  }
  if (typeof n.cidr_block === "string") {
    for (const k of ["public_subnets", "private_subnets"]) {
      if (n[k] !== undefined)
        issues.push({
          path: sub("pillar:network", k),
          message: "only applies to an existing VPC (vpc_id); the stack creates the subnets of its own VPC",
        });
    }
    return {
      mode: "create",
      cidrBlock: n.cidr_block,
      azCount: n.availability_zones === undefined ? 2 : toInt(n.availability_zones),
      natGateways: (n.nat_gateways as "single" | "one_per_az" | "none" | undefined) ?? "single",
    };
  }
  issues.push({
    path: "pillar:network",
    message: "expected vpc_id (an existing VPC) or cidr_block (a VPC this stack creates)",
  });
  return undefined;
}

/** A subnet id or a tier name (`public`, `private`), checked against the network section. */
function resolveSubnet(
  ref: string,
  path: string,
  network: NetworkModel | undefined,
  issues: ConfigIssue[],
): SubnetRef | undefined {
  if (ref === "public" || ref === "private") {
    if (network?.mode === "existing") {
      const ids = ref === "public" ? network.publicSubnetIds : network.privateSubnetIds;
      if (ids.length === 0) {
        issues.push({
          path,
          message: `tier "${ref}" names no subnets: list ${ref}_subnets in pillar:network`,
        });
        return undefined;
      }
    }
    return { kind: "tier", tier: ref };
  }
  if (!/^subnet-[0-9a-f]{7,17}$/.test(ref)) {
    issues.push({
      path,
      message: `expected a subnet id (subnet-…) or a tier ("public" or "private"), got "${ref}"`,
    });
    return undefined;
  }
  if (network?.mode === "create") {
    issues.push({
      path,
      message: `the stack creates its VPC, so "${ref}" cannot be in it; use the tier "public" or "private"`,
    });
    return undefined;
  }
  if (network?.mode === "existing") {
    const known = [...network.publicSubnetIds, ...network.privateSubnetIds];
    if (known.length > 0 && !known.includes(ref)) {
      issues.push({
        path,
        message: `subnet "${ref}" is not in pillar:network; known subnets: ${quoteList(known)}`,
      });
      return undefined;
    }
  }
  return { kind: "id", id: ref };
}

function loadRules(list: unknown, path: string): RuleModel[] {
  return (Array.isArray(list) ? list : []).map((r, i) => {
    const o = obj(r);
    const rp = sub(path, i);
    const sources = toList(o.cidr_ip);
    return {
      protocol: normalizeRuleProtocol(o.ip_protocol),
      fromPort: optInt(o.from_port),
      toPort: optInt(o.to_port),
      sources,
      sourcePaths: Array.isArray(o.cidr_ip)
        ? sources.map((_, j) => sub(sub(rp, "cidr_ip"), j))
        : [sub(rp, "cidr_ip")],
      ...(typeof o.description === "string" ? { description: o.description } : {}),
      path: rp,
    };
  });
}

function normalizeRuleProtocol(p: unknown): string {
  return normalizeProtocol(p as string | number) ?? `invalid:${String(p)}`;
}

function loadSecurityGroups(
  v: unknown,
  network: NetworkModel | undefined,
  issues: ConfigIssue[],
): SecurityGroupModel[] {
  const groups = (Array.isArray(v) ? v : []).map((g, i): SecurityGroupModel => {
    const o = obj(g);
    const path = sub("pillar:security_groups", i);
    if (typeof o.vpc_id === "string") {
      if (network?.mode === "create") {
        issues.push({ path: sub(path, "vpc_id"), message: "the stack creates its VPC; remove vpc_id" });
      } else if (network?.mode === "existing" && o.vpc_id !== network.vpcId) {
        issues.push({
          path: sub(path, "vpc_id"),
          message: `"${o.vpc_id}" is not the stack's VPC "${network.vpcId}" (pillar:network.vpc_id)`,
        });
      }
    }
    const egress =
      o.rules_egress === undefined ? undefined : loadRules(o.rules_egress, sub(path, "rules_egress"));
    return {
      name: String(o.name),
      description:
        typeof o.description === "string" ? o.description : `pillar security group ${String(o.name)}`,
      rules: loadRules(o.rules, sub(path, "rules")),
      ...(egress ? { egress } : {}),
      tags: toTags(o.tags),
      path,
    };
  });
  for (const g of groups) {
    for (const r of [...g.rules, ...(g.egress ?? [])]) {
      if (r.protocol.startsWith("invalid:")) {
        issues.push({
          path: sub(r.path, "ip_protocol"),
          message: `expected tcp, udp, icmp, icmpv6, all/-1 or a protocol number 0-255, got "${r.protocol.slice(8)}"`,
        });
      }
    }
  }
  const valid = groups.map((g) => ({
    ...g,
    rules: g.rules.filter((r) => !r.protocol.startsWith("invalid:")),
    ...(g.egress ? { egress: g.egress.filter((r) => !r.protocol.startsWith("invalid:")) } : {}),
  }));
  issues.push(...checkSecurityGroups(valid));
  return valid;
}

function loadReactorSettings(v: unknown, s: Section): ReactorSettingsModel {
  const r = obj(v);
  return {
    functionName: programName(s, "aws:lambda/function:Function", "reactor"),
    signatureVersion: r.signature_version === undefined ? "2" : (String(r.signature_version) as "1" | "2"),
    runtime: (r.runtime as "nodejs22.x" | "nodejs24.x" | undefined) ?? "nodejs24.x",
    memorySize: optInt(r.memory_size) ?? 256,
    timeoutSeconds: optInt(r.timeout) ?? 900,
    ...(r.reserved_concurrency !== undefined ? { reservedConcurrency: toInt(r.reserved_concurrency) } : {}),
    deletionProtection: r.deletion_protection === undefined ? true : toBool(r.deletion_protection),
    ...(typeof r.alert_email === "string" ? { alertEmail: r.alert_email } : {}),
    logRetentionDays: optInt(r.log_retention_days) ?? 30,
    tombstoneTtlDays: optInt(r.tombstone_ttl_days) ?? 30,
    functionUrl: r.function_url === undefined ? false : toBool(r.function_url),
    lifecycleHeartbeatTimeout: optInt(r.lifecycle_heartbeat_timeout) ?? 1200,
    maxMessageAgeSeconds: optInt(r.max_message_age) ?? DEFAULT_MAX_MESSAGE_AGE_SECONDS,
    clockSkewSeconds: optInt(r.clock_skew) ?? DEFAULT_CLOCK_SKEW_SECONDS,
  };
}

/** The reactor waits for a bootstrap inside one invocation, and the hook must outlive that wait. */
function checkReactor(
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
