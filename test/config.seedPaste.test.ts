/**
 * A new user's first try: each snippet of the seed article (a copy of /work/shared/seed's article in
 * test/fixtures/seed, byte for byte, since the seed folder is not part of the repository) pasted
 * verbatim into Pulumi.<stack>.yaml, under the pillar: key its top-level name says. What is left
 * must be only the article's own placeholders, each named with its path.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { ConfigError } from "../config/issues";
import { loadStackConfig } from "../config/loader";
import type { StackModel } from "../config/model";
import { pillarValues } from "../config/pulumiValues";
import { readStackFile, StackFileError } from "../scripts/lib/stackFile";
import { runPlan, writeTemp } from "./harness";

const ARTICLE = path.join(__dirname, "fixtures", "seed", "from-heroku-to-aws-with-saltstack-part-2.md");

interface Snippet {
  /** The renderer line the article starts it with (`#!yaml`, `#!sls`, `#!salt`, `#!python`). */
  readonly renderer: string;
  /** The snippet without that line, as the article writes it. */
  readonly text: string;
}

function snippets(): Snippet[] {
  const md = fs.readFileSync(ARTICLE, "utf8");
  return [...md.matchAll(/```\n(#![a-z]+)\n([\s\S]*?)```/g)].map((m) => ({ renderer: m[1]!, text: m[2]! }));
}

const dedent = (text: string): string => {
  const lines = text.split("\n");
  const n = Math.min(...lines.filter((l) => l.trim() !== "").map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(n)).join("\n");
};
const indent = (text: string, n: number): string =>
  text
    .split("\n")
    .map((l) => (l === "" ? l : " ".repeat(n) + l))
    .join("\n");

/**
 * The paste, as the README tells a user to do it: a section snippet (`security_groups:`, `elb:`,
 * `reactor:`, `ec2.autoscale:` …) goes under `config:` with its key prefixed `pillar:`; the profile
 * snippet (keyed by profile name) goes under `pillar:profiles`. Left out: the provider file (a Jinja
 * template, see below), the reactor SLS (Python, which pillar's reactor replaces) and the article's
 * `database: ...` illustration.
 */
function pasted(): string {
  const all = snippets();
  const data = all.filter((s) => s.renderer === "#!yaml" || s.renderer === "#!sls");
  const out = ["config:", "  aws:region: us-east-1"];
  for (const s of data) {
    const body = dedent(s.text);
    if (body.includes("    ...")) continue; // the article's "the definition would be" illustration
    if (body.startsWith("mongodb-server:")) out.push("  pillar:profiles:", indent(body, 4));
    else out.push(indent(body.replace(/^([a-z_.0-9]+):/, "pillar:$1:"), 2));
  }
  return `${out.join("\n")}\n`;
}

function loadFile(file: string): StackModel {
  const stackFile = readStackFile(file, "pillar");
  const { values, secretKeys } = pillarValues(stackFile.config, (k) => stackFile.secretKeys.includes(k));
  return loadStackConfig({
    project: "pillar",
    stack: "seed",
    values,
    secretKeys,
    awsRegion: stackFile.config["aws:region"],
  });
}

function issuesOfFile(file: string): string[] {
  try {
    loadFile(file);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.issues.map((i) => `${i.path}: ${i.message}`);
  }
  assert.fail("expected the pasted config to be refused");
}

/** The article's placeholders filled the way a user would, and the Salt master's address added. */
function filled(text: string): string {
  return text
    .replace("ami-<some_id>", "ami-0abc1234")
    .replace("subnet-<some_id>", "subnet-0d4e5f61")
    .replace(/subnet-<vpc_subnet([123])>/g, "subnet-0a1b2c3$1")
    .replace("<your_account_number>", "123456789012")
    .replace("<your_certificate_name>", "my-certificate")
    .replace(/<account_id>/g, "123456789012")
    .replace(/:<UUID for sns event>/g, "")
    .replace(/^( +)startup_states: highstate$/m, "$1startup_states: highstate\n$1master: salt.example.com");
}

