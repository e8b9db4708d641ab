/**
 * Normalizers for the sections that refer to each other: profiles, ELB, autoscale groups, alarms and
 * reactor profiles. Each pushes its problems to the shared issue list and returns what it could load.
 */
import { SALT_PARAMETER_PATTERNS } from "../components/saltDocument";
import { AutonamingModel, explicitName } from "./autonaming";
import { checkInstanceType, loadGroupDayTwo, loadStateful } from "./dayTwo";
import { ConfigIssue, quoteList, sub } from "./issues";
import {
  AdjustmentType,
  AlarmAction,
  AlarmModel,
  AutoscaleGroupModel,
  CloudModel,
  ComparisonOperator,
  HealthCheckModel,
  LaunchTemplateModel,
  ListenerModel,
  ListenerProtocol,
  LoadBalancerModel,
  NetworkModel,
  ProfileModel,
  ReactorProfileModel,
  ScalingPolicyModel,
  SubnetRef,
} from "./model";
import {
  obj,
  Obj,
  optInt,
  toBlockDevice,
  toBool,
  toGrains,
  toImage,
  toInt,
  toList,
  toNum,
  toTags,
} from "./values";

/** What every section loader shares. */
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

/** The stack's own Salt bootstrap document (see components/reactor.ts). */
export const SALT_BOOTSTRAP_DOCUMENT = "pillar-salt";
const DEFAULT_TLS_POLICY = "ELBSecurityPolicy-TLS-1-2-2017-01";

function checkGroupRefs(names: unknown, path: string, s: Section): string[] {
  const list = toList(names);
  if (s.groupNames) {
    list.forEach((n, i) => {
      if (n !== "default" && !s.groupNames!.has(n)) {
        s.issues.push({
          path: sub(path, i),
          message: `unknown security group "${n}"; known groups: ${quoteList(new Set([...s.groupNames!, "default"]))}`,
        });
      }
    });
  }
  return list;
}

function checkProvider(p: Obj, path: string, s: Section): void {
  if (typeof p.provider === "string" && s.cloud && p.provider !== s.cloud.name) {
    s.issues.push({
      path: sub(path, "provider"),
      message: `unknown cloud provider "${p.provider}"; known providers: ${quoteList([s.cloud.name])}`,
    });
  }
}

function subnets(list: unknown, path: string, s: Section): SubnetRef[] {
  return toList(list).flatMap((ref, i) => s.subnet(ref, sub(path, i)) ?? []);
}

export function loadProfiles(v: unknown, s: Section): ProfileModel[] {
  return Object.entries(obj(v)).map(([name, pv]) => {
    const p = obj(pv);
    const path = sub("pillar:profiles", name);
    checkProvider(p, path, s);
    const subnet = typeof p.subnetid === "string" ? s.subnet(p.subnetid, sub(path, "subnetid")) : undefined;
    // Without subnetid an instance goes to the first private subnet, which an existing VPC must list.
    if (
      p.subnetid === undefined &&
      s.network?.mode === "existing" &&
      s.network.privateSubnetIds.length === 0
    ) {
      s.issues.push({
        path: sub(path, "subnetid"),
        message:
          "missing: the profile's instances need a subnet; give subnetid, or list private_subnets in pillar:network",
      });
    }
    const keyName = typeof p.keyname === "string" ? p.keyname : undefined;
    return {
      name,
      size: String(p.size),
      image: toImage(p.image),
      ...(subnet ? { subnet } : {}),
      blockDevices: (Array.isArray(p.block_device_mappings) ? p.block_device_mappings : []).map(
        toBlockDevice,
      ),
      grains: toGrains(p.grains),
      securityGroups: checkGroupRefs(p.security_groups, sub(path, "security_groups"), s),
      ...(keyName ? { keyName } : {}),
      ...(typeof p.ssh_username === "string" ? { sshUsername: p.ssh_username } : {}),
      count: optInt(p.count) ?? 1,
      ...loadStateful(p, path, s.issues),
      path,
    };
  });
}

const HEALTH_TARGET = /^(HTTP|HTTPS|TCP|SSL):([0-9]{1,5})(\/.*)?$/;

