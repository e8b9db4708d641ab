/**
 * `npm run analyze -- --file STATE.json`: the packs over a deployed stack's state, as `pulumi policy
 * analyze --file` runs them, spawned as a user runs it.
 */
import * as assert from "node:assert/strict";
import { planFile, runAnalyze, writeTemp } from "./harness";
import { stackExport } from "./analyzer/stateExport";
import { AWS_PROVIDER_TYPE, STACK_TYPE, TYPES } from "../provider/types";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const PROVIDER = "urn:pulumi:prod::pillar::pulumi:providers:aws::default_7_48_0";
const STACK = "urn:pulumi:prod::pillar::pulumi:pulumi:Stack::pillar-prod";
const SG = "urn:pulumi:prod::pillar::aws:ec2/securityGroup:SecurityGroup::webhost";

/** A small deployed stack, as `pulumi stack export` writes it: what went wrong after a console edit. */
function violatingExport(): object {
  const rule =
    "urn:pulumi:prod::pillar::aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::webhost-ssh";
  const lt = "urn:pulumi:prod::pillar::aws:ec2/launchTemplate:LaunchTemplate::webhost";
  const ruleProps = {
    securityGroupId: "sg-0e1b0057",
    ipProtocol: "tcp",
    fromPort: 22,
    toPort: 22,
    cidrIpv4: "0.0.0.0/0",
    description: "SSH",
  };
  const ltProps = {
    imageId: "ami-1234567",
    instanceType: "t3.small",
    metadataOptions: { httpEndpoint: "enabled", httpTokens: "optional", httpPutResponseHopLimit: 1 },
    blockDeviceMappings: [{ deviceName: "/dev/sda1", ebs: { encrypted: "true", volumeSize: 50 } }],
    monitoring: { enabled: true },
  };
  return {
    version: 3,
    deployment: {
      manifest: { time: "2026-09-01T10:00:00Z", magic: "x", version: "v3.270.0" },
      secrets_providers: { type: "service", state: {} },
      resources: [
        { urn: STACK, custom: false, type: STACK_TYPE, outputs: {} },
        {
          urn: PROVIDER,
          custom: true,
          id: "0c2b6fd8-9a51-4a42-b1f4-3b2a1f0e7d11",
          type: AWS_PROVIDER_TYPE,
          inputs: { region: "us-east-1", accessKey: { [SIG]: SECRET, ciphertext: "v1:abc:def" } },
          outputs: { region: "us-east-1", accessKey: { [SIG]: SECRET, ciphertext: "v1:abc:def" } },
        },
        {
          urn: SG,
          custom: true,
          id: "sg-0e1b0057",
          type: TYPES.ec2.SecurityGroup,
          inputs: { name: "webhost-1a2b3c4", description: "Web server security group", vpcId: "vpc-1234567" },
          outputs: {
            id: "sg-0e1b0057",
            name: "webhost-1a2b3c4",
            description: "Web server security group",
            vpcId: "vpc-1234567",
          },
          parent: STACK,
          provider: `${PROVIDER}::0c2b6fd8-9a51-4a42-b1f4-3b2a1f0e7d11`,
        },
        {
          urn: rule,
          custom: true,
          id: "sgr-0123",
          type: TYPES.vpc.SecurityGroupIngressRule,
          inputs: ruleProps,
          outputs: {
            ...ruleProps,
            id: "sgr-0123",
            arn: "arn:aws:ec2:us-east-1:123456789012:security-group-rule/sgr-0123",
          },
          parent: SG,
          dependencies: [SG],
          propertyDependencies: { securityGroupId: [SG] },
          provider: `${PROVIDER}::0c2b6fd8-9a51-4a42-b1f4-3b2a1f0e7d11`,
        },
        {
          urn: lt,
          custom: true,
          id: "lt-0a1b2c3d4e5f60718",
          type: TYPES.ec2.LaunchTemplate,
          inputs: ltProps,
          outputs: { ...ltProps, id: "lt-0a1b2c3d4e5f60718", latestVersion: 3 },
          parent: STACK,
          provider: `${PROVIDER}::0c2b6fd8-9a51-4a42-b1f4-3b2a1f0e7d11`,
        },
        {
          urn: "urn:pulumi:prod::pillar::aws:ec2/instance:Instance::old",
          custom: true,
          delete: true,
          id: "i-0123456789abcdef0",
          type: TYPES.ec2.Instance,
          inputs: { ami: "ami-1", associatePublicIpAddress: true },
          outputs: {},
        },
      ],
    },
  };
}

interface AnalyzeJson {
  project: string;
  stack: string;
  policies: {
    pack: string;
    packs: string[];
    violations: { policy: string; level: string; urn: string | null; pack: string }[];
    remediations: { policy: string; urn: string; diff: object; pack: string }[];
  };
}

