/**
 * The seed's shapes the loader takes as Salt writes them: the master's `reactor:` hooks as
 * `pillar:reactor`, YAML 1.1 booleans, a network and a provider worked out from what the pillar says
 * when their keys are absent, and every refusal showing the value it refuses.
 */
import * as assert from "node:assert/strict";
import { issuesOf, load, seedValues, seedWith } from "./configHelpers";

const HOOK_UP = "salt/netapi/hook/autoscale/web/up";
const HOOK_DOWN = "salt/netapi/hook/autoscale/web/down";
const SLS = "/srv/lta/reactor/ec2-autoscale.sls";
const seedHooks = () => [{ [HOOK_UP]: [SLS] }, { [HOOK_DOWN]: [SLS] }];

describe("config: the master's reactor: hooks as pillar:reactor", () => {
  it("takes the seed's list as written and wires the profile its tags name to the group", () => {
    const m = load(
      seedWith((v) => {
        v.reactor = seedHooks();
        delete v.autoscale.groups[0].reactor_profile;
      }),
    );
    assert.deepEqual(m.reactor.hooks, [
      { tag: HOOK_UP, profile: "web", sls: [SLS] },
      { tag: HOOK_DOWN, profile: "web", sls: [SLS] },
    ]);
    assert.equal(m.autoscaleGroups[0]!.reactorProfile, "web");
    // The settings keep their defaults.
    assert.equal(m.reactor.deletionProtection, true);
  });

  it("takes the hooks beside the settings as hooks:, and one SLS file as a string", () => {
    const m = load(seedWith((v) => (v.reactor = { deletion_protection: "no", hooks: [{ [HOOK_UP]: SLS }] })));
    assert.deepEqual(m.reactor.hooks, [{ tag: HOOK_UP, profile: "web", sls: [SLS] }]);
    assert.equal(m.reactor.deletionProtection, false);
  });

  it("has no hooks in the model when none are given", () => {
    assert.equal(load(seedValues()).reactor.hooks, undefined);
  });

  const BAD: readonly { name: string; edit: Parameters<typeof seedWith>[0]; expected: string[] }[] = [
    {
      name: "a tag that is not an autoscale webhook",
      edit: (v) => (v.reactor = [{ "salt/minion/*/start": [SLS] }]),
      expected: [
        'pillar:reactor[0]["salt/minion/*/start"]: "salt/minion/*/start" is not a salt-api autoscale webhook tag (salt/netapi/hook/autoscale/<profile>/up or /down): pillar\'s reactor handles autoscaling events only; keep other reactors in Salt',
      ],
    },
    {
      name: "a webhook tag with no profile segment",
      edit: (v) => (v.reactor = { hooks: [{ "salt/netapi/hook/up": [SLS] }] }),
      expected: [
        'pillar:reactor.hooks[0]["salt/netapi/hook/up"]: "salt/netapi/hook/up" is not a salt-api autoscale webhook tag (salt/netapi/hook/autoscale/<profile>/up or /down): pillar\'s reactor handles autoscaling events only; keep other reactors in Salt',
      ],
    },
    {
      name: "a tag naming a profile ec2.autoscale does not define",
      edit: (v) => (v.reactor = [{ "salt/netapi/hook/autoscale/database/up": [SLS] }]),
      expected: [
        'pillar:reactor[0]["salt/netapi/hook/autoscale/database/up"]: the tag picks reactor profile "database" (its second-last segment, as the seed\'s reactor reads it), which pillar:ec2.autoscale does not define; known profiles: "web"',
      ],
    },
    {
      name: "the same tag twice",
      edit: (v) => (v.reactor = [{ [HOOK_UP]: [SLS] }, { [HOOK_UP]: ["/srv/other.sls"] }]),
      expected: [
        `pillar:reactor[1]["${HOOK_UP}"]: hook "${HOOK_UP}" is already given at pillar:reactor[0]["${HOOK_UP}"]`,
      ],
    },
    {
      name: "a group whose profile no hook names",
      edit: (v) => {
        v["ec2.autoscale"].database = { grains: { roles: "db" }, minion: { startup_states: "highstate" } };
        v.reactor = [{ "salt/netapi/hook/autoscale/database/up": [SLS] }];
      },
      expected: [
        'pillar:autoscale.groups[0].reactor_profile: "web" has no hook in pillar:reactor, whose hooks name only "database": add the hook salt/netapi/hook/autoscale/web/up (and /down), or pick a profile the hooks name',
      ],
    },
    {
      name: "two hooked profiles and a group that names none",
      edit: (v) => {
        v["ec2.autoscale"].database = { grains: { roles: "db" }, minion: { startup_states: "highstate" } };
        v.reactor = [...seedHooks(), { "salt/netapi/hook/autoscale/database/up": [SLS] }];
        delete v.autoscale.groups[0].reactor_profile;
      },
      expected: [
        'pillar:autoscale.groups[0].reactor_profile: missing: the pillar:reactor hooks name 2 reactor profiles, so say which one handles this group\'s instances: "database", "web"',
      ],
    },
    {
      name: "a hook that is not one tag",
      edit: (v) => (v.reactor = [{ [HOOK_UP]: [SLS], [HOOK_DOWN]: [SLS] }]),
      expected: [
        `pillar:reactor[0]: expected a map with exactly one key (the seed's list of one-key maps), got {"${HOOK_UP}":["${SLS}"],"...`,
      ],
    },
    {
      name: "no hooks",
      edit: (v) => (v.reactor = []),
      expected: ["pillar:reactor: expected at least 1 item(s), got []"],
    },
    {
      name: "neither the settings nor the hooks",
      edit: (v) => (v.reactor = "web"),
      expected: ['pillar:reactor: expected object, got "web"'],
    },
  ];
  for (const c of BAD) {
    it(`refuses ${c.name}`, () => assert.deepEqual(issuesOf(seedWith(c.edit)), c.expected));
  }
});

