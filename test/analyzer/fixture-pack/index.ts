// A small pack for the analyzer-driver tests. Each policy exercises one part of the protocol:
// plain inputs, unknowns, secrets, provider info and config, parents and property dependencies.
import { PolicyPack, type ResourceValidationPolicy, type StackValidationPolicy } from "@pulumi/policy";

const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const DB_INSTANCE = "aws:rds/instance:Instance";

/** Reads `cidrIpv4` first, so an unknown CIDR makes the pack report that it cannot run. */
export const ingressNoWorld: ResourceValidationPolicy = {
  name: "fixture-ingress-no-world",
  description: "Checks that ingress from 0.0.0.0/0 is limited to ports 80 and 443.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== INGRESS_RULE) return;
    if (args.props.cidrIpv4 === "0.0.0.0/0" && args.props.fromPort !== 80 && args.props.fromPort !== 443) {
      reportViolation(`Ingress from 0.0.0.0/0 must use port 80 or 443, not ${String(args.props.fromPort)}.`);
    }
  },
};

/** `password` arrives as a secret; the pack's SDK unwraps it for the policy. */
export const dbPasswordNotDefault: ResourceValidationPolicy = {
  name: "fixture-db-password-not-default",
  description: "Checks that database passwords are not the well-known default.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type === DB_INSTANCE && args.props.password === "hunter2") {
      reportViolation("Database password must not be the default one.");
    }
  },
};

/** Reads the provider's inputs and its own config (a schema with a default). Advisory by default. */
export const providerRegionAllowed: ResourceValidationPolicy = {
  name: "fixture-provider-region-allowed",
  description: "Checks that resources are deployed in an allowed region.",
  enforcementLevel: "advisory",
  configSchema: {
    properties: { allowedRegions: { type: "array", items: { type: "string" }, default: ["eu-west-1"] } },
  },
  validateResource: (args, reportViolation) => {
    const region: unknown = args.provider?.props.region;
    const { allowedRegions } = args.getConfig<{ allowedRegions: string[] }>();
    if (typeof region === "string" && !allowedRegions.includes(region)) {
      reportViolation(`Resources must be deployed in ${allowedRegions.join(" or ")}, not ${region}.`);
    }
  },
};

/** A remediation, disabled unless a test sets it to "remediate": tags every database with its owner. */
export const dbTagOwner: ResourceValidationPolicy = {
  name: "fixture-db-tag-owner",
  description: "Tags databases with their owner.",
  enforcementLevel: "disabled",
  remediateResource: (args) => {
    if (args.type !== DB_INSTANCE) return undefined;
    return {
      ...args.props,
      tags: { ...(args.props.tags as Record<string, string> | undefined), owner: "ops" },
    };
  },
};

/**
 * Ground truth for SSH: the group a rule references is found through its property dependencies,
 * and the rule is named by its parent component, both of which only AnalyzeStack carries.
 */
export const sshFromDefaultGroup: StackValidationPolicy = {
  name: "fixture-ssh-from-default-group",
  description: "Checks that SSH is only allowed from the default security group.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    for (const r of args.resources) {
      if (r.type !== INGRESS_RULE || !(r.props.fromPort <= 22 && 22 <= r.props.toPort)) continue;
      const sources = (r.propertyDependencies["referencedSecurityGroupId"] ?? []).map((d) => d.name);
      if (sources.length === 1 && sources[0] === "default") continue;
      const where = r.parent ? `${r.parent.type} ${r.parent.name}` : "no component";
      const from = sources.length > 0 ? sources.join(", ") : String(r.props.cidrIpv4);
      reportViolation(
        `SSH rule ${r.name} (in ${where}) must come from the default group, not from ${from}.`,
        r.urn,
      );
    }
  },
};

/**
 * A copy of a policy argument in which every value the pack sees as unknown reads "<unknown>"
 * (the pack's proxy throws when a policy touches one).
 */
function peek(v: unknown): unknown {
  if (typeof v !== "object" || v === null) return v;
  const out: Record<string, unknown> | unknown[] = Array.isArray(v) ? [] : {};
  for (const k of Object.keys(v)) {
    let e: unknown;
    try {
      e = peek((v as Record<string, unknown>)[k]);
    } catch {
      e = "<unknown>";
    }
    (out as Record<string, unknown>)[k] = e;
  }
  return out;
}

/** Instrumentation, disabled unless a test enables it: reports what Analyze delivered and the pack's environment. */
export const echoResource: ResourceValidationPolicy = {
  name: "fixture-echo-resource",
  description: "Echoes each resource as the pack sees it.",
  enforcementLevel: "disabled",
  validateResource: (args, reportViolation) => {
    const env = process.env;
    reportViolation(
      JSON.stringify({
        type: args.type,
        name: args.name,
        props: peek(args.props),
        opts: args.opts,
        provider: args.provider
          ? { urn: args.provider.urn, name: args.provider.name, props: peek(args.provider.props) }
          : null,
        stackTags: Object.fromEntries(args.stackTags),
        env: {
          stack: env["PULUMI_NODEJS_STACK"],
          project: env["PULUMI_NODEJS_PROJECT"],
          organization: env["PULUMI_NODEJS_ORGANIZATION"],
          dryRun: env["PULUMI_NODEJS_DRY_RUN"],
          config: env["PULUMI_CONFIG"],
          cwd: process.cwd(),
        },
      }),
    );
  },
};

/** Instrumentation, disabled unless a test enables it: reports the resource graph AnalyzeStack delivered. */
export const echoStack: StackValidationPolicy = {
  name: "fixture-echo-stack",
  description: "Echoes the stack as the pack sees it.",
  enforcementLevel: "disabled",
  validateStack: (args, reportViolation) => {
    const graph = args.resources.map((r) => ({
      name: r.name,
      type: r.type,
      parent: r.parent?.name ?? null,
      dependencies: r.dependencies.map((d) => d.name),
      propertyDependencies: Object.fromEntries(
        Object.entries(r.propertyDependencies).map(([k, ds]) => [k, ds.map((d) => d.name)]),
      ),
      props: peek(r.props),
      provider: r.provider?.name ?? null,
    }));
    reportViolation(JSON.stringify(graph));
  },
};

new PolicyPack("fixture", {
  policies: [
    ingressNoWorld,
    dbPasswordNotDefault,
    providerRegionAllowed,
    dbTagOwner,
    sshFromDefaultGroup,
    echoResource,
    echoStack,
  ],
});
