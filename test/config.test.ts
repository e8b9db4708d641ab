import * as assert from "node:assert/strict";
import { saltParameters } from "../components/saltDocument";
import { ConfigError } from "../config/issues";
import type { SaltBootstrapModel } from "../config/model";
import { schemaNodesWithoutWords } from "../config/validate";
import { issuesOf, load, LoadOptions, SeedDoc, seedValues, seedWith } from "./configHelpers";
import { TYPES } from "../provider/types";

describe("config: the seed's pillar loads and normalizes", () => {
  const model = load(seedValues("prod"));

  it("reads the aws_provider block", () => {
    assert.deepEqual(model.cloud, {
      name: "aws_provider",
      region: "us-east-1",
      keyPair: { name: "salt_master" },
      sshUsernames: ["ubuntu", "ec2-user", "root"],
      sshInterface: "private_ips",
      saltMaster: "salt.example.com",
      defaultTags: {},
      env: "prod",
    });
  });

  it("normalizes cidr_ip strings and lists into typed sources with their paths", () => {
    const webhost = model.securityGroups[0]!;
    assert.equal(webhost.name, "webhost");
    assert.deepEqual(webhost.rules[0], {
      protocol: "tcp",
      fromPort: 80,
      toPort: 80,
      sources: [{ kind: "cidr4", cidr: "0.0.0.0/0" }],
      sourcePaths: ["pillar:security_groups[0].rules[0].cidr_ip[0]"],
      path: "pillar:security_groups[0].rules[0]",
    });
    assert.deepEqual(webhost.rules[2]!.sources, [{ kind: "group", group: "default" }]);
    assert.deepEqual(webhost.rules[2]!.sourcePaths, ["pillar:security_groups[0].rules[2].cidr_ip"]);
    assert.equal(webhost.egress, undefined);
  });

  it("reads the profile's Ebs.VolumeSize block device as encrypted gp3 and its grains", () => {
    const p = model.profiles[0]!;
    assert.deepEqual(p.blockDevices, [
      {
        deviceName: "/dev/sda1",
        volumeSize: 50,
        volumeType: "gp3",
        iops: undefined,
        throughput: undefined,
        encrypted: true,
        deleteOnTermination: true,
      },
    ]);
    assert.deepEqual(p.grains, { roles: ["mongodb", "mongodb-server"], env: "prod" });
    assert.deepEqual(p.image, { kind: "id", id: "ami-0abc1234" });
    assert.deepEqual(p.subnet, { kind: "id", id: "subnet-0d4e5f61" });
  });

  it("turns launch_config's list of one-key maps into a launch template model", () => {
    const g = model.autoscaleGroups[0]!;
    assert.deepEqual(
      { ...g.launchTemplate },
      {
        name: "webhost",
        image: { kind: "id", id: "ami-1234567" },
        instanceType: "t2.small",
        keyName: "salt_master",
        securityGroups: ["webhost", "default"],
        blockDevices: [],
        detailedMonitoring: true,
        path: "pillar:autoscale.groups[0].launch_config",
      },
    );
    assert.deepEqual([g.minSize, g.desiredCapacity, g.maxSize, g.defaultCooldown], [2, 2, 10, 1500]);
    assert.deepEqual(g.loadBalancers, ["MY-ELB"]);
    assert.equal(g.healthCheckType, "ELB");
    assert.deepEqual(g.grains, { env: "prod", roles: "web-host" });
    assert.deepEqual(
      g.scalingPolicies.map((p) =>
        p.kind === "simple" ? [p.name, p.adjustmentType, p.scalingAdjustment] : [],
      ),
      [
        ["webhost_scale_up", "ChangeInCapacity", 1],
        ["webhost_scale_down", "ChangeInCapacity", -1],
      ],
    );
  });

  it("maps comparisons and resolves action kinds", () => {
    const [up, down] = model.alarms;
    assert.equal(up!.comparison, "GreaterThanOrEqualToThreshold");
    assert.equal(down!.comparison, "LessThanOrEqualToThreshold");
    assert.deepEqual(up!.alarmActions, [
      { kind: "arn", arn: "arn:aws:sns:us-east-1:123456789012:alert_salt_web_scale_up" },
      { kind: "scaling_policy", group: "app-hosts", policy: "webhost_scale_up" },
    ]);
    assert.deepEqual(up!.dimensions, { AutoScalingGroupName: ["app-hosts"] });
  });

  it("maps minion.startup_states to the Salt bootstrap document", () => {
    assert.deepEqual(model.reactorProfiles, [
      {
        name: "web",
        grains: { env: "prod", roles: "web-host" },
        sshUsername: "ubuntu",
        bootstrap: {
          kind: "salt",
          startupStates: ["highstate"],
          master: "salt.example.com",
          grains: '{"env":"prod","roles":"web-host","pillar_stack":"prod"}',
          timeoutSeconds: 600,
        },
        path: "pillar:ec2.autoscale.web",
      },
    ]);
    // The document's parameters are built beside the document.
    const salt = model.reactorProfiles[0]!.bootstrap;
    assert.equal(salt?.kind, "salt");
    assert.deepEqual(saltParameters(salt as SaltBootstrapModel), {
      StartupStates: ["highstate"],
      Master: ["salt.example.com"],
      Grains: ['{"env":"prod","roles":"web-host","pillar_stack":"prod"}'],
      ExecutionTimeout: ["600"],
    });
  });

  it("accepts numbers and booleans as strings where YAML gives strings", () => {
    const m = load(
      seedWith((v) => {
        v.security_groups[0].rules[0].from_port = "80";
        v.security_groups[0].rules[0].to_port = "80";
        v.autoscale.groups[0].max_size = "10";
        v.elb.attributes.cross_zone_load_balancing.enabled = "True";
      }),
    );
    assert.equal(m.securityGroups[0]!.rules[0]!.fromPort, 80);
    assert.equal(m.autoscaleGroups[0]!.maxSize, 10);
    assert.equal(m.loadBalancers[0]!.crossZone, true);
  });

  it("takes credentials only from secret config", () => {
    const m = load(
      seedWith((v) => Object.assign(v.cloud.aws_provider, { id: "AKIAEXAMPLE", key: "secret" })),
      { secretKeys: ["cloud"] },
    );
    assert.deepEqual(m.cloud.credentials, { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret" });
  });

  it("loads the dev stack with a created network and tier references", () => {
    const dev = load(seedValues("dev"), { stack: "dev" });
    assert.deepEqual(dev.network, {
      mode: "create",
      cidrBlock: "10.20.0.0/16",
      azCount: 2,
      natGateways: "single",
    });
    assert.deepEqual(dev.loadBalancers[0]!.subnets, [{ kind: "tier", tier: "public" }]);
    assert.deepEqual(dev.autoscaleGroups[0]!.subnets, [{ kind: "tier", tier: "private" }]);
  });
});

interface BadCase {
  readonly name: string;
  readonly edit: (v: SeedDoc) => void;
  readonly expected: readonly string[];
}

// One case per kind of error; each asserts every message, with its path, exactly.
const BAD: readonly BadCase[] = [
  {
    name: "unknown top-level key",
    edit: (v) => {
      v.securitygroups = [];
    },
    expected: [
      'pillar:securitygroups: unknown config key (did you mean "pillar:security_groups"?); expected one of "pillar:autoscale", "pillar:cloud", "pillar:cloudwatch", "pillar:ec2.autoscale", "pillar:elb", "pillar:network", "pillar:profiles", "pillar:reactor", "pillar:security_groups"',
    ],
  },
  {
    name: "cidr_ip wrong type",
    edit: (v) => {
      v.security_groups[1].rules[0].cidr_ip = 5;
    },
    expected: [
      "pillar:security_groups[1].rules[0].cidr_ip: expected a non-empty string or a list of them, got 5",
    ],
  },
  {
    name: "unknown group in rule",
    edit: (v) => {
      v.security_groups[1].rules[0].cidr_ip = "webhosts";
    },
    expected: [
      'pillar:security_groups[1].rules[0].cidr_ip: unknown security group "webhosts"; known groups: "default", "mongodb", "webhost"',
    ],
  },
  {
    name: "bad cidr host bits",
    edit: (v) => {
      v.security_groups[0].rules[0].cidr_ip = ["10.0.0.1/8"];
    },
    expected: [
      'pillar:security_groups[0].rules[0].cidr_ip[0]: CIDR "10.0.0.1/8" has host bits set; did you mean "10.0.0.0/8"?',
    ],
  },
  {
    name: "bare ip",
    edit: (v) => {
      v.security_groups[0].rules[0].cidr_ip = "10.1.2.3";
    },
    expected: [
      'pillar:security_groups[0].rules[0].cidr_ip: expected a CIDR block, got the bare address "10.1.2.3"; did you mean "10.1.2.3/32"?',
    ],
  },
  {
    name: "bad port range",
    edit: (v) => {
      v.security_groups[0].rules[0].from_port = 90;
    },
    expected: ["pillar:security_groups[0].rules[0]: from_port 90 is greater than to_port 80"],
  },
  {
    name: "port out of range",
    edit: (v) => {
      v.security_groups[0].rules[0].to_port = 70000;
      v.security_groups[0].rules[0].from_port = 70000;
    },
    expected: [
      "pillar:security_groups[0].rules[0].from_port: expected a port number 0–65535 (or -1: every ICMP type or code), got 70000",
      "pillar:security_groups[0].rules[0].to_port: expected a port number 0–65535 (or -1: every ICMP type or code), got 70000",
    ],
  },
  {
    name: "bad protocol",
    edit: (v) => {
      v.security_groups[0].rules[0].ip_protocol = "tpc";
    },
    expected: [
      'pillar:security_groups[0].rules[0].ip_protocol: expected tcp, udp, icmp, icmpv6, all/-1 or a protocol number 0-255, got "tpc"',
    ],
  },
  {
    name: "duplicate group",
    edit: (v) => {
      v.security_groups[1].name = "webhost";
    },
    expected: [
      'pillar:security_groups[1].name: duplicate security group name "webhost" (first defined at pillar:security_groups[0].name)',
      'pillar:profiles["mongodb-server"].security_groups[0]: unknown security group "mongodb"; known groups: "default", "webhost"',
    ],
  },
  {
    name: "duplicate rule",
    edit: (v) => {
      v.security_groups[0].rules[1] = { ...v.security_groups[0].rules[0] };
    },
    expected: [
      "pillar:security_groups[0].rules[1].cidr_ip[0]: duplicate rule: webhost already has this ingress rule at pillar:security_groups[0].rules[0].cidr_ip[0]",
    ],
  },
  {
    name: "plaintext creds",
    edit: (v) => {
      v.cloud.aws_provider.id = "AKIA";
      v.cloud.aws_provider.key = "x";
    },
    expected: [
      "pillar:cloud.aws_provider.id: AWS credentials must not be plaintext config; use `pulumi config set --secret --path 'pillar:cloud.aws_provider.id' …`, or better an AWS profile (`profile:`) or ambient credentials",
      "pillar:cloud.aws_provider.key: AWS credentials must not be plaintext config; use `pulumi config set --secret --path 'pillar:cloud.aws_provider.key' …`, or better an AWS profile (`profile:`) or ambient credentials",
    ],
  },
  {
    name: "profile unknown sg",
    edit: (v) => {
      v.profiles["mongodb-server"].security_groups = ["mongo"];
    },
    expected: [
      'pillar:profiles["mongodb-server"].security_groups[0]: unknown security group "mongo"; known groups: "default", "mongodb", "webhost"',
    ],
  },
  {
    name: "elb unknown sg",
    edit: (v) => {
      v.elb.security_groups = ["default", "web"];
    },
    expected: [
      'pillar:elb.security_groups[1]: unknown security group "web"; known groups: "default", "mongodb", "webhost"',
    ],
  },
  {
    name: "launch_config unknown sg",
    edit: (v) => {
      v.autoscale.groups[0].launch_config[3].security_groups = ["webhost", "dflt"];
    },
    expected: [
      'pillar:autoscale.groups[0].launch_config[3].security_groups[1]: unknown security group "dflt"; known groups: "default", "mongodb", "webhost"',
    ],
  },
  {
    name: "unknown elb",
    edit: (v) => {
      v.autoscale.groups[0].load_balancers = ["MY-ELB2"];
    },
    expected: [
      'pillar:autoscale.groups[0].load_balancers[0]: unknown load balancer "MY-ELB2"; known load balancers: "MY-ELB"',
    ],
  },
  {
    name: "unknown policy ref",
    edit: (v) => {
      v.cloudwatch.alarms[0].attributes.alarm_actions[1] = "scaling_policy:app-hosts:scale_up";
    },
    expected: [
      'pillar:cloudwatch.alarms[0].attributes.alarm_actions[1]: unknown scaling policy "scale_up" of group "app-hosts" in "scaling_policy:app-hosts:scale_up"; its policies: "webhost_scale_down", "webhost_scale_up"',
    ],
  },
  {
    name: "unknown group ref",
    edit: (v) => {
      v.cloudwatch.alarms[0].attributes.alarm_actions[1] = "scaling_policy:apphosts:webhost_scale_up";
    },
    expected: [
      'pillar:cloudwatch.alarms[0].attributes.alarm_actions[1]: unknown autoscale group "apphosts" in "scaling_policy:apphosts:webhost_scale_up"; known groups: "app-hosts"',
    ],
  },
  {
    name: "unknown topic",
    edit: (v) => {
      v.cloudwatch.alarms[0].attributes.alarm_actions[0] = "sns:ops";
    },
    expected: [
      'pillar:cloudwatch.alarms[0].attributes.alarm_actions[0]: unknown topic "ops"; topics this stack creates (pillar:cloudwatch.topics): (none)',
    ],
  },
  {
    name: "subscription arn",
    edit: (v) => {
      v.cloudwatch.alarms[0].attributes.alarm_actions[0] =
        "arn:aws:sns:us-east-1:123456789012:alert_salt_web_scale_up:0b5bd2a4-6b5a-4b8e-9f7e-3d1c2b9a8f00";
    },
    expected: [
      'pillar:cloudwatch.alarms[0].attributes.alarm_actions[0]: "arn:aws:sns:us-east-1:123456789012:alert_salt_web_scale_up:0b5bd2a4-6b5a-4b8e-9f7e-3d1c2b9a8f00" is an SNS subscription ARN; alarm actions take the topic ARN "arn:aws:sns:us-east-1:123456789012:alert_salt_web_scale_up"',
    ],
  },
  {
    name: "as_name mismatch",
    edit: (v) => {
      v.autoscale.groups[0].scaling_policies[0].as_name = "web-hosts";
    },
    expected: [
      'pillar:autoscale.groups[0].scaling_policies[0].as_name: as_name "web-hosts" must name the group it sits in, "app-hosts"',
    ],
  },
  {
    name: "unknown reactor profile",
    edit: (v) => {
      v.autoscale.groups[0].reactor_profile = "webs";
    },
    expected: [
      'pillar:autoscale.groups[0].reactor_profile: unknown reactor profile "webs"; known profiles (pillar:ec2.autoscale): "web"',
    ],
  },
  {
    name: "subnet not in network",
    edit: (v) => {
      v.elb.subnets[2] = "subnet-0a1b2c39";
    },
    expected: [
      'pillar:elb.subnets[2]: subnet "subnet-0a1b2c39" is not in pillar:network; known subnets: "subnet-0a1b2c31", "subnet-0a1b2c32", "subnet-0a1b2c33", "subnet-0d4e5f61"',
    ],
  },
  {
    name: "region mismatch",
    edit: (v) => {
      v.autoscale.groups[0].launch_config[4].region = "us-west-2";
    },
    expected: [
      'pillar:autoscale.groups[0].launch_config[4].region: region "us-west-2" differs from the provider\'s region "us-east-1"',
    ],
  },
  {
    name: "min > max",
    edit: (v) => {
      v.autoscale.groups[0].min_size = 12;
    },
    expected: ["pillar:autoscale.groups[0].min_size: min_size 12 is greater than max_size 10"],
  },
  {
    name: "desired out of range",
    edit: (v) => {
      v.autoscale.groups[0].desired_capacity = 11;
    },
    expected: [
      "pillar:autoscale.groups[0].desired_capacity: desired_capacity 11 is outside min_size 2 .. max_size 10",
    ],
  },
  {
    name: "bad comparison",
    edit: (v) => {
      v.cloudwatch.alarms[1].attributes.comparison = "=<";
    },
    expected: [
      'pillar:cloudwatch.alarms[1].attributes.comparison: expected one of ">=", ">", "<=", "<" (or an AWS operator name), got "=<"',
    ],
  },
  {
    name: "https without cert",
    edit: (v) => {
      delete v.elb.listeners[0].certificate;
    },
    expected: [
      "pillar:elb.listeners[0].certificate: required for an HTTPS listener: an IAM server certificate or ACM certificate ARN",
    ],
  },
  {
    name: "bad health target",
    edit: (v) => {
      v.elb.health_check.target = "HTTPS:443";
    },
    expected: [
      'pillar:elb.health_check.target: HTTPS health checks need a path: expected "PROTOCOL:PORT/path" with HTTP or HTTPS (e.g. "HTTPS:443/check.html"), or "PROTOCOL:PORT" with TCP or SSL (e.g. "TCP:22"), got "HTTPS:443"',
    ],
  },
  {
    name: "launch_config duplicate key",
    edit: (v) => {
      v.autoscale.groups[0].launch_config.push({ key_name: "other" });
    },
    expected: [
      'pillar:autoscale.groups[0].launch_config[5].key_name: "key_name" is already set at pillar:autoscale.groups[0].launch_config[1]',
    ],
  },
  {
    name: "launch_config two keys",
    edit: (v) => {
      v.autoscale.groups[0].launch_config[0] = { image_id: "ami-1234567", key_name: "k" };
    },
    expected: [
      `pillar:autoscale.groups[0].launch_config[0]: expected a map with exactly one key (the seed's list of one-key maps), got {"image_id":"ami-1234567","key_name":"k"}`,
    ],
  },
  {
    name: "unknown profile provider",
    edit: (v) => {
      v.profiles["mongodb-server"].provider = "aws";
    },
    expected: [
      'pillar:profiles["mongodb-server"].provider: unknown cloud provider "aws"; known providers: "aws_provider"',
    ],
  },
  {
    name: "unknown dimension group",
    edit: (v) => {
      v.cloudwatch.alarms[0].attributes.dimensions.AutoScalingGroupName = ["app"];
    },
    expected: [
      'pillar:cloudwatch.alarms[0].attributes.dimensions.AutoScalingGroupName[0]: unknown autoscale group "app"; known groups: "app-hosts"',
    ],
  },
  {
    name: "network both",
    edit: (v) => {
      v.network.cidr_block = "10.0.0.0/16";
    },
    expected: [
      'pillar:network: Only one of [vpc_id] or [cidr_block] can be specified, got vpc_id "vpc-1234567" and cidr_block "10.0.0.0/16"',
    ],
  },
  {
    name: "sg vpc mismatch",
    edit: (v) => {
      v.security_groups[0].vpc_id = "vpc-7654321";
    },
    expected: [
      'pillar:security_groups[0].vpc_id: "vpc-7654321" is not the stack\'s VPC "vpc-1234567" (pillar:network.vpc_id)',
    ],
  },
  {
    name: "two providers",
    edit: (v) => {
      v.cloud.other = { region: "us-east-1" };
    },
    expected: [
      'pillar:cloud: expected one cloud provider per stack (a stack is one account and region), found 2: "aws_provider", "other"',
    ],
  },
  {
    name: "define default",
    edit: (v) => {
      v.security_groups[1].name = "default";
    },
    expected: [
      'pillar:security_groups[1].name: "default" is the VPC\'s default security group and cannot be defined here; pick another name',
      'pillar:profiles["mongodb-server"].security_groups[0]: unknown security group "mongodb"; known groups: "default", "webhost"',
    ],
  },
];

describe("config: bad input is rejected with every problem, its path and what was expected", () => {
  for (const c of BAD) {
    it(c.name, () => {
      assert.deepEqual(issuesOf(seedWith(c.edit)), c.expected);
    });
  }

  it("reports problems from several sections at once", () => {
    const issues = issuesOf(
      seedWith((v) => {
        v.security_groups[1].rules[0].cidr_ip = "webhosts";
        v.autoscale.groups[0].min_size = 12;
        v.cloudwatch.alarms[1].attributes.comparison = "=<";
      }),
    );
    assert.equal(issues.length, 3);
  });

  it("throws a ConfigError whose message lists every issue", () => {
    assert.throws(
      () => load(seedWith((v) => (v.autoscale.groups[0].min_size = 12))),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.message ===
          "invalid pillar configuration (1 problem):\n  pillar:autoscale.groups[0].min_size: min_size 12 is greater than max_size 10",
    );
  });

  it("requires the cloud and network sections", () => {
    assert.deepEqual(issuesOf({}), [
      "pillar:cloud: missing: the cloud provider (the seed's aws_provider block) is required",
      "pillar:network: missing: expected vpc_id (an existing VPC) or cidr_block (a VPC this stack creates)",
    ]);
  });
});

interface LimitCase extends BadCase {
  readonly opts?: LoadOptions;
}

const LONG_ELB = "MY-VERY-LONG-LOAD-BALANCER-NAM";
const LONG_SG = "w".repeat(250);
const LONG_GROUP = "a".repeat(45);
const LONG_PROFILE = "m".repeat(60);
const SNAPSHOT_PROFILE = "s".repeat(47);
const ASCII_ONLY = "AWS takes letters a-z and A-Z, digits, spaces and ._-:/()#,@[]+=&;{}!$* (ASCII only)";

/** Values that fit their shapes but that the AWS provider or AWS would refuse, caught with their path and limit. */
const LIMITS: readonly LimitCase[] = [
  {
    name: "an ELB name too long for the provider's suffix",
    edit: (v) => {
      v.elb.name = LONG_ELB;
      v.autoscale.groups[0].load_balancers = [LONG_ELB];
    },
    expected: [
      `pillar:elb.name: "${LONG_ELB}" is 30 characters; with the provider's 8-character suffix the classic load balancer name would be 38, over AWS's 32`,
    ],
  },
  {
    name: "a security group name too long for the suffix",
    edit: (v) => {
      v.security_groups[0].name = LONG_SG;
      v.elb.security_groups[1] = LONG_SG;
      v.autoscale.groups[0].launch_config[3].security_groups[0] = LONG_SG;
      v.security_groups[1].rules[0].cidr_ip = LONG_SG;
    },
    expected: [
      `pillar:security_groups[0].name: "${LONG_SG}" is 250 characters; with the provider's 8-character suffix the security group name would be 258, over AWS's 255`,
    ],
  },
  {
    name: "a group name that makes its hook role too long",
    edit: (v) => {
      const g = v.autoscale.groups[0];
      g.name = LONG_GROUP;
      for (const p of g.scaling_policies) p.as_name = LONG_GROUP;
      for (const a of v.cloudwatch.alarms) {
        a.attributes.alarm_actions[1] = a.attributes.alarm_actions[1].replace("app-hosts", LONG_GROUP);
        a.attributes.dimensions.AutoScalingGroupName = [LONG_GROUP];
      }
    },
    expected: [
      `pillar:autoscale.groups[0].name: "${LONG_GROUP}" is 45 characters; the IAM role "${LONG_GROUP}-events-hooks" with the provider's 8-character suffix would be 66, over AWS's 64 (keep it to 43)`,
    ],
  },
  {
    name: "a profile name that makes its role too long",
    edit: (v) => {
      v.profiles[LONG_PROFILE] = v.profiles["mongodb-server"];
      delete v.profiles["mongodb-server"];
    },
    expected: [
      `pillar:profiles.${LONG_PROFILE}: "${LONG_PROFILE}" is 60 characters; the IAM role "${LONG_PROFILE}-role" with the provider's 8-character suffix would be 73, over AWS's 64 (keep it to 51)`,
      `pillar:profiles.${LONG_PROFILE}: "${LONG_PROFILE}" is 60 characters; the IAM role "${LONG_PROFILE}-snapshots" with the provider's 8-character suffix would be 78, over AWS's 64 (keep it to 46)`,
    ],
  },
  {
    name: "a security group named sg-…",
    edit: (v) => {
      v.security_groups[1].name = "sg-mongo";
      v.profiles["mongodb-server"].security_groups[0] = "sg-mongo";
    },
    expected: [
      /^pillar:security_groups\[1\]\.name: the security group name would be "sg-mongo-[0-9a-f]{7}", which the AWS provider refuses: invalid value for name \(cannot begin with sg-\)$/
        .source,
    ],
  },
  {
    name: "a tag key beginning with aws:",
    edit: (v) => (v.security_groups[0].tags = { "aws:owner": "me" }),
    expected: [
      'pillar:security_groups[0].tags["aws:owner"]: tag keys beginning with "aws:" are reserved for AWS; rename "aws:owner"',
    ],
  },
  {
    name: "a non-ASCII group and rule description",
    edit: (v) => {
      v.security_groups[0].description = "Serveur web é";
      v.security_groups[0].rules[0].description = "HTTP für alle";
    },
    expected: [
      `pillar:security_groups[0].description: "é" is not allowed in a security group description: ${ASCII_ONLY}`,
      `pillar:security_groups[0].rules[0].description: "ü" is not allowed in a rule description: ${ASCII_ONLY}`,
    ],
  },
  {
    name: "a region typo, with the nearest region",
    edit: (v) => (v.cloud.aws_provider.region = "us-esat-1"),
    opts: { awsRegion: "us-esat-1" },
    expected: [
      'pillar:cloud.aws_provider.region: "us-esat-1" is not an AWS region; did you mean "us-east-1"?',
      'aws:region: "us-esat-1" is not an AWS region; did you mean "us-east-1"?',
      'pillar:autoscale.groups[0].launch_config[4].region: region "us-east-1" differs from the provider\'s region "us-esat-1"',
    ],
  },
  {
    name: "China and GovCloud regions are regions",
    edit: (v) => {
      v.cloud.aws_provider.region = "cn-north-1";
      v.autoscale.groups[0].launch_config[4].region = "cn-north-1";
    },
    opts: { awsRegion: "us-gov-west-1" },
    expected: [
      'pillar:cloud.aws_provider.region: region "cn-north-1" differs from aws:region "us-gov-west-1"; set one region for the stack',
    ],
  },
  {
    name: "unknown keys, with the keys allowed there and the nearest",
    edit: (v) => {
      v.autoscale.groups[0].desired_capacty = 2;
      v.security_groups[0].rules[0].from_prot = 80;
      v.elb.listners = [];
    },
    expected: [
      'pillar:security_groups[0].rules[0].from_prot: unknown key "from_prot" (did you mean "from_port"?); expected one of "cidr_ip", "description", "from_port", "ip_protocol", "to_port"',
      'pillar:elb.listners: unknown key "listners" (did you mean "listeners"?); expected one of "attributes", "deletion_protection", "drop_invalid_header_fields", "health_check", "http2", "listeners", "migrate_to", "name", "scheme", "security_groups", "ssl_policy", "subnets", "type"',
      'pillar:autoscale.groups[0].desired_capacty: unknown key "desired_capacty" (did you mean "desired_capacity"?); expected one of "default_cooldown", "desired_capacity", "health_check_period", "health_check_type", "instance_refresh", "launch_config", "launch_config_name", "load_balancers", "manage_desired_capacity", "max_size", "min_size", "mixed_instances", "name", "notifications", "reactor_profile", "scaling_policies", "scheduled_actions", "tags", "target_groups", "vpc_zone_identifiers", "warm_pool"',
    ],
  },
  {
    name: "numbers written as strings still meet their ranges",
    edit: (v) => {
      v.profiles["mongodb-server"].count = "0";
      v.elb.listeners[0].elb_port = "70000";
      v.cloudwatch.alarms[0].attributes.period = "5";
    },
    expected: [
      'pillar:profiles["mongodb-server"].count: expected a count of at least 1, got 0',
      "pillar:elb.listeners[0].elb_port: expected a port number 1–65535, got 70000",
      "pillar:cloudwatch.alarms[0].attributes.period: expected a period in seconds of at least 10, got 5",
    ],
  },
  {
    name: "a profile with no subnet in a VPC that lists no private subnets",
    edit: (v) => {
      delete v.profiles["mongodb-server"].subnetid;
      delete v.network.private_subnets;
    },
    expected: [
      `pillar:profiles["mongodb-server"].subnetid: missing: the profile's instances need a subnet; give subnetid, or list private_subnets in pillar:network`,
    ],
  },
  {
    name: "an alarm dimension with two values",
    edit: (v) =>
      (v.cloudwatch.alarms[0].attributes.dimensions.InstanceId = [
        "i-0123456789abcdef0",
        "i-0fedcba9876543210",
      ]),
    expected: [
      'pillar:cloudwatch.alarms[0].attributes.dimensions.InstanceId: CloudWatch takes one value per dimension, got 2: "i-0123456789abcdef0", "i-0fedcba9876543210"; define one alarm per value',
    ],
  },
  {
    name: "patterns said in words",
    edit: (v) => {
      v.elb.name = "MY_ELB";
      v.security_groups[0].rules[0].from_port = "eighty";
      v.network.vpc_id = "vpc-12";
    },
    expected: [
      'pillar:network.vpc_id: expected a VPC id (vpc- and 8 or 17 hex digits), got "vpc-12"',
      'pillar:security_groups[0].rules[0].from_port: expected a port number 0–65535 (or -1: every ICMP type or code), got "eighty"',
      'pillar:elb.name: expected 1–32 letters, digits and hyphens, got "MY_ELB"',
    ],
  },
  {
    name: "several reactor profiles and a group that names none",
    edit: (v) => {
      v["ec2.autoscale"].worker = { grains: { roles: "worker" } };
      delete v.autoscale.groups[0].reactor_profile;
    },
    expected: [
      `pillar:autoscale.groups[0].reactor_profile: missing: pillar:ec2.autoscale has 2 reactor profiles, so say which one handles this group's instances: "web", "worker"`,
    ],
  },
  {
    name: "an alarm period CloudWatch does not take, and more datapoints than periods",
    edit: (v) => {
      v.cloudwatch.alarms[0].attributes.period = 45;
      v.cloudwatch.alarms[0].attributes.datapoints_to_alarm = 6;
    },
    expected: [
      "pillar:cloudwatch.alarms[0].attributes.period: CloudWatch takes a period of 10, 20, 30 or a multiple of 60 seconds, got 45",
      "pillar:cloudwatch.alarms[0].attributes.datapoints_to_alarm: 6 datapoints cannot alarm out of 5 evaluation periods; at most evaluation_periods",
    ],
  },
  {
    name: "user data over 16 KB and a volume over its type's size",
    edit: (v) => {
      v.autoscale.groups[0].launch_config.push({ user_data: "x".repeat(17000) });
      v.profiles["mongodb-server"].block_device_mappings[0]["Ebs.VolumeSize"] = 20000;
    },
    expected: [
      'pillar:profiles["mongodb-server"].block_device_mappings[0]["Ebs.VolumeSize"]: a gp3 volume is 1-16384 GiB, got 20000',
      "pillar:autoscale.groups[0].launch_config: user_data is 17000 bytes; AWS takes at most 16384 (16 KB) before base64",
    ],
  },
  {
    name: "a profile name that fits its instance role but not its snapshot role",
    edit: (v) => {
      v.profiles[SNAPSHOT_PROFILE] = v.profiles["mongodb-server"];
      delete v.profiles["mongodb-server"];
    },
    expected: [
      `pillar:profiles.${SNAPSHOT_PROFILE}: "${SNAPSHOT_PROFILE}" is 47 characters; the IAM role "${SNAPSHOT_PROFILE}-snapshots" with the provider's 8-character suffix would be 65, over AWS's 64 (keep it to 46)`,
    ],
  },
  {
    name: "provisioned IOPS a volume type needs, refuses, or holds beyond its range and size",
    edit: (v) => {
      v.profiles["mongodb-server"].block_device_mappings.push(
        { DeviceName: "/dev/sdf", "Ebs.VolumeSize": 200, "Ebs.VolumeType": "io2" },
        { DeviceName: "/dev/sdg", "Ebs.VolumeSize": 100, "Ebs.VolumeType": "gp2", "Ebs.Iops": 300 },
        { DeviceName: "/dev/sdh", "Ebs.VolumeSize": 500, "Ebs.Iops": 20000 },
        { DeviceName: "/dev/sdi", "Ebs.VolumeSize": 10, "Ebs.Iops": 6000 },
      );
    },
    expected: [
      'pillar:profiles["mongodb-server"].block_device_mappings[1]: an io2 volume needs provisioned IOPS (100-256000): set Ebs.Iops',
      'pillar:profiles["mongodb-server"].block_device_mappings[2]["Ebs.Iops"]: gp2 volumes take no provisioned IOPS (only gp3, io1 and io2 do)',
      'pillar:profiles["mongodb-server"].block_device_mappings[3]["Ebs.Iops"]: gp3 volumes take 3000-16000 IOPS, got 20000',
      'pillar:profiles["mongodb-server"].block_device_mappings[4]["Ebs.Iops"]: a 10 GiB gp3 volume takes at most 5000 IOPS (500 per GiB), got 6000',
    ],
  },
  {
    name: "a throughput on a type without one, out of range, or above what the IOPS carry",
    edit: (v) => {
      v.profiles["mongodb-server"].block_device_mappings.push({
        DeviceName: "/dev/sdf",
        "Ebs.VolumeSize": 200,
        "Ebs.VolumeType": "io1",
        "Ebs.Iops": 4000,
        "Ebs.Throughput": 250,
      });
      v.autoscale.groups[0].launch_config.push({
        block_device_mappings: [
          { DeviceName: "/dev/sda1", "Ebs.VolumeSize": 30, "Ebs.Throughput": 2000 },
          { DeviceName: "/dev/sdf", "Ebs.VolumeSize": 100, "Ebs.Throughput": 1000 },
        ],
      });
    },
    expected: [
      'pillar:profiles["mongodb-server"].block_device_mappings[1]["Ebs.Throughput"]: only gp3 volumes take a throughput, not io1',
      'pillar:autoscale.groups[0].launch_config.block_device_mappings[0]["Ebs.Throughput"]: gp3 throughput is 125-1000 MiB/s, got 2000',
      'pillar:autoscale.groups[0].launch_config.block_device_mappings[1]["Ebs.Throughput"]: gp3 throughput is at most 0.25 MiB/s per provisioned IOPS (750 MiB/s at 3000 IOPS), got 1000',
    ],
  },
  {
    name: "a KMS key by alias on a data volume (the provider takes only an ARN there), and on an unencrypted volume",
    edit: (v) => {
      v.profiles["mongodb-server"].block_device_mappings[0]["Ebs.KmsKeyId"] = "alias/pillar";
      v.profiles["mongodb-server"].block_device_mappings.push({
        DeviceName: "/dev/sdf",
        "Ebs.VolumeSize": 200,
        "Ebs.KmsKeyId": "alias/pillar",
      });
      v.autoscale.groups[0].launch_config.push({
        block_device_mappings: [
          { DeviceName: "/dev/sda1", "Ebs.KmsKeyId": "1234abcd-12ab-34cd-56ef-1234567890ab" },
          {
            DeviceName: "/dev/sdf",
            "Ebs.VolumeSize": 10,
            "Ebs.KmsKeyId": "alias/pillar",
            "Ebs.Encrypted": false,
          },
        ],
      });
    },
    expected: [
      'pillar:profiles["mongodb-server"].block_device_mappings[1]["Ebs.KmsKeyId"]: expected a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), got "alias/pillar": the provider takes no key id or alias for a data volume',
      'pillar:autoscale.groups[0].launch_config.block_device_mappings[1]["Ebs.KmsKeyId"]: a KMS key is given but the volume is not encrypted: a volume with a KMS key must be encrypted; drop Ebs.Encrypted: false',
    ],
  },
  {
    name: "a stateful server's root volume of a type that cannot boot",
    edit: (v) => (v.profiles["mongodb-server"].block_device_mappings[0]["Ebs.VolumeType"] = "st1"),
    expected: [
      'pillar:profiles["mongodb-server"].block_device_mappings[0]["Ebs.VolumeSize"]: a st1 volume is 125-16384 GiB, got 50',
      'pillar:profiles["mongodb-server"].block_device_mappings[0]["Ebs.VolumeType"]: st1 volumes cannot be an instance\'s root (boot) volume; use gp3 there and st1 for data',
    ],
  },
  {
    name: "verbatim names are judged as they are",
    edit: (v) => {
      v.elb.name = "MY-ELB-";
      v.autoscale.groups[0].load_balancers = ["MY-ELB-"];
    },
    opts: { autonaming: { mode: "verbatim" } },
    expected: [
      'pillar:elb.name: the classic load balancer name would be "MY-ELB-", which the AWS provider refuses: "name" cannot end with a hyphen: "MY-ELB-"',
    ],
  },
  {
    name: "autonaming disabled for a type pillar lets the provider name",
    edit: () => undefined,
    opts: {
      autonaming: {
        providers: { aws: { resources: { [TYPES.elb.LoadBalancer]: { mode: "disabled" } } } },
      },
    },
    expected: [
      'pillar:elb.name: pulumi:autonaming disables automatic names for aws:elb/loadBalancer:LoadBalancer, and pillar leaves the name of the classic load balancer "MY-ELB" to the provider, which would fail: "automatic naming is disabled but no explicit name was provided"; use mode default, verbatim or a pattern for that type',
    ],
  },
  {
    name: "an autonaming pattern that makes a group's names begin with sg-",
    edit: () => undefined,
    opts: {
      autonaming: {
        providers: {
          aws: { resources: { [TYPES.ec2.SecurityGroup]: { pattern: "sg-${name}" } } },
        },
      },
    },
    expected: [
      'pillar:security_groups[0].name: the security group name would be "sg-webhost", which the AWS provider refuses: invalid value for name (cannot begin with sg-)',
      'pillar:security_groups[1].name: the security group name would be "sg-mongodb", which the AWS provider refuses: invalid value for name (cannot begin with sg-)',
    ],
  },
  {
    name: "an invalid autonaming mode, in the CLI's words",
    edit: () => undefined,
    opts: { autonaming: { mode: "verbose" } },
    expected: [
      "pulumi:autonaming: getting autonaming config: failed to resolve root naming config: invalid naming mode: verbose",
    ],
  },
];

describe("config: values the AWS provider or AWS would refuse, with the path and the limit", () => {
  for (const c of LIMITS) {
    it(c.name, () => {
      const got = issuesOf(seedWith(c.edit), c.opts);
      assert.equal(got.length, c.expected.length, got.join("\n"));
      c.expected.forEach((e, i) => {
        if (e.startsWith("^")) assert.match(got[i]!, new RegExp(e));
        else assert.equal(got[i], e);
      });
    });
  }

  it("says in words what every constrained value expects (no regular expression reaches a user)", () => {
    assert.deepEqual(schemaNodesWithoutWords(), []);
  });

  it("uses the one reactor profile for a group that names none", () => {
    const m = load(seedWith((v) => delete v.autoscale.groups[0].reactor_profile));
    assert.equal(m.autoscaleGroups[0]!.reactorProfile, "web");
  });

  it("names the ASG and the reactor as pulumi:autonaming says: the seed's names under verbatim", () => {
    const m = load(seedValues(), { autonaming: { mode: "verbatim" } });
    assert.deepEqual([m.autoscaleGroups[0]!.physicalName, m.reactor.functionName], ["app-hosts", "reactor"]);
    const d = load(seedValues());
    assert.deepEqual(
      [d.autoscaleGroups[0]!.physicalName, d.reactor.functionName],
      ["pillar-prod-app-hosts", "pillar-prod-reactor"],
    );
  });
});
