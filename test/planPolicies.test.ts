import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { runPolicyPack } from "../scripts/lib/analyzer";
import { PROJECT_ROOT } from "../scripts/lib/planner";
import { readStackFile } from "../scripts/lib/stackFile";
import { SeedDoc } from "./configHelpers";
import { planFile, runPlan, writeTemp } from "./harness";
import { TYPES } from "../provider/types";

const plan = runPlan;

/** The prod stack file with one edit, written to a temp file. */
function prodWith(edit: (config: SeedDoc) => void): string {
  const doc = YAML.parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.prod.yaml"), "utf8")) as {
    config: SeedDoc;
  };
  edit(doc.config);
  return writeTemp(YAML.stringify(doc), "Pulumi.prod.yaml");
}

interface JsonPlan {
  policies: {
    pack: string;
    packs: string[];
    violations: { policy: string; level: string; urn: string | null; message: string; pack: string }[];
    remediations: { policy: string; urn: string; diff: object; pack: string }[];
  };
}

const byPack = (doc: JsonPlan, pack: string) =>
  doc.policies.violations
    .filter((v) => v.pack === pack)
    .map((v) => `${v.level} ${v.policy} ${v.urn?.split("::").pop()}`)
    .sort();

const mandatory = (doc: JsonPlan) =>
  doc.policies.violations
    .filter((v) => v.level === "mandatory")
    .map((v) => `${v.policy} ${v.urn?.split("::").pop()}`);