describe("config: YAML 1.1 booleans, as Salt reads them", () => {
  const crossZone = (value: unknown) =>
    seedWith((v) => (v.elb.attributes.cross_zone_load_balancing.enabled = value));
  for (const [word, meaning] of [
    ["yes", true],
    ["Yes", true],
    ["YES", true],
    ["on", true],
    ["On", true],
    ["ON", true],
    ["True", true],
    ["TRUE", true],
    ["no", false],
    ["No", false],
    ["NO", false],
    ["off", false],
    ["Off", false],
    ["OFF", false],
    ["False", false],
    ["FALSE", false],
  ] as const) {
    it(`reads "${word}" as ${meaning}`, () =>
      assert.equal(load(crossZone(word)).loadBalancers[0]!.crossZone, meaning));
  }

  it("reads them wherever a boolean is expected (the schema kit's one bool)", () => {
    const m = load(
      seedWith((v) => {
        v.reactor = { deletion_protection: "off", function_url: "on" };
        v.profiles["mongodb-server"].stateful = "yes";
        v.autoscale.groups[0].launch_config.push({ instance_monitoring: "no" });
      }),
    );
    assert.equal(m.reactor.deletionProtection, false);
    assert.equal(m.reactor.functionUrl, true);
    assert.equal(m.profiles[0]!.stateful, true);
    assert.equal(m.autoscaleGroups[0]!.launchTemplate.detailedMonitoring, false);
  });

  it("refuses what PyYAML does not read as a boolean (y, n, 1), showing the value", () => {
    assert.deepEqual(
      issuesOf(
        seedWith((v) => {
          v.elb.attributes.cross_zone_load_balancing.enabled = "y";
          v.reactor = { deletion_protection: 1 };
        }),
      ),
      [
        'pillar:elb.attributes.cross_zone_load_balancing.enabled: expected true or false (or yes/no, on/off as Salt reads them), got "y"',
        "pillar:reactor.deletion_protection: expected true or false (or yes/no, on/off as Salt reads them), got 1",
      ],
    );
  });
});

