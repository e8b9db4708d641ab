// Load balancer policies (advisory): HTTPS with a certificate, access logs, cross-zone balancing,
// plaintext HTTP redirected. TLS negotiation policies are in elbTls.ts.

import { ResourceValidationPolicy } from "@pulumi/policy";
import { isTls } from "./elbTls";
import { T } from "./types";
import { field, isUnknown, plain, show } from "./values";

export const elbHttpsListenerCertificate: ResourceValidationPolicy = {
  name: "elb-https-listener-certificate",
  description:
    "Checks that classic load balancers have an HTTPS (or SSL) listener and that every such listener has a certificate.",
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    if (args.type !== T.loadBalancer) {
      return;
    }
    const listeners = field(plain(args.props), "listeners");
    const rule = `Load balancer "${args.name}" must have an HTTPS listener with a certificate (sslCertificateId)`;
    if (isUnknown(listeners)) {
      reportViolation(`${rule}; cannot be verified at preview: its listeners are unknown.`);
      return;
    }
    const list = Array.isArray(listeners) ? listeners : [];
    const protocols = list.map((l) => field(l, "lbProtocol"));
    if (protocols.some(isUnknown) && !protocols.some(isTls)) {
      reportViolation(`${rule}; cannot be verified at preview: a listener's protocol is unknown.`);
      return;
    }
    if (!protocols.some(isTls)) {
      reportViolation(`${rule}; it has only ${show(protocols)} listeners.`);
    }
    list.forEach((l) => {
      const cert = field(l, "sslCertificateId");
      if (isTls(field(l, "lbProtocol")) && (cert === undefined || cert === null || cert === "")) {
        reportViolation(
          `${rule}; its ${show(field(l, "lbProtocol"))} listener on port ${show(field(l, "lbPort"))} has none.`,
        );
      }
    });
  },
};

export const elbAccessLogsEnabled: ResourceValidationPolicy = {
  name: "elb-access-logs-enabled",
  description: "Checks that classic load balancers write access logs to an S3 bucket.",
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    if (args.type !== T.loadBalancer) {
      return;
    }
    const logs = field(plain(args.props), "accessLogs");
    const bucket = field(logs, "bucket");
    const enabled = field(logs, "enabled");
    const rule = `Load balancer "${args.name}" must write access logs (accessLogs.bucket, enabled)`;
    if (isUnknown(logs) || isUnknown(enabled)) {
      reportViolation(`${rule}; cannot be verified at preview: accessLogs is unknown.`);
      return;
    }
    // An unknown bucket name is a bucket this update creates: logging is configured.
    if (bucket === undefined || bucket === null || bucket === "") {
      reportViolation(`${rule}; it has no access log bucket.`);
    } else if (enabled === false) {
      reportViolation(`${rule}; it has accessLogs.enabled false.`);
    }
  },
};

export const elbCrossZoneEnabled: ResourceValidationPolicy = {
  name: "elb-cross-zone-enabled",
  description:
    "Checks that classic load balancers balance across availability zones (crossZoneLoadBalancing).",
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    if (args.type !== T.loadBalancer) {
      return;
    }
    const crossZone = field(plain(args.props), "crossZoneLoadBalancing");
    const rule = `Load balancer "${args.name}" must enable crossZoneLoadBalancing`;
    if (isUnknown(crossZone)) {
      reportViolation(`${rule}; cannot be verified at preview: it is unknown.`);
    } else if (crossZone === false) {
      // Unset is fine: the provider's default for crossZoneLoadBalancing is true.
      reportViolation(`${rule}; it is false.`);
    }
  },
};

export interface RedirectConfig {
  /** Classic load balancers (logical or physical names) whose instances answer HTTP with a redirect to HTTPS. */
  readonly redirectingLoadBalancers?: readonly string[];
}

const CLASSIC_ADVICE =
  'A classic load balancer cannot redirect: answer the port on the instances with a 301 to https:// (for example nginx: if ($http_x_forwarded_proto = "http") { return 301 https://$host$request_uri; }) and name the balancer in config redirectingLoadBalancers, or move to an Application Load Balancer, whose HTTP listener can redirect by itself.';

export const elbHttpListenerRedirectsToHttps: ResourceValidationPolicy = {
  name: "elb-http-listener-redirects-to-https",
  description:
    'Checks that plaintext HTTP listeners redirect to HTTPS: an Application Load Balancer listener by a redirect action, a classic load balancer (which cannot redirect) by its instances, acknowledged in config "redirectingLoadBalancers".',
  enforcementLevel: "advisory",
  configSchema: {
    properties: {
      redirectingLoadBalancers: { type: "array", items: { type: "string", minLength: 1 }, default: [] },
    },
  },
  validateResource: (args, reportViolation) => {
    const props = plain(args.props);
    if (args.type === T.loadBalancer) {
      const acknowledged = args.getConfig<RedirectConfig>().redirectingLoadBalancers ?? [];
      const physical = field(props, "name");
      if (
        acknowledged.includes(args.name) ||
        (typeof physical === "string" && acknowledged.includes(physical))
      ) {
        return;
      }
      const listeners = field(props, "listeners");
      if (isUnknown(listeners)) {
        reportViolation(
          `Load balancer "${args.name}" HTTP listeners must redirect to HTTPS; cannot be verified at preview: its listeners are unknown.`,
        );
        return;
      }
      const list = Array.isArray(listeners) ? listeners : [];
      const hasTls = list.some((l) => isTls(field(l, "lbProtocol")));
      for (const l of list) {
        const protocol = field(l, "lbProtocol");
        const rule = `Load balancer "${args.name}" HTTP listener on port ${show(field(l, "lbPort"))} must redirect to HTTPS`;
        if (isUnknown(protocol)) {
          reportViolation(`${rule}; cannot be verified at preview: its protocol is unknown.`);
        } else if (typeof protocol === "string" && protocol.toLowerCase() === "http") {
          reportViolation(
            `${rule}; plaintext requests reach the instances${hasTls ? "" : ", and it has no HTTPS listener to redirect to"}. ${CLASSIC_ADVICE}`,
          );
        }
      }
      return;
    }
    if (args.type !== T.lbListener && args.type !== T.albListener) {
      return;
    }
    const protocol = field(props, "protocol");
    const rule = `Listener "${args.name}" on port ${show(field(props, "port"))} must redirect HTTP to HTTPS (defaultActions type "redirect", protocol "HTTPS")`;
    if (isUnknown(protocol)) {
      reportViolation(`${rule}; cannot be verified at preview: its protocol is unknown.`);
      return;
    }
    if (protocol !== "HTTP") {
      return;
    }
    const actions = field(props, "defaultActions");
    if (isUnknown(actions)) {
      reportViolation(`${rule}; cannot be verified at preview: its default actions are unknown.`);
      return;
    }
    const redirect = (Array.isArray(actions) ? actions : []).find((a) => field(a, "type") === "redirect");
    const to = field(field(redirect, "redirect"), "protocol");
    if (isUnknown(to)) {
      reportViolation(`${rule}; cannot be verified at preview: its redirect protocol is unknown.`);
    } else if (redirect === undefined) {
      reportViolation(
        `${rule}; it ${Array.isArray(actions) && actions.length > 0 ? `${String(field(actions[0], "type"))}s` : "serves"} plaintext.`,
      );
    } else if (to !== "HTTPS") {
      reportViolation(`${rule}; it redirects to ${show(to ?? "#{protocol}")}.`);
    }
  },
};