/** Parses the seed's health check target (`HTTPS:443/check.html`, `TCP:22`); returns an error text when bad. */
export function parseHealthTarget(
  target: string,
): { protocol: string; port: number; path?: string } | string {
  const m = HEALTH_TARGET.exec(target);
  const expected =
    'expected "PROTOCOL:PORT/path" with HTTP or HTTPS (e.g. "HTTPS:443/check.html"), or "PROTOCOL:PORT" with TCP or SSL (e.g. "TCP:22")';
  if (!m) return `${expected}, got "${target}"`;
  const [, protocol, portText, path] = m as unknown as [string, string, string, string | undefined];
  const port = Number(portText);
  if (port < 1 || port > 65535) return `port ${port} in "${target}" is not 1-65535`;
  if ((protocol === "HTTP" || protocol === "HTTPS") && path === undefined)
    return `${protocol} health checks need a path: ${expected}, got "${target}"`;
  if ((protocol === "TCP" || protocol === "SSL") && path !== undefined)
    return `${protocol} health checks take no path: ${expected}, got "${target}"`;
  if (path !== undefined && path.length > 1024) return "the health check path is longer than 1024 characters";
  return { protocol, port, ...(path !== undefined ? { path } : {}) };
}

const HTTP_FAMILY = new Set(["HTTP", "HTTPS"]);

export function loadLoadBalancers(v: unknown, s: Section): LoadBalancerModel[] {
  if (v === undefined) return [];
  const list = Array.isArray(v)
    ? v.map((e, i) => [e, sub("pillar:elb", i)] as const)
    : [[v, "pillar:elb"] as const];
  const seen = new Map<string, string>();
  return list.map(([ev, path]) => {
    const e = obj(ev);
    const name = String(e.name);
    const dup = seen.get(name);
    if (dup)
      s.issues.push({
        path: sub(path, "name"),
        message: `duplicate load balancer name "${name}" (first at ${dup})`,
      });
    seen.set(name, sub(path, "name"));
    const ports = new Map<number, string>();
    const listeners = (e.listeners as unknown[]).map((lv, i): ListenerModel => {
      const l = obj(lv);
      const lp = sub(sub(path, "listeners"), i);
      const lbProtocol = String(l.elb_protocol).toUpperCase() as ListenerProtocol;
      const instanceProtocol = (
        l.instance_protocol === undefined ? lbProtocol : String(l.instance_protocol).toUpperCase()
      ) as ListenerProtocol;
      const lbPort = toInt(l.elb_port);
      const secure = lbProtocol === "HTTPS" || lbProtocol === "SSL";
      if (secure && typeof l.certificate !== "string") {
        s.issues.push({
          path: sub(lp, "certificate"),
          message: `required for an ${lbProtocol} listener: an IAM server certificate or ACM certificate ARN`,
        });
      }
      if (!secure && l.certificate !== undefined) {
        s.issues.push({
          path: sub(lp, "certificate"),
          message: `only HTTPS and SSL listeners take a certificate; this listener is ${lbProtocol}`,
        });
      }
      if (HTTP_FAMILY.has(lbProtocol) !== HTTP_FAMILY.has(instanceProtocol)) {
        s.issues.push({
          path: sub(lp, "instance_protocol"),
          message: `a classic ELB cannot forward ${lbProtocol} to ${instanceProtocol}: HTTP/HTTPS listeners need HTTP/HTTPS instances, TCP/SSL need TCP/SSL`,
        });
      }
      const dupPort = ports.get(lbPort);
      if (dupPort)
        s.issues.push({
          path: sub(lp, "elb_port"),
          message: `port ${lbPort} already has a listener at ${dupPort}`,
        });
      ports.set(lbPort, lp);
      return {
        lbPort,
        lbProtocol,
        instancePort: toInt(l.instance_port),
        instanceProtocol,
        ...(typeof l.certificate === "string" && secure ? { certificateArn: l.certificate } : {}),
        path: lp,
      };
    });
    const hc = obj(e.health_check);
    const target = typeof hc.target === "string" ? hc.target : `TCP:${listeners[0]?.instancePort ?? 80}`;
    const parsed = parseHealthTarget(target);
    if (typeof parsed === "string")
      s.issues.push({ path: sub(sub(path, "health_check"), "target"), message: parsed });
    const healthCheck: HealthCheckModel = {
      target,
      interval: optInt(hc.interval) ?? 30,
      timeout: optInt(hc.timeout) ?? 5,
      healthyThreshold: optInt(hc.healthy_threshold) ?? 10,
      unhealthyThreshold: optInt(hc.unhealthy_threshold) ?? 2,
    };
    if (healthCheck.timeout >= healthCheck.interval) {
      s.issues.push({
        path: sub(sub(path, "health_check"), "timeout"),
        message: `timeout ${healthCheck.timeout}s must be less than interval ${healthCheck.interval}s`,
      });
    }
    const attrs = obj(e.attributes);
    const cz = obj(attrs.cross_zone_load_balancing);
    const cd = obj(attrs.connection_draining);
    const cs = obj(attrs.connecting_settings);
    const al = obj(attrs.access_log);
    return {
      name,
      listeners,
      subnets: subnets(e.subnets, sub(path, "subnets"), s),
      healthCheck,
      crossZone: cz.enabled === undefined ? true : toBool(cz.enabled),
      connectionDraining: cd.enabled === undefined ? true : toBool(cd.enabled),
      connectionDrainingTimeout: optInt(cd.timeout) ?? 300,
      idleTimeout: optInt(cs.idle_timeout) ?? 60,
      ...(typeof al.s3_bucket_name === "string"
        ? {
            accessLogs: {
              bucket: al.s3_bucket_name,
              ...(typeof al.s3_bucket_prefix === "string" ? { prefix: al.s3_bucket_prefix } : {}),
              interval: optInt(al.emit_interval) ?? 60,
              enabled: al.enabled === undefined ? true : toBool(al.enabled),
            },
          }
        : {}),
      securityGroups: checkGroupRefs(e.security_groups, sub(path, "security_groups"), s),
      sslPolicy: typeof e.ssl_policy === "string" ? e.ssl_policy : DEFAULT_TLS_POLICY,
      internal: e.scheme === "internal",
      path,
    };
  });
}

