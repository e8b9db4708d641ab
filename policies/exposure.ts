// Who can reach the instances: a public IP on an instance a load balancer fronts (the balancer's
// listeners, health checks and security group are bypassed), and membership of the VPC's default
// security group (whose own rule lets every member reach every port of every other).

import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { launchTemplatesOf } from "./launchTemplates";
import { collectDefaultGroups, DefaultGroups } from "./securityGroups";
import { T } from "./types";
import { field, isUnknown, plain, show, toBoolean, toNumber } from "./values";

const LB_TARGETS = new Set<string>([T.lbTargetGroupAttachment, T.albTargetGroupAttachment, T.elbAttachment]);
const GROUP_ATTACHMENTS = new Set<string>([T.autoscalingAttachment, T.autoscalingTrafficSourceAttachment]);

function nonEmpty(v: unknown): boolean {
  return isUnknown(v) || (Array.isArray(v) && v.length > 0);
}

function dependsOn(r: PolicyResource, key: string, target: PolicyResource): boolean {
  return (r.propertyDependencies[key] ?? []).includes(target);
}

/** Autoscaling groups and instances a load balancer sends traffic to, by input or by attachment. */
function fronted(resources: readonly PolicyResource[]): PolicyResource[] {
  const out = new Set<PolicyResource>();
  for (const r of resources) {
    const props = plain(r.props);
    if (r.type === T.autoscalingGroup) {
      if (nonEmpty(field(props, "loadBalancers")) || nonEmpty(field(props, "targetGroupArns"))) {
        out.add(r);
      }
    } else if (r.type === T.loadBalancer) {
      const instances = field(props, "instances");
      for (const i of resources.filter((x) => x.type === T.instance)) {
        const id = field(plain(i.props), "id");
        if (
          dependsOn(r, "instances", i) ||
          (Array.isArray(instances) && id !== undefined && instances.includes(id))
        ) {
          out.add(i);
        }
      }
    } else if (LB_TARGETS.has(r.type) || GROUP_ATTACHMENTS.has(r.type)) {
      const key =
        r.type === T.elbAttachment
          ? "instance"
          : GROUP_ATTACHMENTS.has(r.type)
            ? "autoscalingGroupName"
            : "targetId";
      const value = field(props, key);
      for (const x of resources.filter((y) => y.type === T.instance || y.type === T.autoscalingGroup)) {
        const xProps = plain(x.props);
        const ids = [field(xProps, "id"), field(xProps, "name")].filter(
          (v) => typeof v === "string" && !isUnknown(v),
        );
        if (dependsOn(r, key, x) || ids.includes(value)) {
          out.add(x);
        }
      }
    }
  }
  return [...out];
}

type Level = "mandatory" | "advisory";

interface Finding {
  readonly resource: PolicyResource;
  readonly level: Level;
  readonly message: string;
}

/** The subnets a group or instance launches into: resources of this stack, and ids it cannot see. */
function subnetsOf(
  r: PolicyResource,
  resources: readonly PolicyResource[],
): { inStack: PolicyResource[]; outside: string[]; untraced: boolean; unset: boolean } {
  const key = r.type === T.autoscalingGroup ? "vpcZoneIdentifiers" : "subnetId";
  const raw = field(plain(r.props), key);
  const values = Array.isArray(raw) ? raw : raw === undefined || raw === null || raw === "" ? [] : [raw];
  const deps = (r.propertyDependencies[key] ?? []).filter((d) => d.type === T.subnet);
  const inStack = new Set(deps);
  const outside: string[] = [];
  let untraced = false;
  for (const v of values) {
    if (isUnknown(v)) {
      untraced ||= deps.length === 0;
      continue;
    }
    const match = resources.find((s) => s.type === T.subnet && field(plain(s.props), "id") === v);
    if (match) {
      inStack.add(match);
    } else if (typeof v === "string" && deps.length === 0) {
      outside.push(v);
    }
  }
  return { inStack: [...inStack], outside, untraced, unset: values.length === 0 && !isUnknown(raw) };
}