describe("npm run analyze -- --file (deployed state)", function () {
  this.timeout(240_000);

  it("the prod stack, deployed as the program plans it, has no mandatory violation (exit 0)", async () => {
    const applied = await planFile(undefined, { stack: "prod", preview: false });
    const file = writeTemp(JSON.stringify(stackExport(applied.resources)), "prod-state.json");
    const r = runAnalyze("--file", file, "--json");
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as AnalyzeJson;
    assert.equal(doc.stack, "prod");
    assert.equal(doc.project, "pillar");
    assert.deepEqual(doc.policies.packs, ["pillar@v0.1.0"]);
    assert.deepEqual(
      doc.policies.violations.filter((v) => v.level === "mandatory"),
      [],
    );
    assert.deepEqual(doc.policies.remediations, []);
  });

  it("a stack edited by hand: exit 1, remediations reported but not applied, deleted resources skipped", () => {
    const file = writeTemp(JSON.stringify(violatingExport()), "state.json");
    const r = runAnalyze("--file", file);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /^warning: could not decrypt secrets in .*state\.json; analyzing with secret values redacted\n$/,
    );
    assert.match(
      r.stdout,
      /^Analyzing 5 resources of .*state\.json \(stack prod, project pillar\), offline:\n\nPolicies:\n {4}❌ pillar@v0\.1\.0 \(local: policies\)\n/,
    );
    // What `pulumi policy analyze` shows: each remediation with its diff, and the state still judged as it is.
    assert.match(
      r.stdout,
      /\n {8}- \[remediate\] {2}ec2-imdsv2-required {2}\(aws:ec2:LaunchTemplate: webhost\) \[diff: ~metadataOptions\]\n/,
    );
    assert.match(
      r.stdout,
      /- \[mandatory\] \[severity: high\] {2}ec2-imdsv2-required {2}\(aws:ec2:LaunchTemplate: webhost\)\n.*\n {10}Launch template "webhost" must require IMDSv2 \(metadataOptions\.httpTokens "required"\); it is "optional"\.\n/,
    );
    assert.match(
      r.stdout,
      /- \[mandatory\] \[severity: critical\] {2}ec2-ssh-only-from-default-group {2}\(aws:vpc:SecurityGroupIngressRule: webhost-ssh\)\n/,
    );
    assert.match(r.stdout, /\nerror: 3 mandatory policy violation\(s\) in the deployed stack\.\n$/);
    // The redacted provider key is still a secret: no credentials finding. The deleted instance is not judged.
    assert.doesNotMatch(r.stdout, /aws-provider-credentials-secret|Instance: old/);
  });

  it("runs other packs too, and its --json names each violation's pack", () => {
    const file = writeTemp(JSON.stringify(violatingExport()), "state.json");
    const r = runAnalyze(
      "--file",
      file,
      "--json",
      "--policy-pack",
      "policies",
      "--policy-pack",
      "test/analyzer/fixture-pack",
    );
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as AnalyzeJson;
    assert.deepEqual(doc.policies.packs, ["pillar@v0.1.0", "fixture@v0.1.0"]);
    assert.deepEqual(
      doc.policies.violations
        .filter((v) => v.level === "mandatory")
        .map((v) => `${v.pack} ${v.policy} ${v.urn?.split("::").pop()}`)
        .sort(),
      [
        "fixture@v0.1.0 fixture-ingress-no-world webhost-ssh",
        "fixture@v0.1.0 fixture-ssh-from-default-group webhost-ssh",
        "pillar@v0.1.0 ec2-imdsv2-required webhost",
        "pillar@v0.1.0 ec2-ingress-world-only-http-https webhost-ssh",
        "pillar@v0.1.0 ec2-ssh-only-from-default-group webhost-ssh",
      ],
    );
    assert.deepEqual(doc.policies.remediations, [
      {
        policy: "ec2-imdsv2-required",
        urn: "urn:pulumi:prod::pillar::aws:ec2/launchTemplate:LaunchTemplate::webhost",
        diff: { adds: [], deletes: [], updates: ["metadataOptions"] },
        pack: "pillar@v0.1.0",
      },
    ]);
  });

  it("refuses bad arguments and files with exit 2, naming what is wrong", () => {
    const cases: [string[], RegExp][] = [
      [[], /^error: --file is required: the state to analyze, from `pulumi stack export`\n/],
      [["--file", "/nonexistent/state.json"], /^error: could not open file: ENOENT/],
      [
        ["--file", writeTemp("{ nope", "state.json")],
        /^error: reading deployment from .*state\.json: not valid JSON: /,
      ],
      [
        ["--file", writeTemp(JSON.stringify({ resources: [] }), "state.json")],
        /^error: reading deployment from .*: expected the output of `pulumi stack export`: an object with "version" and "deployment"\n$/,
      ],
      [
        ["--file", writeTemp(JSON.stringify({ version: 9, deployment: {} }), "state.json")],
        /^error: reading deployment from .*: deployment version 9 is not supported \(1 to 3 are\)\n$/,
      ],
      [
        [
          "--file",
          writeTemp(
            JSON.stringify({ version: 3, deployment: { resources: [{ urn: "sg-1", type: "x" }] } }),
            "state.json",
          ),
        ],
        /^error: .*state\.json: deployment\.resources\[0\]: the resource has an invalid URN "sg-1"\n$/,
      ],
      [
        ["--file", "x.json", "--policy-pack", "no-such-pack"],
        /^error: --policy-pack no-such-pack: no policy pack there/,
      ],
    ];
    for (const [args, stderr] of cases) {
      const r = runAnalyze(...args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, stderr);
      assert.equal(r.stdout, "");
    }
  });

  it("says so, with exit 0, when the state has no resources", () => {
    const r = runAnalyze(
      "--file",
      writeTemp(JSON.stringify({ version: 3, deployment: { resources: [] } }), "empty.json"),
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^File .*empty\.json has no resources; nothing to analyze\.\n$/);
  });
});