function loadLaunchConfig(
  g: Obj,
  path: string,
  s: Section,
  allowed: readonly string[] | undefined,
): LaunchTemplateModel {
  const lcPath = sub(path, "launch_config");
  const lc: Obj = {};
  const where = new Map<string, string>();
  (g.launch_config as unknown[]).forEach((item, i) => {
    for (const [k, v] of Object.entries(obj(item))) {
      const at = sub(lcPath, i);
      if (where.has(k))
        s.issues.push({ path: sub(at, k), message: `"${k}" is already set at ${where.get(k)}` });
      where.set(k, at);
      lc[k] = v;
    }
  });
  const at = (k: string) => sub(where.get(k) ?? lcPath, k);
  if (lc.instance_type === undefined)
    s.issues.push({ path: lcPath, message: 'missing "instance_type" (e.g. "- instance_type: t3.small")' });
  else checkInstanceType(String(lc.instance_type), at("instance_type"), allowed, s.issues);
  if (lc.region !== undefined && s.cloud && lc.region !== s.cloud.region) {
    s.issues.push({
      path: at("region"),
      message: `region "${String(lc.region)}" differs from the provider's region "${s.cloud.region}"`,
    });
  }
  return {
    name: typeof g.launch_config_name === "string" ? g.launch_config_name : String(g.name),
    image: toImage(lc.image_id),
    instanceType: String(lc.instance_type),
    ...(typeof lc.key_name === "string" ? { keyName: lc.key_name } : {}),
    securityGroups: checkGroupRefs(lc.security_groups, at("security_groups"), s),
    ...(typeof lc.user_data === "string" ? { userData: lc.user_data } : {}),
    blockDevices: (Array.isArray(lc.block_device_mappings) ? lc.block_device_mappings : []).map(
      toBlockDevice,
    ),
    ...(typeof lc.instance_profile_name === "string" ? { iamInstanceProfile: lc.instance_profile_name } : {}),
    ...(lc.associate_public_ip_address !== undefined
      ? { associatePublicIpAddress: toBool(lc.associate_public_ip_address) }
      : {}),
    ...(lc.ebs_optimized !== undefined ? { ebsOptimized: toBool(lc.ebs_optimized) } : {}),
    detailedMonitoring: lc.instance_monitoring === undefined ? true : toBool(lc.instance_monitoring),
    path: lcPath,
  };
}

