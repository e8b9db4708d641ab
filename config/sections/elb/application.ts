/**
 * The Application Load Balancer a `pillar:elb` entry builds: with `type: application`, or as the
 * twin a classic entry gets beside it with `migrate_to: application`. The seed's keys map as AWS's
 * migration wizard maps them, and its known limits are handled here rather than found at apply
 * (ELB User Guide, "Migrate your Classic Load Balancer": a one-subnet CLB needs a second subnet; a
 * TCP health check on an HTTP/HTTPS listener becomes HTTP with path "/"; a custom or unsupported
 * security policy becomes the new type's default).
 *
 * - listeners: HTTP and HTTPS only (TCP/SSL need a Network Load Balancer); HTTPS keeps its
 *   certificate (IAM or ACM) and gets a current TLS 1.3 policy; HTTP redirects to HTTPS unless the
 *   listener says `action: forward`;
 * - one target group per instance port that a listener forwards to, named `<lb>-<port>`, with the
 *   entry's one health check (`HTTPS:443/check.html` → HTTPS, port 443, path /check.html) and its
 *   thresholds, interval and timeout;
 * - connection draining → deregistration delay (0 when draining is off); idle timeout; access logs
 *   (an ALB writes them every 5 minutes: there is no interval); cross-zone is always on for an ALB
 *   at the load balancer level, so `enabled: false` is carried to its target groups, which can opt out;
 * - what an ALB should have: invalid header fields dropped, deletion protection, HTTP/2 (all on unless
 *   the entry turns them off).
 *
 * What the twin does differently from the classic ELB it copies is a note (shown by the plan and,
 * under the CLI, logged as a warning), never silent.
 */
import { ConfigIssue, sub } from "../../issues";
import type { Section } from "../context";
import type { HealthCheckModel, ListenerModel } from "../elb";
import type { SubnetRef } from "../network";
import { toBool } from "../../values";
import type { BoolInput } from "../../schemaKit";

/**
 * AWS's recommended ALB security policy (hybrid post-quantum key exchange, TLS 1.3 and 1.2 only,
 * restricted ciphers), and the console's default; the API's default is still ELBSecurityPolicy-2016-08,
 * which allows TLS 1.0, so pillar always sets one. Source: ELB User Guide, "Security policies for
 * your Application Load Balancer" (2025-09 revision).
 */
export const ALB_DEFAULT_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";

export type AlbProtocol = "HTTP" | "HTTPS";

export type AlbListenerAction =
  | { readonly kind: "forward"; readonly targetGroup: string }
  /** An HTTP_301 to HTTPS on `port`, keeping host, path and query. */
  | { readonly kind: "redirect"; readonly port: number };

export interface AlbListenerModel {
  readonly port: number;
  readonly protocol: AlbProtocol;
  readonly certificateArn?: string;
  readonly action: AlbListenerAction;
  readonly path: string;
}

export interface AlbHealthCheckModel {
  readonly protocol: AlbProtocol;
  /** The port checked, which may differ from the target group's (the seed checks 443 for every port). */
  readonly port: number;
  readonly path: string;
  /** HTTP codes that count as healthy: "200" (what a classic ELB accepts), or as the entry says. */
  readonly matcher: string;
  readonly interval: number;
  readonly timeout: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
}

export interface TargetGroupModel {
  /** `<lb>-<port>`: the resource's logical name, and the name autoscale groups' `target_groups` use. */
  readonly name: string;
  readonly protocol: AlbProtocol;
  readonly port: number;
  readonly healthCheck: AlbHealthCheckModel;
  /** Seconds a deregistering target keeps its connections (the classic ELB's connection draining). */
  readonly deregistrationDelay: number;
  /** false when the entry turns cross-zone off: the ALB balances across zones, its target groups may not. */
  readonly crossZone: boolean;
}

export interface ApplicationLoadBalancerModel {
  /** The entry's name: the ALB's logical name whether it is the entry itself or a migration twin. */
  readonly name: string;
  /** How it came about: the entry's own `type`, or the twin of a classic ELB being migrated. */
  readonly origin: "type" | "migrate_to";
  readonly listeners: readonly AlbListenerModel[];
  readonly targetGroups: readonly TargetGroupModel[];
  readonly subnets: readonly SubnetRef[];
  readonly securityGroups: readonly string[];
  readonly internal: boolean;
  readonly idleTimeout: number;
  readonly accessLogs?: { readonly bucket: string; readonly prefix?: string; readonly enabled: boolean };
  /** The TLS policy of every HTTPS listener. */
  readonly sslPolicy: string;
  readonly dropInvalidHeaderFields: boolean;
  readonly deletionProtection: boolean;
  readonly http2: boolean;
  /** Where the ALB differs from what the entry says for a classic ELB: shown, never silent. */
  readonly notes: readonly ConfigIssue[];
  readonly path: string;
}

