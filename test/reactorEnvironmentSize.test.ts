/**
 * The reactor Lambda's environment against AWS's 4 KB: every reacting group adds its topic's ARN
 * (unknown at preview) and its entry, so config sizes the environment as it will be and refuses a
 * stack whose function AWS would refuse at `pulumi up`, before anything is registered.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { devStack, withAutoscaleGroups } from "../bench/plan";
import { partitionOf } from "../components/arn";
import { StackModel } from "../config/model";
import { REACTOR_PARTITIONS, reactorEnvironmentSize } from "../config/providerLimits";
import { parseEnvironment } from "../reactor/contract";
import { checkProvider } from "../provider/rules";
import { environmentBytes } from "../provider/rules/lambda";
import { TYPES } from "../provider/types";
import { RecordedResource } from "../scripts/lib/record";
import { issuesOf, load, seedValues } from "./configHelpers";
import { planFile, runPlan, writeTemp } from "./harness";
import { PROJECT_ROOT } from "../scripts/lib/planner";

type Stack = Record<string, unknown>;

/** The dev stack with `added` more reacting groups (bench/plan.ts), in `region`. */
function devWith(added: number, region = "us-east-1"): Stack {
  const config = withAutoscaleGroups(devStack(), added);
  const cloud = config["pillar:cloud"] as { aws_provider: Record<string, unknown> };
  return {
    ...config,
    "aws:region": region,
    "pillar:cloud": { aws_provider: { ...cloud.aws_provider, region } },
  };
}

/** The dev stack with `count` more reactor profiles, each with a grain of `length` characters. */
function devWithProfiles(count: number, length: number): Stack {
  const config = devStack();
  const ec2 = config["pillar:ec2.autoscale"] as Record<string, unknown>;
  const profiles = Object.fromEntries(
    Array.from({ length: count }, (_, i) => [`p${i}`, { grains: { roles: "r".repeat(length) } }]),
  );
  return { ...config, "pillar:ec2.autoscale": { ...ec2, ...profiles } };
}

const values = (config: Stack) =>
  Object.fromEntries(
    Object.entries(config)
      .filter(([k]) => k.startsWith("pillar:"))
      .map(([k, v]) => [k.slice("pillar:".length), v]),
  );
const modelOf = (config: Stack) =>
  load(values(config), { stack: "dev", awsRegion: config["aws:region"] as string });
/** A stack file named for the dev stack, so its physical names (`pillar-dev-…`) are dev's. */
const stackFile = (config: Stack) =>
  writeTemp(YAML.stringify({ config }, { aliasDuplicateObjects: false }), "Pulumi.dev.yaml");

/** The reactor's environment as the plan records it once the topics exist (update mode: fake ARNs). */
async function plannedEnvironment(
  config: Stack,
): Promise<{ fn: RecordedResource; resources: RecordedResource[] }> {
  const plan = await planFile(stackFile(config), { stack: "dev", preview: false });
  return { fn: plan.get(TYPES.lambda.Function, "reactor"), resources: plan.resources };
}
const variablesOf = (fn: RecordedResource) =>
  (fn.wireInputs.environment as { variables: Record<string, unknown> }).variables;

const refused = (bytes: number, groups: number, perGroup: number, fit: number) =>
  `pillar:autoscale.groups: the reactor Lambda's environment variables would be ${bytes} bytes, over the 4096 (4 KB) AWS allows a function: AWS would refuse the function at pulumi up, after much of the stack is created. Each of the stack's ${groups} reacting groups (those with a reactor profile) adds its notification topic's ARN and its entry, about ${perGroup} bytes a group here, and only the first ${fit} fit: give fewer groups a reactor profile (another stack has a reactor of its own), or shorten the group names (each is in its topic's ARN, its Auto Scaling group's name and its entry)`;