describe("config: the seed article's snippets pasted verbatim", () => {
  it("pastes 7 data snippets: the pillar's four, the profile, the master's reactor: and ec2.autoscale:", () => {
    const keys = Object.keys((YAML.parse(pasted()) as { config: object }).config);
    assert.deepEqual(keys, [
      "aws:region",
      "pillar:profiles",
      "pillar:security_groups",
      "pillar:elb",
      "pillar:autoscale",
      "pillar:cloudwatch",
      "pillar:reactor",
      "pillar:ec2.autoscale",
    ]);
  });

  it("cannot paste the provider file: it is a Jinja template, which a stack file (YAML) cannot hold", () => {
    const provider = snippets().find((s) => s.renderer === "#!salt")!;
    const file = writeTemp(`config:\n  pillar:cloud:\n${indent(provider.text, 4)}`);
    assert.throws(
      () => readStackFile(file, "pillar"),
      (err: unknown) =>
        err instanceof StackFileError &&
        err.message.startsWith(
          `${file}: not valid YAML: Plain value cannot start with directive indicator character % at line 20, column 8:`,
        ) &&
        err.message.includes("{% if aws_region -%}"),
    );
  });

  it("leaves only the article's placeholders, each named with its path", () => {
    assert.deepEqual(issuesOfFile(writeTemp(pasted())), [
      'pillar:profiles["mongodb-server"].image: expected an AMI id (ami- and 8 or 17 hex digits) or a lookup {owners, name}, got "ami-<some_id>"',
      'pillar:elb.listeners[0].certificate: expected an IAM server certificate ARN (arn:aws:iam::…:server-certificate/…) or ACM certificate ARN, got "arn:aws:iam::<your_account_number>:server-certificate/<your_certificate_name>"',
      "pillar:ec2.autoscale.web.minion: the Salt bootstrap needs the master's address: set minion.master here or in the cloud provider (the seed's provider file writes it as the template's {{ salt_master_domain }})",
      'pillar:autoscale.groups[0].vpc_zone_identifiers[0]: expected a subnet id (subnet-…) or a tier ("public" or "private"), got "subnet-<vpc_subnet1>"',
      'pillar:autoscale.groups[0].vpc_zone_identifiers[1]: expected a subnet id (subnet-…) or a tier ("public" or "private"), got "subnet-<vpc_subnet2>"',
      'pillar:autoscale.groups[0].vpc_zone_identifiers[2]: expected a subnet id (subnet-…) or a tier ("public" or "private"), got "subnet-<vpc_subnet3>"',
      'pillar:cloudwatch.alarms[0].attributes.alarm_actions[0]: expected an ARN, "scaling_policy:<group>:<policy>" or "sns:<topic>", got "arn:aws:sns:us-east-1:<account_id>:alert_salt_web_scale_up:<UUID for sns event>"',
      'pillar:cloudwatch.alarms[1].attributes.alarm_actions[0]: expected an ARN, "scaling_policy:<group>:<policy>" or "sns:<topic>", got "arn:aws:sns:us-east-1:<account_id>:alert_salt_php_scale_down:<UUID for sns event>"',
      'pillar:profiles["mongodb-server"].subnetid: "subnet-<some_id>" is a placeholder: put the real value',
      'pillar:elb.subnets[0]: "subnet-<vpc_subnet1>" is a placeholder: put the real value',
      'pillar:elb.subnets[1]: "subnet-<vpc_subnet2>" is a placeholder: put the real value',
      'pillar:elb.subnets[2]: "subnet-<vpc_subnet3>" is a placeholder: put the real value',
    ]);
  });

  it("with the placeholders filled, loads: the network and the provider derived, the reactor hooks wired", () => {
    const m = loadFile(writeTemp(filled(pasted())));
    assert.deepEqual(m.network, {
      mode: "existing",
      vpcId: "vpc-1234567",
      publicSubnetIds: ["subnet-0a1b2c31", "subnet-0a1b2c32", "subnet-0a1b2c33"],
      privateSubnetIds: ["subnet-0d4e5f61"],
    });
    assert.deepEqual(m.cloud, {
      name: "aws_provider",
      region: "us-east-1",
      sshUsernames: ["ubuntu"],
      sshInterface: "private_ips",
      defaultTags: {},
      env: "seed",
    });
    assert.deepEqual(m.notes, [
      'pillar:cloud is not set: planned the provider "aws_provider" that the profiles name, in aws:region us-east-1, with ambient AWS credentials, no key pair and SSH user "ubuntu". Set pillar:cloud.aws_provider (the seed\'s provider file as Salt renders it) for a key pair, the Salt master or other SSH settings',
      "pillar:network is not set: planned the existing VPC the pillar names, derived from vpc_id vpc-1234567 from security_groups[].vpc_id; public_subnets from the ELB's subnets (subnet-0a1b2c31, subnet-0a1b2c32, subnet-0a1b2c33); private_subnets from the profiles' subnetid and the autoscale groups' subnets the ELB does not use (subnet-0d4e5f61). Set pillar:network to choose the VPC and its subnet tiers yourself",
    ]);
    assert.deepEqual(m.reactor.hooks, [
      {
        tag: "salt/netapi/hook/autoscale/web/up",
        profile: "web",
        sls: ["/srv/lta/reactor/ec2-autoscale.sls"],
      },
      {
        tag: "salt/netapi/hook/autoscale/web/down",
        profile: "web",
        sls: ["/srv/lta/reactor/ec2-autoscale.sls"],
      },
    ]);
    assert.equal(m.autoscaleGroups[0]!.reactorProfile, "web");
    // The article's `enabled: True`.
    assert.equal(m.loadBalancers[0]!.crossZone, true);
  });

  it("plans once filled, and the plan says what it derived (spawned)", function () {
    this.timeout(180_000);
    const r = runPlan("--stack-file", writeTemp(filled(pasted())));
    assert.equal(r.code, 0, r.stderr);
    const warnings = r.stdout.split("\n").filter((l) => l.startsWith("warning: pillar:"));
    assert.deepEqual(
      warnings.map((w) => w.slice(0, w.indexOf(":", "warning: pillar:".length) + 1)),
      ["warning: pillar:cloud is not set:", "warning: pillar:network is not set:"],
    );
    assert.match(r.stdout, /aws:ec2:SecurityGroup\s+webhost/);
  });
});
