import * as assert from "node:assert/strict";
import { allPolicies } from "../../policies/all";
import {
  ec2IngressWorldOnlyHttpHttps,
  ec2SecurityGroupDescriptionsPresent,
  ec2SshOnlyFromDefaultGroup,
} from "../../policies/securityGroups";
import { T } from "../../policies/types";
import { seedSecurityGroups, seedStack } from "./fixtures";
import {
  StackBuilder,
  assertHasViolation,
  assertNoViolations,
  assertViolations,
  packViolations,
  resourceArgs,
  unknown,
} from "./util";

const SSH = "must allow SSH (tcp 22) only from the default security group";

describe("ec2-ssh-only-from-default-group", () => {
  for (const vpc of ["existing", "created", "created-after-apply"] as const) {
    it(`passes the seed's groups (${vpc} VPC)`, async () => {
      await assertNoViolations(ec2SshOnlyFromDefaultGroup, seedSecurityGroups(vpc).stack.args());
    });
  }

  it("flags SSH from another group (mongodb 22 from webhost), naming the group", async () => {
    const seed = seedSecurityGroups("created");
    seed.rule(
      seed.mongodb,
      "mongodb-ssh-webhost",
      { ipProtocol: "tcp", fromPort: 22, toPort: 22, referencedSecurityGroupId: unknown<string>() },
      [seed.webhost],
    );
    await assertViolations(ec2SshOnlyFromDefaultGroup, seed.stack.args(), [
      `Ingress rule "mongodb-ssh-webhost" ${SSH}; it allows tcp 22 from security group "webhost".`,
    ]);
  });

  it("flags SSH from another group by its known id once applied", async () => {
    const seed = seedSecurityGroups("existing");
    seed.rule(seed.mongodb, "mongodb-ssh-other", {
      ipProtocol: "tcp",
      fromPort: 22,
      toPort: 22,
      referencedSecurityGroupId: "sg-0123abcd",
    });
    await assertViolations(ec2SshOnlyFromDefaultGroup, seed.stack.args(), [
      `Ingress rule "mongodb-ssh-other" ${SSH}; it allows tcp 22 from security group sg-0123abcd.`,
    ]);
  });

  it("judges by ground truth, not by a group's name or description", async () => {
    const seed = seedSecurityGroups("created");
    const impostor = seed.stack.add(
      T.securityGroup,
      "default",
      { name: "default", description: "default VPC security group", tags: { Name: "default" } },
      { parent: seed.network },
    );
    seed.rule(
      seed.webhost,
      "webhost-ssh-impostor",
      {
        ipProtocol: "tcp",
        fromPort: 22,
        toPort: 22,
        referencedSecurityGroupId: unknown<string>(),
        description: "SSH from the default group",
        tags: { source: "default" },
      },
      [impostor],
    );
    await assertViolations(ec2SshOnlyFromDefaultGroup, seed.stack.args(), [
      `Ingress rule "webhost-ssh-impostor" ${SSH}; it allows tcp 22 from security group "default".`,
    ]);
  });

  it("does not accept a known id on its dependencies alone", async () => {
    const seed = seedStack("created");
    assert.ok(seed.defaultGroup);
    seed.rule(
      seed.webhost,
      "ssh-rewritten",
      { ipProtocol: "tcp", fromPort: 22, toPort: 22, referencedSecurityGroupId: "sg-0123abcd" },
      [seed.defaultGroup],
    );
    await assertViolations(ec2SshOnlyFromDefaultGroup, seed.stack.args(), [
      `Ingress rule "ssh-rewritten" ${SSH}; it allows tcp 22 from security group "prod-default" (sg-0123abcd).`,
    ]);
  });

  it("flags SSH from a CIDR, all-protocol rules and port ranges covering 22", async () => {
    const seed = seedStack("existing");
    seed.rule(seed.webhost, "ssh-world", {
      ipProtocol: "tcp",
      fromPort: 22,
      toPort: 22,
      cidrIpv4: "0.0.0.0/0",
    });
    seed.rule(
      seed.webhost,
      "all-from-webhost",
      { ipProtocol: "-1", referencedSecurityGroupId: unknown<string>() },
      [seed.webhost],
    );
    seed.rule(seed.webhost, "range-v6", {
      ipProtocol: "6",
      fromPort: 0,
      toPort: 65535,
      cidrIpv6: "2001:db8::/32",
    });
    seed.rule(seed.webhost, "ssh-prefix-list", {
      ipProtocol: "tcp",
      fromPort: 20,
      toPort: 23,
      prefixListId: "pl-0abc",
    });
    await assertViolations(ec2SshOnlyFromDefaultGroup, seed.stack.args(), [
      `Ingress rule "ssh-world" ${SSH}; it allows tcp 22 from CIDR 0.0.0.0/0.`,
      `Ingress rule "all-from-webhost" ${SSH}; it allows all traffic from security group "webhost".`,
      `Ingress rule "range-v6" ${SSH}; it allows tcp 0-65535 from CIDR 2001:db8::/32.`,
      `Ingress rule "ssh-prefix-list" ${SSH}; it allows tcp 20-23 from prefix list "pl-0abc".`,
    ]);
  });

  it("ignores rules that cannot carry SSH: other ports, udp 22, icmp", async () => {
    const seed = seedStack("existing");
    seed.rule(seed.webhost, "tcp-2200", {
      ipProtocol: "tcp",
      fromPort: 2200,
      toPort: 2300,
      cidrIpv4: "10.0.0.0/8",
    });
    seed.rule(seed.webhost, "udp-22", {
      ipProtocol: "udp",
      fromPort: 22,
      toPort: 22,
      cidrIpv4: "10.0.0.0/8",
    });
    seed.rule(seed.webhost, "icmp", { ipProtocol: "icmp", fromPort: -1, toPort: -1, cidrIpv4: "10.0.0.0/8" });
    await assertNoViolations(ec2SshOnlyFromDefaultGroup, seed.stack.args());
  });

  it("allows the default group's own all-traffic rule (self) on a managed default group", async () => {
    const stack = new StackBuilder();
    stack.add(T.defaultSecurityGroup, "prod-default", {
      vpcId: unknown<string>(),
      ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }],
    });
    await assertNoViolations(ec2SshOnlyFromDefaultGroup, stack.args());
  });

  it("checks inline ingress blocks and SecurityGroupRule too", async () => {
    const seed = seedStack("existing");
    seed.stack.add(T.securityGroup, "legacy", {
      description: "legacy",
      ingress: [
        { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] },
        { protocol: "tcp", fromPort: 22, toPort: 22, securityGroups: ["sg-0d3fa017"] },
        { protocol: "tcp", fromPort: 22, toPort: 22, self: true },
      ],
    });
    seed.stack.add(T.securityGroupRule, "old-style", {
      type: "ingress",
      securityGroupId: "sg-0e1b0057",
      protocol: "tcp",
      fromPort: 0,
      toPort: 1024,
      cidrBlocks: ["192.168.0.0/16"],
    });
    await assertViolations(ec2SshOnlyFromDefaultGroup, seed.stack.args(), [
      `Security group "legacy" ingress[0] ${SSH}; it allows tcp 22 from CIDR 10.0.0.0/8.`,
      `Security group "legacy" ingress[2] ${SSH}; it allows tcp 22 from security group "legacy".`,
      `Security group rule "old-style" ${SSH}; it allows tcp 0-1024 from CIDR 192.168.0.0/16.`,
    ]);
  });

  describe("unknown values at preview", () => {
    it("reports a referenced group no dependency identifies", async () => {
      const seed = seedStack("created");
      seed.rule(seed.webhost, "ssh-from-output", {
        ipProtocol: "tcp",
        fromPort: 22,
        toPort: 22,
        referencedSecurityGroupId: unknown<string>(),
      });
      await assertViolations(ec2SshOnlyFromDefaultGroup, seed.stack.args(), [
        `Ingress rule "ssh-from-output" ${SSH}; cannot be verified at preview: its source security group is unknown and its property dependencies do not identify it.`,
      ]);
    });

    it("reports a reference computed from the default group and another group", async () => {
      const seed = seedStack("created");
      assert.ok(seed.defaultGroup);
      seed.rule(
        seed.webhost,
        "ssh-mixed",
        { ipProtocol: "tcp", fromPort: 22, toPort: 22, referencedSecurityGroupId: unknown<string>() },
        [seed.defaultGroup, seed.mongodb],
      );
      await assertViolations(ec2SshOnlyFromDefaultGroup, seed.stack.args(), [
        `Ingress rule "ssh-mixed" ${SSH}; cannot be verified at preview: its source security group is unknown and its property dependencies do not identify it.`,
      ]);
    });

    it("reports unknown ports on a rule from a CIDR, but not on one from the default group", async () => {
      const seed = seedStack("created");
      assert.ok(seed.defaultGroup);
      seed.rule(seed.webhost, "ports-unknown-cidr", {
        ipProtocol: "tcp",
        fromPort: unknown<number>(),
        toPort: unknown<number>(),
        cidrIpv4: "10.0.0.0/8",
      });
      seed.rule(
        seed.webhost,
        "protocol-unknown-default",
        { ipProtocol: unknown<string>(), referencedSecurityGroupId: unknown<string>() },
        [seed.defaultGroup],
      );
      await assertViolations(ec2SshOnlyFromDefaultGroup, seed.stack.args(), [
        `Ingress rule "ports-unknown-cidr" ${SSH}; cannot be verified at preview: its protocol or ports are unknown and it allows CIDR 10.0.0.0/8.`,
      ]);
    });

    it("reports inline ingress whose list is unknown", async () => {
      const stack = new StackBuilder();
      stack.add(T.securityGroup, "computed", { description: "computed", ingress: unknown<[]>() });
      await assertViolations(ec2SshOnlyFromDefaultGroup, stack.args(), [
        `Security group "computed" ${SSH}; cannot be verified at preview: its inline ingress rules are unknown.`,
      ]);
    });
  });
});

