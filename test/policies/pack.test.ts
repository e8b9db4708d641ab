// The pack as a whole: naming conventions, and the pack process the way `pulumi preview
// --policy-pack policies` (and the offline plan) runs it — spawned in policies/, first stdout line
// a port, then gRPC.

import * as assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";
import * as grpc from "@grpc/grpc-js";
import * as emptypb from "google-protobuf/google/protobuf/empty_pb";
import * as structpb from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { allPolicies } from "../../policies/all";
import { UNKNOWN_SENTINELS } from "../../policies/values";
import { AWS_PROVIDER_TYPE, TYPES } from "../../provider/types";

const ROOT = path.resolve(__dirname, "../..");

const REMEDIATE = ["ec2-imdsv2-required", "ec2-ebs-encrypted"];
const MANDATORY = [
  "ec2-ssh-only-from-default-group",
  "ec2-ingress-world-only-http-https",
  "ec2-launch-configurations-forbidden",
  "ec2-launch-template-in-stack",
  "ec2-instance-behind-load-balancer-no-public-ip",
  "ec2-user-data-no-secrets",
  "autoscaling-group-capacity-ordered",
  "autoscaling-group-multi-subnet",
  "cloudwatch-alarm-actions-present",
  "cloudwatch-scale-up-alarm-has-scale-down",
  "lambda-function-runtime-supported",
  "lambda-function-failure-destination",
  "lambda-function-not-public",
  "sns-topic-not-public",
  "aws-provider-credentials-secret",
  "ec2-stateful-instance-protected",
];
const ADVISORY = [
  "elb-https-listener-certificate",
  "elb-listener-tls-policy-current",
  "elb-ssl-negotiation-policy-current",
  "elb-http-listener-redirects-to-https",
  "elb-access-logs-enabled",
  "elb-cross-zone-enabled",
  "alb-listener-tls-policy-current",
  "alb-drop-invalid-header-fields",
  "alb-access-logs-enabled",
  "alb-deletion-protection-enabled",
  "alb-targets-only-through-load-balancer",
  "ec2-security-group-descriptions-present",
  "ec2-egress-world-not-all-ports",
  "ec2-instance-not-in-default-group",
  "ec2-instance-behind-load-balancer-public-ip-default",
  "ec2-imds-hop-limit-one",
  "ec2-detailed-monitoring-enabled",
  "autoscaling-group-elb-health-check",
  "ec2-instance-type-allowed",
  "autoscaling-group-desired-capacity-ignored",
  "cloudwatch-log-group-retention-minimum",
  "lambda-function-tracing-enabled",
  "sns-alarm-topic-has-subscription",
];

describe("the pillar pack", () => {
  it("names policies <service>-<subject>-<condition> and describes them as 'Checks that …'", () => {
    const names = allPolicies.map((p) => p.name);
    assert.equal(new Set(names).size, names.length, "names are unique");
    for (const p of allPolicies) {
      // alb: the prefix AWS Config gives its own ALB rules (alb-http-drop-invalid-header-enabled).
      assert.match(p.name, /^(ec2|autoscaling|cloudwatch|lambda|sns|elb|alb|aws)(-[a-z0-9]+){2,}$/, p.name);
      assert.match(p.description, /^Checks that /, p.name);
    }
  });

  it("has the mandatory and advisory policies the design asks for", () => {
    const level = (l: string) => allPolicies.filter((p) => p.enforcementLevel === l).map((p) => p.name);
    assert.deepEqual(level("remediate"), REMEDIATE);
    assert.deepEqual(level("mandatory"), MANDATORY);
    assert.deepEqual(level("advisory"), ADVISORY);
    assert.equal(REMEDIATE.length + MANDATORY.length + ADVISORY.length, allPolicies.length);
  });

  it("recognises the same unknown sentinels as @pulumi/policy", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const proxy = require("@pulumi/policy/proxy") as Record<string, unknown>;
    const sdk = Object.entries(proxy)
      .filter(([k]) => /^unknown[A-Z]\w*Value$/.test(k))
      .map(([, v]) => v);
    assert.equal(sdk.length, 7);
    assert.deepEqual(new Set(sdk), UNKNOWN_SENTINELS);
  });
});