function loadPolicies(g: Obj, path: string, s: Section): ScalingPolicyModel[] {
  const names = new Map<string, string>();
  return (Array.isArray(g.scaling_policies) ? g.scaling_policies : []).map((pv, i): ScalingPolicyModel => {
    const p = obj(pv);
    const pp = sub(sub(path, "scaling_policies"), i);
    const name = String(p.name);
    if (names.has(name))
      s.issues.push({
        path: sub(pp, "name"),
        message: `duplicate scaling policy "${name}" (first at ${names.get(name)})`,
      });
    names.set(name, sub(pp, "name"));
    if (p.as_name !== undefined && p.as_name !== g.name) {
      s.issues.push({
        path: sub(pp, "as_name"),
        message: `as_name "${String(p.as_name)}" must name the group it sits in, "${String(g.name)}"`,
      });
    }
    const tt = p.target_tracking === undefined ? undefined : obj(p.target_tracking);
    if (tt) {
      for (const k of ["adjustment_type", "scaling_adjustment", "cooldown", "min_adjustment_magnitude"]) {
        if (p[k] !== undefined)
          s.issues.push({
            path: sub(pp, k),
            message: "Only one of [target_tracking] or [adjustment_type/scaling_adjustment] can be specified",
          });
      }
      return {
        kind: "target_tracking",
        name,
        metric: String(tt.metric),
        targetValue: toNum(tt.target_value),
        disableScaleIn: tt.disable_scale_in === undefined ? false : toBool(tt.disable_scale_in),
        ...(tt.estimated_instance_warmup !== undefined
          ? { estimatedInstanceWarmup: toInt(tt.estimated_instance_warmup) }
          : {}),
        path: pp,
      };
    }
    for (const k of ["adjustment_type", "scaling_adjustment"]) {
      if (p[k] === undefined)
        s.issues.push({ path: pp, message: `missing "${k}" (or give target_tracking)` });
    }
    const adjustmentType = (p.adjustment_type as AdjustmentType | undefined) ?? "ChangeInCapacity";
    const adjustment = p.scaling_adjustment === undefined ? 0 : toInt(p.scaling_adjustment);
    if (adjustmentType === "ExactCapacity" && adjustment < 0) {
      s.issues.push({
        path: sub(pp, "scaling_adjustment"),
        message: `ExactCapacity needs a capacity >= 0, got ${adjustment}`,
      });
    }
    if (p.min_adjustment_magnitude !== undefined && adjustmentType !== "PercentChangeInCapacity") {
      s.issues.push({
        path: sub(pp, "min_adjustment_magnitude"),
        message: "only applies to PercentChangeInCapacity",
      });
    }
    return {
      kind: "simple",
      name,
      adjustmentType,
      scalingAdjustment: adjustment,
      ...(p.cooldown !== undefined ? { cooldown: toInt(p.cooldown) } : {}),
      ...(p.min_adjustment_magnitude !== undefined
        ? { minAdjustmentMagnitude: toInt(p.min_adjustment_magnitude) }
        : {}),
      path: pp,
    };
  });
}

const NOTIFICATIONS = ["launch", "launch_error", "terminate", "terminate_error"];
const ASG_TYPE = "aws:autoscaling/group:Group";

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

