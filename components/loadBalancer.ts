import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LoadBalancerModel } from "../config/model";

export interface LoadBalancerArgs {
  /** The seed's `elb` pillar entry, validated. */
  readonly elb: LoadBalancerModel;
  readonly subnetIds: pulumi.Input<string>[];
  readonly securityGroupIds: pulumi.Input<string>[];
}

/**
 * The seed's classic ELB: listeners (HTTPS with its certificate, HTTP), health check from the
 * `target` string, cross-zone, connection draining, idle timeout and optional access logs; secure
 * listeners get a current TLS negotiation policy.
 */
export class LoadBalancer extends pulumi.ComponentResource {
  public readonly loadBalancer: aws.elb.LoadBalancer;
  public readonly dnsName: pulumi.Output<string>;
  public readonly zoneId: pulumi.Output<string>;
  public readonly loadBalancerName: pulumi.Output<string>;

  constructor(name: string, args: LoadBalancerArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("pillar:elb:LoadBalancer", name, {}, opts);
    const { elb } = args;
    const o = { parent: this };
    const hc = elb.healthCheck;
    this.loadBalancer = new aws.elb.LoadBalancer(
      name,
      {
        subnets: args.subnetIds,
        securityGroups: args.securityGroupIds,
        internal: elb.internal,
        listeners: elb.listeners.map((l) => ({
          lbPort: l.lbPort,
          lbProtocol: l.lbProtocol,
          instancePort: l.instancePort,
          instanceProtocol: l.instanceProtocol,
          ...(l.certificateArn ? { sslCertificateId: l.certificateArn } : {}),
        })),
        healthCheck: {
          target: hc.target,
          interval: hc.interval,
          timeout: hc.timeout,
          healthyThreshold: hc.healthyThreshold,
          unhealthyThreshold: hc.unhealthyThreshold,
        },
        crossZoneLoadBalancing: elb.crossZone,
        connectionDraining: elb.connectionDraining,
        connectionDrainingTimeout: elb.connectionDrainingTimeout,
        idleTimeout: elb.idleTimeout,
        ...(elb.accessLogs
          ? {
              accessLogs: {
                bucket: elb.accessLogs.bucket,
                interval: elb.accessLogs.interval,
                enabled: elb.accessLogs.enabled,
                ...(elb.accessLogs.prefix !== undefined ? { bucketPrefix: elb.accessLogs.prefix } : {}),
              },
            }
          : {}),
        tags: { Name: elb.name, "pillar:elb": elb.name },
      },
      o,
    );
    const secure = elb.listeners.filter((l) => l.lbProtocol === "HTTPS" || l.lbProtocol === "SSL");
    if (secure.length > 0) {
      const tls = new aws.elb.LoadBalancerPolicy(
        `${name}-tls`,
        {
          loadBalancerName: this.loadBalancer.name,
          policyName: `${name}-tls`.replace(/[^A-Za-z0-9-]/g, "-"),
          policyTypeName: "SSLNegotiationPolicyType",
          policyAttributes: [{ name: "Reference-Security-Policy", value: elb.sslPolicy }],
        },
        o,
      );
      for (const l of secure) {
        new aws.elb.ListenerPolicy(
          `${name}-tls-${l.lbPort}`,
          {
            loadBalancerName: this.loadBalancer.name,
            loadBalancerPort: l.lbPort,
            policyNames: [tls.policyName],
          },
          o,
        );
      }
    }
    this.dnsName = this.loadBalancer.dnsName;
    this.zoneId = this.loadBalancer.zoneId;
    this.loadBalancerName = this.loadBalancer.name;
    this.registerOutputs({
      dnsName: this.dnsName,
      zoneId: this.zoneId,
      loadBalancerName: this.loadBalancerName,
    });
  }
}