describe("the pack process (run-policy-pack, as the CLI spawns it)", function () {
  this.timeout(60_000);
  let child: ChildProcess | undefined;
  let client: AnalyzerClient | undefined;

  before(async () => {
    // Exactly what `pulumi preview --policy-pack policies` does: node on @pulumi/pulumi's
    // run-policy-pack in the pack folder, args <engine address> ".". No tsx: run-policy-pack
    // registers (vendored) ts-node itself and type-checks the pack with the installed TypeScript.
    child = spawn(
      process.execPath,
      [path.join(ROOT, "node_modules/@pulumi/pulumi/cmd/run-policy-pack"), "127.0.0.1:0", "."],
      // NODE_OPTIONS could carry `--import tsx` from a test runner; with it ts-node would type-check tsx's output.
      {
        cwd: path.join(ROOT, "policies"),
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, NODE_OPTIONS: "" },
      },
    );
    const stderr: string[] = [];
    child.stderr?.on("data", (d: Buffer) => stderr.push(d.toString()));
    const lines = readline.createInterface({ input: child.stdout! });
    const first = await new Promise<string>((resolve, reject) => {
      lines.once("line", resolve);
      child?.once("exit", (code) => reject(new Error(`pack exited ${code}: ${stderr.join("")}`)));
    });
    assert.match(first, /^\d+$/, "first stdout line is the port");
    client = new AnalyzerClient(`127.0.0.1:${first}`, grpc.credentials.createInsecure());
  });

  after(() => {
    client?.close();
    child?.kill();
  });

  type Callback<Res> = (e: grpc.ServiceError | null, r: Res) => void;
  const settle =
    <Res>(resolve: (r: Res) => void, reject: (e: Error) => void): Callback<Res> =>
    (e, r) =>
      e ? reject(e) : resolve(r);
  const getAnalyzerInfo = () =>
    new Promise<analyzerpb.AnalyzerInfo>((res, rej) =>
      client!.getAnalyzerInfo(new emptypb.Empty(), settle(res, rej)),
    );
  const analyzeStack = (req: analyzerpb.AnalyzeStackRequest) =>
    new Promise<analyzerpb.AnalyzeResponse>((res, rej) => client!.analyzeStack(req, settle(res, rej)));
  const analyze = (req: analyzerpb.AnalyzeRequest) =>
    new Promise<analyzerpb.AnalyzeResponse>((res, rej) => client!.analyze(req, settle(res, rej)));

  const resource = (
    type: string,
    name: string,
    props: Record<string, unknown>,
    propertyDependencies: Record<string, string[]> = {},
  ): analyzerpb.AnalyzerResource => {
    const r = new analyzerpb.AnalyzerResource();
    r.setType(type);
    r.setName(name);
    r.setUrn(`urn:pulumi:prod::pillar::${type}::${name}`);
    r.setProperties(structpb.Struct.fromJavaScript(props as Record<string, structpb.JavaScriptValue>));
    r.setOptions(new analyzerpb.AnalyzerResourceOptions());
    for (const [key, urns] of Object.entries(propertyDependencies)) {
      const deps = new analyzerpb.AnalyzerPropertyDependencies();
      deps.setUrnsList(urns);
      r.getPropertydependenciesMap().set(key, deps);
    }
    r.setDependenciesList(Object.values(propertyDependencies).flat());
    return r;
  };

  it("reports the pack and its policies with their enforcement levels", async () => {
    const info = await getAnalyzerInfo();
    assert.equal(info.getName(), "pillar");
    const levels = info.getPoliciesList().map((p) => [p.getName(), p.getEnforcementlevel()]);
    const expected = new Map<string, number>([
      ...REMEDIATE.map((n) => [n, analyzerpb.EnforcementLevel.REMEDIATE] as const),
      ...MANDATORY.map((n) => [n, analyzerpb.EnforcementLevel.MANDATORY] as const),
      ...ADVISORY.map((n) => [n, analyzerpb.EnforcementLevel.ADVISORY] as const),
    ]);
    assert.deepEqual(
      levels,
      allPolicies.map((p) => [p.name, expected.get(p.name)]),
    );
  });

  it("judges a stack sent over the wire: dependencies, unknown sentinels and wrapped secrets", async () => {
    const unknown = [...UNKNOWN_SENTINELS][0];
    const secret = (value: string) => ({
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      value,
    });
    const sg = TYPES.ec2.SecurityGroup;
    const rule = TYPES.vpc.SecurityGroupIngressRule;
    const req = new analyzerpb.AnalyzeStackRequest();
    req.setResourcesList([
      resource(AWS_PROVIDER_TYPE, "secret-keys", {
        region: "us-east-1",
        accessKey: secret("AKIA"),
        secretKey: secret("s"),
      }),
      resource(AWS_PROVIDER_TYPE, "plain-keys", { region: "us-east-1", accessKey: "AKIA" }),
      resource(TYPES.ec2.DefaultSecurityGroup, "prod-default", { vpcId: unknown }),
      resource(sg, "webhost", { description: "Web server security group", vpcId: unknown }),
      resource(
        rule,
        "webhost-ssh-default",
        {
          securityGroupId: unknown,
          ipProtocol: "tcp",
          fromPort: 22,
          toPort: 22,
          referencedSecurityGroupId: unknown,
        },
        {
          securityGroupId: [`urn:pulumi:prod::pillar::${sg}::webhost`],
          referencedSecurityGroupId: [
            "urn:pulumi:prod::pillar::aws:ec2/defaultSecurityGroup:DefaultSecurityGroup::prod-default",
          ],
        },
      ),
      resource(
        rule,
        "webhost-ssh-webhost",
        {
          securityGroupId: unknown,
          ipProtocol: "tcp",
          fromPort: 22,
          toPort: 22,
          referencedSecurityGroupId: unknown,
        },
        { referencedSecurityGroupId: [`urn:pulumi:prod::pillar::${sg}::webhost`] },
      ),
    ]);
    const res = await analyzeStack(req);
    const found = res
      .getDiagnosticsList()
      .map((d) => [d.getPolicyname(), d.getUrn(), d.getMessage().split("\n")[1]]);
    assert.deepEqual(found, [
      [
        "ec2-ssh-only-from-default-group",
        `urn:pulumi:prod::pillar::${rule}::webhost-ssh-webhost`,
        `Ingress rule "webhost-ssh-webhost" must allow SSH (tcp 22) only from the default security group; it allows tcp 22 from security group "webhost".`,
      ],
      [
        "aws-provider-credentials-secret",
        "urn:pulumi:prod::pillar::pulumi:providers:aws::plain-keys",
        `AWS provider "plain-keys" must receive accessKey only as a Pulumi secret; it is plaintext.`,
      ],
    ]);
  });

  it("reports an unknown deciding value as a mandatory violation, not an advisory 'can't run'", async () => {
    const req = new analyzerpb.AnalyzeRequest();
    req.setType(TYPES.ec2.LaunchTemplate);
    req.setName("webhost");
    req.setUrn("urn:pulumi:prod::pillar::aws:ec2/launchTemplate:LaunchTemplate::webhost");
    req.setProperties(
      structpb.Struct.fromJavaScript({
        instanceType: "t3.small",
        metadataOptions: { httpTokens: [...UNKNOWN_SENTINELS][0] ?? "" },
        blockDeviceMappings: [{ deviceName: "/dev/sda1", ebs: { encrypted: "true", volumeSize: 50 } }],
      }),
    );
    req.setOptions(new analyzerpb.AnalyzerResourceOptions());
    const res = await analyze(req);
    const found = res
      .getDiagnosticsList()
      .filter((d) => d.getEnforcementlevel() !== analyzerpb.EnforcementLevel.ADVISORY)
      .map((d) => [d.getPolicyname(), d.getEnforcementlevel(), d.getMessage().split("\n")[1]]);
    assert.deepEqual(found, [
      [
        "ec2-imdsv2-required",
        analyzerpb.EnforcementLevel.MANDATORY,
        `Launch template "webhost" must require IMDSv2 (metadataOptions.httpTokens "required"); cannot be verified at preview: httpTokens is unknown.`,
      ],
    ]);
  });
});
