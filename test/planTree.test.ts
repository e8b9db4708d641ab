/** Two pieces of the plan's start-up and output work (issue 14 items 4 and 7). */
import * as assert from "node:assert/strict";
import { cheapStackTraces } from "../scripts/lib/mockRuntime";
import { formatTree } from "../scripts/lib/planRun";
import { component, group, providerResource, rule, stackResource } from "./analyzer/stacks";

describe("cheapStackTraces: no stack traces formatted while the program registers", () => {
  it("makes a bare Error's trace its header alone, keeps a message, and puts everything back", () => {
    const limit = Error.stackTraceLimit;
    const previous = Error.prepareStackTrace;
    const restore = cheapStackTraces();
    try {
      assert.equal(Error.stackTraceLimit, 0);
      assert.equal(new Error().stack, "Error");
      assert.equal(new Error("boom").stack, "Error: boom");
      assert.equal(new TypeError("bad").stack, "TypeError: bad");
    } finally {
      restore();
    }
    assert.equal(Error.stackTraceLimit, limit);
    assert.equal(Error.prepareStackTrace, previous);
    assert.match(new Error("after").stack ?? "", /^Error: after\n {4}at /);
  });
});

describe("formatTree", () => {
  it("puts each resource under its parent, children in registration order", () => {
    const comp = component("web-tier");
    const web = group("webhost", comp);
    const db = group("mongodb", comp);
    const ssh = rule("ssh", comp, db, 22, { group: web });
    assert.deepEqual(
      formatTree("prod", [stackResource(), providerResource(), comp, web, db, ssh]).split("\n"),
      [
        "Previewing update (prod), offline:",
        "",
        "     Type                                                   Name → name in AWS, where it differs",
        " +   pulumi:pulumi:Stack                                    pillar-dev",
        " +       └─ pulumi:providers:aws                            aws-eu",
        " +       └─ pillar:network:SecurityGroups                   web-tier",
        " +           └─ aws:ec2:SecurityGroup                       webhost",
        " +           └─ aws:ec2:SecurityGroup                       mongodb",
        " +           └─ aws:vpc:SecurityGroupIngressRule            ssh",
      ],
    );
  });
});
