import { ec2EgressWorldNotAllPorts } from "../../policies/egress";
import { T } from "../../policies/types";
import { assertNoViolations, assertViolations, resourceArgs, unknown } from "./util";

const ADVICE =
  "Limit egress to what the hosts need (for example tcp 443 to package mirrors and AWS APIs, the Salt master's 4505-4506), or keep the AWS default deliberately and set this policy to disabled.";

describe("ec2-egress-world-not-all-ports (advisory)", () => {
  it("flags the seed's explicit all-traffic egress, inline egress and egress-type rules", async () => {
    await assertViolations(
      ec2EgressWorldNotAllPorts,
      resourceArgs(
        T.egressRule,
        { securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: "All egress" },
        { name: "webhost-egress-all" },
      ),
      [
        `Egress rule "webhost-egress-all" must not allow all traffic out to the world; it allows every port to 0.0.0.0/0. ${ADVICE}`,
      ],
    );
    await assertViolations(
      ec2EgressWorldNotAllPorts,
      resourceArgs(
        T.securityGroup,
        {
          description: "web",
          egress: [
            { protocol: "tcp", fromPort: 0, toPort: 65535, ipv6CidrBlocks: ["::/0"] },
            { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
          ],
        },
        { name: "web" },
      ),
      [
        `Security group "web" egress[0] must not allow all traffic out to the world; it allows every port to ::/0. ${ADVICE}`,
      ],
    );
    await assertViolations(
      ec2EgressWorldNotAllPorts,
      resourceArgs(
        T.securityGroupRule,
        {
          type: "egress",
          securityGroupId: "sg-1",
          protocol: "all",
          fromPort: 0,
          toPort: 0,
          cidrBlocks: ["0.0.0.0/0"],
        },
        { name: "out" },
      ),
      [
        `Security group rule "out" must not allow all traffic out to the world; it allows every port to 0.0.0.0/0. ${ADVICE}`,
      ],
    );
  });

  it("accepts narrow egress, egress to private ranges, and ingress rules", async () => {
    await assertNoViolations(
      ec2EgressWorldNotAllPorts,
      resourceArgs(T.egressRule, {
        securityGroupId: "sg-1",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "0.0.0.0/0",
      }),
    );
    await assertNoViolations(
      ec2EgressWorldNotAllPorts,
      resourceArgs(T.egressRule, { securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv4: "10.0.0.0/16" }),
    );
    await assertNoViolations(
      ec2EgressWorldNotAllPorts,
      resourceArgs(T.securityGroupRule, {
        type: "ingress",
        securityGroupId: "sg-1",
        protocol: "-1",
        fromPort: 0,
        toPort: 0,
        cidrBlocks: ["0.0.0.0/0"],
      }),
    );
  });

  it("reports unknown destinations, protocols and inline lists at preview", async () => {
    await assertViolations(
      ec2EgressWorldNotAllPorts,
      resourceArgs(
        T.egressRule,
        { securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv4: unknown<string>() },
        { name: "e" },
      ),
      [
        `Egress rule "e" must not allow all traffic out to the world; cannot be verified at preview: its destination is unknown.`,
      ],
    );
    await assertViolations(
      ec2EgressWorldNotAllPorts,
      resourceArgs(
        T.egressRule,
        { securityGroupId: "sg-1", ipProtocol: unknown<string>(), cidrIpv4: "0.0.0.0/0" },
        { name: "e" },
      ),
      [
        `Egress rule "e" must not allow all traffic out to the world; cannot be verified at preview: its protocol or ports are unknown and it goes to 0.0.0.0/0.`,
      ],
    );
    await assertViolations(
      ec2EgressWorldNotAllPorts,
      resourceArgs(T.securityGroup, { description: "web", egress: unknown<[]>() }, { name: "web" }),
      [
        `Security group "web" must not allow all traffic out to the world; cannot be verified at preview: its inline egress rules are unknown.`,
      ],
    );
  });
});
