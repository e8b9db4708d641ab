/**
 * `pillar:elb`: the seed's classic load balancer (one, or a list): listeners with their
 * certificates, the health check `target` string, attributes, security groups by name, TLS policy.
 * `type: application` builds an Application Load Balancer from the same keys instead, and
 * `migrate_to: application` builds one beside the classic ELB for the cutover (./elb/application.ts).
 */
import { quoteList, sub } from "../issues";
import { bool, intSchema, oneOf, port, Static, str, strList, Type } from "../schemaKit";
import { optInt, toBool } from "../values";
import { checkGroupRefs, Section, subnets, uniqueNames } from "./context";
import { ApplicationLoadBalancerModel, loadApplication } from "./elb/application";
import type { SubnetRef } from "./network";

const protocols = oneOf(["HTTP", "HTTPS", "TCP", "SSL", "http", "https", "tcp", "ssl"]);

const listener = Type.Object(
  {
    elb_port: port,
    instance_port: port,
    elb_protocol: protocols,
    instance_protocol: Type.Optional(protocols),
    /** ALB only: what an HTTP listener does (redirect to HTTPS, the default, or forward). */
    action: Type.Optional(oneOf(["redirect", "forward"])),
    certificate: Type.Optional(
      Type.String({
        pattern:
          "^arn:aws[a-z-]*:(iam::[0-9]{12}:server-certificate/|acm:[a-z0-9-]+:[0-9]{12}:certificate/).+",
        description:
          "an IAM server certificate ARN (arn:aws:iam::…:server-certificate/…) or ACM certificate ARN",
      }),
    ),
  },
  { additionalProperties: false },
);