export function loadAutoscale(
  v: unknown,
  s: Section,
  refs: {
    loadBalancers: ReadonlySet<string> | undefined;
    reactorProfiles: ReadonlyMap<string, ReactorProfileModel> | undefined;
    /** `pillar:autoscale.allowed_instance_types`, when the stack has one. */
    allowedInstanceTypes?: readonly string[];
  },
): AutoscaleGroupModel[] {
  const seen = new Map<string, string>();
  return (Array.isArray(obj(v).groups) ? (obj(v).groups as unknown[]) : []).map(
    (gv, i): AutoscaleGroupModel => {
      const g = obj(gv);
      const path = sub(sub("pillar:autoscale", "groups"), i);
      const name = String(g.name);
      if (seen.has(name))
        s.issues.push({
          path: sub(path, "name"),
          message: `duplicate autoscale group "${name}" (first at ${seen.get(name)})`,
        });
      seen.set(name, sub(path, "name"));
      const minSize = toInt(g.min_size);
      const maxSize = toInt(g.max_size);
      const desired = g.desired_capacity === undefined ? minSize : toInt(g.desired_capacity);
      if (minSize > maxSize)
        s.issues.push({
          path: sub(path, "min_size"),
          message: `min_size ${minSize} is greater than max_size ${maxSize}`,
        });
      else if (desired < minSize || desired > maxSize) {
        s.issues.push({
          path: sub(path, "desired_capacity"),
          message: `desired_capacity ${desired} is outside min_size ${minSize} .. max_size ${maxSize}`,
        });
      }
      const lbs = toList(g.load_balancers);
      if (refs.loadBalancers) {
        lbs.forEach((lb, j) => {
          if (!refs.loadBalancers!.has(lb)) {
            s.issues.push({
              path: sub(sub(path, "load_balancers"), j),
              message: `unknown load balancer "${lb}"; known load balancers: ${quoteList(refs.loadBalancers!)}`,
            });
          }
        });
      }
      let grains = {};
      let profileName = typeof g.reactor_profile === "string" ? g.reactor_profile : undefined;
      // The seed's reactor handled every group's events: with one reactor profile and no choice
      // made, that profile reacts; with several, the group must say which.
      if (profileName === undefined && refs.reactorProfiles && refs.reactorProfiles.size > 0) {
        if (refs.reactorProfiles.size === 1) profileName = [...refs.reactorProfiles.keys()][0];
        else
          s.issues.push({
            path: sub(path, "reactor_profile"),
            message: `missing: pillar:ec2.autoscale has ${refs.reactorProfiles.size} reactor profiles, so say which one handles this group's instances: ${quoteList(refs.reactorProfiles.keys())}`,
          });
      }
      if (profileName !== undefined && refs.reactorProfiles) {
        const profile = refs.reactorProfiles.get(profileName);
        if (!profile) {
          s.issues.push({
            path: sub(path, "reactor_profile"),
            message: `unknown reactor profile "${profileName}"; known profiles (pillar:ec2.autoscale): ${quoteList(refs.reactorProfiles.keys())}`,
          });
        } else grains = profile.grains;
      }
      const ir = g.instance_refresh === undefined ? undefined : obj(g.instance_refresh);
      return {
        name,
        physicalName: programName(s, ASG_TYPE, name),
        desiredCapacity: desired,
        minSize,
        maxSize,
        defaultCooldown: optInt(g.default_cooldown) ?? 300,
        subnets: subnets(g.vpc_zone_identifiers, sub(path, "vpc_zone_identifiers"), s),
        loadBalancers: lbs,
        healthCheckType:
          (g.health_check_type as "EC2" | "ELB" | undefined) ?? (lbs.length > 0 ? "ELB" : "EC2"),
        healthCheckGracePeriod: optInt(g.health_check_period) ?? 300,
        launchTemplate: loadLaunchConfig(g, path, s, refs.allowedInstanceTypes),
        scalingPolicies: loadPolicies(g, path, s),
        ...(profileName !== undefined ? { reactorProfile: profileName } : {}),
        grains,
        tags: toTags(g.tags),
        ...(ir
          ? {
              instanceRefresh: {
                minHealthyPercentage: optInt(ir.min_healthy_percentage) ?? 90,
                ...(ir.instance_warmup !== undefined ? { instanceWarmup: toInt(ir.instance_warmup) } : {}),
              },
            }
          : {}),
        notifications: g.notifications === undefined ? NOTIFICATIONS : toList(g.notifications),
        ...loadGroupDayTwo(g, path, { minSize, maxSize }, refs.allowedInstanceTypes, s.issues),
        path,
      };
    },
  );
}

const COMPARISONS: Readonly<Record<string, ComparisonOperator>> = {
  ">=": "GreaterThanOrEqualToThreshold",
  ">": "GreaterThanThreshold",
  "<=": "LessThanOrEqualToThreshold",
  "<": "LessThanThreshold",
  GreaterThanOrEqualToThreshold: "GreaterThanOrEqualToThreshold",
  GreaterThanThreshold: "GreaterThanThreshold",
  LessThanOrEqualToThreshold: "LessThanOrEqualToThreshold",
  LessThanThreshold: "LessThanThreshold",
};

const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:[0-9]{12}:.+$/;
const SNS_SUBSCRIPTION_ARN = /^(arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+):[0-9a-f-]{36}$/;

