import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { loadStackConfig } from "../../config/loader";
import { ConfigError } from "../../config/issues";
import { pillarValues } from "../../config/pulumiValues";
import { PROJECT_ROOT } from "../../scripts/lib/planner";
import { runPlan } from "../harness";
import { importSalt, SaltInput, saltDirInputs, VERBATIM_AUTONAMING } from "../../scripts/lib/salt/importer";
import { SaltImportError } from "../../scripts/lib/salt/read";
import { readStackFile } from "../../scripts/lib/stackFile";

const FIXTURES = path.join(PROJECT_ROOT, "test", "fixtures", "salt");
const SEED = path.join(FIXTURES, "seed");
const AS_WRITTEN = path.join(FIXTURES, "seed-as-written");
const seedInputs = (): SaltInput[] => [
  ...saltDirInputs(path.join(SEED, "etc", "salt")),
  { kind: "pillar", path: path.join(SEED, "pillar.json") },
];

/** Every config value of a stack file, parsed (the file's strings are JSON for maps). */
function configOf(file: string): Record<string, unknown> {
  const c = readStackFile(file, "pillar").config;
  return Object.fromEntries(
    Object.entries(c).map(([k, v]) => {
      try {
        return [k, JSON.parse(v)];
      } catch {
        return [k, v];
      }
    }),
  );
}

