// The seed's security groups as the program registers them: a Network component, the webhost and
// mongodb groups, and one ingress rule per (rule, source), for an existing VPC and a created one.

import { PolicyResource } from "@pulumi/policy";
import { T } from "../../policies/types";
import { PropsOf, StackBuilder, unknown } from "./util";

export const EXISTING_DEFAULT_SG = "sg-0d3fa017";

/** Group ids once created (the after-apply analysis sees them). */
const GROUP_IDS: Readonly<Record<string, string>> = { webhost: "sg-0e1b0057", mongodb: "sg-0d0b0da7" };

export interface SeedStack {
  readonly stack: StackBuilder;
  readonly network: PolicyResource;
  readonly webhost: PolicyResource;
  readonly mongodb: PolicyResource;
  /** The managed default group, for a created VPC. */
  readonly defaultGroup?: PolicyResource;
  /** Adds an ingress rule to `group`, wiring the property dependencies the SDK records. */
  readonly rule: (
    group: PolicyResource,
    name: string,
    props: Omit<PropsOf<typeof T.ingressRule>, "securityGroupId">,
    referenced?: readonly PolicyResource[],
  ) => PolicyResource;
  /** An SSH rule from the VPC's default group, referenced the way this kind of VPC allows. */
  readonly sshFromDefault: (group: PolicyResource) => PolicyResource;
}

export type VpcKind = "existing" | "created" | "created-after-apply";

export function seedStack(vpc: VpcKind): SeedStack {
  const stack = new StackBuilder();
  const preview = vpc !== "created-after-apply";
  const defaultSgId = vpc === "existing" ? EXISTING_DEFAULT_SG : preview ? unknown<string>() : "sg-0a11de4a";
  const vpcId = vpc === "existing" ? "vpc-1234567" : preview ? unknown<string>() : "vpc-0c0ffee0";
  const network = stack.add(T.network, "prod", {
    vpcId,
    defaultSecurityGroupId: defaultSgId,
    publicSubnetIds: ["subnet-0a", "subnet-0b"],
    privateSubnetIds: ["subnet-1a", "subnet-1b"],
  });
  const defaultGroup =
    vpc === "existing"
      ? undefined
      : stack.add(
          T.defaultSecurityGroup,
          "prod-default",
          { vpcId },
          { parent: network, outputs: preview ? {} : { id: defaultSgId } },
        );
  const group = (name: string, description: string): PolicyResource =>
    stack.add(
      T.securityGroup,
      name,
      { name, description, vpcId },
      { parent: network, outputs: preview ? {} : { id: GROUP_IDS[name] } },
    );
  const webhost = group("webhost", "Web server security group");
  const mongodb = group("mongodb", "MongoDB Security Group");

  const groupId = (g: PolicyResource): string =>
    preview ? unknown<string>() : (GROUP_IDS[g.name] ?? "sg-0");
  const rule: SeedStack["rule"] = (g, name, props, referenced = []) =>
    stack.add(
      T.ingressRule,
      name,
      { securityGroupId: groupId(g), ...props },
      {
        parent: g,
        propertyDependencies: {
          securityGroupId: [g],
          ...(referenced.length > 0 ? { referencedSecurityGroupId: referenced } : {}),
        },
      },
    );
  const sshFromDefault = (g: PolicyResource): PolicyResource =>
    defaultGroup === undefined
      ? // An existing VPC's default group comes from a lookup: a known id, no resource dependency.
        rule(g, `${g.name}-ssh-default`, {
          ipProtocol: "tcp",
          fromPort: 22,
          toPort: 22,
          referencedSecurityGroupId: EXISTING_DEFAULT_SG,
          description: "SSH from the default group",
        })
      : rule(
          g,
          `${g.name}-ssh-default`,
          {
            ipProtocol: "tcp",
            fromPort: 22,
            toPort: 22,
            referencedSecurityGroupId: preview ? unknown<string>() : defaultSgId,
            description: "SSH from the default group",
          },
          [defaultGroup],
        );
  return { stack, network, webhost, mongodb, defaultGroup, rule, sshFromDefault };
}

/** The seed pillar: webhost 80/443 from the world and 22 from default; mongodb 27017 from webhost and 22 from default. */
export function seedSecurityGroups(vpc: VpcKind): SeedStack {
  const seed = seedStack(vpc);
  const { rule, webhost, mongodb, sshFromDefault } = seed;
  for (const port of [80, 443]) {
    rule(webhost, `webhost-tcp-${port}-world`, {
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      cidrIpv4: "0.0.0.0/0",
      description: `Port ${port} from anywhere`,
    });
  }
  sshFromDefault(webhost);
  rule(
    mongodb,
    "mongodb-tcp-27017-webhost",
    {
      ipProtocol: "tcp",
      fromPort: 27017,
      toPort: 27017,
      referencedSecurityGroupId: vpc === "created-after-apply" ? GROUP_IDS["webhost"] : unknown<string>(),
      description: "MongoDB from the web hosts",
    },
    [webhost],
  );
  sshFromDefault(mongodb);
  for (const g of [webhost, mongodb]) {
    seed.stack.add(
      T.egressRule,
      `${g.name}-egress-all`,
      {
        securityGroupId: vpc === "created-after-apply" ? (GROUP_IDS[g.name] ?? "sg-0") : unknown<string>(),
        ipProtocol: "-1",
        cidrIpv4: "0.0.0.0/0",
        description: "All egress (the AWS default, made explicit)",
      },
      { parent: g, propertyDependencies: { securityGroupId: [g] } },
    );
  }
  return seed;
}