const seconds = (min: number, max: number) => intSchema(min, max, "seconds");
const loadBalancer = Type.Object(
  {
    name: Type.String({ pattern: "^[A-Za-z0-9-]{1,32}$", description: "1–32 letters, digits and hyphens" }),
    type: Type.Optional(
      Type.String({ minLength: 1, description: 'a load balancer type: "classic" or "application"' }),
    ),
    migrate_to: Type.Optional(Type.String({ minLength: 1, description: '"application"' })),
    listeners: Type.Array(listener, { minItems: 1 }),
    subnets: Type.Array(str, { minItems: 1 }),
    health_check: Type.Optional(
      Type.Object(
        {
          target: str,
          interval: Type.Optional(seconds(5, 300)),
          timeout: Type.Optional(seconds(2, 60)),
          healthy_threshold: Type.Optional(intSchema(2, 10, "a count")),
          unhealthy_threshold: Type.Optional(intSchema(2, 10, "a count")),
          matcher: Type.Optional(str),
        },
        { additionalProperties: false },
      ),
    ),
    attributes: Type.Optional(
      Type.Object(
        {
          cross_zone_load_balancing: Type.Optional(
            Type.Object({ enabled: Type.Optional(bool) }, { additionalProperties: false }),
          ),
          connection_draining: Type.Optional(
            Type.Object(
              { enabled: Type.Optional(bool), timeout: Type.Optional(seconds(1, 3600)) },
              { additionalProperties: false },
            ),
          ),
          connecting_settings: Type.Optional(
            Type.Object({ idle_timeout: Type.Optional(seconds(1, 4000)) }, { additionalProperties: false }),
          ),
          access_log: Type.Optional(
            Type.Object(
              {
                enabled: Type.Optional(bool),
                s3_bucket_name: str,
                s3_bucket_prefix: Type.Optional(Type.String()),
                emit_interval: Type.Optional(oneOf([5, 60, "5", "60"])),
              },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    security_groups: Type.Optional(strList),
    ssl_policy: Type.Optional(str),
    scheme: Type.Optional(oneOf(["internet-facing", "internal"])),
    drop_invalid_header_fields: Type.Optional(bool),
    deletion_protection: Type.Optional(bool),
    http2: Type.Optional(bool),
  },
  { additionalProperties: false },
);
type LoadBalancerInput = Static<typeof loadBalancer>;

/** One load balancer, as the seed writes it, or a list of them. */
export const elbSchema = Type.Unsafe<LoadBalancerInput | LoadBalancerInput[]>({
  ...loadBalancer,
  type: ["object", "array"],
  items: loadBalancer,
});
export type ElbInput = Static<typeof elbSchema>;

export type ListenerProtocol = "HTTP" | "HTTPS" | "TCP" | "SSL";

export interface ListenerModel {
  readonly lbPort: number;
  readonly lbProtocol: ListenerProtocol;
  readonly instancePort: number;
  readonly instanceProtocol: ListenerProtocol;
  readonly certificateArn?: string;
  readonly path: string;
}

export interface HealthCheckModel {
  /** Normalized target, e.g. `HTTPS:443/check.html`, `TCP:22`. */
  readonly target: string;
  readonly interval: number;
  readonly timeout: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
}

export type LoadBalancerType = "classic" | "application";

export interface LoadBalancerModel {
  readonly name: string;
  /**
   * What the entry is: the seed's classic ELB (the default, so the seed's data means what it meant)
   * or an Application Load Balancer. A classic entry with `migrate_to: application` stays classic
   * and also has `application`, its twin.
   */
  readonly type: LoadBalancerType;
  /** The ALB: the entry itself (`type: application`) or the classic ELB's migration twin. */
  readonly application?: ApplicationLoadBalancerModel;
  readonly listeners: readonly ListenerModel[];
  readonly subnets: readonly SubnetRef[];
  readonly healthCheck: HealthCheckModel;
  readonly crossZone: boolean;
  readonly connectionDraining: boolean;
  readonly connectionDrainingTimeout: number;
  readonly idleTimeout: number;
  readonly accessLogs?: {
    readonly bucket: string;
    readonly prefix?: string;
    readonly interval: number;
    readonly enabled: boolean;
  };
  readonly securityGroups: readonly string[];
  /** TLS negotiation policy for HTTPS/SSL listeners. */
  readonly sslPolicy: string;
  readonly internal: boolean;
  readonly path: string;
}

const DEFAULT_TLS_POLICY = "ELBSecurityPolicy-TLS-1-2-2017-01";
const HEALTH_TARGET = /^(HTTP|HTTPS|TCP|SSL):([0-9]{1,5})(\/.*)?$/;
const HTTP_FAMILY = new Set(["HTTP", "HTTPS"]);

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

export function loadLoadBalancers(v: ElbInput | undefined, s: Section): LoadBalancerModel[] {
  if (v === undefined) return [];
  const list = Array.isArray(v)
    ? v.map((e, i) => [e, sub("pillar:elb", i)] as const)
    : [[v, "pillar:elb"] as const];
  const unique = uniqueNames(
    s.issues,
    (name, first) => `duplicate load balancer name "${name}" (first at ${first})`,
  );
  return list.map(([e, path]) => {
    unique(e.name, sub(path, "name"));
    const listeners = loadListeners(e.listeners, sub(path, "listeners"), s);
    const target = e.health_check?.target ?? `TCP:${listeners[0]?.instancePort ?? 80}`;
    const parsed = parseHealthTarget(target);
    if (typeof parsed === "string")
      s.issues.push({ path: sub(sub(path, "health_check"), "target"), message: parsed });
    const healthCheck: HealthCheckModel = {
      target,
      interval: optInt(e.health_check?.interval) ?? 30,
      timeout: optInt(e.health_check?.timeout) ?? 5,
      healthyThreshold: optInt(e.health_check?.healthy_threshold) ?? 10,
      unhealthyThreshold: optInt(e.health_check?.unhealthy_threshold) ?? 2,
    };
    if (healthCheck.timeout >= healthCheck.interval) {
      s.issues.push({
        path: sub(sub(path, "health_check"), "timeout"),
        message: `timeout ${healthCheck.timeout}s must be less than interval ${healthCheck.interval}s`,
      });
    }
    const cz = e.attributes?.cross_zone_load_balancing;
    const cd = e.attributes?.connection_draining;
    const al = e.attributes?.access_log;
    const type = loadType(e, path, s);
    const classic = {
      name: e.name,
      listeners,
      subnets: subnets(e.subnets, sub(path, "subnets"), s),
      healthCheck,
      crossZone: cz?.enabled === undefined ? true : toBool(cz.enabled),
      connectionDraining: cd?.enabled === undefined ? true : toBool(cd.enabled),
      connectionDrainingTimeout: optInt(cd?.timeout) ?? 300,
      idleTimeout: optInt(e.attributes?.connecting_settings?.idle_timeout) ?? 60,
      ...(al !== undefined
        ? {
            accessLogs: {
              bucket: al.s3_bucket_name,
              ...(al.s3_bucket_prefix !== undefined ? { prefix: al.s3_bucket_prefix } : {}),
              interval: optInt(al.emit_interval) ?? 60,
              enabled: al.enabled === undefined ? true : toBool(al.enabled),
            },
          }
        : {}),
      securityGroups: checkGroupRefs(e.security_groups, sub(path, "security_groups"), s),
      sslPolicy: e.ssl_policy ?? DEFAULT_TLS_POLICY,
      internal: e.scheme === "internal",
      path,
    };
    const origin = type === "application" ? "type" : e.migrate_to !== undefined ? "migrate_to" : undefined;
    if (origin === undefined) refuseAlbKeys(e, path, s);
    return {
      ...classic,
      type,
      ...(origin !== undefined ? { application: loadApplication(e, classic, origin, path, s) } : {}),
    };
  });
}

const TYPES: readonly LoadBalancerType[] = ["classic", "application"];

/** The entry's `type` (classic unless it says otherwise) and its `migrate_to`, checked. */
function loadType(e: LoadBalancerInput, path: string, s: Section): LoadBalancerType {
  const t = e.type ?? "classic";
  let type: LoadBalancerType = "classic";
  if ((TYPES as readonly string[]).includes(t)) type = t as LoadBalancerType;
  else
    s.issues.push({
      path: sub(path, "type"),
      message:
        t === "network"
          ? `pillar builds "classic" and "application" load balancers; a Network Load Balancer (TCP, TLS, UDP) is not built yet: keep TCP and SSL listeners on a classic load balancer`
          : `unknown load balancer type ${JSON.stringify(t)}; expected one of ${quoteList(TYPES)} (classic is the default)`,
    });
  const m = e.migrate_to;
  if (m !== undefined) {
    if (m !== "application")
      s.issues.push({
        path: sub(path, "migrate_to"),
        message: `a classic load balancer migrates to "application" (an ALB twin beside it), got ${JSON.stringify(m)}`,
      });
    else if (type === "application")
      s.issues.push({
        path: sub(path, "migrate_to"),
        message:
          "migrate_to builds an ALB twin beside a classic load balancer; this entry is already type application: remove migrate_to",
      });
  }
  return type;
}

/** Keys only an ALB has, on an entry that builds none. */
function refuseAlbKeys(e: LoadBalancerInput, path: string, s: Section): void {
  const refuse = (at: string) =>
    s.issues.push({
      path: at,
      message:
        "only applies to an Application Load Balancer: set type: application, or migrate_to: application for an ALB twin beside this classic ELB",
    });
  for (const k of ["drop_invalid_header_fields", "deletion_protection", "http2"] as const)
    if (e[k] !== undefined) refuse(sub(path, k));
  if (e.health_check?.matcher !== undefined) refuse(sub(sub(path, "health_check"), "matcher"));
  e.listeners.forEach((l, i) => {
    if (l.action !== undefined) refuse(sub(sub(sub(path, "listeners"), i), "action"));
  });
}

function loadListeners(list: LoadBalancerInput["listeners"], at: string, s: Section): ListenerModel[] {
  const ports = new Map<number, string>();
  return list.map((l, i): ListenerModel => {
    const lp = sub(at, i);
    const lbProtocol = l.elb_protocol.toUpperCase() as ListenerProtocol;
    const instanceProtocol = (l.instance_protocol ?? lbProtocol).toUpperCase() as ListenerProtocol;
    const secure = lbProtocol === "HTTPS" || lbProtocol === "SSL";
    if (secure && l.certificate === undefined) {
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
    const dupPort = ports.get(l.elb_port);
    if (dupPort)
      s.issues.push({
        path: sub(lp, "elb_port"),
        message: `port ${l.elb_port} already has a listener at ${dupPort}`,
      });
    ports.set(l.elb_port, lp);
    return {
      lbPort: l.elb_port,
      lbProtocol,
      instancePort: l.instance_port,
      instanceProtocol,
      ...(l.certificate !== undefined && secure ? { certificateArn: l.certificate } : {}),
      path: lp,
    };
  });
}
