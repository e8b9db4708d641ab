/**
 * The plan command on stack files broken one way each, as a user would break them: the exit code
 * and the exact message. Config mistakes exit 2 naming the line; what only the provider would
 * refuse exits 1 in its own section; verbatim autonaming keeps the seed's names.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { readProjectConfig } from "../scripts/lib/stackFile";
import { PROJECT_ROOT } from "../scripts/lib/planner";
import { planYaml, runPlan, writeTemp } from "./harness";
import { checkProvider } from "../provider/rules";
import { parseAutonaming } from "../config/autonaming";
import { TYPES } from "../provider/types";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Config = Record<string, any>;

/** The prod stack file with `edit` applied to its `config:` map, as YAML text. */
function prodWith(edit: (c: Config) => void): string {
  const doc = YAML.parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.prod.yaml"), "utf8")) as {
    config: Config;
  };
  edit(doc.config);
  return YAML.stringify(doc);
}

/** Gives the prod MongoDB server a 200 GiB gp3 data volume at /dev/sdf with these settings. */
function dataVolume(c: Config, settings: Record<string, unknown>): void {
  c["pillar:profiles"]["mongodb-server"].block_device_mappings.push({
    DeviceName: "/dev/sdf",
    "Ebs.VolumeSize": 200,
    ...settings,
  });
}