describe("policies in the offline plan", function () {
  this.timeout(240_000);

  it("the whole prod stack from the mock harness has no mandatory violation", async () => {
    const planned = await planFile(path.join(PROJECT_ROOT, "Pulumi.prod.yaml"), { stack: "prod" });
    const file = readStackFile(path.join(PROJECT_ROOT, "Pulumi.prod.yaml"), "pillar");
    const run = await runPolicyPack({
      packDir: path.join(PROJECT_ROOT, "policies"),
      project: "pillar",
      stack: "prod",
      dryRun: true,
      stackConfig: file.config,
      resources: planned.resources,
    });
    assert.equal(run.pack, "pillar");
    assert.deepEqual(
      run.violations.filter((v) => v.level === "mandatory"),
      [],
    );
    // What the pack advises on the seed as it is (README "What the pack finds on prod and dev").
    assert.deepEqual(run.violations.map((v) => `${v.policy} ${v.urn?.split("::").pop()}`).sort(), [
      "cloudwatch-log-group-retention-minimum reactor-logs",
      "ec2-detailed-monitoring-enabled mongodb-server",
      "ec2-egress-world-not-all-ports sg-mongodb-out-all-all-to-0.0.0.0_0",
      "ec2-egress-world-not-all-ports sg-webhost-out-all-all-to-0.0.0.0_0",
      "ec2-imds-hop-limit-one app-hosts-webhost",
      "ec2-imds-hop-limit-one mongodb-server",
      "ec2-instance-behind-load-balancer-public-ip-default app-hosts",
      "ec2-instance-not-in-default-group app-hosts-webhost",
      "ec2-instance-not-in-default-group mongodb-server",
      "ec2-instance-type-allowed app-hosts-webhost",
      "ec2-instance-type-allowed mongodb-server",
      "elb-access-logs-enabled MY-ELB",
      "elb-http-listener-redirects-to-https MY-ELB",
      "lambda-function-tracing-enabled reactor",
      "sns-alarm-topic-has-subscription reactor-alerts",
    ]);
    assert.deepEqual(run.remediations, []);
  });

  it("the prod and dev stacks plan with exit 0 and report the pack in --json", () => {
    for (const stack of ["prod", "dev"]) {
      const r = plan("--stack", stack, "--json");
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout) as JsonPlan;
      assert.equal(doc.policies.pack, "pillar@v0.1.0");
      assert.deepEqual(mandatory(doc), []);
    }
  });

  it("SSH open to the world exits 1, naming both policies and the rule", () => {
    const r = plan(
      "--stack-file",
      prodWith((c) => (c["pillar:security_groups"][0].rules[2].cidr_ip = "0.0.0.0/0")),
      "--json",
    );
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(mandatory(JSON.parse(r.stdout) as JsonPlan).sort(), [
      "ec2-ingress-world-only-http-https sg-webhost-in-tcp-22-from-0.0.0.0_0",
      "ec2-ssh-only-from-default-group sg-webhost-in-tcp-22-from-0.0.0.0_0",
    ]);
  });

  it("SSH from webhost exits 1, judged from the rule's referenced group", () => {
    const r = plan(
      "--stack-file",
      prodWith((c) => (c["pillar:security_groups"][1].rules[1].cidr_ip = "webhost")),
    );
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stdout,
      /- \[mandatory\] \[severity: critical\] {2}ec2-ssh-only-from-default-group {2}\(aws:vpc:SecurityGroupIngressRule: sg-mongodb-in-tcp-22-from-webhost\)/,
    );
    assert.match(
      r.stdout,
      /error: 1 mandatory policy violation\(s\): this stack must not be deployed as it is\.\n$/,
    );
  });

  it("an unencrypted volume exits 1 naming the instance", () => {
    const r = plan(
      "--stack-file",
      prodWith(
        (c) => (c["pillar:profiles"]["mongodb-server"].block_device_mappings[0]["Ebs.Encrypted"] = false),
      ),
      "--json",
    );
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(mandatory(JSON.parse(r.stdout) as JsonPlan), ["ec2-ebs-encrypted mongodb-server"]);
  });

  it("a managed desired capacity beside the seed's scaling policies is advisory: the group's options reach the pack", () => {
    const r = plan(
      "--stack-file",
      prodWith((c) => (c["pillar:autoscale"].groups[0].manage_desired_capacity = true)),
      "--json",
    );
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as JsonPlan;
    assert.deepEqual(
      doc.policies.violations
        .filter((v) => v.policy === "autoscaling-group-desired-capacity-ignored")
        .map((v) => [v.level, v.urn?.split("::").pop(), v.message.split("\n")[1]]),
      [
        [
          "advisory",
          "app-hosts",
          'Autoscaling group "app-hosts" must leave desiredCapacity to its scalers (ignoreChanges ["desiredCapacity"]): its size is changed by alarm "php_cpu_scale_down", alarm "webhost_cpu_scale_up", scaling policy "app-hosts-webhost_scale_down", scaling policy "app-hosts-webhost_scale_up", and every pulumi up resets it to 2.',
        ],
      ],
    );
  });

  it("a launch template volume left unencrypted is remediated by default, and blocks at mandatory", () => {
    const file = prodWith((c) => {
      c["pillar:autoscale"].groups[0].launch_config.push({
        block_device_mappings: [{ DeviceName: "/dev/sda1", "Ebs.VolumeSize": 20, "Ebs.Encrypted": false }],
      });
    });
    const r = plan("--stack-file", file, "--show-policy-remediations");
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /\n {8}- \[remediate\] {2}ec2-ebs-encrypted {2}\(aws:ec2:LaunchTemplate: app-hosts-webhost\) \[diff: ~blockDeviceMappings\]\n/,
    );
    const strict = writeTemp(JSON.stringify({ "ec2-ebs-encrypted": "mandatory" }), "policy-config.json");
    const blocked = plan("--stack-file", file, "--policy-config", strict, "--json");
    assert.equal(blocked.code, 1, blocked.stderr);
    const doc = JSON.parse(blocked.stdout) as JsonPlan;
    assert.deepEqual(mandatory(doc), ["ec2-ebs-encrypted app-hosts-webhost"]);
    assert.deepEqual(doc.policies.remediations, []);
  });

  it("the Remediate call fixes IMDSv2 before Analyze and AnalyzeStack, unless it is set to mandatory", async () => {
    const planned = await planFile(path.join(PROJECT_ROOT, "Pulumi.prod.yaml"), { stack: "prod" });
    const lt = planned.get(TYPES.ec2.LaunchTemplate, "app-hosts-webhost");
    const options = lt.wireInputs["metadataOptions"] as Record<string, unknown>;
    const resources = planned.resources.map((r) =>
      r === lt
        ? { ...r, wireInputs: { ...r.wireInputs, metadataOptions: { ...options, httpTokens: "optional" } } }
        : r,
    );
    const file = readStackFile(path.join(PROJECT_ROOT, "Pulumi.prod.yaml"), "pillar");
    const run = (policyConfig?: Record<string, unknown>) =>
      runPolicyPack({
        packDir: path.join(PROJECT_ROOT, "policies"),
        project: "pillar",
        stack: "prod",
        dryRun: true,
        stackConfig: file.config,
        resources,
        ...(policyConfig ? { policyConfig } : {}),
      });
    const fixed = await run();
    assert.deepEqual(fixed.remediations, [
      {
        policy: "ec2-imdsv2-required",
        urn: lt.urn,
        diff: { adds: [], deletes: [], updates: ["metadataOptions"] },
      },
    ]);
    assert.deepEqual(
      fixed.violations.filter((v) => v.level === "mandatory"),
      [],
    );
    const strict = await run({ "ec2-imdsv2-required": "mandatory" });
    assert.deepEqual(strict.remediations, []);
    assert.deepEqual(
      strict.violations.filter((v) => v.level === "mandatory").map((v) => [v.policy, v.urn]),
      [["ec2-imdsv2-required", lt.urn]],
    );
  });

  it("an older TLS policy is advised against, and remediated when that policy is set to remediate", () => {
    const file = prodWith((c) => (c["pillar:elb"].ssl_policy = "ELBSecurityPolicy-2016-08"));
    const advised = plan("--stack-file", file, "--json");
    assert.equal(advised.code, 0, advised.stderr);
    const before = JSON.parse(advised.stdout) as JsonPlan;
    assert.ok(
      byPack(before, "pillar@v0.1.0").includes("advisory elb-ssl-negotiation-policy-current MY-ELB-tls"),
    );
    const cfg = writeTemp(
      JSON.stringify({ "elb-ssl-negotiation-policy-current": "remediate" }),
      "policy-config.json",
    );
    const fixed = plan("--stack-file", file, "--policy-config", cfg, "--json");
    assert.equal(fixed.code, 0, fixed.stderr);
    const after = JSON.parse(fixed.stdout) as JsonPlan;
    assert.deepEqual(
      after.policies.remediations.map((m) => [m.policy, m.urn.split("::").pop(), m.diff]),
      [
        [
          "elb-ssl-negotiation-policy-current",
          "MY-ELB-tls",
          { adds: [], deletes: [], updates: ["policyAttributes"] },
        ],
      ],
    );
    assert.ok(!byPack(after, "pillar@v0.1.0").some((v) => v.includes("elb-ssl-negotiation-policy-current")));
  });

  it("the reactor's public webhook URL is mandatory-blocked unless the pack config allows that function", () => {
    const file = prodWith((c) => (c["pillar:reactor"] = { function_url: true }));
    const r = plan("--stack-file", file, "--json");
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(mandatory(JSON.parse(r.stdout) as JsonPlan), ["lambda-function-not-public reactor"]);
    const cfg = writeTemp(
      JSON.stringify({ "lambda-function-not-public": { allowedPublicFunctions: ["reactor"] } }),
      "policy-config.json",
    );
    const allowed = plan("--stack-file", file, "--policy-config", cfg, "--json");
    assert.equal(allowed.code, 0, allowed.stderr);
  });

  it("--policy-pack runs other packs in the same run, each with its --policy-pack-config", () => {
    const fixtureConfig = writeTemp(
      JSON.stringify({ "fixture-provider-region-allowed": { allowedRegions: ["eu-west-1"] } }),
      "fixture.json",
    );
    const ours = writeTemp(JSON.stringify({ "elb-access-logs-enabled": "disabled" }), "pillar.json");
    const r = plan(
      "--json",
      "--policy-pack",
      "policies",
      "--policy-pack",
      "test/analyzer/fixture-pack",
      "--policy-pack-config",
      ours,
      "--policy-pack-config",
      fixtureConfig,
    );
    // The fixture's own SSH policy only trusts a dependency named "default": a mandatory violation
    // of another pack fails the plan like one of ours.
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as JsonPlan;
    assert.deepEqual(
      doc.policies.violations.filter((v) => v.level === "mandatory").map((v) => `${v.pack} ${v.policy}`),
      ["fixture@v0.1.0 fixture-ssh-from-default-group", "fixture@v0.1.0 fixture-ssh-from-default-group"],
    );
    assert.equal(doc.policies.pack, "pillar@v0.1.0");
    assert.deepEqual(doc.policies.packs, ["pillar@v0.1.0", "fixture@v0.1.0"]);
    assert.ok(!byPack(doc, "pillar@v0.1.0").some((v) => v.includes("elb-access-logs-enabled")));
    assert.ok(byPack(doc, "fixture@v0.1.0").includes("advisory fixture-provider-region-allowed app-hosts"));
    const text = plan("--policy-pack", "test/analyzer/fixture-pack");
    assert.equal(text.code, 1, text.stderr);
    assert.match(
      text.stdout,
      /\nPolicies:\n {4}❌ fixture@v0\.1\.0 \(local: test\/analyzer\/fixture-pack\)\n/,
    );
    assert.doesNotMatch(text.stdout, /pillar@v0\.1\.0/, "naming packs replaces the default, as in the CLI");
  });

  it("@pulumi/awsguard beside the pillar pack: what it finds on prod and on dev", () => {
    const found: Record<string, string[]> = {};
    for (const stack of ["prod", "dev"]) {
      const r = plan(
        "--stack",
        stack,
        "--json",
        "--policy-pack",
        "policies",
        "--policy-pack",
        "test/analyzer/awsguard-pack",
      );
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout) as JsonPlan;
      assert.deepEqual(doc.policies.packs, ["pillar@v0.1.0", "pulumi-awsguard@v0.1.0"]);
      found[stack] = byPack(doc, "pulumi-awsguard@v0.1.0");
    }
    assert.deepEqual(found, {
      prod: [
        "advisory ec2-instance-detailed-monitoring-enabled mongodb-server",
        "advisory ec2-volume-inuse mongodb-server",
      ],
      dev: [],
    });
  });

  it("refuses bad --policy-pack and --policy-pack-config arguments with exit 2", () => {
    const cfg = writeTemp("{}", "c.json");
    const cases: [string[], string][] = [
      [
        ["--policy-pack-config", cfg],
        `error: "--policy-pack-config" must be specified with "--policy-pack"\n`,
      ],
      [
        ["--policy-pack", "policies", "--policy-pack-config", cfg, "--policy-pack-config", cfg],
        `error: the number of "--policy-pack-config" flags must match the number of "--policy-pack" flags (2 and 1)\n`,
      ],
      [
        ["--policy-pack", "nowhere"],
        "error: --policy-pack nowhere: no policy pack there (a folder with PulumiPolicy.yaml)\n",
      ],
      [["--policy-pack", "policies,policies"], "error: --policy-pack policies is given twice\n"],
      [
        ["--policy-pack", "test/analyzer/fixture-pack", "--policy-config", cfg],
        "error: --policy-config configures the pillar pack (policies), which --policy-pack does not name; give each pack's config with --policy-pack-config instead\n",
      ],
    ];
    for (const [args, stderr] of cases) {
      const r = plan(...args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.equal(r.stderr, stderr);
      assert.equal(r.stdout, "");
    }
  });

  it("--policy-config naming an unknown policy or property exits 2, listing what exists", () => {
    const cfg = writeTemp(
      JSON.stringify({
        "ec2-imdsv2-requried": "mandatory",
        "ec2-instance-type-allowed": { allowedInstanceType: ["t3.*"] },
        "elb-access-logs-enabled": { bucket: "logs" },
      }),
      "policy-config.json",
    );
    const r = plan("--policy-config", cfg);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, "");
    const lines = r.stderr.split("\n");
    assert.equal(lines[0], 'error: invalid policy config for pack "pillar":');
    assert.match(
      lines[1]!,
      /^ {2}"ec2-imdsv2-requried" is not a policy of pack "pillar" \(did you mean "ec2-imdsv2-required"\?\); its policies are: ec2-ssh-only-from-default-group, ec2-ingress-world-only-http-https, ec2-imdsv2-required, .*, sns-alarm-topic-has-subscription$/,
    );
    assert.equal(
      lines[2],
      '  policy "ec2-instance-type-allowed" has no property "allowedInstanceType" (did you mean "allowedInstanceTypes"?); it takes: allowedInstanceTypes',
    );
    assert.equal(
      lines[3],
      '  policy "elb-access-logs-enabled" has no property "bucket"; it takes none (only enforcementLevel)',
    );
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  });

  it("--policy-config changes enforcement like --policy-pack-config", () => {
    const cfg = writeTemp(JSON.stringify({ "elb-access-logs-enabled": "mandatory" }), "policy-config.json");
    const r = plan("--policy-config", cfg, "--json");
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(mandatory(JSON.parse(r.stdout) as JsonPlan), ["elb-access-logs-enabled MY-ELB"]);
    const bad = plan("--policy-config", writeTemp("{ not json", "policy-config.json"));
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^error: .*policy-config\.json: not valid JSON/);
  });
});
