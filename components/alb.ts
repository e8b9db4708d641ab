import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AlbListenerModel, ApplicationLoadBalancerModel, TargetGroupModel } from "../config/model";

export interface ApplicationLoadBalancerArgs {
  /** The entry's ALB (`type: application`) or a classic entry's migration twin, validated. */
  readonly alb: ApplicationLoadBalancerModel;
  readonly vpcId: pulumi.Input<string>;
  readonly subnetIds: pulumi.Input<string>[];
  readonly securityGroupIds: pulumi.Input<string>[];
}

/** What a plain-value planner gives each child, so tests can check the inputs without a runtime. */
export function targetGroupArgs(tg: TargetGroupModel) {
  const hc = tg.healthCheck;
  return {
    targetType: "instance",
    protocol: tg.protocol,
    port: tg.port,
    deregistrationDelay: tg.deregistrationDelay,
    healthCheck: {
      enabled: true,
      protocol: hc.protocol,
      port: String(hc.port),
      path: hc.path,
      matcher: hc.matcher,
      interval: hc.interval,
      timeout: hc.timeout,
      healthyThreshold: hc.healthyThreshold,
      unhealthyThreshold: hc.unhealthyThreshold,
    },
    // Cross-zone is always on at an ALB; a target group is the one place it can be turned off.
    ...(tg.crossZone ? {} : { loadBalancingCrossZoneEnabled: "false" }),
  };
}

/** A listener's inputs besides the load balancer and the target group ARNs it forwards to. */
export function listenerArgs(
  l: AlbListenerModel,
  sslPolicy: string,
  targetGroupArn: pulumi.Input<string> | undefined,
) {
  return {
    port: l.port,
    protocol: l.protocol,
    // The API's default policy is ELBSecurityPolicy-2016-08 (TLS 1.0): always name the current one.
    ...(l.protocol === "HTTPS" ? { certificateArn: l.certificateArn, sslPolicy } : {}),
    defaultActions: [
      l.action.kind === "forward"
        ? { type: "forward", targetGroupArn }
        : {
            type: "redirect",
            redirect: { protocol: "HTTPS", port: String(l.action.port), statusCode: "HTTP_301" },
          },
    ],
  };
}

/**
 * An Application Load Balancer from a `pillar:elb` entry: the load balancer (invalid header fields
 * dropped, deletion protection and HTTP/2 unless the entry turns them off; cross-zone is always on
 * for an ALB), one target group per instance port with the entry's health check, and one listener
 * per entry listener (HTTPS with its certificate and the TLS 1.3 policy; HTTP redirects to HTTPS or
 * forwards). Named after the entry, whether it is the entry itself or a classic ELB's twin, so the
 * cutover's last step (migrate_to removed, type: application set) keeps every resource's URN.
 */
export class ApplicationLoadBalancer extends pulumi.ComponentResource {
  public readonly loadBalancer: aws.lb.LoadBalancer;
  /** Target groups by their config name (`<lb>-<instance port>`). */
  public readonly targetGroups: Readonly<Record<string, aws.lb.TargetGroup>>;
  /** The listeners: a group registering with a target group waits for them, so its targets are in use. */
  public readonly listeners: readonly aws.lb.Listener[];
  public readonly dnsName: pulumi.Output<string>;
  public readonly zoneId: pulumi.Output<string>;

  constructor(name: string, args: ApplicationLoadBalancerArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("pillar:elb:ApplicationLoadBalancer", name, {}, opts);
    const { alb } = args;
    const o = { parent: this };
    const tags = { Name: alb.name, "pillar:elb": alb.name };
    this.loadBalancer = new aws.lb.LoadBalancer(
      name,
      {
        loadBalancerType: "application",
        internal: alb.internal,
        subnets: args.subnetIds,
        securityGroups: args.securityGroupIds,
        idleTimeout: alb.idleTimeout,
        dropInvalidHeaderFields: alb.dropInvalidHeaderFields,
        enableDeletionProtection: alb.deletionProtection,
        enableHttp2: alb.http2,
        ...(alb.accessLogs
          ? {
              accessLogs: {
                bucket: alb.accessLogs.bucket,
                enabled: alb.accessLogs.enabled,
                ...(alb.accessLogs.prefix !== undefined ? { prefix: alb.accessLogs.prefix } : {}),
              },
            }
          : {}),
        tags,
      },
      o,
    );
    const groups: Record<string, aws.lb.TargetGroup> = {};
    for (const tg of alb.targetGroups) {
      groups[tg.name] = new aws.lb.TargetGroup(
        tg.name,
        { ...targetGroupArgs(tg), vpcId: args.vpcId, tags: { ...tags, "pillar:target-group": tg.name } },
        o,
      );
    }
    this.targetGroups = groups;
    const listeners: aws.lb.Listener[] = [];
    for (const l of alb.listeners) {
      const forward = l.action.kind === "forward" ? groups[l.action.targetGroup] : undefined;
      if (l.action.kind === "forward" && !forward)
        throw new pulumi.ResourceError(`${l.path}: no target group ${l.action.targetGroup}`, this);
      const listener = new aws.lb.Listener(
        `${name}-${l.port}`,
        {
          loadBalancerArn: this.loadBalancer.arn,
          ...listenerArgs(l, alb.sslPolicy, forward?.arn),
          tags,
        },
        o,
      );
      listeners.push(listener);
    }
    this.listeners = listeners;
    this.dnsName = this.loadBalancer.dnsName;
    this.zoneId = this.loadBalancer.zoneId;
    this.registerOutputs({
      dnsName: this.dnsName,
      zoneId: this.zoneId,
      arnSuffix: this.loadBalancer.arnSuffix,
    });
  }
}
