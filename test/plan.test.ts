import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runPlan, writeTemp } from "./harness";
import { AWS_PROVIDER_TYPE, TYPES } from "../provider/types";

const plan = runPlan;

describe("npm run plan (spawned)", function () {
  this.timeout(180_000);

  it("plans the prod stack by default and exits 0", () => {
    const r = plan();
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Previewing update \(prod\), offline:/);
    assert.match(r.stdout, /aws:vpc:SecurityGroupIngressRule\s+sg-webhost-in-tcp-22-from-default/);
    assert.match(r.stdout, /Resources: \+ \d+ to create/);
    // Physical names beside logical ones where they differ; none begins with a prefix AWS reserves.
    assert.match(r.stdout, /aws:ec2:SecurityGroup\s+webhost → webhost-[0-9a-f]{7}\n/);
    assert.match(r.stdout, /aws:autoscaling:Group\s+app-hosts → pillar-prod-app-hosts\n/);
    assert.doesNotMatch(r.stdout.split("\n\nResources:")[0]!, /→ sg-/);
    assert.match(
      r.stdout,
      /\nProvider checks: the AWS provider and AWS would accept every resource \(\d+ rules over 51 resources\)\.\n/,
    );
    assert.match(
      r.stdout,
      /Assumed lookups \(fakes of the offline plan, not facts about your account\):\n {4}caller identity → account 123456789012\n {4}default group of vpc-1234567 → sg-0fe8f26b0eb06da20/,
    );
  });

  it("prints exactly the JSON document of the design with --json", () => {
    const r = plan("--stack", "prod", "--json");
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { stack: string; resources: Record<string, unknown>[] };
    assert.equal(doc.stack, "prod");
    assert.deepEqual(Object.keys(doc), ["stack", "resources", "policies", "provider"]);
    assert.deepEqual((doc as unknown as { provider: unknown }).provider, { violations: [] });
    assert.match(
      r.stderr,
      /^Assumed lookups \(fakes of the offline plan\):\n {4}caller identity → account 123456789012\n/,
    );
    for (const res of doc.resources)
      assert.deepEqual(Object.keys(res), [
        "urn",
        "type",
        "name",
        "parent",
        "physicalName",
        "inputs",
        "dependencies",
        "options",
      ]);
    const physical = (type: string, name: string) =>
      doc.resources.find((x) => x.type === type && x.name === name)!.physicalName;
    // Auto-named from the logical name plus the provider's 7 hex (deterministic offline), explicit names as given.
    assert.match(String(physical(TYPES.ec2.SecurityGroup, "webhost")), /^webhost-[0-9a-f]{7}$/);
    assert.match(String(physical(TYPES.elb.LoadBalancer, "MY-ELB")), /^MY-ELB-[0-9a-f]{7}$/);
    assert.equal(physical(TYPES.autoscaling.Group, "app-hosts"), "pillar-prod-app-hosts");
    assert.equal(physical(TYPES.autoscaling.Policy, "app-hosts-webhost_scale_up"), "webhost_scale_up");
    assert.equal(physical(TYPES.lambda.Function, "reactor"), "pillar-prod-reactor");
    assert.equal(physical(TYPES.ec2.Instance, "mongodb-server"), null);
    assert.deepEqual(
      doc.resources.find((x) => x.name === "webhost" && x.type === TYPES.ec2.SecurityGroup)!.options,
      {
        protect: false,
        ignoreChanges: [],
        deleteBeforeReplace: false,
        retainOnDelete: false,
        import: null,
        aliases: [],
      },
    );
    const ssh = doc.resources.find((x) => x.name === "sg-mongodb-in-tcp-27017-from-webhost")!;
    assert.deepEqual(ssh.inputs, {
      description: "pillar mongodb: tcp 27017 from security group webhost",
      fromPort: 27017,
      ipProtocol: "tcp",
      referencedSecurityGroupId: "(known after apply)",
      securityGroupId: "(known after apply)",
      tags: { Name: "mongodb-in-tcp-27017-from-webhost" },
      toPort: 27017,
    });
    assert.deepEqual([...(ssh.dependencies as string[])].sort(), [
      "urn:pulumi:prod::pillar::pillar:ec2:SecurityGroupGraph$aws:ec2/securityGroup:SecurityGroup::mongodb",
      "urn:pulumi:prod::pillar::pillar:ec2:SecurityGroupGraph$aws:ec2/securityGroup:SecurityGroup::webhost",
    ]);
    assert.equal(ssh.parent, "urn:pulumi:prod::pillar::pillar:ec2:SecurityGroupGraph::sg");
  });

  it("shows secure: values as redacted secrets", () => {
    const file = writeTemp(
      [
        "config:",
        "  aws:region: us-east-1",
        "  pillar:cloud:",
        "    aws_provider:",
        "      id:",
        "        secure: v1:AAAA",
        "      key:",
        "        secure: v1:BBBB",
        "  pillar:network:",
        "    vpc_id: vpc-1234567",
      ].join("\n"),
    );
    const r = plan("--stack-file", file, "--json");
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { resources: { type: string; inputs: Record<string, unknown> }[] };
    const provider = doc.resources.find((x) => x.type === AWS_PROVIDER_TYPE)!;
    assert.equal(provider.inputs.accessKey, "[secret]");
    assert.equal(provider.inputs.secretKey, "[secret]");
  });

  it("exits 2 on an invalid stack file, listing every error with its path, and plans nothing", () => {
    const file = writeTemp(
      [
        "config:",
        "  aws:region: us-east-1",
        "  pillar:cloud:",
        "    aws_provider:",
        "      id: AKIAEXAMPLE",
        "  pillar:network:",
        "    vpc_id: vpc-1234567",
        "  pillar:security_groups:",
        "    - name: web",
        "      rules:",
        "        - ip_protocol: tcp",
        "          from_port: 22",
        "          to_port: 22",
        "          cidr_ip: [defualt, 10.0.0.1/8]",
        "  pillar:autoscale:",
        "    groups:",
        "      - name: g",
        "        min_size: 3",
        "        max_size: 1",
        "        vpc_zone_identifiers: [subnet-0a1b2c31]",
        "        launch_config:",
        "          - instance_type: t3.small",
      ].join("\n"),
    );
    const r = plan("--stack-file", file);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "");
    assert.equal(
      r.stderr,
      [
        "error: invalid pillar configuration (4 problems):",
        "  pillar:cloud.aws_provider.id: AWS credentials must not be plaintext config; use `pulumi config set --secret --path 'pillar:cloud.aws_provider.id' …`, or better an AWS profile (`profile:`) or ambient credentials",
        '  pillar:security_groups[0].rules[0].cidr_ip[0]: unknown security group "defualt"; known groups: "default", "web"',
        '  pillar:security_groups[0].rules[0].cidr_ip[1]: CIDR "10.0.0.1/8" has host bits set; did you mean "10.0.0.0/8"?',
        "  pillar:autoscale.groups[0].min_size: min_size 3 is greater than max_size 1",
        "",
        "Nothing was planned.",
        "",
      ].join("\n"),
    );
  });

  it("rejects a plaintext key next to a secret id, path by path (the CLI would mark the whole key secret)", () => {
    const file = writeTemp(
      [
        "config:",
        "  aws:region: us-east-1",
        "  pillar:cloud:",
        "    aws_provider:",
        "      id:",
        "        secure: v1:AAAA",
        "      key: wJalrXUtnFEMI",
        "  pillar:network:",
        "    vpc_id: vpc-1234567",
      ].join("\n"),
    );
    const r = plan("--stack-file", file);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      "error: invalid pillar configuration (1 problem):\n  pillar:cloud.aws_provider.key: AWS credentials must not be plaintext config; use `pulumi config set --secret --path 'pillar:cloud.aws_provider.key' …`, or better an AWS profile (`profile:`) or ambient credentials\n\nNothing was planned.\n",
    );
  });

  it("exits 2 on a file that is not YAML, and on a missing file", () => {
    const bad = plan("--stack-file", writeTemp("config: [unclosed"));
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^error: .*Pulumi\.test\.yaml: not valid YAML/);
    const missing = plan("--stack", "nosuchstack");
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^error: cannot read stack file .*Pulumi\.nosuchstack\.yaml/);
  });

  it("draws the topology with --diagram, and refuses an unknown diagram format before planning", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pillar-diagram-"));
    const dot = path.join(dir, "prod.dot");
    const r = plan("--diagram", dot);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`Diagram: wrote ${dot.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\n$`));
    assert.match(fs.readFileSync(dot, "utf8"), /^digraph /);
    const bad = plan("--diagram", path.join(dir, "prod.png"));
    assert.equal(bad.code, 2);
    assert.equal(bad.stdout, "");
    assert.match(
      bad.stderr,
      /^error: cannot tell the diagram format of ".*prod\.png": the extension "\.png" is not supported/,
    );
  });

  it("rejects unknown and conflicting flags with exit 2", () => {
    assert.equal(plan("--stak", "prod").code, 2);
    const both = plan("--stack", "prod", "--stack-file", "x.yaml");
    assert.equal(both.code, 2);
    assert.match(both.stderr, /^Only one of \[--stack\] or \[--stack-file\] can be specified/);
  });
});