describe("config: pillar:network absent, derived from what the pillar says", () => {
  it("gives the prod stack the network it writes: the groups' VPC, the ELB's subnets public, the profile's private", () => {
    const prod = load(seedValues());
    const m = load(seedWith((v) => delete v.network));
    assert.deepEqual(m.network, prod.network);
    assert.deepEqual(m.notes, [
      "pillar:network is not set: planned the existing VPC the pillar names, derived from vpc_id vpc-1234567 from security_groups[].vpc_id; public_subnets from the ELB's subnets (subnet-0a1b2c31, subnet-0a1b2c32, subnet-0a1b2c33); private_subnets from the profiles' subnetid and the autoscale groups' subnets the ELB does not use (subnet-0d4e5f61). Set pillar:network to choose the VPC and its subnet tiers yourself",
    ]);
    assert.equal(prod.notes, undefined);
  });

  it("puts an internal ELB's subnets and the groups' other subnets in the private tier", () => {
    const m = load(
      seedWith((v) => {
        delete v.network;
        v.elb.scheme = "internal";
      }),
    );
    assert.deepEqual(m.network, {
      mode: "existing",
      vpcId: "vpc-1234567",
      publicSubnetIds: [],
      privateSubnetIds: ["subnet-0a1b2c31", "subnet-0a1b2c32", "subnet-0a1b2c33", "subnet-0d4e5f61"],
    });
  });

  it("refuses groups in two VPCs, and says what is missing when no group names one", () => {
    assert.deepEqual(
      issuesOf(
        seedWith((v) => {
          delete v.network;
          v.security_groups[1].vpc_id = "vpc-7654321";
        }),
      ),
      [
        "pillar:network: missing, and the security groups name 2 VPCs (vpc-1234567, vpc-7654321); a stack has one: set pillar:network.vpc_id and the groups' vpc_id to it",
      ],
    );
    const none = issuesOf(
      seedWith((v) => {
        delete v.network;
        for (const g of v.security_groups) delete g.vpc_id;
      }),
    );
    assert.equal(
      none[0],
      "pillar:network: missing: expected vpc_id (an existing VPC) or cidr_block (a VPC this stack creates)",
    );
  });
});

describe("config: pillar:cloud absent, the provider the profiles name", () => {
  it("plans the named provider in aws:region with ambient credentials, and says so", () => {
    const m = load(
      seedWith((v) => {
        delete v.cloud;
        v["ec2.autoscale"].web.minion.master = "salt.example.com";
      }),
    );
    assert.deepEqual(m.cloud, {
      name: "aws_provider",
      region: "us-east-1",
      sshUsernames: ["ubuntu"],
      sshInterface: "private_ips",
      defaultTags: {},
      env: "prod",
    });
    assert.equal(m.notes!.length, 1);
    assert.match(
      m.notes![0]!,
      /^pillar:cloud is not set: planned the provider "aws_provider" that the profiles name/,
    );
  });

  it("refuses profiles that name two providers", () => {
    assert.deepEqual(
      issuesOf(
        seedWith((v) => {
          delete v.cloud;
          v["ec2.autoscale"].web.provider = "other_provider";
          v["ec2.autoscale"].web.minion.master = "salt.example.com";
        }),
      ),
      [
        'pillar:cloud: missing, and the profiles name 2 providers ("aws_provider", "other_provider"); a stack has one: define it here (the seed\'s aws_provider block)',
      ],
    );
  });
});

describe("config: every refusal shows the value it refuses", () => {
  it("a shape of the wrong type, a too-short list, an empty string", () => {
    assert.deepEqual(
      issuesOf(
        seedWith((v) => {
          v.security_groups[0].rules = "all";
          v.elb.listeners = [];
          v.profiles["mongodb-server"].size = "";
        }),
      ),
      [
        'pillar:profiles["mongodb-server"].size: expected a non-empty string, got ""',
        'pillar:security_groups[0].rules: expected array, got "all"',
        "pillar:elb.listeners: expected at least 1 item(s), got []",
      ],
    );
  });

  it("a placeholder in a value whose shape passes, but not an operator in a description", () => {
    assert.deepEqual(issuesOf(seedWith((v) => (v.security_groups[0].description = "<your description>"))), [
      'pillar:security_groups[0].description: "<your description>" is a placeholder: put the real value',
    ]);
    const m = load(seedWith((v) => (v.cloudwatch.alarms[1].attributes.description = "CPU <= 40 and > 10")));
    assert.equal(m.alarms[1]!.description, "CPU <= 40 and > 10");
  });
});