/** What the ALB reads of the entry as written (only what the classic model does not carry). */
export interface AlbInput {
  readonly listeners: readonly { readonly action?: "redirect" | "forward" }[];
  readonly health_check?: { readonly matcher?: string };
  readonly ssl_policy?: string;
  readonly drop_invalid_header_fields?: unknown;
  readonly deletion_protection?: unknown;
  readonly http2?: unknown;
  readonly attributes?: {
    readonly cross_zone_load_balancing?: { readonly enabled?: unknown };
    readonly access_log?: { readonly emit_interval?: unknown };
  };
}

/** What the classic model already normalized, which the ALB takes over. */
export interface ClassicView {
  readonly name: string;
  readonly listeners: readonly ListenerModel[];
  readonly healthCheck: HealthCheckModel;
  readonly subnets: readonly SubnetRef[];
  readonly securityGroups: readonly string[];
  readonly internal: boolean;
  readonly idleTimeout: number;
  readonly crossZone: boolean;
  readonly connectionDraining: boolean;
  readonly connectionDrainingTimeout: number;
  readonly accessLogs?: {
    readonly bucket: string;
    readonly prefix?: string;
    readonly enabled: boolean;
  };
}

/** The logical (and `target_groups`) name of an ALB's target group for one instance port. */
export const targetGroupName = (lb: string, port: number): string => `${lb}-${port}`;

const HEALTH_TARGET = /^(HTTP|HTTPS|TCP|SSL):([0-9]{1,5})(\/.*)?$/;
/** ALB matchers: codes 200-499, single, comma-separated or ranges (TargetGroupHealthCheck.matcher). */
const MATCHER = /^[0-9]{3}(-[0-9]{3})?(,[0-9]{3}(-[0-9]{3})?)*$/;

function matcherProblem(m: string): string | undefined {
  if (!MATCHER.test(m))
    return `expected HTTP codes like "200", "200,202" or "200-299", got ${JSON.stringify(m)}`;
  const codes = m.split(/[,-]/).map(Number);
  const bad = codes.find((c) => c < 200 || c > 499);
  if (bad !== undefined)
    return `an Application Load Balancer accepts health check codes from 200 to 499, got ${bad}`;
  const ranges = m.split(",").filter((r) => r.includes("-"));
  const backwards = ranges.find((r) => {
    const [a, b] = r.split("-").map(Number) as [number, number];
    return a > b;
  });
  return backwards === undefined ? undefined : `the range "${backwards}" ends before it starts`;
}

/** An ALB setting that is on unless the entry turns it off. */
const flag = (v: unknown): boolean => v === undefined || toBool(v as BoolInput);

/** How many distinct subnets the references name (tiers as the network knows them). */
function subnetCount(refs: readonly SubnetRef[], s: Section): number {
  const ids = new Set<string>();
  const tiers = new Set<string>();
  for (const r of refs) {
    if (r.kind === "id") ids.add(r.id);
    else if (s.network?.mode === "existing")
      for (const id of r.tier === "public" ? s.network.publicSubnetIds : s.network.privateSubnetIds)
        ids.add(id);
    else tiers.add(r.tier);
  }
  return ids.size + tiers.size * (s.network?.mode === "create" ? s.network.azCount : 0);
}

/**
 * The ALB of one entry. `origin` says whether the entry is itself an ALB (`type: application`) or a
 * classic ELB growing a twin (`migrate_to: application`): the same data, but what cannot carry over
 * is an error for the first and, where the classic ELB can keep it, a note for the second.
 */
