/**
 * The offline plan at scale: 2,000 security groups of 10 rules each. Their config is far over the
 * 128 KiB Linux allows in one environment variable, which is how the Pulumi CLI hands config to the
 * program and to a policy pack; the plan used to die with `spawn E2BIG` starting the pack. It must
 * plan, with the pack run over every resource, and say that a real `pulumi preview` would fail.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { goJson, MAX_ARG_STRLEN } from "../scripts/lib/configEnv";
import { PROJECT_ROOT } from "../scripts/lib/planner";
import { runPlanWithin, writeTemp } from "./harness";

const GROUPS = 2000;
const RULES = 10;

/** The dev stack with GROUPS more groups, each allowing RULES ports from its own /24. */
function bigStack(): { text: string; config: Record<string, string> } {
  const doc = YAML.parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.dev.yaml"), "utf8")) as {
    config: Record<string, unknown>;
  };
  const groups = Array.from({ length: GROUPS }, (_, i) => ({
    name: `app-${i}`,
    description: `application group ${i}`,
    rules: Array.from({ length: RULES }, (_, j) => ({
      ip_protocol: "tcp",
      from_port: 8000 + j,
      to_port: 8000 + j,
      cidr_ip: `10.${Math.floor(i / 250)}.${i % 250}.0/24`,
    })),
  }));
  doc.config["pillar:security_groups"] = [...(doc.config["pillar:security_groups"] as unknown[]), ...groups];
  const config = Object.fromEntries(
    Object.entries(doc.config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
  return { text: YAML.stringify(doc), config };
}

describe(`the plan at scale: ${GROUPS} security groups × ${RULES} rules`, function () {
  this.timeout(1_500_000);

  it("plans every group and rule, runs the pack over them, and warns that the real CLI would fail", () => {
    const { text, config } = bigStack();
    // The premise: the config does not fit where the CLI would put it.
    assert.ok(Buffer.byteLength(goJson(config)) > MAX_ARG_STRLEN * 10);
    const r = runPlanWithin(1_400_000, "--stack-file", writeTemp(text, "Pulumi.scale.yaml"));
    assert.equal(r.code, 0, r.stderr.slice(0, 4000));
    assert.doesNotMatch(r.stderr, /E2BIG/);
    const count = (re: RegExp) => (r.stdout.match(re) ?? []).length;
    // The dev stack's own group plus the generated ones, each rule its own resource, one egress each.
    assert.equal(count(/^ \+ {11}└─ aws:ec2:SecurityGroup {23}app-\d+ → app-\d+-[0-9a-f]{7}$/gm), GROUPS);
    assert.equal(
      count(/^ \+ {11}└─ aws:vpc:SecurityGroupIngressRule {12}sg-app-\d+-in-tcp-80\d\d-from-10\./gm),
      GROUPS * RULES,
    );
    assert.match(r.stdout, /\nPolicies:\n/);
    assert.match(
      r.stdout,
      /\nProvider checks: the AWS provider and AWS would accept every resource \(\d+ rules over \d+ resources\)\.\n/,
    );
    assert.match(
      r.stdout,
      /\nwarning: the stack config is \d+ bytes in the PULUMI_CONFIG environment variable the Pulumi CLI gives the program \(\d+ bytes in a policy pack's\), over the 131072 bytes Linux allows in one environment string \(MAX_ARG_STRLEN\): a real `pulumi preview` or `pulumi up` on Linux will fail to start the program and each policy pack with "argument list too long" \(pulumi\/pulumi#8680, #20402\)\./,
    );
  });
});