function tmpFile(text: string, name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pillar-salt-"));
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

function importProblems(inputs: SaltInput[], opts: { provider?: string } = {}): string[] {
  try {
    importSalt(inputs, { stack: "prod", ...opts });
  } catch (err) {
    assert.ok(err instanceof SaltImportError, String(err));
    return err.problems.map((p) => p.message);
  }
  assert.fail("expected the import to fail");
}

/** `npm run import -- ARGS`: npm runs it in the project's directory. */
function runImport(...args: string[]) {
  return spawnSync(
    process.execPath,
    ["--import", "tsx", path.join(PROJECT_ROOT, "scripts", "import.ts"), ...args],
    {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
    },
  );
}

describe("npm run import: Salt files → a stack file", () => {
  describe("round trip: the repository's seed-derived Salt files reproduce Pulumi.prod.yaml", () => {
    it("gives exactly Pulumi.prod.yaml's config, plus the verbatim names adoption needs", () => {
      const r = importSalt(seedInputs(), { stack: "prod" });
      const prod = configOf(path.join(PROJECT_ROOT, "Pulumi.prod.yaml"));
      const { "pulumi:autonaming": autonaming, ...rest } = r.config;
      assert.deepEqual(rest, prod);
      assert.deepEqual(autonaming, VERBATIM_AUTONAMING);
      // The keys in the order a stack file lists them.
      assert.deepEqual(Object.keys(r.config), [
        "aws:region",
        "pulumi:autonaming",
        ...Object.keys(prod).filter((k) => k !== "aws:region"),
      ]);
    });

    it("with --autonaming default, exactly Pulumi.prod.yaml's config", () => {
      const r = importSalt(seedInputs(), { stack: "prod", autonaming: "default" });
      assert.deepEqual(r.config, configOf(path.join(PROJECT_ROOT, "Pulumi.prod.yaml")));
    });

    it("writes the file through the CLI, without the credentials, and it plans", function () {
      this.timeout(180_000);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pillar-import-"));
      const out = path.join(dir, "Pulumi.prod.yaml");
      const r = runImport(
        "--stack",
        "prod",
        "--out",
        out,
        "--salt-dir",
        path.join(SEED, "etc", "salt"),
        "--pillar",
        path.join(SEED, "pillar.json"),
      );
      assert.equal(r.status, 0, r.stderr);
      const text = fs.readFileSync(out, "utf8");
      // The fixtures hold AWS's documented example keys, in the provider file and the pillar.
      assert.doesNotMatch(text, /AKIAIOSFODNN7EXAMPLE|wJalrXUtnFEMI/);
      assert.doesNotMatch(r.stdout, /AKIAIOSFODNN7EXAMPLE|wJalrXUtnFEMI/);
      const { "pulumi:autonaming": _a, ...rest } = configOf(out);
      void _a;
      assert.deepEqual(rest, configOf(path.join(PROJECT_ROOT, "Pulumi.prod.yaml")));
      assert.match(text, /^# Imported from Salt by `npm run import`, from:\n/);
      // The loader takes it as index.ts would.
      const { values, secretKeys } = pillarValues(readStackFile(out, "pillar").config, () => false);
      const model = loadStackConfig({
        project: "pillar",
        stack: "prod",
        values,
        secretKeys,
        awsRegion: "us-east-1",
      });
      assert.deepEqual(
        model.securityGroups.map((g) => g.name),
        ["webhost", "mongodb"],
      );
      // The report: the credentials' commands, and where to go next.
      assert.match(
        r.stdout,
        /\n {4}pulumi config set --stack prod --secret --path 'pillar:cloud\.aws_provider\.id'\n {4}pulumi config set --stack prod --secret --path 'pillar:cloud\.aws_provider\.key'\n/,
      );
      assert.match(
        r.stdout,
        /pulumi config set --stack prod --path 'pillar:cloud\.aws_provider\.profile' NAME/,
      );
      assert.ok(
        r.stdout.endsWith(`\nNext: npm run plan -- --stack-file ${path.relative(PROJECT_ROOT, out)}\n`),
        r.stdout.slice(-200),
      );
      // It plans: no config error, no mandatory policy violation, nothing the provider would refuse;
      // under the verbatim names the seed's resources keep their names.
      const planned = runPlan("--stack-file", out);
      assert.equal(planned.code, 0, planned.stderr + planned.stdout.slice(-2000));
      assert.match(planned.stdout, /aws:ec2:SecurityGroup\s+webhost\n/);
      assert.match(planned.stdout, /aws:elb:LoadBalancer\s+MY-ELB\n/);
      assert.match(planned.stdout, /aws:autoscaling:Group\s+app-hosts\n/);
      // A second run does not overwrite it.
      const again = runImport("--stack", "prod", "--out", out, "--salt-dir", path.join(SEED, "etc", "salt"));
      assert.equal(again.status, 2);
      assert.equal(
        again.stderr,
        `error: ${out} exists; give --force to replace it, or --out another file\n\nNothing was written.\n`,
      );
    });
  });

  describe("the report: every Salt option, mapped to what, ignored and why", () => {
    const r = importSalt(seedInputs(), { stack: "prod" });
    const entry = (option: string, file?: string) => {
      const found = r.entries.filter(
        (e) => e.option === option && (file === undefined || e.file.endsWith(file)),
      );
      assert.equal(found.length, 1, `${option}: ${JSON.stringify(found)}`);
      return found[0]!;
    };

    it("maps each option with the README's note for it", () => {
      assert.deepEqual(entry("aws_provider.delete_sshkeys"), {
        file: path.join(SEED, "etc/salt/cloud.providers.d/aws.conf"),
        option: "aws_provider.delete_sshkeys",
        action: "mapped",
        pillar: "pillar:cloud.aws_provider.delete_sshkeys",
        note: "accepted and ignored: it deletes keys on the Salt master; there is no AWS side",
      });
      assert.deepEqual(entry("aws.security_groups[1].rules[0].cidr_ip"), {
        file: path.join(SEED, "pillar.json"),
        option: "aws.security_groups[1].rules[0].cidr_ip",
        action: "mapped",
        pillar: "pillar:security_groups[1].rules[0].cidr_ip",
        note: "a CIDR, a list, or the name of another group (even a later one, itself, or default); one rule resource per source",
      });
      assert.equal(
        entry("mongodb-server.securitygroup").pillar,
        'pillar:profiles["mongodb-server"].security_groups',
      );
      assert.equal(entry("mongodb-server.securitygroup").action, "rewritten");
    });

    it("reports every option of every file: none is dropped silently", () => {
      // Every leaf of the pillar's aws: sections, and every top-level key elsewhere, has an entry.
      const pillar = JSON.parse(fs.readFileSync(path.join(SEED, "pillar.json"), "utf8")).local as Record<
        string,
        unknown
      >;
      const leaves: string[] = [];
      const walk = (v: unknown, at: string) => {
        if (Array.isArray(v) && v.some((x) => x !== null && typeof x === "object"))
          v.forEach((x, i) => walk(x, `${at}[${i}]`));
        else if (v !== null && typeof v === "object" && !Array.isArray(v) && !/grains|dimensions/.test(at))
          for (const [k, x] of Object.entries(v))
            walk(x, at ? (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `${at}.${k}` : `${at}["${k}"]`) : k);
        else leaves.push(at);
      };
      walk(pillar.aws, "aws");
      const options = new Set(r.entries.map((e) => e.option));
      const covered = (leaf: string) =>
        [...options].some((o) => leaf === o || leaf.startsWith(`${o}.`) || leaf.startsWith(`${o}[`));
      assert.deepEqual(
        leaves.filter((l) => !covered(l)),
        [],
      );
      assert.ok(options.has("mongodb") && options.has("users"));
    });

    it("keeps credentials out and says how to store them", () => {
      assert.deepEqual(
        r.entries.filter((e) => e.action === "credential").map((e) => [e.option, e.pillar ?? null]),
        [
          ["aws_provider.id", "pillar:cloud.aws_provider.id"],
          ["aws_provider.key", "pillar:cloud.aws_provider.key"],
          ["aws.key", null],
          ["aws.secret_key", null],
        ],
      );
      assert.deepEqual(r.secretCommands, [
        "pulumi config set --stack prod --secret --path 'pillar:cloud.aws_provider.id'",
        "pulumi config set --stack prod --secret --path 'pillar:cloud.aws_provider.key'",
      ]);
      assert.doesNotMatch(JSON.stringify(r.config), /AKIA|EXAMPLEKEY/);
    });

    it("derives pillar:network from the groups' VPC and the subnets the ELB, groups and profiles use, and says so", () => {
      assert.deepEqual(r.config["pillar:network"], {
        vpc_id: "vpc-1234567",
        public_subnets: ["subnet-0a1b2c31", "subnet-0a1b2c32", "subnet-0a1b2c33"],
        private_subnets: ["subnet-0d4e5f61"],
      });
      assert.deepEqual(entry("pillar:network"), {
        file: "",
        option: "pillar:network",
        action: "derived",
        pillar: "pillar:network",
        note: "Salt has no network key; derived from what the pillar says: vpc_id vpc-1234567 from security_groups[].vpc_id; public_subnets from the ELB's subnets (subnet-0a1b2c31, subnet-0a1b2c32, subnet-0a1b2c33); private_subnets from the profiles' subnetid and the autoscale groups' subnets the ELB does not use (subnet-0d4e5f61). Check the tiers: a subnet listed as public must route to an internet gateway",
      });
    });

    it("rewrites what Salt wrote in another form: subscription ARNs to their topics, the reactor's tag to a profile", () => {
      assert.deepEqual(entry("aws.cloudwatch.alarms[0].attributes.alarm_actions[0]"), {
        file: path.join(SEED, "pillar.json"),
        option: "aws.cloudwatch.alarms[0].attributes.alarm_actions[0]",
        action: "rewritten",
        pillar: "pillar:cloudwatch.alarms[0].attributes.alarm_actions[0]",
        note: "an SNS subscription ARN: CloudWatch notifies topics, so its topic arn:aws:sns:us-east-1:123456789012:alert_salt_web_scale_up",
      });
      assert.deepEqual(
        r.entries.filter((e) => e.option === "reactor").map((e) => [e.action, e.pillar, e.note]),
        [
          [
            "derived",
            "pillar:autoscale.groups[0].reactor_profile",
            'group app-hosts → reactor profile "web", the only one the reactor: hooks use',
          ],
        ],
      );
    });

    it("says why a master option is left out", () => {
      assert.deepEqual(
        r.entries.filter((e) => e.file.endsWith("etc/salt/master")).map((e) => [e.option, e.action, e.note]),
        [
          ["interface", "ignored", "a Salt master setting, not part of the tier: it stays on the master"],
          ["file_roots", "ignored", "a Salt master setting, not part of the tier: it stays on the master"],
          ["pillar_roots", "ignored", "a Salt master setting, not part of the tier: it stays on the master"],
          [
            "rest_cherrypy",
            "ignored",
            "salt-api, which received the SNS webhooks: the reactor Lambda subscribes to SNS itself; retire it after cutover",
          ],
          [
            "smtp.host",
            "ignored",
            "not needed: the program subscribes the Lambda itself (the seed mailed the SubscribeURL to confirm it by hand)",
          ],
          [
            "smtp.tls",
            "ignored",
            "not needed: the program subscribes the Lambda itself (the seed mailed the SubscribeURL to confirm it by hand)",
          ],
        ],
      );
    });

    it("has nothing left to decide for the seed's own files", () => {
      assert.deepEqual(
        r.entries.filter((e) => e.action === "decide"),
        [],
      );
    });
  });

  describe("the seed's snippets as the article writes them", () => {
    it("refuses the article's provider file, which is a Jinja template, naming the line and what to give instead", () => {
      assert.deepEqual(
        importProblems([{ kind: "cloud-providers", path: path.join(AS_WRITTEN, "cloud.providers.conf") }]),
        [
          `${path.join(AS_WRITTEN, "cloud.providers.conf")}: a template, not the file Salt reads: Jinja (line 4: master: {{ salt_master_domain }}); salt-cloud reads this file as plain YAML, so a state renders this template when it deploys the file: import the file as deployed (/etc/salt/cloud.providers.d/*.conf)`,
        ],
      );
    });

    it("imports the pillar, profile and master snippets with only the article's placeholders left to decide", () => {
      const r = importSalt(
        [
          { kind: "cloud-profiles", path: path.join(AS_WRITTEN, "cloud.profiles.conf") },
          { kind: "master", path: path.join(AS_WRITTEN, "master.conf") },
          { kind: "pillar", path: path.join(AS_WRITTEN, "pillar.sls") },
        ],
        { stack: "seed" },
      );
      const decide = r.entries.filter((e) => e.action === "decide").map((e) => `${e.pillar}: ${e.note}`);
      assert.deepEqual(decide, [
        "pillar:cloud.aws_provider.minion.master: the Salt master's address new minions connect to: no file given says it (the provider file's minion.master does); set it",
        'pillar:profiles["mongodb-server"].image: "ami-<some_id>" is a placeholder: put the real value',
        'pillar:profiles["mongodb-server"].subnetid: "subnet-<some_id>" is a placeholder: put the real value',
        'pillar:elb.listeners[0].certificate: "arn:aws:iam::<your_account_number>:server-certificate/<your_certificate_name>" is a placeholder: put the real value',
        'pillar:elb.subnets[0]: "subnet-<vpc_subnet1>" is a placeholder: put the real value',
        'pillar:elb.subnets[1]: "subnet-<vpc_subnet2>" is a placeholder: put the real value',
        'pillar:elb.subnets[2]: "subnet-<vpc_subnet3>" is a placeholder: put the real value',
        'pillar:autoscale.groups[0].vpc_zone_identifiers[0]: "subnet-<vpc_subnet1>" is a placeholder: put the real value',
        'pillar:autoscale.groups[0].vpc_zone_identifiers[1]: "subnet-<vpc_subnet2>" is a placeholder: put the real value',
        'pillar:autoscale.groups[0].vpc_zone_identifiers[2]: "subnet-<vpc_subnet3>" is a placeholder: put the real value',
        'pillar:cloudwatch.alarms[0].attributes.alarm_actions[0]: "arn:aws:sns:us-east-1:<account_id>:alert_salt_web_scale_up" is a placeholder: put the real value',
        'pillar:cloudwatch.alarms[1].attributes.alarm_actions[0]: "arn:aws:sns:us-east-1:<account_id>:alert_salt_php_scale_down" is a placeholder: put the real value',
      ]);
      // YAML 1.1, as Salt reads it: the article's `True` is a boolean.
      assert.equal(
        (r.config["pillar:elb"] as Record<string, Record<string, Record<string, unknown>>>).attributes!
          .cross_zone_load_balancing!.enabled,
        true,
      );
      // The stack's config errors are exactly those placeholders: nothing else is left to the user.
      const { values, secretKeys } = pillarValues(
        Object.fromEntries(
          Object.entries(r.config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
        ),
        () => false,
      );
      let issues: readonly { path: string }[] = [];
      try {
        loadStackConfig({ project: "pillar", stack: "seed", values, secretKeys, awsRegion: "us-east-1" });
      } catch (err) {
        assert.ok(err instanceof ConfigError);
        issues = err.issues;
      }
      const decided = r.entries.filter((e) => e.action === "decide").map((e) => e.pillar!);
      assert.ok(issues.length > 0);
      for (const i of issues)
        assert.ok(
          decided.some((d) => d === i.path || d.startsWith(`${i.path}.`)) ||
            i.path === "pillar:ec2.autoscale.web.minion",
          `${i.path} is not among the placeholders and decisions the import listed`,
        );
    });
  });

  describe("Salt's shapes", () => {
    it("reads salt-run pillar.show_pillar's bare pillar, and plain YAML pillar files merged as Salt merges them", () => {
      const show = tmpFile(
        JSON.stringify({
          aws: { security_groups: [{ name: "web", description: "d", vpc_id: "vpc-1234567", rules: [] }] },
        }),
        "show.json",
      );
      const extra = tmpFile(
        "#!yaml\naws:\n  security_groups:\n    - name: web\n      description: later wins\n      vpc_id: vpc-1234567\n      rules: []\n",
        "extra.sls",
      );
      const r = importSalt(
        [
          { kind: "pillar", path: show },
          { kind: "pillar", path: extra },
        ],
        { stack: "s" },
      );
      assert.deepEqual(r.config["pillar:security_groups"], [
        { name: "web", description: "later wins", vpc_id: "vpc-1234567", rules: [] },
      ]);
      assert.deepEqual(r.config["pillar:network"], { vpc_id: "vpc-1234567" });
    });

    it("takes sections at the top of the pillar too, and boto_secgroup's source_group_name as a group name", () => {
      const f = tmpFile(
        YAML.stringify({
          security_groups: [
            {
              name: "db",
              description: "d",
              vpc_id: "vpc-1234567",
              rules: [{ ip_protocol: "tcp", from_port: 5432, to_port: 5432, source_group_name: "web" }],
            },
            { name: "web", description: "w", vpc_id: "vpc-1234567", rules: [] },
          ],
        }),
        "top.sls",
      );
      const r = importSalt([{ kind: "pillar", path: f }], { stack: "s" });
      assert.deepEqual((r.config["pillar:security_groups"] as { rules: unknown[] }[])[0]!.rules, [
        { ip_protocol: "tcp", from_port: 5432, to_port: 5432, cidr_ip: "web" },
      ]);
      assert.equal(
        r.entries.find((e) => e.option === "security_groups[0].rules[0].source_group_name")!.action,
        "rewritten",
      );
    });

    it("takes a launch_config written as one map, as some pillars do, in boto_asg's list form", () => {
      const f = tmpFile(
        JSON.stringify({
          aws: {
            autoscale: {
              groups: [
                {
                  name: "g",
                  min_size: 1,
                  max_size: 2,
                  vpc_zone_identifiers: ["subnet-0a1b2c31"],
                  launch_config: { name: "web", instance_type: "t3.small", key_name: "k" },
                },
              ],
            },
          },
        }),
        "pillar.json",
      );
      const r = importSalt([{ kind: "pillar", path: f }], { stack: "s" });
      const group = (r.config["pillar:autoscale"] as { groups: Record<string, unknown>[] }).groups[0]!;
      assert.equal(group.launch_config_name, "web");
      assert.deepEqual(group.launch_config, [{ instance_type: "t3.small" }, { key_name: "k" }]);
    });

    it("reads driver: and location:, extends, provider defaults and the instance role's credentials as salt-cloud does", () => {
      const providers = tmpFile(
        "my-ec2:\n  driver: ec2\n  location: eu-west-1\n  id: use-instance-role-credentials\n  key: use-instance-role-credentials\n  securitygroup: web\n  image: ami-0abc1234\n  script: bootstrap-salt\n",
        "ec2.conf",
      );
      const profiles = tmpFile(
        "base:\n  provider: my-ec2:ec2\n  size: t3.small\n  grains: {env: prod}\nworker:\n  extends: base\n  size: t3.large\n  subnetid: subnet-0d4e5f61\n",
        "profiles.conf",
      );
      const r = importSalt(
        [
          { kind: "cloud-providers", path: providers },
          { kind: "cloud-profiles", path: profiles },
        ],
        { stack: "s" },
      );
      assert.deepEqual(r.config["pillar:cloud"], { "my-ec2": { provider: "ec2", region: "eu-west-1" } });
      assert.equal(r.config["aws:region"], "eu-west-1");
      assert.deepEqual((r.config["pillar:profiles"] as Record<string, unknown>).worker, {
        provider: "my-ec2",
        size: "t3.large",
        grains: { env: "prod" },
        subnetid: "subnet-0d4e5f61",
        image: "ami-0abc1234",
        security_groups: ["web"],
      });
      assert.deepEqual(r.secretCommands, []);
      assert.equal(r.entries.find((e) => e.option === "my-ec2.id")!.action, "ignored");
      assert.equal(
        r.entries.find((e) => e.option === "my-ec2.script")!.note,
        "salt-cloud's bootstrap script over SSH; pillar bootstraps with SSM Run Command (the reactor profile's bootstrap)",
      );
    });

    it("takes only the profiles salt-cloud --list-profiles lists, and needs their files for the settings", () => {
      const profiles = tmpFile(
        "a:\n  provider: p\n  size: t3.small\nb:\n  provider: p\n  size: t3.small\n",
        "profiles.conf",
      );
      const list = tmpFile(JSON.stringify({ a: { p: {} }, c: { p: {} } }), "list.json");
      assert.deepEqual(
        importProblems([
          { kind: "cloud-profiles", path: profiles },
          { kind: "list-profiles", path: list },
        ]),
        [
          `${list}: c: salt-cloud lists this profile (provider p), but no profile file given defines it: --list-profiles prints names only, so give the profile's file (cloud.profiles.d/*.conf) too`,
        ],
      );
      const ok = tmpFile(JSON.stringify({ a: { p: {} } }), "list.json");
      const r = importSalt(
        [
          { kind: "cloud-profiles", path: profiles },
          { kind: "list-profiles", path: ok },
        ],
        { stack: "s" },
      );
      assert.deepEqual(Object.keys(r.config["pillar:profiles"] as object), ["a"]);
    });
  });

  describe("bad input: a clear error naming the file and key, and nothing written", () => {
    it("a file that is neither YAML nor JSON", () => {
      const broken = tmpFile("security_groups:\n  - name: web\n   description: bad indent\n", "broken.sls");
      const binary = tmpFile("\u0000\u0001\u0002", "pillar.bin");
      const json = tmpFile('{"local": {"aws": ', "pillar.json");
      const problems = importProblems([
        { kind: "pillar", path: broken },
        { kind: "pillar", path: binary },
        { kind: "pillar", path: json },
      ]);
      assert.equal(problems.length, 3);
      assert.equal(
        problems[0],
        `${broken}: not YAML or JSON: Sequence item without - indicator at line 3, column 1`,
      );
      assert.equal(problems[1], `${binary}: not YAML or JSON: the file is binary (it contains NUL bytes)`);
      assert.match(problems[2]!, new RegExp(`^${json.replace(/[.]/g, "\\.")}: not YAML or JSON: `));
    });

    it("a pillar with no section pillar recognises", () => {
      const f = tmpFile(JSON.stringify({ local: { mongodb: { version: "3.0" }, users: {} } }), "pillar.json");
      assert.deepEqual(importProblems([{ kind: "pillar", path: f }]), [
        `${f}: no pillar section pillar recognises: expected security_groups, elb, autoscale, cloudwatch (at the top, or under aws: as the aws formula reads them); found the keys "mongodb", "users" (in the pillar of minion "local")`,
      ]);
    });

    it("the pillar of several minions", () => {
      const body = JSON.stringify({ aws: { elb: { name: "x" } } });
      const f = tmpFile(`{"web1": ${body}}\n{"web2": ${body}}\n`, "pillar.json");
      assert.deepEqual(importProblems([{ kind: "pillar", path: f }]), [
        `${f}: holds 2 JSON documents (the output for minions "web1", "web2"); a stack takes one minion's pillar: give the pillar as Salt renders it: \`salt-call --local pillar.items --out=json > pillar.json\` on a minion that gets this pillar, or \`salt-run pillar.show_pillar MINION --out=json > pillar.json\` on the master`,
      ]);
    });

    it("two EC2 providers, unless --provider chooses one", () => {
      const a = tmpFile("one:\n  driver: ec2\n  location: us-east-1\n", "a.conf");
      const b = tmpFile("two:\n  driver: ec2\n  location: us-east-1\nthird:\n  driver: gce\n", "b.conf");
      const inputs: SaltInput[] = [
        { kind: "cloud-providers", path: a },
        { kind: "cloud-providers", path: b },
      ];
      assert.deepEqual(importProblems(inputs), [
        `${b}: two: a second EC2 provider (the first is "one" in ${a}); a stack has one cloud provider: choose one with --provider one or --provider two`,
      ]);
      const r = importSalt(inputs, { stack: "s", provider: "two" });
      assert.deepEqual(Object.keys(r.config["pillar:cloud"] as object), ["two"]);
      assert.deepEqual(importProblems(inputs, { provider: "nope" }), [
        `${a}, ${b}: nope: --provider names no EC2 provider of these files; EC2 providers: "one", "two"`,
      ]);
    });

    it("templated pillar files: Jinja by default, other renderers by their line", () => {
      const jinja = tmpFile("aws:\n  region: {{ grains['region'] }}\n", "aws.sls");
      const py = tmpFile("#!py\ndef run():\n    return {}\n", "aws.sls");
      const gpg = tmpFile("#!yaml|gpg\naws:\n  key: |\n    -----BEGIN PGP MESSAGE-----\n", "aws.sls");
      const advice =
        "give the pillar as Salt renders it: `salt-call --local pillar.items --out=json > pillar.json` on a minion that gets this pillar, or `salt-run pillar.show_pillar MINION --out=json > pillar.json` on the master";
      assert.deepEqual(
        importProblems([
          { kind: "pillar", path: jinja },
          { kind: "pillar", path: py },
          { kind: "pillar", path: gpg },
        ]),
        [
          `${jinja}: Salt renders this file with Jinja (line 2: region: {{ grains['region'] }}) before it is data; ${advice}`,
          `${py}: Salt renders this file with the renderer "py" (line 1: #!py) before it is data; ${advice}`,
          `${gpg}: Salt renders this file with the renderer "yaml|gpg" (line 1: #!yaml|gpg) before it is data; ${advice}`,
        ],
      );
    });

    it("a key of the wrong shape, named", () => {
      const master = tmpFile(
        "reactor:\n  salt/netapi/hook/autoscale/web/up: [/srv/reactor/ec2-autoscale.sls]\n",
        "master",
      );
      const profiles = tmpFile("web: t3.small\n", "profiles.conf");
      assert.deepEqual(
        importProblems([
          { kind: "master", path: master },
          { kind: "cloud-profiles", path: profiles },
        ]),
        [
          `${profiles}: web: expected the profile's settings (a map), got the string "t3.small"`,
          `${master}: reactor: expected a list of {tag: [reactor SLS files]} maps, got a map`,
        ],
      );
    });

    it("the CLI writes nothing when the input is bad", () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pillar-import-"));
      const f = tmpFile(JSON.stringify({ local: { users: {} } }), "pillar.json");
      const r = runImport(
        "--stack",
        "prod",
        "--out",
        path.join(dir, "Pulumi.prod.yaml"),
        "--pillar",
        f,
        "--salt-dir",
        path.join(SEED, "etc", "salt"),
      );
      assert.equal(r.status, 2);
      assert.equal(
        r.stderr,
        `error: cannot import the Salt files (1 problem):\n  ${f}: no pillar section pillar recognises: expected security_groups, elb, autoscale, cloudwatch (at the top, or under aws: as the aws formula reads them); found the keys "users" (in the pillar of minion "local")\n\nNothing was written.\n`,
      );
      assert.deepEqual(fs.readdirSync(dir), []);
      const noStack = runImport("--pillar", f);
      assert.equal(noStack.status, 2);
      assert.match(noStack.stderr, /^error: --stack NAME is required/);
    });
  });
});
