/**
 * Recorded resources for the analyzer-driver tests and benchmark, shaped as the offline plan
 * records them: wire inputs with unknown sentinels and wrapped secrets, parents, dependencies.
 */
import { SECRET_SIG, SIG_KEY, UNKNOWN_SENTINEL, type RecordedResource } from "../../scripts/lib/record";
import { AWS_PROVIDER_TYPE, STACK_TYPE, TYPES } from "../../provider/types";

export const PROJECT = "pillar";
export const STACK = "dev";

const NO_OPTIONS: RecordedResource["options"] = {
  protect: false,
  ignoreChanges: [],
  deleteBeforeReplace: false,
  retainOnDelete: false,
  aliases: [],
  additionalSecretOutputs: [],
};

export const STACK_URN = `urn:pulumi:${STACK}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${STACK}`;
export const PROVIDER_URN = `urn:pulumi:${STACK}::${PROJECT}::pulumi:providers:aws::aws-eu`;
/** Never registered by the program: the engine makes it from the stack's `aws:*` config. */
export const DEFAULT_PROVIDER_URN = `urn:pulumi:${STACK}::${PROJECT}::pulumi:providers:aws::default_7_48_0`;
const PROVIDER_REF = `${PROVIDER_URN}::04da6b54-80e4-46f7-96ec-b56ff0331ba9`;
const DEFAULT_PROVIDER_REF = `${DEFAULT_PROVIDER_URN}::04da6b54-80e4-46f7-96ec-b56ff0331ba9`;

export const COMPONENT_TYPE = "pillar:network:SecurityGroups";
export const GROUP_TYPE = TYPES.ec2.SecurityGroup;
export const RULE_TYPE = TYPES.vpc.SecurityGroupIngressRule;
export const DB_TYPE = TYPES.rds.Instance;

export function secret(value: unknown): Record<string, unknown> {
  return { [SIG_KEY]: SECRET_SIG, value };
}

export function childUrn(parentType: string, type: string, name: string): string {
  return `urn:pulumi:${STACK}::${PROJECT}::${parentType}$${type}::${name}`;
}

export function stackResource(): RecordedResource {
  return {
    urn: STACK_URN,
    type: STACK_TYPE,
    name: `${PROJECT}-${STACK}`,
    custom: false,
    inputs: {},
    wireInputs: {},
    dependencies: [],
    propertyDependencies: {},
    outputs: {},
    options: NO_OPTIONS,
  };
}

export function providerResource(): RecordedResource {
  return {
    urn: PROVIDER_URN,
    type: AWS_PROVIDER_TYPE,
    name: "aws-eu",
    custom: true,
    parent: STACK_URN,
    inputs: { region: "eu-west-1", secretKey: "[secret]" },
    wireInputs: { region: "eu-west-1", secretKey: secret("not-a-real-key") },
    dependencies: [],
    propertyDependencies: {},
    outputs: {},
    options: NO_OPTIONS,
  };
}

export function component(name: string, outputs: Record<string, unknown> = {}): RecordedResource {
  return {
    urn: `urn:pulumi:${STACK}::${PROJECT}::${COMPONENT_TYPE}::${name}`,
    type: COMPONENT_TYPE,
    name,
    custom: false,
    parent: STACK_URN,
    inputs: {},
    wireInputs: {},
    dependencies: [],
    propertyDependencies: {},
    outputs,
    options: NO_OPTIONS,
  };
}

export function group(name: string, parent: RecordedResource): RecordedResource {
  return {
    urn: childUrn(parent.type, GROUP_TYPE, name),
    type: GROUP_TYPE,
    name,
    custom: true,
    parent: parent.urn,
    provider: PROVIDER_REF,
    inputs: { description: `${name} group`, vpcId: "vpc-1234567" },
    wireInputs: { description: `${name} group`, vpcId: "vpc-1234567" },
    dependencies: [],
    propertyDependencies: { description: [], vpcId: [] },
    outputs: {},
    options: NO_OPTIONS,
  };
}

/** An ingress rule into `target`, from a CIDR or from another group (whose id is unknown in a preview). */
export function rule(
  name: string,
  parent: RecordedResource,
  target: RecordedResource,
  port: number,
  from: { cidr: string } | { group: RecordedResource } | { unknownCidr: true },
): RecordedResource {
  const wire: Record<string, unknown> = {
    securityGroupId: UNKNOWN_SENTINEL,
    fromPort: port,
    toPort: port,
    ipProtocol: "tcp",
  };
  const deps: Record<string, string[]> = {
    securityGroupId: [target.urn],
    fromPort: [],
    toPort: [],
    ipProtocol: [],
  };
  if ("cidr" in from) {
    wire["cidrIpv4"] = from.cidr;
    deps["cidrIpv4"] = [];
  } else if ("group" in from) {
    wire["referencedSecurityGroupId"] = UNKNOWN_SENTINEL;
    deps["referencedSecurityGroupId"] = [from.group.urn];
  } else {
    wire["cidrIpv4"] = UNKNOWN_SENTINEL;
    deps["cidrIpv4"] = [];
  }
  return {
    urn: childUrn(parent.type, RULE_TYPE, name),
    type: RULE_TYPE,
    name,
    custom: true,
    parent: parent.urn,
    provider: PROVIDER_REF,
    inputs: {},
    wireInputs: wire,
    dependencies: [...new Set(Object.values(deps).flat())],
    propertyDependencies: deps,
    outputs: {},
    options: NO_OPTIONS,
  };
}

export function database(name: string, password: unknown, onDefaultProvider = false): RecordedResource {
  return {
    urn: `urn:pulumi:${STACK}::${PROJECT}::${DB_TYPE}::${name}`,
    type: DB_TYPE,
    name,
    custom: true,
    parent: STACK_URN,
    provider: onDefaultProvider ? DEFAULT_PROVIDER_REF : PROVIDER_REF,
    inputs: { engine: "postgres", password: "[secret]" },
    wireInputs: { engine: "postgres", password: secret(password), __defaults: [] },
    dependencies: [],
    propertyDependencies: { engine: [], password: [] },
    outputs: {},
    options: { ...NO_OPTIONS, protect: true, customTimeouts: { create: "40m" } },
  };
}

/** Stack, explicit provider, a security-group component with two groups, and clean rules. */
export function cleanStack(): RecordedResource[] {
  const comp = component("web-tier", { groupNames: ["default", "web"] });
  const def = group("default", comp);
  const web = group("web", comp);
  return [
    stackResource(),
    providerResource(),
    comp,
    def,
    web,
    rule("web-https", comp, web, 443, { cidr: "0.0.0.0/0" }),
    rule("ssh-from-default", comp, web, 22, { group: def }),
    database("db", "correct horse battery staple"),
  ];
}

/**
 * cleanStack plus: SSH from a non-default group, SSH from the world, a rule whose CIDR is unknown,
 * the default password, and a database on the default provider (region from stack config).
 */
export function violatingStack(): RecordedResource[] {
  const [st, prov, comp, def, web, https, sshDefault] = cleanStack() as [
    RecordedResource,
    RecordedResource,
    RecordedResource,
    RecordedResource,
    RecordedResource,
    RecordedResource,
    RecordedResource,
  ];
  return [
    st,
    prov,
    comp,
    def,
    web,
    https,
    sshDefault,
    rule("ssh-from-web", comp, web, 22, { group: web }),
    rule("ssh-world", comp, web, 22, { cidr: "0.0.0.0/0" }),
    rule("unknown-cidr", comp, web, 8080, { unknownCidr: true }),
    database("db", "hunter2"),
    database("db-east", "correct horse battery staple", true),
  ];
}