describe("the reactor's environment against AWS's 4 KB", function () {
  this.timeout(300_000);

  it("sizes the environment exactly as the program writes it, topic ARNs included (prod, dev, 28 groups, China)", async () => {
    const same = (fn: RecordedResource, model: StackModel) => {
      const planned = variablesOf(fn);
      const estimate = reactorEnvironmentSize(model)!;
      // The plan's fake account is another 12 digits: every value but the ARNs' account is the same.
      assert.deepEqual(
        Object.fromEntries(
          Object.entries(planned).map(([k, v]) => [k, String(v).replaceAll("123456789012", "000000000000")]),
        ),
        estimate.variables,
      );
      assert.deepEqual(environmentBytes(planned), { bytes: estimate.bytes, complete: true });
    };
    for (const config of [devStack(), devWith(27), devWith(26, "cn-north-1")])
      same((await plannedEnvironment(config)).fn, modelOf(config));
    // prod: a Salt bootstrap (its document's auto-name in the profiles) and its own group names.
    const prod = await planFile(undefined, { stack: "prod", preview: false });
    same(prod.get(TYPES.lambda.Function, "reactor"), load(seedValues("prod"), { stack: "prod" }));
  });

  it("at 28 reacting groups in us-east-1 the stack plans clean; at 29 config refuses it and plans nothing", () => {
    // dev's own group and 27 more: 4029 bytes.
    assert.equal(reactorEnvironmentSize(modelOf(devWith(27)))!.bytes, 4029);
    const fits = runPlan("--stack-file", stackFile(devWith(27)));
    assert.equal(fits.code, 0, fits.stderr.slice(0, 4000));
    assert.match(
      fits.stdout,
      /\nProvider checks: the AWS provider and AWS would accept every resource \(\d+ rules over \d+ resources\)\.\n/,
    );
    const over = refused(4161, 29, 131, 28);
    assert.deepEqual(issuesOf(values(devWith(28)), { stack: "dev" }), [over]);
    assert.ok(
      fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8").includes(`\n${over}\n`),
      "the README quotes the error",
    );
    const r = runPlan("--stack-file", stackFile(devWith(28)));
    assert.equal(r.code, 2, r.stderr || r.stdout);
    assert.equal(r.stdout, "");
    assert.equal(
      r.stderr,
      `error: invalid pillar configuration (1 problem):\n  ${over}\n\nNothing was planned.\n`,
    );
  });

  it("counts the partition and region of the stack: 28 groups fit in us-east-1, 27 in cn-north-1, 26 in us-gov-west-1", () => {
    // Each ARN is `arn:aws-cn:sns:cn-north-1:…`, 4 bytes longer than `arn:aws:sns:us-east-1:…`.
    assert.equal(reactorEnvironmentSize(modelOf(devWith(26, "cn-north-1")))!.bytes, 4005);
    const cn = devWith(27, "cn-north-1");
    assert.deepEqual(issuesOf(values(cn), { stack: "dev", awsRegion: "cn-north-1" }), [
      refused(4141, 28, 135, 27),
    ]);
    assert.equal(reactorEnvironmentSize(modelOf(devWith(25, "us-gov-west-1")))!.bytes, 4051);
    assert.deepEqual(
      issuesOf(values(devWith(26, "us-gov-west-1")), { stack: "dev", awsRegion: "us-gov-west-1" }),
      [refused(4194, 27, 142, 26)],
    );
  });

  it("says so when the reactor profiles alone fill the environment", () => {
    // 20 profiles of 200-character grains: PILLAR_PROFILES alone is over 4 KB (5112 bytes without
    // dev's one group, 133 with it).
    assert.deepEqual(issuesOf(values(devWithProfiles(20, 200)), { stack: "dev" }), [
      `pillar:autoscale.groups: the reactor Lambda's environment variables would be 5245 bytes, over the 4096 (4 KB) AWS allows a function: AWS would refuse the function at pulumi up, after much of the stack is created; its reactor profiles and settings alone are 5112 bytes (PILLAR_PROFILES holds each profile's grains and bootstrap parameters): shorten them`,
    ]);
  });

  it("says what to shorten when not one group fits beside the reactor profiles", () => {
    // 16 profiles of 190-character grains: 4000 bytes without dev's one group, 4133 with it. Fewer
    // groups cannot help; the message says to shorten the profiles or the group names.
    assert.deepEqual(issuesOf(values(devWithProfiles(16, 190)), { stack: "dev" }), [
      `pillar:autoscale.groups: the reactor Lambda's environment variables would be 4133 bytes, over the 4096 (4 KB) AWS allows a function: AWS would refuse the function at pulumi up, after much of the stack is created. The stack's one reacting group (one with a reactor profile) adds its notification topic's ARN and its entry, about 133 bytes a group here, and not one fits beside the reactor profiles and settings (4000 bytes; PILLAR_PROFILES holds each profile's grains and bootstrap parameters): shorten those, or the group names (each is in its topic's ARN, its Auto Scaling group's name and its entry)`,
    ]);
  });

  it("refuses reacting groups in a partition whose topics the reactor does not accept", () => {
    assert.deepEqual(
      issuesOf(values(devWith(0, "us-iso-east-1")), { stack: "dev", awsRegion: "us-iso-east-1" }),
      [
        "pillar:autoscale.groups: the stack's region us-iso-east-1 is in the aws-iso partition, and pillar's reactor accepts only topics of the aws, aws-cn, aws-us-gov partitions (it verifies each SNS message's topic and signing certificate by them): the stack's 1 reacting group (those with a reactor profile) would have a reactor that refuses every event; give no group a reactor profile in this region",
      ],
    );
    // The list is the reactor's own: it reads an environment with those partitions' ARNs, and no other.
    const env = (partition: string, region: string) =>
      parseEnvironment({
        ...reactorEnvironmentSize(modelOf(devStack()))!.variables,
        PILLAR_TOPIC_ARNS: JSON.stringify([`arn:${partition}:sns:${region}:123456789012:t`]),
      }).problems;
    assert.deepEqual(
      REACTOR_PARTITIONS.map((p) =>
        env(p, p === "aws-cn" ? "cn-north-1" : p === "aws" ? "us-east-1" : "us-gov-west-1"),
      ),
      [undefined, undefined, undefined],
    );
    assert.deepEqual(env("aws-iso", "us-iso-east-1"), ["PILLAR_TOPIC_ARNS[0]: is not an SNS topic ARN"]);
  });

  it("knows each region's partition, the ARN page's three and the SDKs' others", () => {
    assert.deepEqual(
      [
        "us-east-1",
        "eu-central-1",
        "il-central-1",
        "cn-north-1",
        "cn-northwest-1",
        "us-gov-west-1",
        "us-iso-east-1",
        "us-isob-east-1",
        "eu-isoe-west-1",
        "us-isof-south-1",
        "eusc-de-east-1",
      ].map(partitionOf),
      [
        "aws",
        "aws",
        "aws",
        "aws-cn",
        "aws-cn",
        "aws-us-gov",
        "aws-iso",
        "aws-iso-b",
        "aws-iso-e",
        "aws-iso-f",
        "aws-eusc",
      ],
    );
  });

  it("a known environment over 4 KB still fails the plan's provider rule, at the bytes config counts", async () => {
    const { fn, resources } = await plannedEnvironment(devWith(27));
    assert.deepEqual(
      checkProvider(resources).filter((v) => v.rule === "lambda-function-environment-size"),
      [],
    );
    // The function as it would be with a 29th group, written by hand, every variable known (as in an update).
    const planned = variablesOf(fn) as Record<string, string>;
    const variables = {
      ...planned,
      PILLAR_TOPIC_ARNS: JSON.stringify([
        ...(JSON.parse(planned.PILLAR_TOPIC_ARNS!) as string[]),
        "arn:aws:sns:us-east-1:123456789012:hosts-28-events-1a2b3c4",
      ]),
      PILLAR_GROUPS: JSON.stringify({
        ...(JSON.parse(planned.PILLAR_GROUPS!) as object),
        "pillar-dev-hosts-28": { group: "hosts-28", profile: "web" },
      }),
    };
    const bigger: RecordedResource = {
      ...fn,
      wireInputs: { ...fn.wireInputs, environment: { variables } },
    };
    assert.deepEqual(
      checkProvider([bigger])
        .filter((v) => v.rule === "lambda-function-environment-size")
        .map((v) => [v.property, v.stage, v.message]),
      [
        [
          "environment.variables",
          "apply",
          "AWS refuses environment variables of 4161 bytes: at most 4096 (4 KB)",
        ],
      ],
    );
  });
});
