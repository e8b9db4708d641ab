import * as assert from "node:assert/strict";
import { ConfigError } from "../config/issues";
import { issuesOf, load, SeedDoc, seedValues, seedWith } from "./configHelpers";

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

  it("normalizes cidr_ip strings and lists into sources with their paths", () => {
    const webhost = model.securityGroups[0]!;
    assert.equal(webhost.name, "webhost");
    assert.deepEqual(webhost.rules[0], {
      protocol: "tcp",
      fromPort: 80,
      toPort: 80,
      sources: ["0.0.0.0/0"],
      sourcePaths: ["pillar:security_groups[0].rules[0].cidr_ip[0]"],
      path: "pillar:security_groups[0].rules[0]",
    });
    assert.deepEqual(webhost.rules[2]!.sources, ["default"]);
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
          document: "pillar-salt",
          parameters: {
            StartupStates: ["highstate"],
            Master: ["salt.example.com"],
            Grains: ['{"env":"prod","roles":"web-host","pillar_stack":"prod"}'],
            ExecutionTimeout: ["600"],
          },
          timeoutSeconds: 600,
        },
        path: "pillar:ec2.autoscale.web",
      },
    ]);
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
      'pillar:securitygroups: unknown config key; expected one of "pillar:autoscale", "pillar:cloud", "pillar:cloudwatch", "pillar:ec2.autoscale", "pillar:elb", "pillar:network", "pillar:profiles", "pillar:reactor", "pillar:security_groups"',
    ],
  },
  {
    name: "cidr_ip wrong type",
    edit: (v) => {
      v.security_groups[1].rules[0].cidr_ip = 5;
    },
    expected: ["pillar:security_groups[1].rules[0].cidr_ip: expected string or array"],
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
      "pillar:security_groups[0].rules[0].from_port: expected a port 0-65535, got 70000",
      "pillar:security_groups[0].rules[0].to_port: expected a port 0-65535, got 70000",
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
      "pillar:autoscale.groups[0].launch_config[0]: expected a map with exactly one key (the seed's list of one-key maps)",
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
    expected: ["pillar:network: Only one of [vpc_id] or [cidr_block] can be specified"],
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