function parseAction(
  a: string,
  path: string,
  s: Section,
  refs: { groups: readonly AutoscaleGroupModel[] | undefined; topics: ReadonlySet<string> },
): AlarmAction | undefined {
  if (a.startsWith("scaling_policy:")) {
    const parts = a.split(":");
    if (parts.length !== 3 || !parts[1] || !parts[2]) {
      s.issues.push({ path, message: `expected "scaling_policy:<group>:<policy>", got "${a}"` });
      return undefined;
    }
    const [, group, policy] = parts as [string, string, string];
    if (refs.groups) {
      const g = refs.groups.find((x) => x.name === group);
      if (!g) {
        s.issues.push({
          path,
          message: `unknown autoscale group "${group}" in "${a}"; known groups: ${quoteList(refs.groups.map((x) => x.name))}`,
        });
        return undefined;
      }
      if (!g.scalingPolicies.some((p) => p.name === policy)) {
        s.issues.push({
          path,
          message: `unknown scaling policy "${policy}" of group "${group}" in "${a}"; its policies: ${quoteList(g.scalingPolicies.map((p) => p.name))}`,
        });
        return undefined;
      }
      if (g.scalingPolicies.find((p) => p.name === policy)?.kind === "target_tracking") {
        s.issues.push({
          path,
          message: `"${policy}" is a target-tracking policy, which makes its own alarms; alarm actions need a simple policy`,
        });
        return undefined;
      }
    }
    return { kind: "scaling_policy", group, policy };
  }
  if (a.startsWith("sns:")) {
    const topic = a.slice(4);
    if (!refs.topics.has(topic)) {
      s.issues.push({
        path,
        message: `unknown topic "${topic}"; topics this stack creates (pillar:cloudwatch.topics): ${quoteList(refs.topics)}`,
      });
      return undefined;
    }
    return { kind: "sns", topic };
  }
  const subArn = SNS_SUBSCRIPTION_ARN.exec(a);
  if (subArn) {
    s.issues.push({
      path,
      message: `"${a}" is an SNS subscription ARN; alarm actions take the topic ARN "${subArn[1]}"`,
    });
    return undefined;
  }
  if (!ARN.test(a)) {
    s.issues.push({
      path,
      message: `expected an ARN, "scaling_policy:<group>:<policy>" or "sns:<topic>", got "${a}"`,
    });
    return undefined;
  }
  return { kind: "arn", arn: a };
}

export function loadAlarms(
  v: unknown,
  s: Section,
  refs: { groups: readonly AutoscaleGroupModel[] | undefined; topics: ReadonlySet<string> },
): AlarmModel[] {
  const seen = new Map<string, string>();
  return (Array.isArray(v) ? v : []).map((av, i): AlarmModel => {
    const a = obj(av);
    const path = sub(sub("pillar:cloudwatch", "alarms"), i);
    const at = obj(a.attributes);
    const ap = sub(path, "attributes");
    const name = String(a.name);
    if (seen.has(name))
      s.issues.push({
        path: sub(path, "name"),
        message: `duplicate alarm "${name}" (first at ${seen.get(name)})`,
      });
    seen.set(name, sub(path, "name"));
    const comparison = COMPARISONS[String(at.comparison)];
    if (!comparison) {
      s.issues.push({
        path: sub(ap, "comparison"),
        message: `expected one of ">=", ">", "<=", "<" (or an AWS operator name), got "${String(at.comparison)}"`,
      });
    }
    const actions = (key: string) =>
      toList(at[key]).flatMap((x, j) => parseAction(x, sub(sub(ap, key), j), s, refs) ?? []);
    const dimensions: Record<string, string[]> = {};
    for (const [k, dv] of Object.entries(obj(at.dimensions))) {
      dimensions[k] = toList(dv);
      // The seed writes each dimension as a list; CloudWatch takes one value per dimension.
      if (dimensions[k].length > 1)
        s.issues.push({
          path: sub(sub(ap, "dimensions"), k),
          message: `CloudWatch takes one value per dimension, got ${dimensions[k].length}: ${dimensions[k].map((x) => JSON.stringify(x)).join(", ")}; define one alarm per value`,
        });
    }
    const period = toInt(at.period);
    if (![10, 20, 30].includes(period) && period % 60 !== 0)
      s.issues.push({
        path: sub(ap, "period"),
        message: `CloudWatch takes a period of 10, 20, 30 or a multiple of 60 seconds, got ${period}`,
      });
    if (at.datapoints_to_alarm !== undefined && toInt(at.datapoints_to_alarm) > toInt(at.evaluation_periods))
      s.issues.push({
        path: sub(ap, "datapoints_to_alarm"),
        message: `${toInt(at.datapoints_to_alarm)} datapoints cannot alarm out of ${toInt(at.evaluation_periods)} evaluation periods; at most evaluation_periods`,
      });
    if (refs.groups) {
      (dimensions.AutoScalingGroupName ?? []).forEach((gname, j) => {
        if (!refs.groups!.some((g) => g.name === gname)) {
          s.issues.push({
            path: sub(sub(sub(ap, "dimensions"), "AutoScalingGroupName"), j),
            message: `unknown autoscale group "${gname}"; known groups: ${quoteList(refs.groups!.map((g) => g.name))}`,
          });
        }
      });
    }
    return {
      name,
      metric: String(at.metric),
      namespace: String(at.namespace),
      statistic: String(at.statistic),
      comparison: comparison ?? "GreaterThanOrEqualToThreshold",
      threshold: toNum(at.threshold),
      period: toInt(at.period),
      evaluationPeriods: toInt(at.evaluation_periods),
      ...(at.datapoints_to_alarm !== undefined ? { datapointsToAlarm: toInt(at.datapoints_to_alarm) } : {}),
      ...(typeof at.description === "string" ? { description: at.description } : {}),
      ...(typeof at.unit === "string" ? { unit: at.unit } : {}),
      ...(typeof at.treat_missing_data === "string" ? { treatMissingData: at.treat_missing_data } : {}),
      alarmActions: actions("alarm_actions"),
      okActions: actions("ok_actions"),
      insufficientDataActions: actions("insufficient_data_actions"),
      dimensions,
      path,
    };
  });
}

