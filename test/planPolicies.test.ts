import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { runPolicyPack } from "../scripts/lib/analyzer";
import { PROJECT_ROOT } from "../scripts/lib/planner";
import { readStackFile } from "../scripts/lib/stackFile";
import { SeedDoc } from "./configHelpers";
import { planFile, runPlan, writeTemp } from "./harness";

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
    violations: { policy: string; level: string; urn: string | null; message: string }[];
  };
}

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
    assert.deepEqual(run.violations.map((v) => v.policy).sort(), [
      "ec2-instance-type-allowed",
      "ec2-instance-type-allowed",
      "elb-access-logs-enabled",
    ]);
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
      /- \[mandatory\] {2}ec2-ssh-only-from-default-group {2}\(aws:vpc:SecurityGroupIngressRule: sg-mongodb-in-tcp-22-from-webhost\)/,
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
          'Autoscaling group "app-hosts" must leave desiredCapacity to its scalers (ignoreChanges ["desiredCapacity"]): its size is changed by alarm "alarms-php_cpu_scale_down", alarm "alarms-webhost_cpu_scale_up", scaling policy "app-hosts-webhost_scale_down", scaling policy "app-hosts-webhost_scale_up", and every pulumi up resets it to 2.',
        ],
      ],
    );
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
