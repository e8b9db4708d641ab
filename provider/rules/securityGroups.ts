/**
 * Security groups and their rules (aws.vpc.SecurityGroupIngressRule / EgressRule).
 *
 * Sources: terraform-provider-aws internal/service/ec2/vpc_security_group.go (name, name_prefix,
 * description validators), vpc_security_group_ingress_rule.go (exactly one source); AWS EC2 API
 * reference: CreateSecurityGroup (GroupName, Description: "Up to 255 characters … Valid
 * characters: a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*"), AuthorizeSecurityGroupIngress
 * (IpPermission: protocol, ports, description with the same characters).
 */
import { all, ProviderRule, q, stringDoesNotMatch, stringLenBetween, when } from "./kit";
import { TYPES } from "../types";

const SG_SOURCE = "terraform-provider-aws internal/service/ec2/vpc_security_group.go";
const SG_API = "AWS EC2 API CreateSecurityGroup";
const RULE_API = "AWS EC2 API AuthorizeSecurityGroupIngress / IpRange, IpPermission (Description)";

/** The characters AWS allows in security group names and descriptions, and rule descriptions. */
export const SG_CHARSET = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;
export const SG_CHARSET_WORDS = "letters a-z and A-Z, digits, spaces and ._-:/()#,@[]+=&;{}!$* (ASCII only)";

/** The first character AWS would not take, for messages. */
export function firstBadCharacter(s: string, allowed: RegExp): string | undefined {
  return [...s].find((c) => !allowed.test(c));
}

const sgCharset = (what: string) =>
  when(
    (x) => typeof x === "string" && !SG_CHARSET.test(x),
    (x) =>
      `AWS refuses ${what} ${q(String(x))}: ${q(firstBadCharacter(String(x), SG_CHARSET) ?? "")} is not allowed; it takes ${SG_CHARSET_WORDS}`,
  );

const sgRuleDescription: ProviderRule[] = [
  {
    id: "ec2-rule-description-length",
    property: "description",
    stage: "apply",
    source: RULE_API,
    check: when(
      (x) => typeof x === "string" && x.length > 255,
      (x) => `AWS refuses a rule description of ${String(x).length} characters: at most 255`,
    ),
    examples: {
      pass: [{ value: "pillar webhost: tcp 80 from 0.0.0.0/0" }],
      fail: [
        { value: "d".repeat(256), message: "AWS refuses a rule description of 256 characters: at most 255" },
      ],
    },
  },
  {
    id: "ec2-rule-description-charset",
    property: "description",
    stage: "apply",
    source: RULE_API,
    check: sgCharset("the rule description"),
    examples: {
      pass: [{ value: "web (HTTPS) from office: 10.0.0.0/8" }],
      fail: [
        {
          value: "Zugang für Büro",
          message: `AWS refuses the rule description "Zugang für Büro": "ü" is not allowed; it takes ${SG_CHARSET_WORDS}`,
        },
      ],
    },
  },
];

const PROTOCOLS = ["tcp", "udp", "icmp", "icmpv6", "-1"];
const ruleProtocol: ProviderRule = {
  id: "ec2-rule-protocol",
  property: "ipProtocol",
  stage: "apply",
  source: "AWS EC2 API IpPermission (IpProtocol: tcp, udp, icmp, icmpv6, -1 or a protocol number 0-255)",
  check: when(
    (x) =>
      typeof x === "string" &&
      !PROTOCOLS.includes(x.toLowerCase()) &&
      !/^([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])$/.test(x),
    (x) =>
      `AWS refuses protocol ${q(String(x))}: expected tcp, udp, icmp, icmpv6, -1 (all) or a number 0-255`,
  ),
  examples: {
    pass: [{ value: "tcp" }, { value: "-1" }, { value: "50" }],
    fail: [
      {
        value: "tpc",
        message: 'AWS refuses protocol "tpc": expected tcp, udp, icmp, icmpv6, -1 (all) or a number 0-255',
      },
    ],
  },
};
const rulePorts: ProviderRule = {
  id: "ec2-rule-port-range",
  property: "fromPort",
  stage: "apply",
  source: "AWS EC2 API IpPermission (FromPort/ToPort 0-65535 for TCP and UDP, FromPort <= ToPort)",
  check: (x, i) => {
    const p = String(i.ipProtocol ?? "").toLowerCase();
    if (p !== "tcp" && p !== "udp") return undefined;
    const to = i.toPort;
    if (typeof x !== "number" || typeof to !== "number")
      return `AWS refuses a ${p} rule without a port range (fromPort and toPort)`;
    if (x < 0 || x > 65535 || to < 0 || to > 65535)
      return `AWS refuses ports ${x}-${to}: a ${p} port is 0-65535`;
    if (x > to) return `AWS refuses ports ${x}-${to}: fromPort is greater than toPort`;
    return undefined;
  },
  examples: {
    pass: [
      { value: 80, inputs: { ipProtocol: "tcp", toPort: 80 } },
      { value: -1, inputs: { ipProtocol: "icmp", toPort: -1 } },
    ],
    fail: [
      {
        value: 443,
        inputs: { ipProtocol: "tcp", toPort: 80 },
        message: "AWS refuses ports 443-80: fromPort is greater than toPort",
      },
      {
        value: 70000,
        inputs: { ipProtocol: "tcp", toPort: 70000 },
        message: "AWS refuses ports 70000-70000: a tcp port is 0-65535",
      },
    ],
  },
};
const ruleSource: ProviderRule = {
  id: "ec2-rule-one-source",
  property: "ipProtocol",
  stage: "preview",
  source:
    "terraform-provider-aws internal/service/ec2/vpc_security_group_ingress_rule.go (exactly one of cidr_ipv4, cidr_ipv6, prefix_list_id, referenced_security_group_id)",
  check: (_x, i) => {
    const set = ["cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId"].filter(
      (k) => i[k] !== undefined && i[k] !== null,
    );
    return set.length === 1
      ? undefined
      : `exactly one of cidr_ipv4, cidr_ipv6, prefix_list_id or referenced_security_group_id must be set, got ${set.length === 0 ? "none" : set.join(", ")}`;
  },
  examples: {
    pass: [{ value: "tcp", inputs: { cidrIpv4: "10.0.0.0/8" } }],
    fail: [
      {
        value: "tcp",
        inputs: { cidrIpv4: "10.0.0.0/8", referencedSecurityGroupId: "sg-1" },
        message:
          "exactly one of cidr_ipv4, cidr_ipv6, prefix_list_id or referenced_security_group_id must be set, got cidrIpv4, referencedSecurityGroupId",
      },
    ],
  },
};

