import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { adoptStack, AdoptError, AdoptResult } from "../../scripts/lib/adopt/adopt";
import { loadPlanInput, PROJECT_ROOT } from "../../scripts/lib/planner";
import { adoptionFindings } from "../../scripts/lib/adopt/traps";
import { importedProdStack } from "./support";
import { DEFAULT_SG, fakeClients, FakeAccount, MONGODB_SG, seedAccount, VPC, WEBHOST_SG } from "./fakeAws";
import { TYPES } from "../../provider/types";

const GOLDEN = path.join(PROJECT_ROOT, "test", "fixtures", "adopt", "adopt.prod.json");

async function adopt(
  account: FakeAccount,
  stackFile = importedProdStack(),
  instances: Record<string, string> = { "mongodb-server": "i-0123456789abcdef0" },
) {
  const { clients, calls } = fakeClients(account);
  const result = await adoptStack(loadPlanInput({ stackFile }), clients, { instances });
  return { result, calls };
}

const byName = (r: AdoptResult, type: string, name: string) => {
  const res = r.resources.find((x) => x.type === type && x.name === name);
  assert.ok(res, `${type} ${name}`);
  return res;
};

describe("npm run adopt: the live resources into the stack, nothing replaced", function () {
  this.timeout(60_000);

  describe("the seed's tier as salt-cloud and the aws formula built it", () => {
    let result: AdoptResult;
    let calls: [string, Record<string, unknown>][];
    before(async () => {
      ({ result, calls } = await adopt(seedAccount()));
    });

    it("writes exactly the import file pulumi import --file reads", () => {
      assert.equal(result.text, fs.readFileSync(GOLDEN, "utf8"));
    });

    it("imports the groups by name within the VPC, each rule by its sgr- id (one per source, group references included)", () => {
      const found = (type: string, name: string) =>
        result.adoption.found.get(byName(result, type, name).urn)?.id;
      assert.equal(found(TYPES.ec2.SecurityGroup, "webhost"), WEBHOST_SG);
      assert.equal(found(TYPES.ec2.SecurityGroup, "mongodb"), MONGODB_SG);
      const ingress = TYPES.vpc.SecurityGroupIngressRule;
      assert.equal(found(ingress, "sg-webhost-in-tcp-22-from-default"), "sgr-0a00000000000022a");
      assert.equal(found(ingress, "sg-mongodb-in-tcp-27017-from-webhost"), "sgr-0b00000000027017b");
      // The inline permission tcp 22 of mongodb has two sources: the one the pillar has is imported, the other reported.
      assert.equal(found(ingress, "sg-mongodb-in-tcp-22-from-default"), "sgr-0b00000000000022b");
      assert.equal(
        found(TYPES.vpc.SecurityGroupEgressRule, "sg-webhost-out-all-all-to-0.0.0.0_0"),
        "sgr-0a000000000000e0a",
      );
      // The default group's rules are the VPC's, never adopted.
      assert.ok(![...result.adoption.found.values()].some((f) => f.id.startsWith("sgr-0000000000000d")));
      assert.equal(found(TYPES.elb.LoadBalancer, "MY-ELB"), "MY-ELB");
      assert.equal(found(TYPES.autoscaling.Group, "app-hosts"), "app-hosts");
      assert.equal(
        found(TYPES.autoscaling.Policy, "app-hosts-webhost_scale_down"),
        "app-hosts/webhost_scale_down",
      );
      assert.equal(found(TYPES.cloudwatch.MetricAlarm, "php_cpu_scale_down"), "php_cpu_scale_down");
      assert.equal(found(TYPES.ec2.Instance, "mongodb-server"), "i-0123456789abcdef0");
      assert.equal(result.adoption.found.size, 16);
    });

    it("lists the live rules the pillar does not have, and never deletes them", () => {
      assert.deepEqual(
        result.adoption.unmatched.map((u) => [u.id, u.what]),
        [
          [
            "sgr-0a00000000008080a",
            `rule of group webhost (${WEBHOST_SG}): ingress tcp 8080 from 10.0.0.0/8`,
          ],
          ["sgr-0b00000000000122b", `rule of group mongodb (${MONGODB_SG}): ingress tcp 22 from 10.1.0.0/16`],
        ],
      );
      assert.equal(
        result.adoption.unmatched[0]!.why,
        "live but not in the pillar: pulumi does not manage it and never deletes it (the stack keeps no inline rules on the group); add it to pillar:security_groups[0].rules to manage it, or delete it yourself (Salt's boto_secgroup would have deleted it on its next run)",
      );
    });

    it("says what pulumi up creates and why, the types that cannot be imported among them", () => {
      const why = (type: string, name: string) =>
        result.adoption.creates.find((c) => c.type === type && c.name === name)?.why;
      assert.equal(
        why(TYPES.ec2.LaunchTemplate, "app-hosts-webhost"),
        "new with pillar (aws:ec2:LaunchTemplate): pulumi up creates it",
      );
      assert.equal(
        why(TYPES.autoscaling.Notification, "app-hosts"),
        "cannot be imported (the provider has no importer for it): pulumi up puts it (PutNotificationConfiguration, idempotent)",
      );
      assert.equal(
        why(TYPES.elb.LoadBalancerPolicy, "MY-ELB-tls"),
        "cannot be imported (the provider has no importer for it): pulumi up creates it (CreateLoadBalancerPolicy)",
      );
      assert.equal(
        why(TYPES.sns.Topic, "app-hosts-events"),
        "its name is generated with a random suffix (app-hosts-events-9a69b47), so no live resource can be it: pulumi up creates it",
      );
      assert.equal(
        why(TYPES.cloudwatch.MetricAlarm, "reactor-errors"),
        "no alarm named reactor-errors: pulumi up creates it",
      );
      // Every custom resource of the plan is either imported or created.
      const custom = result.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
      assert.equal(result.adoption.found.size + result.adoption.creates.length, custom.length);
    });

    it("names the replacement traps, and the in-place move from the launch configuration", () => {
      assert.deepEqual(
        result.findings.map((f) => [f.level, f.name]),
        [
          ["replace", "mongodb-server"],
          ["move", "mongodb-server"],
          ["move", "app-hosts"],
        ],
      );
      assert.equal(
        result.findings[0]!.message,
        'Instance mongodb-server: its root volume is not encrypted live but the stack says encrypted true; root_block_device.encrypted forces replacement, so the first pulumi up would replace the server: set Ebs.Encrypted: false on its root device (pillar:profiles["mongodb-server"].block_device_mappings), then encrypt it by a snapshot copy when you can take the downtime',
      );
      assert.equal(
        result.findings[1]!.message,
        "Instance mongodb-server: its root volume changes in place (ModifyVolume: type standard → gp3); on a previous-generation instance type the change may need the instance stopped and started (EC2 ModifyVolume): to leave the volume as it is, write its live type and size in the profile's block_device_mappings (Ebs.VolumeType, Ebs.VolumeSize)",
      );
      assert.equal(
        result.findings[2]!.message,
        "Group app-hosts: moves from launch configuration webhost to the stack's launch template in place (UpdateAutoScalingGroup); running instances stay until they are replaced",
      );
      // The group's initial hooks, which an imported group cannot have, are ignored; the hooks are put in place.
      const asg = byName(result, TYPES.autoscaling.Group, "app-hosts");
      assert.ok(asg.options.ignoreChanges.includes("initialLifecycleHooks"));
      assert.equal(
        result.adoption.creates.find((c) => c.name === "app-hosts-pillar-launch")!.why,
        "the reactor's hook, put on the group in place (PutLifecycleHook), live or not: the group keeps running",
      );
    });

    it("would name the initial-hooks trap if the group did not ignore them", () => {
      const asg = byName(result, TYPES.autoscaling.Group, "app-hosts");
      const bare = { ...asg, options: { ...asg.options, ignoreChanges: ["desiredCapacity"] } };
      const findings = adoptionFindings([bare], new Map([[asg.urn, { name: "app-hosts" }]]), result.model);
      assert.equal(findings.length, 1);
      assert.match(
        findings[0]!.message,
        /^Group app-hosts: the stack sets initialLifecycleHooks .*initial_lifecycle_hook forces replacement; hashicorp\/terraform-provider-aws#49226\)/,
      );
    });

    it("reads every page of every answer, and only reads", () => {
      const names = calls.map(([n]) => n);
      assert.ok(
        names.every((n) => /^(Describe|List)/.test(n)),
        names.join(", "),
      );
      // Each paginated call was followed to its last page: every NextToken/NextMarker answered was asked for.
      assert.deepEqual(
        calls.filter(([n]) => n === "DescribeSecurityGroupRules").map(([, i]) => i.NextToken ?? null),
        [null, "cGFnZToy", "cGFnZTo0", "cGFnZTo2", "cGFnZTo4"],
      );
      assert.deepEqual(
        calls.filter(([n]) => n === "DescribeLoadBalancers").map(([, i]) => i.Marker ?? null),
        [null, "cGFnZToy"],
      );
      assert.deepEqual(
        calls.filter(([n]) => n === "DescribeSecurityGroups").map(([, i]) => i.Filters),
        [[{ Name: "vpc-id", Values: [VPC] }], [{ Name: "vpc-id", Values: [VPC] }]],
      );
    });

    it("answers the plan's default-group lookup from AWS, so rules naming default match the live group", () => {
      const rule = byName(result, TYPES.vpc.SecurityGroupIngressRule, "sg-webhost-in-tcp-22-from-default");
      assert.equal(rule.inputs.referencedSecurityGroupId, DEFAULT_SG);
    });
  });

  describe("what cannot be matched, and why", () => {
    it("a group whose live name differs only in case, and a config that differs from the live description", async () => {
      const account = seedAccount();
      account.groups = account.groups.map((g) =>
        g.GroupId === WEBHOST_SG
          ? { ...g, GroupName: "WebHost" }
          : g.GroupId === MONGODB_SG
            ? { ...g, Description: "MongoDB servers" }
            : g,
      );
      const { result } = await adopt(account);
      assert.deepEqual(
        result.adoption.ambiguous.map((a) => [a.name, a.why]),
        [
          [
            "webhost",
            `the live group WebHost (${WEBHOST_SG}) differs from "webhost" only in case: AWS would refuse to create "webhost" beside it, and a name forces replacement; write the live name in the pillar`,
          ],
        ],
      );
      assert.equal(
        result.findings.find((f) => f.name === "mongodb")!.message,
        'SecurityGroup mongodb: description is "MongoDB servers" live but "MongoDB Security Group" in the stack; description forces replacement, so the first pulumi up would replace it: set pillar:security_groups[1].description to the live value',
      );
      // Rules of a group not adopted are not matched either: they are created with it.
      assert.equal(
        result.adoption.creates.find((c) => c.name === "sg-webhost-in-tcp-80-from-0.0.0.0_0")!.why,
        "its group is not live: pulumi up creates it with the group",
      );
    });

    it("a name that matches twice is not imported", async () => {
      const account = seedAccount();
      // A page answered twice (an eventually consistent listing can show a group twice): two candidates.
      const mongodb = account.groups.find((g) => g.GroupId === MONGODB_SG)!;
      account.groups.push({ ...mongodb, GroupId: "sg-0f5f5f5f5f5f5f5f5" });
      const { result } = await adopt(account);
      assert.deepEqual(
        result.adoption.ambiguous.map((a) => [a.name, a.why]),
        [["mongodb", `2 live groups are named mongodb in ${VPC}: ${MONGODB_SG}, sg-0f5f5f5f5f5f5f5f5`]],
      );
      assert.ok(!result.text.includes(MONGODB_SG));
    });

    it("an instance no one named is created beside the running one, with how to adopt it", async () => {
      const { result } = await adopt(seedAccount(), importedProdStack(), {});
      assert.equal(
        result.adoption.creates.find((c) => c.type === TYPES.ec2.Instance)!.why,
        "salt-cloud names an instance by the name given on its command line, which no Salt file keeps: give --instance mongodb-server=i-… to adopt the running one, or pulumi up creates a new server beside it",
      );
    });

    it("a data volume and its attachment, by the instance's device; an alarm topic that does not exist", async () => {
      const file = importedProdStack();
      const doc = YAML.parse(fs.readFileSync(file, "utf8")) as {
        config: Record<string, Record<string, Record<string, unknown>>>;
      };
      const profile = doc.config["pillar:profiles"]!["mongodb-server"]!;
      profile.block_device_mappings = [
        ...(profile.block_device_mappings as object[]),
        { DeviceName: "/dev/sdf", "Ebs.VolumeSize": 100, "Ebs.Encrypted": true },
      ];
      fs.writeFileSync(file, YAML.stringify(doc));
      const account = seedAccount();
      account.instances[0]!.BlockDeviceMappings!.push({
        DeviceName: "/dev/sdf",
        Ebs: { VolumeId: "vol-0bbbbbbbbbbbbbbb2", Status: "attached" },
      });
      account.volumes.push({
        VolumeId: "vol-0bbbbbbbbbbbbbbb2",
        Size: 100,
        Encrypted: true,
        AvailabilityZone: "us-east-1b",
        VolumeType: "gp3",
      });
      account.topics = account.topics.filter((t) => !t.endsWith(":alert_salt_php_scale_down"));
      const { result } = await adopt(account, file);
      const found = (type: string, name: string) =>
        result.adoption.found.get(byName(result, type, name).urn)?.id;
      assert.equal(found(TYPES.ebs.Volume, "mongodb-server-sdf"), "vol-0bbbbbbbbbbbbbbb2");
      assert.equal(
        found(TYPES.ec2.VolumeAttachment, "mongodb-server-sdf"),
        "/dev/sdf:vol-0bbbbbbbbbbbbbbb2:i-0123456789abcdef0",
      );
      // The subnet's zone came from AWS, not the plan's fake: the volume's zone agrees, nothing to replace.
      assert.deepEqual(
        result.findings.filter((f) => f.type === TYPES.ebs.Volume),
        [],
      );
      assert.deepEqual(result.warnings, [
        "alarm php_cpu_scale_down notifies arn:aws:sns:us-east-1:123456789012:alert_salt_php_scale_down, which is not a topic of us-east-1: the alarm would notify nobody",
      ]);
    });

    it("refuses a stack whose names would be random: adopt needs the seed's names", async () => {
      const { clients } = fakeClients(seedAccount());
      await assert.rejects(adoptStack(loadPlanInput({ stack: "prod" }), clients), (err: unknown) => {
        assert.ok(err instanceof AdoptError);
        assert.match(
          err.message,
          /^adopt finds the live resources by the names Salt gave them, but this stack would name these with a random suffix:\n {2}aws:ec2\/securityGroup:SecurityGroup mongodb → mongodb-c0955ef\n/,
        );
        assert.match(
          err.message,
          /\n {4}pulumi:autonaming:\n {6}providers:\n {8}aws:\n {10}resources:\n {12}aws:ec2\/securityGroup:SecurityGroup:\n {14}mode: verbatim\n/,
        );
        return true;
      });
    });

    it("refuses a VPC AWS does not know", async () => {
      const account = seedAccount();
      account.groups = account.groups.filter((g) => g.VpcId !== VPC);
      const { clients } = fakeClients(account);
      await assert.rejects(
        adoptStack(loadPlanInput({ stackFile: importedProdStack() }), clients),
        new AdoptError(
          `the VPC ${VPC} (pillar:network.vpc_id) has no default security group in us-east-1: is it the VPC's id, and the right region and account?`,
        ),
      );
    });
  });

  describe("the CLI", () => {
    it("exits 2 and writes nothing when AWS cannot be read", () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pillar-adopt-cli-"));
      const out = path.join(dir, "adopt.json");
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir };
      // No credentials anywhere, and no instance metadata: the SDK fails before any request.
      Object.assign(env, {
        AWS_CONFIG_FILE: path.join(dir, "none"),
        AWS_SHARED_CREDENTIALS_FILE: path.join(dir, "none"),
        AWS_EC2_METADATA_DISABLED: "true",
      });
      const r = spawnSync(
        process.execPath,
        [
          "--import",
          "tsx",
          path.join(PROJECT_ROOT, "scripts", "adopt.ts"),
          "--stack-file",
          importedProdStack(),
          "--out",
          out,
        ],
        { cwd: PROJECT_ROOT, encoding: "utf8", env },
      );
      assert.equal(r.status, 2, r.stderr);
      // (On Node 20 the SDK first warns about its Node support.)
      assert.match(
        r.stderr,
        /(^|\n)error: AWS could not be read: CredentialsProviderError: Could not load credentials from any providers\n\nNothing was written\.\n$/,
      );
      assert.equal(fs.existsSync(out), false);
    });

    it("exits 2 on bad arguments", () => {
      const r = spawnSync(
        process.execPath,
        ["--import", "tsx", path.join(PROJECT_ROOT, "scripts", "adopt.ts"), "--instance", "mongodb-server"],
        {
          cwd: PROJECT_ROOT,
          encoding: "utf8",
        },
      );
      assert.equal(r.status, 2);
      assert.equal(r.stderr, "error: --instance mongodb-server: expected PROFILE=i-… (an instance id)\n");
    });
  });
});