const WORLD = "must open 0.0.0.0/0 and ::/0 only to tcp 80 or tcp 443";
const ingress = (props: Parameters<typeof resourceArgs<typeof T.ingressRule>>[1], name = "rule") =>
  resourceArgs(T.ingressRule, props, { name });

describe("ec2-ingress-world-only-http-https", () => {
  it("allows tcp 80 and 443 from the world", async () => {
    for (const port of [80, 443]) {
      await assertNoViolations(
        ec2IngressWorldOnlyHttpHttps,
        ingress({
          securityGroupId: "sg-1",
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          cidrIpv4: "0.0.0.0/0",
        }),
      );
      await assertNoViolations(
        ec2IngressWorldOnlyHttpHttps,
        ingress({ securityGroupId: "sg-1", ipProtocol: "6", fromPort: port, toPort: port, cidrIpv6: "::/0" }),
      );
    }
  });

  it("ignores other ports from private CIDRs and groups", async () => {
    await assertNoViolations(
      ec2IngressWorldOnlyHttpHttps,
      ingress({
        securityGroupId: "sg-1",
        ipProtocol: "tcp",
        fromPort: 22,
        toPort: 22,
        cidrIpv4: "10.0.0.0/8",
      }),
    );
    await assertNoViolations(
      ec2IngressWorldOnlyHttpHttps,
      ingress({ securityGroupId: "sg-1", ipProtocol: "-1", referencedSecurityGroupId: "sg-2" }),
    );
  });

  it("flags other ports, ranges covering more than one web port, all traffic and udp", async () => {
    await assertHasViolation(
      ec2IngressWorldOnlyHttpHttps,
      ingress(
        { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" },
        "ssh",
      ),
      `Ingress rule "ssh" ${WORLD}; it opens tcp 22 to 0.0.0.0/0.`,
    );
    await assertHasViolation(
      ec2IngressWorldOnlyHttpHttps,
      ingress(
        { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 80, toPort: 443, cidrIpv6: "::/0" },
        "web",
      ),
      `Ingress rule "web" ${WORLD}; it opens tcp 80-443 to ::/0.`,
    );
    await assertHasViolation(
      ec2IngressWorldOnlyHttpHttps,
      ingress({ securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" }, "all"),
      `Ingress rule "all" ${WORLD}; it opens all traffic to 0.0.0.0/0.`,
    );
    await assertHasViolation(
      ec2IngressWorldOnlyHttpHttps,
      ingress(
        { securityGroupId: "sg-1", ipProtocol: "udp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" },
        "quic",
      ),
      `Ingress rule "quic" ${WORLD}; it opens udp 443 to 0.0.0.0/0.`,
    );
  });

  it("checks inline ingress on security groups", async () => {
    await assertViolations(
      ec2IngressWorldOnlyHttpHttps,
      resourceArgs(
        T.securityGroup,
        {
          description: "legacy",
          ingress: [
            { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
            { protocol: "tcp", fromPort: 3389, toPort: 3389, cidrBlocks: ["10.0.0.0/8", "0.0.0.0/0"] },
          ],
        },
        { name: "legacy" },
      ),
      [`Security group "legacy" ingress[1] ${WORLD}; it opens tcp 3389 to 0.0.0.0/0.`],
    );
  });

  describe("unknown values at preview", () => {
    it("reports an unknown CIDR on a port other than 80/443", async () => {
      await assertViolations(
        ec2IngressWorldOnlyHttpHttps,
        ingress(
          { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: unknown() },
          "vpc",
        ),
        [
          `Ingress rule "vpc" ${WORLD}; cannot be verified at preview: its source is unknown and it opens tcp 22.`,
        ],
      );
    });

    it("accepts an unknown CIDR on tcp 443: whatever it is, 443 may be open", async () => {
      await assertNoViolations(
        ec2IngressWorldOnlyHttpHttps,
        ingress({
          securityGroupId: "sg-1",
          ipProtocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrIpv4: unknown(),
        }),
      );
    });

    it("reports unknown ports from the world", async () => {
      await assertViolations(
        ec2IngressWorldOnlyHttpHttps,
        ingress(
          {
            securityGroupId: "sg-1",
            ipProtocol: "tcp",
            fromPort: unknown(),
            toPort: unknown(),
            cidrIpv4: "0.0.0.0/0",
          },
          "ports",
        ),
        [
          `Ingress rule "ports" ${WORLD}; cannot be verified at preview: its protocol or ports are unknown and it opens 0.0.0.0/0.`,
        ],
      );
    });

    it("reports an unknown inline ingress list", async () => {
      await assertViolations(
        ec2IngressWorldOnlyHttpHttps,
        resourceArgs(T.securityGroup, { ingress: unknown<[]>() }, { name: "computed" }),
        [
          `Security group "computed" ${WORLD}; cannot be verified at preview: its inline ingress rules are unknown.`,
        ],
      );
    });
  });
});

describe("ec2-security-group-descriptions-present (advisory)", () => {
  it("accepts described groups and rules", async () => {
    await assertNoViolations(
      ec2SecurityGroupDescriptionsPresent,
      resourceArgs(T.securityGroup, { description: "Web server security group" }),
    );
    await assertNoViolations(
      ec2SecurityGroupDescriptionsPresent,
      ingress({ securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 80, toPort: 80, description: "HTTP" }),
    );
  });

  it("flags missing and provider-default descriptions", async () => {
    await assertViolations(
      ec2SecurityGroupDescriptionsPresent,
      resourceArgs(T.securityGroup, { description: "Managed by Pulumi" }, { name: "web" }),
      [
        `Security group "web" must have a description saying what it guards; it has the provider default "Managed by Pulumi".`,
      ],
    );
    await assertViolations(
      ec2SecurityGroupDescriptionsPresent,
      ingress({ securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 80, toPort: 80 }, "http"),
      [`Ingress rule "http" must have a description saying why the traffic is allowed; it has none.`],
    );
    await assertViolations(
      ec2SecurityGroupDescriptionsPresent,
      resourceArgs(
        T.egressRule,
        { securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" },
        { name: "out" },
      ),
      [`Egress rule "out" must have a description saying why the traffic is allowed; it has none.`],
    );
  });

  it("looks at egress too: inline egress blocks and egress-type SecurityGroupRules", async () => {
    await assertViolations(
      ec2SecurityGroupDescriptionsPresent,
      resourceArgs(
        T.securityGroup,
        {
          description: "Web server security group",
          egress: [
            { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] },
            {
              protocol: "tcp",
              fromPort: 443,
              toPort: 443,
              cidrBlocks: ["0.0.0.0/0"],
              description: "HTTPS out",
            },
          ],
        },
        { name: "web" },
      ),
      [
        `Security group "web" egress[0] must have a description saying why the traffic is allowed; it has none.`,
      ],
    );
    await assertViolations(
      ec2SecurityGroupDescriptionsPresent,
      resourceArgs(
        T.securityGroupRule,
        {
          type: "egress",
          securityGroupId: "sg-1",
          protocol: "-1",
          fromPort: 0,
          toPort: 0,
          cidrBlocks: ["0.0.0.0/0"],
        },
        { name: "out" },
      ),
      [`Security group rule "out" must have a description saying why the traffic is allowed; it has none.`],
    );
    await assertViolations(
      ec2SecurityGroupDescriptionsPresent,
      resourceArgs(
        T.defaultSecurityGroup,
        { vpcId: "vpc-1", egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] },
        { name: "d" },
      ),
      [
        `Default security group "d" egress[0] must have a description saying why the traffic is allowed; it has none.`,
      ],
    );
  });

  it("reports an unknown description", async () => {
    await assertViolations(
      ec2SecurityGroupDescriptionsPresent,
      resourceArgs(T.securityGroup, { description: unknown<string>() }, { name: "web" }),
      [`Security group "web" must have a description; cannot be verified at preview: it is unknown.`],
    );
  });
});

/** The seed keeps AWS's all-traffic egress, explicitly: the one thing the pack advises against. */
const SEED_EGRESS = ["webhost", "mongodb"].map(
  (g) =>
    `ec2-egress-world-not-all-ports: Egress rule "${g}-egress-all" must not allow all traffic out to the world; it allows every port to 0.0.0.0/0. Limit egress to what the hosts need (for example tcp 443 to package mirrors and AWS APIs, the Salt master's 4505-4506), or keep the AWS default deliberately and set this policy to disabled.`,
);

describe("the seed's security groups through the whole pack", () => {
  it("pass every mandatory policy, and every advisory one but world egress", async () => {
    for (const vpc of ["existing", "created"] as const) {
      assert.deepEqual(await packViolations(allPolicies, seedSecurityGroups(vpc).stack.args()), SEED_EGRESS);
    }
  });

  it("SSH from webhost gives one violation", async () => {
    const seed = seedSecurityGroups("existing");
    seed.rule(
      seed.mongodb,
      "mongodb-tcp-22-webhost",
      {
        ipProtocol: "tcp",
        fromPort: 22,
        toPort: 22,
        referencedSecurityGroupId: unknown<string>(),
        description: "SSH",
      },
      [seed.webhost],
    );
    assert.deepEqual(await packViolations(allPolicies, seed.stack.args()), [
      `ec2-ssh-only-from-default-group: Ingress rule "mongodb-tcp-22-webhost" ${SSH}; it allows tcp 22 from security group "webhost".`,
      ...SEED_EGRESS,
    ]);
  });

  it("SSH from 0.0.0.0/0 gives two violations: SSH and world-open", async () => {
    const seed = seedSecurityGroups("existing");
    seed.rule(seed.webhost, "webhost-tcp-22-world", {
      ipProtocol: "tcp",
      fromPort: 22,
      toPort: 22,
      cidrIpv4: "0.0.0.0/0",
      description: "SSH from anywhere",
    });
    assert.deepEqual(await packViolations(allPolicies, seed.stack.args()), [
      `ec2-ssh-only-from-default-group: Ingress rule "webhost-tcp-22-world" ${SSH}; it allows tcp 22 from CIDR 0.0.0.0/0.`,
      `ec2-ingress-world-only-http-https: Ingress rule "webhost-tcp-22-world" ${WORLD}; it opens tcp 22 to 0.0.0.0/0.`,
      ...SEED_EGRESS,
    ]);
  });
});