export function loadApplication(
  e: AlbInput,
  classic: ClassicView,
  origin: "type" | "migrate_to",
  path: string,
  s: Section,
): ApplicationLoadBalancerModel {
  const notes: ConfigIssue[] = [];
  const twin = origin === "migrate_to";
  const lp = sub(path, "listeners");
  const hcPath = sub(path, "health_check");

  const count = subnetCount(classic.subnets, s);
  if (count < 2 && classic.subnets.length > 0)
    s.issues.push({
      path: sub(path, "subnets"),
      message: `an Application Load Balancer needs subnets in at least two Availability Zones; ${twin ? "this classic ELB has" : "this load balancer has"} ${count}: add a subnet in another zone${twin ? " (AWS's migration wizard asks for one too)" : ""}`,
    });

  // Listeners. An HTTP listener redirects to the HTTPS port (443 if there is one), which must exist.
  const https = classic.listeners.filter((l) => l.lbProtocol === "HTTPS");
  const redirectPort = (https.find((l) => l.lbPort === 443) ?? https[0])?.lbPort;
  const forwarded = new Map<number, { protocol: AlbProtocol; at: string }>();
  const listeners: AlbListenerModel[] = [];
  classic.listeners.forEach((l, i) => {
    const at = sub(lp, i);
    const action = e.listeners[i]?.action;
    if (l.lbProtocol === "TCP" || l.lbProtocol === "SSL") {
      s.issues.push({
        path: sub(at, "elb_protocol"),
        message: twin
          ? `migrate_to: application cannot carry the ${l.lbProtocol} listener on port ${l.lbPort}: an Application Load Balancer serves HTTP and HTTPS only (AWS's migration wizard moves ${l.lbProtocol} listeners to a Network Load Balancer, which pillar does not build); remove the listener or keep this load balancer classic`
          : `an Application Load Balancer serves HTTP and HTTPS only; a ${l.lbProtocol} listener needs a Network Load Balancer, which pillar does not build: keep this load balancer classic (no type) or drop the listener`,
      });
      return;
    }
    if (l.lbProtocol === "HTTPS" && action === "redirect")
      s.issues.push({
        path: sub(at, "action"),
        message: "an HTTPS listener forwards to its target group; only HTTP listeners redirect (to HTTPS)",
      });
    const redirect = l.lbProtocol === "HTTP" && (action ?? "redirect") === "redirect";
    if (redirect) {
      if (redirectPort === undefined) {
        s.issues.push({
          path: at,
          message: `an HTTP listener redirects to HTTPS${action === undefined ? " by default" : ""}, but this load balancer has no HTTPS listener: add one (with a certificate), or say action: forward to serve plain HTTP`,
        });
        return;
      }
      listeners.push({
        port: l.lbPort,
        protocol: "HTTP",
        action: { kind: "redirect", port: redirectPort },
        path: at,
      });
      return;
    }
    const protocol = l.instanceProtocol as AlbProtocol;
    const seen = forwarded.get(l.instancePort);
    if (seen && seen.protocol !== protocol)
      s.issues.push({
        path: sub(at, "instance_protocol"),
        message: `instance port ${l.instancePort} is forwarded as ${seen.protocol} at ${seen.at}; one port serves one protocol, and an ALB has one target group per instance port`,
      });
    else if (!seen) forwarded.set(l.instancePort, { protocol, at });
    listeners.push({
      port: l.lbPort,
      protocol: l.lbProtocol as AlbProtocol,
      ...(l.certificateArn !== undefined ? { certificateArn: l.certificateArn } : {}),
      action: { kind: "forward", targetGroup: targetGroupName(classic.name, l.instancePort) },
      path: at,
    });
  });

  // The entry's one health check, for every target group (as the classic ELB checks each instance once).
  const matcher = e.health_check?.matcher ?? "200";
  const matcherIssue = matcherProblem(matcher);
  if (e.health_check?.matcher !== undefined && matcherIssue)
    s.issues.push({ path: sub(hcPath, "matcher"), message: matcherIssue });
  const hc = classic.healthCheck;
  const m = HEALTH_TARGET.exec(hc.target);
  let check: Pick<AlbHealthCheckModel, "protocol" | "port" | "path"> | undefined;
  if (m) {
    const [, protocol, portText, checkPath] = m as unknown as [string, string, string, string | undefined];
    const port = Number(portText);
    if ((protocol === "HTTP" || protocol === "HTTPS") && checkPath !== undefined) {
      check = { protocol, port, path: checkPath };
    } else {
      // AWS refuses a TCP check on an HTTP/HTTPS target group. The wizard makes it HTTP "/"; a port
      // the instances serve HTTPS on is checked over HTTPS, since plain HTTP to a TLS port always fails.
      const served = classic.listeners.find((l) => l.instancePort === port)?.instanceProtocol;
      const mapped: AlbProtocol = protocol === "SSL" || served === "HTTPS" ? "HTTPS" : "HTTP";
      check = { protocol: mapped, port, path: "/" };
      notes.push({
        path: sub(hcPath, "target"),
        message: `${e.health_check === undefined ? `without a health_check, the classic ELB checks ${hc.target}; ` : ""}an Application Load Balancer cannot check ${protocol} on an HTTP/HTTPS target group, so it checks ${mapped}:${port}/ and expects ${matcher} from "/": make "/" answer it, or give health_check.target a path (e.g. "${mapped}:${port}/check.html")`,
      });
    }
  }
  const healthCheck: AlbHealthCheckModel = {
    ...(check ?? { protocol: "HTTP" as const, port: 80, path: "/" }),
    matcher,
    interval: hc.interval,
    timeout: hc.timeout,
    healthyThreshold: hc.healthyThreshold,
    unhealthyThreshold: hc.unhealthyThreshold,
  };

  if (!classic.crossZone)
    notes.push({
      path: sub(sub(sub(path, "attributes"), "cross_zone_load_balancing"), "enabled"),
      message:
        "an Application Load Balancer always balances across zones at the load balancer level; enabled: false is carried to its target groups (load_balancing.cross_zone.enabled false), which is the one place an ALB can turn it off",
    });
  const targetGroups: TargetGroupModel[] = [...forwarded.entries()].map(([port, { protocol }]) => ({
    name: targetGroupName(classic.name, port),
    protocol,
    port,
    healthCheck,
    deregistrationDelay: classic.connectionDraining ? classic.connectionDrainingTimeout : 0,
    crossZone: classic.crossZone,
  }));

  const interval = e.attributes?.access_log?.emit_interval;
  const logsAt = sub(sub(path, "attributes"), "access_log");
  if (interval !== undefined) {
    const message = `an Application Load Balancer writes its access logs every 5 minutes and takes no interval`;
    if (twin)
      notes.push({
        path: sub(logsAt, "emit_interval"),
        message: `${message}; emit_interval applies to the classic ELB only`,
      });
    else s.issues.push({ path: sub(logsAt, "emit_interval"), message: `${message}: remove emit_interval` });
  }
  if (classic.accessLogs?.prefix?.includes("AWSLogs"))
    s.issues.push({
      path: sub(logsAt, "s3_bucket_prefix"),
      message: `an Application Load Balancer's log prefix must not include "AWSLogs" (AWS adds the AWSLogs/… part itself)`,
    });

  const given = e.ssl_policy;
  let sslPolicy = ALB_DEFAULT_TLS_POLICY;
  if (given !== undefined && twin) {
    if (https.length > 0)
      notes.push({
        path: sub(path, "ssl_policy"),
        message: `the classic ELB keeps ${given}; its ALB twin uses ${ALB_DEFAULT_TLS_POLICY} (AWS's recommended policy: TLS 1.2 and 1.3 with post-quantum key exchange), as AWS's migration wizard gives a classic policy the new type's default; clients that cannot speak TLS 1.2 will not connect to the ALB. When you set type: application, remove ssl_policy to keep this one, or name the ALB policy you want`,
      });
  } else if (given !== undefined) {
    if (!given.startsWith("ELBSecurityPolicy-"))
      s.issues.push({
        path: sub(path, "ssl_policy"),
        message: `an Application Load Balancer takes only AWS's predefined security policies (ELBSecurityPolicy-…), no custom ones; got ${JSON.stringify(given)} (recommended: ${ALB_DEFAULT_TLS_POLICY})`,
      });
    sslPolicy = given;
  }

  return {
    name: classic.name,
    origin,
    listeners,
    targetGroups,
    subnets: classic.subnets,
    securityGroups: classic.securityGroups,
    internal: classic.internal,
    idleTimeout: classic.idleTimeout,
    ...(classic.accessLogs
      ? {
          accessLogs: {
            bucket: classic.accessLogs.bucket,
            ...(classic.accessLogs.prefix !== undefined ? { prefix: classic.accessLogs.prefix } : {}),
            enabled: classic.accessLogs.enabled,
          },
        }
      : {}),
    sslPolicy,
    dropInvalidHeaderFields: flag(e.drop_invalid_header_fields),
    deletionProtection: flag(e.deletion_protection),
    http2: flag(e.http2),
    notes,
    path,
  };
}
