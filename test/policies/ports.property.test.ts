// Port arithmetic, checked against a direct statement of each rule over arbitrary tcp ranges.

import * as assert from "node:assert/strict";
import fc from "fast-check";
import { ec2SshOnlyFromDefaultGroup, ec2IngressWorldOnlyHttpHttps } from "../../policies/securityGroups";
import { T } from "../../policies/types";
import { StackBuilder, resourceArgs, violations } from "./util";

// Edge ports often enough that single-port 80/443 and ranges bordering 22 actually occur.
const port = fc.oneof(
  fc.constantFrom(0, 21, 22, 23, 79, 80, 81, 442, 443, 444, 65535),
  fc.integer({ min: 0, max: 65535 }),
);
const range = fc.tuple(port, port).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);
const protocol = fc.constantFrom("tcp", "6", "udp", "17", "icmp", "-1");
const worldCidr = fc.constantFrom("0.0.0.0/0", "::/0");

describe("port ranges (property-based)", () => {
  it("world ingress passes exactly for single-port tcp 80 or 443", async () => {
    await fc.assert(
      fc.asyncProperty(protocol, range, worldCidr, async (ipProtocol, [fromPort, toPort], cidr) => {
        const args = resourceArgs(T.ingressRule, {
          securityGroupId: "sg-1",
          ipProtocol,
          fromPort,
          toPort,
          ...(cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
        });
        const isTcp = ipProtocol === "tcp" || ipProtocol === "6";
        const allowed = isTcp && fromPort === toPort && (fromPort === 80 || fromPort === 443);
        assert.equal((await violations(ec2IngressWorldOnlyHttpHttps, args)).length, allowed ? 0 : 1);
      }),
    );
  });

  it("SSH from a CIDR is flagged exactly when the rule can carry tcp 22", async () => {
    await fc.assert(
      fc.asyncProperty(protocol, range, async (ipProtocol, [fromPort, toPort]) => {
        const stack = new StackBuilder();
        stack.add(T.ingressRule, "r", {
          securityGroupId: "sg-1",
          ipProtocol,
          fromPort,
          toPort,
          cidrIpv4: "10.0.0.0/8",
        });
        const isTcp = ipProtocol === "tcp" || ipProtocol === "6";
        const carriesSsh = ipProtocol === "-1" || (isTcp && fromPort <= 22 && 22 <= toPort);
        assert.equal((await violations(ec2SshOnlyFromDefaultGroup, stack.args())).length, carriesSsh ? 1 : 0);
      }),
    );
  });
});