/** What the subnets' own default (MapPublicIpOnLaunch) means for an instance that does not say. */
function subnetDefault(
  subject: string,
  r: PolicyResource,
  resources: readonly PolicyResource[],
  fix: string,
): Finding | undefined {
  const { inStack, outside, untraced, unset } = subnetsOf(r, resources);
  if (unset && r.type === T.instance) {
    return {
      resource: r,
      level: "mandatory",
      message: `${subject}; it names no subnet, so it launches into the default VPC's default subnet, which maps a public IP to every instance. ${fix}`,
    };
  }
  const mapping = inStack.filter((s) => toBoolean(field(plain(s.props), "mapPublicIpOnLaunch")) === true);
  const unknownMapping = inStack.filter((s) => isUnknown(field(plain(s.props), "mapPublicIpOnLaunch")));
  if (mapping.length > 0) {
    return {
      resource: r,
      level: "mandatory",
      message: `${subject}; its subnets ${mapping.map((s) => `"${s.name}"`).join(", ")} map a public IP to every instance (mapPublicIpOnLaunch true) and nothing turns that off. ${fix}`,
    };
  }
  if (unknownMapping.length > 0) {
    return {
      resource: r,
      level: "mandatory",
      message: `${subject}; cannot be verified at preview: mapPublicIpOnLaunch of subnet ${unknownMapping.map((s) => `"${s.name}"`).join(", ")} is unknown.`,
    };
  }
  if (outside.length > 0 || untraced) {
    const which =
      outside.length > 0
        ? `subnets ${outside.join(", ")} are not in this stack`
        : "its subnets cannot be traced";
    return {
      resource: r,
      level: "advisory",
      message: `${subject}; cannot be verified: it rests on the subnets' own default, which the plan cannot see (${which}), and a subnet that maps public IPs on launch, as a default VPC's subnets do, gives every instance one. ${fix}`,
    };
  }
  return undefined; // subnets of this stack that do not map public IPs (the provider's default is false)
}

function publicIpFindings(resources: readonly PolicyResource[]): Finding[] {
  const findings: Finding[] = [];
  for (const r of fronted(resources)) {
    if (r.type === T.autoscalingGroup) {
      const subject = `Autoscaling group "${r.name}" is behind a load balancer and must not give its instances public IP addresses, so that they are reached only through it`;
      const fix = `Set associatePublicIpAddress "false" on the launch template's network interface (pillar: launch_config associate_public_ip_address: false) and launch into private subnets.`;
      const { templates } = launchTemplatesOf(r, resources);
      // A template outside the stack is ec2-launch-template-in-stack's finding; nothing to read here.
      for (const lt of templates) {
        // Only the primary interface (device index 0) can take a public IP at launch.
        const interfaces = field(plain(lt.props), "networkInterfaces");
        const primary = Array.isArray(interfaces)
          ? interfaces.find((n) => {
              const index = field(n, "deviceIndex");
              return index === undefined || isUnknown(index) || toNumber(index) === 0;
            })
          : undefined;
        const associate = isUnknown(interfaces) ? interfaces : field(primary, "associatePublicIpAddress");
        const ltSubject = `${subject} (launch template "${lt.name}")`;
        if (isUnknown(associate)) {
          findings.push({
            resource: r,
            level: "mandatory",
            message: `${ltSubject}; cannot be verified at preview: associatePublicIpAddress is unknown.`,
          });
        } else if (toBoolean(associate) === true) {
          findings.push({
            resource: r,
            level: "mandatory",
            message: `${ltSubject}; it sets networkInterfaces associatePublicIpAddress ${show(associate)}. ${fix}`,
          });
        } else if (toBoolean(associate) !== false) {
          const f = subnetDefault(ltSubject, r, resources, fix);
          if (f) findings.push(f);
        }
      }
    } else {
      const subject = `Instance "${r.name}" is behind a load balancer and must not have a public IP address, so that it is reached only through it`;
      const fix = `Set associatePublicIpAddress false and launch it into a private subnet.`;
      const associate = field(plain(r.props), "associatePublicIpAddress");
      if (isUnknown(associate)) {
        findings.push({
          resource: r,
          level: "mandatory",
          message: `${subject}; cannot be verified at preview: associatePublicIpAddress is unknown.`,
        });
      } else if (associate === true) {
        findings.push({
          resource: r,
          level: "mandatory",
          message: `${subject}; it sets associatePublicIpAddress true. ${fix}`,
        });
      } else if (associate !== false) {
        const f = subnetDefault(subject, r, resources, fix);
        if (f) findings.push(f);
      }
    }
  }
  return findings;
}

