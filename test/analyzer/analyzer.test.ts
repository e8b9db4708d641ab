/**
 * Drives the fixture pack through the analyzer protocol. Each pack start costs seconds, so each
 * describe block starts the pack once in `before` and its cases assert on that one run.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  formatViolations,
  PolicyConfigError,
  runPolicyPack,
  type PolicyRun,
  type PolicyViolation,
} from "../../scripts/lib/analyzer";
import type { RecordedResource } from "../../scripts/lib/record";
import { processesMentioning } from "./procs";
import {
  COMPONENT_TYPE,
  DB_TYPE,
  PROJECT,
  RULE_TYPE,
  STACK,
  STACK_URN,
  childUrn,
  cleanStack,
  violatingStack,
} from "./stacks";

const FIXTURE = path.join(__dirname, "fixture-pack");
const BROKEN = path.join(__dirname, "broken-pack");

const STACK_CONFIG = {
  "aws:region": "us-east-1",
  "pillar:vpcId": "vpc-1234567",
  "pillar:dbPassword": "s3cr3t",
};

function run(
  resources: readonly RecordedResource[],
  extra: Partial<Parameters<typeof runPolicyPack>[0]> = {},
) {
  return runPolicyPack({
    packDir: FIXTURE,
    project: PROJECT,
    stack: STACK,
    organization: "organization",
    dryRun: true,
    stackConfig: STACK_CONFIG,
    secretConfigKeys: ["pillar:dbPassword"],
    resources,
    ...extra,
  });
}

const ruleUrn = (name: string): string => childUrn(COMPONENT_TYPE, RULE_TYPE, name);
const dbUrn = (name: string): string => `urn:pulumi:${STACK}::${PROJECT}::${DB_TYPE}::${name}`;
const brief = (v: PolicyViolation) => ({ policy: v.policy, level: v.level, urn: v.urn, message: v.message });

const INGRESS_DESC = "Checks that ingress from 0.0.0.0/0 is limited to ports 80 and 443.";
const DB_DESC = "Checks that database passwords are not the well-known default.";
const REGION_DESC = "Checks that resources are deployed in an allowed region.";
const SSH_DESC = "Checks that SSH is only allowed from the default security group.";

describe("runPolicyPack: a stack with violations, default config", function () {
  this.timeout(60_000);
  let result: PolicyRun;
  before(async () => {
    result = await run(violatingStack());
  });

  it("reports every violation with policy, level, urn and message, in the order received", () => {
    assert.deepEqual(result.violations.map(brief), [
      {
        policy: "fixture-ingress-no-world",
        level: "mandatory",
        urn: ruleUrn("ssh-world"),
        message: `${INGRESS_DESC}\nIngress from 0.0.0.0/0 must use port 80 or 443, not 22.`,
      },
      {
        policy: "fixture-ingress-no-world",
        level: "advisory",
        urn: ruleUrn("unknown-cidr"),
        message:
          "can't run policy 'fixture-ingress-no-world' from policy pack 'fixture@v0.1.0' during preview: " +
          "string value at .cidrIpv4 can't be known during preview",
      },
      {
        policy: "fixture-db-password-not-default",
        level: "mandatory",
        urn: dbUrn("db"),
        message: `${DB_DESC}\nDatabase password must not be the default one.`,
      },
      {
        policy: "fixture-provider-region-allowed",
        level: "advisory",
        urn: dbUrn("db-east"),
        message: `${REGION_DESC}\nResources must be deployed in eu-west-1, not us-east-1.`,
      },
      {
        policy: "fixture-ssh-from-default-group",
        level: "mandatory",
        urn: ruleUrn("ssh-from-web"),
        message: `${SSH_DESC}\nSSH rule ssh-from-web (in ${COMPONENT_TYPE} web-tier) must come from the default group, not from web.`,
      },
      {
        policy: "fixture-ssh-from-default-group",
        level: "mandatory",
        urn: ruleUrn("ssh-world"),
        message: `${SSH_DESC}\nSSH rule ssh-world (in ${COMPONENT_TYPE} web-tier) must come from the default group, not from 0.0.0.0/0.`,
      },
    ]);
  });

  it("carries the policy's description on each violation", () => {
    assert.equal(result.violations[0]?.description, INGRESS_DESC);
  });

  it("names the pack, its version and its policies with their levels, sorted by name", () => {
    assert.equal(result.pack, "fixture");
    assert.equal(result.version, "0.1.0");
    assert.equal(result.packDir, FIXTURE);
    assert.deepEqual(
      result.policies.map((p) => [p.name, p.enforcementLevel]),
      [
        ["fixture-db-password-not-default", "mandatory"],
        ["fixture-db-tag-owner", "disabled"],
        ["fixture-echo-resource", "disabled"],
        ["fixture-echo-stack", "disabled"],
        ["fixture-ingress-no-world", "mandatory"],
        ["fixture-provider-region-allowed", "advisory"],
        ["fixture-ssh-from-default-group", "mandatory"],
      ],
    );
  });

  it("times each phase", () => {
    const t = result.timings;
    assert.ok(
      t.startMs > 0 && t.configureMs > 0 && t.analyzeMs > 0 && t.analyzeStackMs > 0,
      JSON.stringify(t),
    );
  });

  it("formats the violations like pulumi preview's Policies section", () => {
    const rel = path.relative(process.cwd(), FIXTURE);
    assert.equal(
      formatViolations(result),
      [
        "Policies:",
        `    ❌ fixture@v0.1.0 (local: ${rel})`,
        "        - [mandatory]  fixture-db-password-not-default  (aws:rds:Instance: db)",
        `          ${DB_DESC}`,
        "          Database password must not be the default one.",
        "        - [mandatory]  fixture-ingress-no-world  (aws:vpc:SecurityGroupIngressRule: ssh-world)",
        `          ${INGRESS_DESC}`,
        "          Ingress from 0.0.0.0/0 must use port 80 or 443, not 22.",
        "        - [mandatory]  fixture-ssh-from-default-group  (aws:vpc:SecurityGroupIngressRule: ssh-from-web)",
        `          ${SSH_DESC}`,
        `          SSH rule ssh-from-web (in ${COMPONENT_TYPE} web-tier) must come from the default group, not from web.`,
        "        - [mandatory]  fixture-ssh-from-default-group  (aws:vpc:SecurityGroupIngressRule: ssh-world)",
        `          ${SSH_DESC}`,
        `          SSH rule ssh-world (in ${COMPONENT_TYPE} web-tier) must come from the default group, not from 0.0.0.0/0.`,
        "        - [advisory]  fixture-ingress-no-world  (aws:vpc:SecurityGroupIngressRule: unknown-cidr)",
        "          can't run policy 'fixture-ingress-no-world' from policy pack 'fixture@v0.1.0' during preview: string value at .cidrIpv4 can't be known during preview",
        "        - [advisory]  fixture-provider-region-allowed  (aws:rds:Instance: db-east)",
        `          ${REGION_DESC}`,
        "          Resources must be deployed in eu-west-1, not us-east-1.",
        "",
        "",
      ].join("\n"),
    );
  });

  it("leaves no pack process behind", () => {
    assert.deepEqual(processesMentioning(FIXTURE), []);
  });
});

describe("runPolicyPack: a clean stack", function () {
  this.timeout(60_000);
  let result: PolicyRun;
  before(async () => {
    result = await run(cleanStack());
  });

  it("reports no violations and no remediations", () => {
    assert.deepEqual(result.violations, []);
    assert.deepEqual(result.remediations, []);
  });

  it("formats a passing pack with a check mark", () => {
    assert.match(formatViolations(result), /^Policies:\n {4}✅ fixture@v0\.1\.0 \(local: [^)]+\)\n\n$/);
  });
});

describe("runPolicyPack: policy config and what the pack sees", function () {
  this.timeout(60_000);
  let result: PolicyRun;
  const stack = violatingStack();
  before(async () => {
    result = await run(stack, {
      stackTags: { "pulumi:project": PROJECT },
      policyConfig: {
        "fixture-provider-region-allowed": {
          enforcementLevel: "mandatory",
          allowedRegions: ["eu-west-1", "us-east-1"],
        },
        "fixture-ingress-no-world": "disabled",
        "fixture-db-password-not-default": { enforcementLevel: "advisory" },
        "fixture-echo-resource": "advisory",
        "fixture-echo-stack": "advisory",
        "fixture-db-tag-owner": "remediate",
      },
    });
  });

  const echoes = (policy: string): unknown[] =>
    result.violations
      .filter((v) => v.policy === policy)
      .map((v) => JSON.parse(v.message.slice(v.message.indexOf("\n") + 1)) as unknown);
  const echoOf = (name: string) => {
    const e = echoes("fixture-echo-resource").find((x) => (x as { name: string }).name === name);
    assert.ok(e, `no echo for ${name}`);
    return e as Record<string, unknown>;
  };
  const stackEcho = () => {
    const [e] = echoes("fixture-echo-stack");
    return e as { name: string; [k: string]: unknown }[];
  };

  it("reports the enforcement levels in force after Configure", () => {
    assert.deepEqual(
      result.policies.map((p) => [p.name, p.enforcementLevel]),
      [
        ["fixture-db-password-not-default", "advisory"],
        ["fixture-db-tag-owner", "remediate"],
        ["fixture-echo-resource", "advisory"],
        ["fixture-echo-stack", "advisory"],
        ["fixture-ingress-no-world", "disabled"],
        ["fixture-provider-region-allowed", "mandatory"],
        ["fixture-ssh-from-default-group", "mandatory"],
      ],
    );
  });

  it("runs a mandatory policy at advisory, and a disabled one not at all", () => {
    const levels = result.violations
      .filter((v) => !v.policy.startsWith("fixture-echo"))
      .map((v) => [v.policy, v.level, v.urn]);
    assert.deepEqual(levels, [
      ["fixture-db-password-not-default", "advisory", dbUrn("db")],
      ["fixture-ssh-from-default-group", "mandatory", ruleUrn("ssh-from-web")],
      ["fixture-ssh-from-default-group", "mandatory", ruleUrn("ssh-world")],
    ]);
  });

  it("passes a policy's config properties, replacing its schema default", () => {
    assert.equal(
      result.violations.some((v) => v.policy === "fixture-provider-region-allowed"),
      false,
    );
  });

  it("analyzes every registered resource, components and the stack included, in order", () => {
    assert.deepEqual(
      echoes("fixture-echo-resource").map((e) => (e as { name: string }).name),
      stack.map((r) => r.name),
    );
  });

  it("delivers an unknown input as unknown, and a secret's value unwrapped", () => {
    assert.deepEqual(echoOf("unknown-cidr")["props"], {
      securityGroupId: "<unknown>",
      fromPort: 8080,
      toPort: 8080,
      ipProtocol: "tcp",
      cidrIpv4: "<unknown>",
    });
    assert.deepEqual(echoOf("db")["props"], {
      engine: "postgres",
      password: "hunter2",
      tags: { owner: "ops" },
    });
  });

  it("remediates before analyzing: Analyze and AnalyzeStack see the remediated inputs, secrets kept", () => {
    // The fixture spreads `args.props`, whose SDK proxy unwraps secrets on read: its result carries
    // the password as plaintext, and the short diff says so, as the CLI's would.
    const tagged = { adds: ["tags"], deletes: [], updates: ["password"] };
    assert.deepEqual(result.remediations, [
      { policy: "fixture-db-tag-owner", urn: dbUrn("db"), diff: tagged },
      { policy: "fixture-db-tag-owner", urn: dbUrn("db-east"), diff: tagged },
    ]);
    const db = stackEcho().find((r) => r.name === "db-east");
    assert.deepEqual(db?.["props"], {
      engine: "postgres",
      password: "correct horse battery staple",
      tags: { owner: "ops" },
    });
    assert.match(
      formatViolations(result),
      /\n {8}- \[remediate\] {2}fixture-db-tag-owner {2}\(2 resources\)\n/,
    );
    // --show-policy-remediations: each one, in order, with the CLI's short diff.
    assert.match(
      formatViolations(result, { showRemediations: true }),
      /\n {8}- \[remediate\] {2}fixture-db-tag-owner {2}\(aws:rds:Instance: db\) \[diff: \+tags~password\]\n {8}- \[remediate\] {2}fixture-db-tag-owner {2}\(aws:rds:Instance: db-east\) \[diff: \+tags~password\]\n/,
    );
  });

  it("sends resource options, always, as the engine marshals them", () => {
    assert.deepEqual(echoOf("db")["opts"], {
      protect: true,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 2400, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
      parent: STACK_URN,
    });
    assert.deepEqual(echoOf(`${PROJECT}-${STACK}`)["opts"], {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    });
  });

  it("sends the provider's inputs: the recorded provider's, or the stack config's for a default provider", () => {
    assert.deepEqual(echoOf("db")["provider"], {
      urn: `urn:pulumi:${STACK}::${PROJECT}::pulumi:providers:aws::aws-eu`,
      name: "aws-eu",
      props: { region: "eu-west-1", secretKey: "not-a-real-key" },
    });
    assert.deepEqual(echoOf("db-east")["provider"], {
      urn: `urn:pulumi:${STACK}::${PROJECT}::pulumi:providers:aws::default_7_48_0`,
      name: "default_7_48_0",
      props: { region: "us-east-1" },
    });
    assert.equal(echoOf("web-tier")["provider"], null);
  });

  it("configures the stack: identity and config in the environment, tags over ConfigureStack, the pack's folder as cwd", () => {
    const e = echoOf("db");
    assert.deepEqual(e["stackTags"], { "pulumi:project": PROJECT });
    assert.deepEqual(e["env"], {
      stack: STACK,
      project: PROJECT,
      organization: "organization",
      dryRun: "true",
      config: JSON.stringify(STACK_CONFIG),
      cwd: FIXTURE,
    });
  });

  it("gives AnalyzeStack parents, dependencies and property dependencies as resources", () => {
    const sshFromWeb = stackEcho().find((r) => r.name === "ssh-from-web");
    assert.deepEqual(sshFromWeb, {
      name: "ssh-from-web",
      type: RULE_TYPE,
      parent: "web-tier",
      dependencies: ["web"],
      propertyDependencies: { securityGroupId: ["web"], referencedSecurityGroupId: ["web"] },
      props: {
        securityGroupId: "<unknown>",
        fromPort: 22,
        toPort: 22,
        ipProtocol: "tcp",
        referencedSecurityGroupId: "<unknown>",
      },
      provider: "aws-eu",
    });
  });

  it("attributes a stack policy's violation that names no resource to the root stack", () => {
    const urns = result.violations.filter((v) => v.policy === "fixture-echo-stack").map((v) => v.urn);
    assert.deepEqual(urns, [STACK_URN]);
  });

  it("gives AnalyzeStack a component's registered outputs as its properties", () => {
    const comp = stackEcho().find((r) => r.name === "web-tier");
    assert.deepEqual(comp?.["props"], { groupNames: ["default", "web"] });
    assert.equal(comp?.["parent"], `${PROJECT}-${STACK}`);
  });

  it("leaves no pack process behind", () => {
    assert.deepEqual(processesMentioning(FIXTURE), []);
  });
});

describe("runPolicyPack: failures", function () {
  this.timeout(60_000);

  it("names the pack's folder and shows its stderr when the pack fails to start", async () => {
    await assert.rejects(run(cleanStack(), { packDir: BROKEN }), (e: Error) => {
      assert.match(
        e.message,
        new RegExp(`^policy pack "${BROKEN}" failed to start: it exited \\(code \\d+\\)`),
      );
      assert.match(e.message, /\nstderr:\n[^]*broken-pack refuses to start/);
      return true;
    });
    assert.deepEqual(processesMentioning(BROKEN), []);
  });

  it("kills the pack when the run times out", async () => {
    await assert.rejects(run(cleanStack(), { timeoutMs: 300 }), /timed out after 300 ms/);
    assert.deepEqual(processesMentioning(FIXTURE), []);
  });

  it("rejects policy config that fails the policy's schema, after stopping the pack", async () => {
    await assert.rejects(
      run(cleanStack(), {
        policyConfig: { "fixture-provider-region-allowed": { allowedRegions: "eu-west-1" } },
      }),
      (e: Error) => {
        assert.ok(e instanceof PolicyConfigError, "a config error, which the commands exit 2 on");
        assert.match(e.message, /^validating policy config for pack "fixture": /);
        assert.match(e.message, /fixture-provider-region-allowed: allowedRegions must be array/);
        return true;
      },
    );
    assert.deepEqual(processesMentioning(FIXTURE), []);
  });

  it("says the pack's dependencies are missing when @pulumi/pulumi cannot be found from it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pillar-pack-"));
    try {
      fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
      fs.writeFileSync(path.join(dir, "package.json"), '{ "name": "p", "version": "0.1.0" }\n');
      await assert.rejects(
        run([], { packDir: dir }),
        new RegExp(`dependencies are not installed; try running npm install or yarn install in "${dir}"`),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a folder without PulumiPolicy.yaml", async () => {
    await assert.rejects(run([], { packDir: __dirname }), /failed to load Pulumi policy project located at/);
  });
});