const EXIT_2: readonly [string, (c: Config) => void, readonly string[]][] = [
  [
    "an ELB name too long once the provider adds its suffix",
    (c) => {
      c["pillar:elb"].name = "MY-VERY-LONG-LOAD-BALANCER-NAM";
      c["pillar:autoscale"].groups[0].load_balancers = ["MY-VERY-LONG-LOAD-BALANCER-NAM"];
    },
    [
      `pillar:elb.name: "MY-VERY-LONG-LOAD-BALANCER-NAM" is 30 characters; with the provider's 8-character suffix the classic load balancer name would be 38, over AWS's 32`,
    ],
  ],
  [
    "a tag key with AWS's prefix and a non-ASCII description",
    (c) => {
      c["pillar:security_groups"][0].tags = { "aws:team": "web" };
      c["pillar:security_groups"][1].description = "Base de données";
    },
    [
      'pillar:security_groups[0].tags["aws:team"]: tag keys beginning with "aws:" are reserved for AWS; rename "aws:team"',
      'pillar:security_groups[1].description: "é" is not allowed in a security group description: AWS takes letters a-z and A-Z, digits, spaces and ._-:/()#,@[]+=&;{}!$* (ASCII only)',
    ],
  ],
  [
    "a region typo",
    (c) => {
      c["aws:region"] = "us-esat-1";
      c["pillar:cloud"].aws_provider.region = "us-esat-1";
      c["pillar:autoscale"].groups[0].launch_config[4].region = "us-esat-1";
    },
    [
      'pillar:cloud.aws_provider.region: "us-esat-1" is not an AWS region; did you mean "us-east-1"?',
      'aws:region: "us-esat-1" is not an AWS region; did you mean "us-east-1"?',
    ],
  ],
  [
    "a misspelt key and a number written as a string out of range",
    (c) => {
      c["pillar:autoscale"].groups[0].desired_capacty = 2;
      c["pillar:elb"].listeners[1].elb_port = "70000";
    },
    [
      "pillar:elb.listeners[1].elb_port: expected a port number 1–65535, got 70000",
      'pillar:autoscale.groups[0].desired_capacty: unknown key "desired_capacty" (did you mean "desired_capacity"?); expected one of "default_cooldown", "desired_capacity", "health_check_period", "health_check_type", "instance_refresh", "launch_config", "launch_config_name", "load_balancers", "manage_desired_capacity", "max_size", "min_size", "mixed_instances", "name", "notifications", "reactor_profile", "scaling_policies", "scheduled_actions", "tags", "target_groups", "vpc_zone_identifiers", "warm_pool"',
    ],
  ],
  [
    "a profile with no subnet",
    (c) => {
      delete c["pillar:profiles"]["mongodb-server"].subnetid;
      delete c["pillar:network"].private_subnets;
    },
    [
      'pillar:profiles["mongodb-server"].subnetid: missing: the profile\'s instances need a subnet; give subnetid, or list private_subnets in pillar:network',
    ],
  ],
  [
    "a security group named sg-…",
    (c) => {
      c["pillar:security_groups"][1].name = "sg-mongodb";
      c["pillar:profiles"]["mongodb-server"].security_groups[0] = "sg-mongodb";
    },
    [
      'pillar:security_groups[1].name: the security group name would be "sg-mongodb-0ef76f6", which the AWS provider refuses: invalid value for name (cannot begin with sg-)',
    ],
  ],
  [
    "an alarm dimension with two values and a second reactor profile no group chooses",
    (c) => {
      c["pillar:cloudwatch"].alarms[1].attributes.dimensions.AutoScalingGroupName = [
        "app-hosts",
        "app-hosts",
      ];
      c["pillar:ec2.autoscale"].worker = { grains: { roles: "worker" } };
      delete c["pillar:autoscale"].groups[0].reactor_profile;
    },
    [
      `pillar:autoscale.groups[0].reactor_profile: missing: pillar:ec2.autoscale has 2 reactor profiles, so say which one handles this group's instances: "web", "worker"`,
      'pillar:cloudwatch.alarms[1].attributes.dimensions.AutoScalingGroupName: CloudWatch takes one value per dimension, got 2: "app-hosts", "app-hosts"; define one alarm per value',
    ],
  ],
  [
    "a profile name that fits its instance role but not its DLM snapshot role",
    (c) => {
      const name = "mongodb-server-with-a-long-descriptive-name-xyz";
      c["pillar:profiles"][name] = c["pillar:profiles"]["mongodb-server"];
      delete c["pillar:profiles"]["mongodb-server"];
    },
    [
      'pillar:profiles["mongodb-server-with-a-long-descriptive-name-xyz"]: "mongodb-server-with-a-long-descriptive-name-xyz" is 47 characters; the IAM role "mongodb-server-with-a-long-descriptive-name-xyz-snapshots" with the provider\'s 8-character suffix would be 65, over AWS\'s 64 (keep it to 46)',
    ],
  ],
  [
    "an io2 data volume without provisioned IOPS",
    (c) => dataVolume(c, { "Ebs.VolumeType": "io2" }),
    [
      'pillar:profiles["mongodb-server"].block_device_mappings[1]: an io2 volume needs provisioned IOPS (100-256000): set Ebs.Iops',
    ],
  ],
  [
    "provisioned IOPS on a gp2 volume",
    (c) => dataVolume(c, { "Ebs.VolumeType": "gp2", "Ebs.Iops": 300 }),
    [
      'pillar:profiles["mongodb-server"].block_device_mappings[1]["Ebs.Iops"]: gp2 volumes take no provisioned IOPS (only gp3, io1 and io2 do)',
    ],
  ],
  [
    "gp3 IOPS beyond the type's range",
    (c) => dataVolume(c, { "Ebs.Iops": 20000 }),
    [
      'pillar:profiles["mongodb-server"].block_device_mappings[1]["Ebs.Iops"]: gp3 volumes take 3000-16000 IOPS, got 20000',
    ],
  ],
  [
    "gp3 IOPS beyond 500 per GiB of the volume",
    (c) => dataVolume(c, { "Ebs.VolumeSize": 10, "Ebs.Iops": 6000 }),
    [
      'pillar:profiles["mongodb-server"].block_device_mappings[1]["Ebs.Iops"]: a 10 GiB gp3 volume takes at most 5000 IOPS (500 per GiB), got 6000',
    ],
  ],
  [
    "a throughput on an io1 volume",
    (c) => dataVolume(c, { "Ebs.VolumeType": "io1", "Ebs.Iops": 4000, "Ebs.Throughput": 250 }),
    [
      'pillar:profiles["mongodb-server"].block_device_mappings[1]["Ebs.Throughput"]: only gp3 volumes take a throughput, not io1',
    ],
  ],
  [
    "a gp3 throughput beyond the provider's range",
    (c) => dataVolume(c, { "Ebs.Iops": 16000, "Ebs.Throughput": 2000 }),
    [
      'pillar:profiles["mongodb-server"].block_device_mappings[1]["Ebs.Throughput"]: gp3 throughput is 125-1000 MiB/s, got 2000',
    ],
  ],
  [
    "a gp3 throughput beyond 0.25 MiB/s per provisioned IOPS",
    (c) => dataVolume(c, { "Ebs.Throughput": 1000 }),
    [
      'pillar:profiles["mongodb-server"].block_device_mappings[1]["Ebs.Throughput"]: gp3 throughput is at most 0.25 MiB/s per provisioned IOPS (750 MiB/s at 3000 IOPS), got 1000',
    ],
  ],
  [
    "a KMS key alias on a data volume",
    (c) => dataVolume(c, { "Ebs.KmsKeyId": "alias/pillar" }),
    [
      'pillar:profiles["mongodb-server"].block_device_mappings[1]["Ebs.KmsKeyId"]: expected a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), got "alias/pillar": the provider takes no key id or alias for a data volume',
    ],
  ],
  [
    "a KMS key on a volume that is not encrypted",
    (c) =>
      dataVolume(c, {
        "Ebs.Encrypted": false,
        "Ebs.KmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      }),
    [
      'pillar:profiles["mongodb-server"].block_device_mappings[1]["Ebs.KmsKeyId"]: a KMS key is given but the volume is not encrypted: a volume with a KMS key must be encrypted; drop Ebs.Encrypted: false',
    ],
  ],
  [
    "a stateful server whose root volume cannot boot",
    (c) => {
      const root = c["pillar:profiles"]["mongodb-server"].block_device_mappings[0];
      root["Ebs.VolumeType"] = "sc1";
      root["Ebs.VolumeSize"] = 500;
    },
    [
      'pillar:profiles["mongodb-server"].block_device_mappings[0]["Ebs.VolumeType"]: sc1 volumes cannot be an instance\'s root (boot) volume; use gp3 there and sc1 for data',
    ],
  ],
  [
    "an unknown autonaming mode",
    (c) => {
      c["pulumi:autonaming"] = { mode: "literal" };
    },
    [
      "pulumi:autonaming: getting autonaming config: failed to resolve root naming config: invalid naming mode: literal",
    ],
  ],
];

describe("npm run plan on mutated stack files", function () {
  this.timeout(240_000);

  for (const [what, edit, lines] of EXIT_2) {
    it(`exits 2 on ${what}, naming the line and the limit, and plans nothing`, () => {
      const r = runPlan("--stack-file", writeTemp(prodWith(edit)));
      assert.equal(r.code, 2, r.stderr || r.stdout);
      assert.equal(r.stdout, "");
      assert.equal(
        r.stderr,
        `error: invalid pillar configuration (${lines.length} ${lines.length === 1 ? "problem" : "problems"}):\n${lines
          .map((l) => `  ${l}\n`)
          .join("")}\nNothing was planned.\n`,
      );
    });
  }

  it("exits 1 when verbatim autonaming gives two groups one name (AWS ignores case), in its own section", () => {
    const r = runPlan(
      "--stack-file",
      writeTemp(
        prodWith((c) => {
          c["pulumi:autonaming"] = { mode: "verbatim" };
          c["pillar:security_groups"][1].name = "WebHost";
          c["pillar:profiles"]["mongodb-server"].security_groups[0] = "WebHost";
        }),
      ),
    );
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stdout,
      /\nAWS would reject this when the resources are created:\n {4}aws:ec2:SecurityGroup webhost: name = "webhost"\n {8}aws:ec2\/securityGroup:SecurityGroup resource 'webhost': AWS keeps one security group named "webhost" in VPC vpc-1234567 \(ignoring case\), and urn:pulumi:test::pillar::pillar:ec2:SecurityGroupGraph\$aws:ec2\/securityGroup:SecurityGroup::WebHost has it already\n {8}rule aws-name-unique: /,
    );
    assert.match(
      r.stdout,
      /\nerror: 1 value\(s\) the AWS provider or AWS would reject: this stack cannot be deployed as it is\.\n$/,
    );
  });

  it("exits 1 when an autonaming pattern breaks a name only the program chooses, and says so in --json", () => {
    const r = runPlan(
      "--json",
      "--stack-file",
      writeTemp(
        prodWith((c) => {
          c["pulumi:autonaming"] = {
            providers: { aws: { resources: { [TYPES.dynamodb.Table]: { pattern: "${name}!" } } } },
          };
        }),
      ),
    );
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as { provider: { violations: Record<string, unknown>[] } };
    assert.deepEqual(doc.provider.violations, [
      {
        urn: "urn:pulumi:test::pillar::pillar:lambda:Reactor$aws:dynamodb/table:Table::reactor-inventory",
        type: TYPES.dynamodb.Table,
        name: "reactor-inventory",
        property: "name",
        value: "reactor-inventory!",
        rule: "dynamodb-table-name",
        stage: "apply",
        message: 'AWS refuses table name "reactor-inventory!": 3-255 letters, digits, _ . and -',
        source: "AWS DynamoDB API CreateTable (TableName: 3-255 of [a-zA-Z0-9_.-])",
      },
    ]);
  });
});

describe("verbatim autonaming keeps the seed's names", function () {
  this.timeout(120_000);

  it("names the seed's groups, ELB, ASG and alarms exactly as the seed does, and the provider accepts them", async () => {
    const text = prodWith((c) => (c["pulumi:autonaming"] = { mode: "verbatim" }));
    const plan = await planYaml(text, { stack: "prod" });
    const names = (type: string) => plan.ofType(type).map((r) => r.physicalName?.value);
    assert.deepEqual(names(TYPES.ec2.SecurityGroup), ["mongodb", "webhost"]);
    assert.deepEqual(names(TYPES.elb.LoadBalancer), ["MY-ELB"]);
    assert.deepEqual(names(TYPES.autoscaling.Group), ["app-hosts"]);
    assert.deepEqual(names(TYPES.autoscaling.Policy), ["webhost_scale_down", "webhost_scale_up"]);
    assert.deepEqual(names(TYPES.cloudwatch.MetricAlarm).sort(), [
      "php_cpu_scale_down",
      "reactor-dead-letters",
      "reactor-errors",
      "webhost_cpu_scale_up",
    ]);
    const autonaming = parseAutonaming('{"mode":"verbatim"}', {
      organization: "organization",
      project: "pillar",
      stack: "prod",
      configValue: () => undefined,
    });
    assert.deepEqual(checkProvider(plan.resources, autonaming), []);
  });
});

describe("the README's adoption config: verbatim for the seed's types only", function () {
  this.timeout(120_000);

  it("keeps the seed's names for groups, the ELB, the ASG and alarms, and auto-names the rest", async () => {
    const verbatim = { mode: "verbatim" };
    const plan = await planYaml(
      prodWith(
        (c) =>
          (c["pulumi:autonaming"] = {
            providers: {
              aws: {
                resources: {
                  [TYPES.ec2.SecurityGroup]: verbatim,
                  [TYPES.elb.LoadBalancer]: verbatim,
                  [TYPES.autoscaling.Group]: verbatim,
                  [TYPES.cloudwatch.MetricAlarm]: verbatim,
                },
              },
            },
          }),
      ),
      { stack: "prod" },
    );
    const name = (type: string, logical: string) => plan.get(type, logical).physicalName?.value;
    assert.equal(name(TYPES.ec2.SecurityGroup, "webhost"), "webhost");
    assert.equal(name(TYPES.elb.LoadBalancer, "MY-ELB"), "MY-ELB");
    assert.equal(name(TYPES.autoscaling.Group, "app-hosts"), "app-hosts");
    assert.equal(name(TYPES.cloudwatch.MetricAlarm, "webhost_cpu_scale_up"), "webhost_cpu_scale_up");
    assert.match(String(name(TYPES.iam.Role, "reactor-role")), /^reactor-role-[0-9a-f]{7}$/);
    assert.equal(name(TYPES.lambda.Function, "reactor"), "pillar-prod-reactor");
  });
});

describe("project-level config", () => {
  it("reads Pulumi.yaml's config: plain values, { value }, and a project key's default", () => {
    const file = writeTemp(
      [
        "name: pillar",
        "runtime: nodejs",
        "config:",
        "  pulumi:autonaming:",
        "    mode: verbatim",
        "  aws:region:",
        "    value: eu-west-1",
        "  greeting:",
        "    type: string",
        "    default: hello",
      ].join("\n"),
      "Pulumi.yaml",
    );
    assert.deepEqual(readProjectConfig(file, "pillar"), {
      "pulumi:autonaming": '{"mode":"verbatim"}',
      "aws:region": "eu-west-1",
      "pillar:greeting": "hello",
    });
  });
});