export const ec2InstanceBehindLoadBalancerNoPublicIp: StackValidationPolicy = {
  name: "ec2-instance-behind-load-balancer-no-public-ip",
  description:
    "Checks that instances a load balancer fronts (autoscaling groups with loadBalancers or targetGroupArns, attached instances) get no public IP address: not set on the instance or launch template, and not given by a subnet of this stack that maps public IPs on launch.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    for (const f of publicIpFindings(args.resources).filter((x) => x.level === "mandatory")) {
      reportViolation(f.message, f.resource.urn);
    }
  },
};

export const ec2InstanceBehindLoadBalancerPublicIpDefault: StackValidationPolicy = {
  name: "ec2-instance-behind-load-balancer-public-ip-default",
  description:
    "Checks that instances a load balancer fronts do not rest on a subnet default the plan cannot see (subnets outside the stack) for whether they get a public IP address.",
  enforcementLevel: "advisory",
  validateStack: (args, reportViolation) => {
    for (const f of publicIpFindings(args.resources).filter((x) => x.level === "advisory")) {
      reportViolation(f.message, f.resource.urn);
    }
  },
};

/** Where each launching resource names its security groups, by input key. */
const GROUP_KEYS: Readonly<Record<string, readonly string[]>> = {
  [T.launchTemplate]: ["networkInterfaces", "vpcSecurityGroupIds", "securityGroupNames"],
  [T.instance]: ["vpcSecurityGroupIds", "securityGroups"],
  [T.launchConfiguration]: ["securityGroups"],
};

function groupValues(props: unknown, key: string): unknown[] {
  const value = field(props, key);
  if (key !== "networkInterfaces") {
    return isUnknown(value) ? [value] : Array.isArray(value) ? value : [];
  }
  if (isUnknown(value)) {
    return [value];
  }
  return (Array.isArray(value) ? value : []).flatMap((n) => {
    const groups = field(n, "securityGroups");
    return isUnknown(groups) ? [groups] : Array.isArray(groups) ? groups : [];
  });
}

/** Why an instance-launching resource is in the default group ("" when it is not), judged from ground truth. */
function defaultMembership(r: PolicyResource, defaults: DefaultGroups): string {
  const props = plain(r.props);
  for (const key of GROUP_KEYS[r.type] ?? []) {
    const values = groupValues(props, key);
    const known = values.find(
      (v) => typeof v === "string" && !isUnknown(v) && (defaults.ids.has(v) || v === "default"),
    );
    if (known !== undefined) {
      return `${key} names ${String(known)}`;
    }
    // An unknown id whose property dependencies include a default group resource carries its id.
    const dep = (r.propertyDependencies[key] ?? []).find((d) => d.type === T.defaultSecurityGroup);
    if (dep !== undefined && values.some(isUnknown)) {
      return `${key} takes the id of default group "${dep.name}"`;
    }
  }
  return "";
}

export const ec2InstanceNotInDefaultGroup: StackValidationPolicy = {
  name: "ec2-instance-not-in-default-group",
  description:
    "Checks that instances, launch templates and launch configurations do not put instances in the VPC's default security group, whose own rule usually lets every member reach every port of every other.",
  enforcementLevel: "advisory",
  validateStack: (args, reportViolation) => {
    const defaults = collectDefaultGroups(args.resources);
    const kinds: Readonly<Record<string, string>> = {
      [T.launchTemplate]: "Launch template",
      [T.instance]: "Instance",
      [T.launchConfiguration]: "Launch configuration",
    };
    for (const r of args.resources) {
      const kind = kinds[r.type];
      const why = kind === undefined ? "" : defaultMembership(r, defaults);
      if (why === "") {
        continue;
      }
      reportViolation(
        `${kind} "${r.name}" must not put instances in the VPC's default security group; ${why}. The default group's own inbound rule usually allows all traffic from its members, so every instance in it can reach every port of every other, which voids narrower rules such as "27017 only from webhost". Give the hosts that need access (the Salt master, a bastion) a group of their own and reference that group instead.`,
        r.urn,
      );
    }
  },
};