export function loadReactorProfiles(v: unknown, s: Section): ReactorProfileModel[] {
  return Object.entries(obj(v)).map(([name, pv]) => {
    const p = obj(pv);
    const path = sub("pillar:ec2.autoscale", name);
    checkProvider(p, path, s);
    const minion = obj(p.minion);
    const b = p.bootstrap === undefined ? undefined : obj(p.bootstrap);
    if (b && minion.startup_states !== undefined) {
      s.issues.push({ path, message: "Only one of [minion.startup_states] or [bootstrap] can be specified" });
    }
    let bootstrap: ReactorProfileModel["bootstrap"];
    if (b) {
      const parameters: Record<string, string[]> = {};
      for (const [k, pv2] of Object.entries(obj(b.parameters))) parameters[k] = toList(pv2);
      bootstrap = {
        document: String(b.document),
        parameters,
        timeoutSeconds: optInt(b.timeout_seconds) ?? 600,
      };
    } else if (minion.startup_states !== undefined) {
      const master = typeof minion.master === "string" ? minion.master : s.cloud?.saltMaster;
      const timeoutSeconds = 600;
      // The minion's grains travel as one JSON document; pillar_stack is what the master autosigns on.
      const grains = JSON.stringify({ ...toGrains(p.grains), pillar_stack: s.stack });
      bootstrap = {
        document: SALT_BOOTSTRAP_DOCUMENT,
        parameters: {
          StartupStates: [toList(minion.startup_states).join(" ")],
          ...(master ? { Master: [master] } : {}),
          Grains: [grains],
          ExecutionTimeout: [String(timeoutSeconds)],
        },
        timeoutSeconds,
      };
      if (master === undefined && s.cloud !== undefined) {
        s.issues.push({
          path: sub(path, "minion"),
          message:
            "the Salt bootstrap needs the master's address: set minion.master here or in the cloud provider",
        });
      } else if (master !== undefined && !new RegExp(SALT_PARAMETER_PATTERNS.Master).test(master)) {
        s.issues.push({
          path: sub(sub(path, "minion"), "master"),
          message: `expected a host name or IPv4 address, got "${master}"`,
        });
      }
      for (const st of toList(minion.startup_states)) {
        if (!/^[A-Za-z0-9_.-]+$/.test(st)) {
          s.issues.push({
            path: sub(sub(path, "minion"), "startup_states"),
            message: `expected Salt state names ([A-Za-z0-9_.-]), got "${st}"`,
          });
        }
      }
      if (!new RegExp(SALT_PARAMETER_PATTERNS.Grains).test(grains)) {
        s.issues.push({
          path: sub(path, "grains"),
          message:
            "grain names and values for the Salt bootstrap may use letters, digits, space and _ . : / , - only",
        });
      }
    }
    return {
      name,
      grains: toGrains(p.grains),
      ...(typeof p.ssh_username === "string" ? { sshUsername: p.ssh_username } : {}),
      ...(bootstrap ? { bootstrap } : {}),
      path,
    };
  });
}