const ruleRules = [...sgRuleDescription, ruleProtocol, rulePorts, ruleSource];

export const SECURITY_GROUP_RULES: Readonly<Record<string, readonly ProviderRule[]>> = {
  [TYPES.ec2.SecurityGroup]: [
    {
      id: "ec2-security-group-name-length",
      property: "name",
      stage: "preview",
      source: `${SG_SOURCE} (name: validation.StringLenBetween(0, 255))`,
      check: stringLenBetween("name", 0, 255),
      examples: {
        pass: [{ value: "webhost-1a2b3c4" }],
        fail: [
          {
            value: "w".repeat(256),
            message: `expected length of name to be in the range (0 - 255), got ${"w".repeat(256)}`,
          },
        ],
      },
    },
    {
      id: "ec2-security-group-name-reserved-prefix",
      property: "name",
      stage: "preview",
      source: `${SG_SOURCE} (name: validation.StringDoesNotMatch(^sg-, "cannot begin with sg-"))`,
      check: stringDoesNotMatch("name", /^sg-/, "cannot begin with sg-"),
      examples: {
        pass: [{ value: "webhost-1a2b3c4" }, { value: "web-sg-1" }],
        fail: [{ value: "sg-webhost-1a2b3c4", message: "invalid value for name (cannot begin with sg-)" }],
      },
    },
    {
      id: "ec2-security-group-name-prefix-reserved",
      property: "namePrefix",
      stage: "preview",
      source: `${SG_SOURCE} (name_prefix: StringLenBetween(0, 255-26), StringDoesNotMatch(^sg-))`,
      check: all(
        stringLenBetween("name_prefix", 0, 229),
        stringDoesNotMatch("name_prefix", /^sg-/, "cannot begin with sg-"),
      ),
      examples: {
        pass: [{ value: "web-" }],
        fail: [{ value: "sg-web-", message: "invalid value for name_prefix (cannot begin with sg-)" }],
      },
    },
    {
      id: "ec2-security-group-name-charset",
      property: "name",
      stage: "apply",
      source: `${SG_API} (GroupName valid characters)`,
      check: sgCharset("the group name"),
      examples: {
        pass: [{ value: "web host (prod) #1" }],
        fail: [
          {
            value: "wébhost",
            message: `AWS refuses the group name "wébhost": "é" is not allowed; it takes ${SG_CHARSET_WORDS}`,
          },
        ],
      },
    },
    {
      id: "ec2-security-group-description-length",
      property: "description",
      stage: "preview",
      source: `${SG_SOURCE} (description: validation.StringLenBetween(0, 255))`,
      check: stringLenBetween("description", 0, 255),
      examples: {
        pass: [{ value: "Web server security group" }],
        fail: [
          {
            value: "d".repeat(256),
            message: `expected length of description to be in the range (0 - 255), got ${"d".repeat(256)}`,
          },
        ],
      },
    },
    {
      id: "ec2-security-group-description-charset",
      property: "description",
      stage: "apply",
      source: `${SG_API} (Description valid characters)`,
      check: sgCharset("the group description"),
      examples: {
        pass: [{ value: "MongoDB Security Group" }],
        fail: [
          {
            value: "Serveur web — production",
            message: `AWS refuses the group description "Serveur web — production": "—" is not allowed; it takes ${SG_CHARSET_WORDS}`,
          },
        ],
      },
    },
  ],
  [TYPES.vpc.SecurityGroupIngressRule]: ruleRules,
  [TYPES.vpc.SecurityGroupEgressRule]: ruleRules,
};
