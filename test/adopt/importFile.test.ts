import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  buildImportFile,
  ImportFileError,
  importFileText,
  parseImportFileText,
  PLACEHOLDER_ID,
  providerVersion,
  resolveImportUrns,
} from "../../scripts/lib/adopt/importFile";
import { adoptWarnings, planImportFile, readAdoptFile } from "../../scripts/lib/adopt/planOptions";
import { loadPlanInput, planStack, PROJECT_ROOT } from "../../scripts/lib/planner";
import { RecordedResource } from "../../scripts/lib/record";
import { importedProdStack } from "./support";
import { AWS_PROVIDER_TYPE, STACK_TYPE, TYPES } from "../../provider/types";

const AWS_VERSION = providerVersion("aws");
const GOLDEN = path.join(PROJECT_ROOT, "test", "fixtures", "adopt", "adopt.prod.json");
const STACK = "urn:pulumi:prod::pillar::pulumi:pulumi:Stack::pillar-prod";

function rec(
  type: string,
  name: string,
  parent: string | undefined,
  extra: Partial<RecordedResource> = {},
): RecordedResource {
  const parentType = parent?.split("::")[2];
  const qualified = parentType && parentType !== STACK_TYPE ? `${parentType}$${type}` : type;
  return {
    urn: `urn:pulumi:prod::pillar::${qualified}::${name}`,
    type,
    name,
    custom: !type.startsWith("pillar:") && type !== STACK_TYPE,
    ...(parent ? { parent } : {}),
    inputs: {},
    wireInputs: {},
    dependencies: [],
    propertyDependencies: {},
    outputs: {},
    options: {
      protect: false,
      ignoreChanges: [],
      deleteBeforeReplace: false,
      retainOnDelete: false,
      aliases: [],
      additionalSecretOutputs: [],
    },
    ...extra,
  };
}

async function plan(stackFile: string, imports?: ReadonlyMap<string, string>) {
  delete require.cache[require.resolve(path.join(PROJECT_ROOT, "index.ts"))];
  return planStack(loadPlanInput({ stackFile }), imports ? { imports } : {});
}

describe("the import file, as the pulumi CLI writes and reads it", function () {
  this.timeout(60_000);

  it("encodes as Go's encoder does: struct order, omitempty, sorted maps, 4 spaces, no HTML escaping, a final newline", () => {
    const text = importFileText({
      nameTable: { z: "urn:z", a: "urn:a" },
      resources: [
        {
          type: "t:m:R",
          name: "n",
          id: PLACEHOLDER_ID,
          component: false,
          remote: false,
          inputs: { b: 1, a: { d: 2, c: "\u2028" } },
        },
        { type: "t:m:C", name: "c", component: true, inputs: {} },
      ],
    });
    assert.equal(
      text,
      '{\n    "nameTable": {\n        "a": "urn:a",\n        "z": "urn:z"\n    },\n    "resources": [\n        {\n            "type": "t:m:R",\n            "name": "n",\n            "id": "<PLACEHOLDER>",\n            "inputs": {\n                "a": {\n                    "c": "\\u2028",\n                    "d": 2\n                },\n                "b": 1\n            }\n        },\n        {\n            "type": "t:m:C",\n            "name": "c",\n            "component": true\n        }\n    ]\n}\n',
    );
  });

  it("makes names unique as pulumi preview --import-file does: the type's name, then a counter, renaming a renamed holder again", () => {
    const component = rec("pillar:autoscaling:AutoscaleGroup", "app-hosts", STACK);
    const group = rec(TYPES.autoscaling.Group, "app-hosts", component.urn);
    const clash = rec(TYPES.autoscaling.Group, "app-hostsGroup", component.urn);
    const notification = rec(TYPES.autoscaling.Notification, "app-hosts", component.urn);
    const built = buildImportFile(
      [rec(STACK_TYPE, "pillar-prod", undefined), component, group, clash, notification],
      {
        include: () => true,
        id: () => undefined,
      },
    );
    assert.deepEqual(
      built.file.resources!.map((r) => [r.name, r.logicalName ?? null, r.parent ?? null]),
      [
        ["app-hosts", null, null],
        ["app-hostsGroup2", "app-hosts", "app-hosts"],
        ["app-hostsGroup", null, "app-hosts"],
        ["app-hostsNotification", "app-hosts", "app-hosts"],
      ],
    );
    // The CLI reads them back to the URNs they came from.
    const urns = resolveImportUrns(built.file, "prod", "pillar", "test");
    assert.deepEqual([...urns.values()], [component.urn, group.urn, clash.urn, notification.urn]);
  });

  it("puts parents and providers the file does not declare in nameTable", () => {
    const component = rec("pillar:elb:LoadBalancer", "MY-ELB", STACK);
    const provider = rec(AWS_PROVIDER_TYPE, "aws_provider", STACK);
    const elb = rec(TYPES.elb.LoadBalancer, "MY-ELB", component.urn, {
      provider: `${provider.urn}::04da6b54-80e4-46f7-96ec-b56ff0331ba9`,
    });
    const built = buildImportFile([component, provider, elb], {
      include: (r) => r === elb,
      id: () => "MY-ELB",
    });
    assert.deepEqual(built.file, {
      nameTable: { "MY-ELB": component.urn, aws_provider: provider.urn },
      resources: [
        {
          type: TYPES.elb.LoadBalancer,
          name: "MY-ELBLoadBalancer",
          id: "MY-ELB",
          parent: "MY-ELB",
          provider: "aws_provider",
          version: AWS_VERSION,
          component: false,
          remote: false,
          logicalName: "MY-ELB",
        },
      ],
    });
  });

  it("reads an import file as parseImportFile does, with its errors", () => {
    const f = parseImportFileText(fs.readFileSync(GOLDEN, "utf8"), GOLDEN);
    const urns = resolveImportUrns(f, "prod", "pillar", GOLDEN);
    assert.equal(
      urns.get(f.resources!.findIndex((r) => r.name === "sg-webhost-in-tcp-22-from-default")),
      "urn:pulumi:prod::pillar::pillar:ec2:SecurityGroupGraph$aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::sg-webhost-in-tcp-22-from-default",
    );
    assert.equal(
      urns.get(f.resources!.findIndex((r) => r.name === "MY-ELBLoadBalancer")),
      "urn:pulumi:prod::pillar::pillar:elb:LoadBalancer$aws:elb/loadBalancer:LoadBalancer::MY-ELB",
    );
    assert.throws(
      () =>
        resolveImportUrns(
          {
            resources: [
              { type: TYPES.ec2.SecurityGroup, name: "web" },
              { type: "pillar:x:Y", name: "c", component: true, id: "x" },
              { type: TYPES.sns.Topic, name: "t", id: "arn", parent: "nope" },
            ],
          },
          "prod",
          "pillar",
          "f.json",
        ),
      new ImportFileError(
        "f.json: resource 'web' of type 'aws:ec2/securityGroup:SecurityGroup' has no ID; resource 'c' of type 'pillar:x:Y' has an ID, but is marked as a component",
      ),
    );
    assert.throws(
      () =>
        resolveImportUrns(
          { resources: [{ type: TYPES.sns.Topic, name: "t", id: "arn", parent: "nope" }] },
          "prod",
          "pillar",
          "f.json",
        ),
      new ImportFileError(
        "f.json: the parent 'nope' for resource 't' of type 'aws:sns/topic:Topic' has no entry in 'nameTable'",
      ),
    );
    assert.throws(
      () => parseImportFileText("[1]", "f.json"),
      new ImportFileError('f.json: not an import file: expected a JSON object with "resources"'),
    );
  });

  describe("plan --import-file and --adopt", () => {
    it("--import-file: every create, with the ids that are names where the names are fixed, placeholders for the rest", async () => {
      const planned = await plan(path.join(PROJECT_ROOT, "Pulumi.prod.yaml"));
      const { text, warnings } = planImportFile(planned.resources, planned.model);
      assert.deepEqual(warnings, []);
      const file = JSON.parse(text) as {
        nameTable?: unknown;
        resources: { type: string; name: string; id?: string; component?: boolean }[];
      };
      assert.equal(file.nameTable, undefined);
      // Every resource but the root stack; none of them a default provider.
      assert.equal(file.resources.length, planned.resources.length - 1);
      const id = (type: string, name: string) =>
        file.resources.find((r) => r.type === type && r.name === name)?.id;
      // Program-chosen names are known: the group, and its policies as <group>/<policy>.
      assert.equal(id(TYPES.autoscaling.Group, "app-hostsGroup"), "pillar-prod-app-hosts");
      assert.equal(
        id(TYPES.autoscaling.Policy, "app-hosts-webhost_scale_up"),
        "pillar-prod-app-hosts/webhost_scale_up",
      );
      // Auto-named with a random suffix: unknowable offline.
      assert.equal(id(TYPES.elb.LoadBalancer, "MY-ELBLoadBalancer"), PLACEHOLDER_ID);
      assert.equal(id(TYPES.cloudwatch.MetricAlarm, "webhost_cpu_scale_up"), PLACEHOLDER_ID);
      assert.equal(id(TYPES.ec2.SecurityGroup, "webhost"), PLACEHOLDER_ID);
      assert.deepEqual(
        file.resources.find((r) => r.type === "pillar:ec2:SecurityGroupGraph"),
        { type: "pillar:ec2:SecurityGroupGraph", name: "sg", component: true },
      );
      // A provider is declared with its inputs, never an id.
      assert.deepEqual(
        file.resources.find((r) => r.type === AWS_PROVIDER_TYPE),
        {
          type: AWS_PROVIDER_TYPE,
          name: "aws_providerAws",
          parent: "aws_provider",
          inputs: {
            defaultTags: '{"tags":{"env":"prod","pillar:stack":"prod"}}',
            region: "us-east-1",
            skipCredentialsValidation: "false",
            skipRegionValidation: "true",
            version: AWS_VERSION,
          },
          logicalName: "aws_provider",
        },
      );
    });

    it("--import-file under verbatim names: the ELB's and the alarms' names are their ids", async () => {
      const planned = await plan(importedProdStack());
      const file = JSON.parse(planImportFile(planned.resources, planned.model).text) as {
        resources: { type: string; name: string; id?: string }[];
      };
      const id = (type: string, name: string) =>
        file.resources.find((r) => r.type === type && r.name === name)?.id;
      assert.equal(id(TYPES.elb.LoadBalancer, "MY-ELBLoadBalancer"), "MY-ELB");
      assert.equal(id(TYPES.cloudwatch.MetricAlarm, "php_cpu_scale_down"), "php_cpu_scale_down");
      assert.equal(id(TYPES.autoscaling.Group, "app-hostsGroup"), "app-hosts");
      assert.equal(id(TYPES.autoscaling.Policy, "app-hosts-webhost_scale_up"), "app-hosts/webhost_scale_up");
      // The security group's id is the sg- AWS gives it.
      assert.equal(id(TYPES.ec2.SecurityGroup, "webhost"), PLACEHOLDER_ID);
    });

    it("--adopt: the file's resources carry their import ids; the rest are created; the plan warns where the stack and the live values differ", async () => {
      const stackFile = importedProdStack();
      const adopt = readAdoptFile(GOLDEN, "prod", "pillar");
      assert.equal(adopt.imports.size, 16);
      const planned = await plan(stackFile, adopt.imports);
      const imported = planned.resources.filter((r) => r.options.import !== undefined);
      assert.deepEqual(imported.map((r) => [r.name, r.options.import]).slice(0, 3), [
        ["mongodb", "sg-0b2b2b2b2b2b2b2b2"],
        ["webhost", "sg-0a1a1a1a1a1a1a1a1"],
        ["sg-mongodb-out-all-all-to-0.0.0.0_0", "sgr-0b000000000000e0b"],
      ]);
      assert.equal(imported.length, 16);
      // Adopted resources are not in the file of creates.
      const creates = JSON.parse(planImportFile(planned.resources, planned.model).text) as {
        resources: { type: string; name: string }[];
      };
      assert.equal(creates.resources.length, planned.resources.length - 1 - 16);
      assert.ok(!creates.resources.some((r) => r.type === TYPES.ec2.SecurityGroup));
      const warnings = adoptWarnings(planned.resources, adopt, planned.model);
      assert.deepEqual(
        warnings.map((w) => w.replace(/^(would replace: )?(\w+ [\w-]+):.*$/s, "$1$2")),
        ["would replace: Instance mongodb-server", "Instance mongodb-server", "Group app-hosts"],
      );
      assert.ok(warnings[0]!.includes("its root volume is not encrypted live"), warnings[0]);
      assert.ok(
        warnings[1]!.includes("its root volume changes in place (ModifyVolume: type standard → gp3)"),
        warnings[1],
      );
      assert.ok(
        warnings[2]!.includes(
          "moves from launch configuration webhost to the stack's launch template in place",
        ),
        warnings[2],
      );
    });

    it("--adopt: a config that differs from what adopt found, and an entry the program does not register", async () => {
      const golden = JSON.parse(fs.readFileSync(GOLDEN, "utf8")) as { resources: Record<string, unknown>[] };
      const sg = golden.resources.find((r) => r.name === "webhost")!;
      (sg.inputs as Record<string, unknown>).description = "Web servers";
      golden.resources.push({
        type: TYPES.sns.Topic,
        name: "old-alerts",
        id: "arn:aws:sns:us-east-1:123456789012:old-alerts",
      });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pillar-adopt-"));
      const file = path.join(dir, "adopt.json");
      fs.writeFileSync(file, JSON.stringify(golden));
      const adopt = readAdoptFile(file, "prod", "pillar");
      const planned = await plan(importedProdStack(), adopt.imports);
      const warnings = adoptWarnings(planned.resources, adopt, planned.model);
      assert.deepEqual(warnings.slice(0, 2), [
        `${file} declares urn:pulumi:prod::pillar::aws:sns/topic:Topic::old-alerts (aws:sns/topic:Topic), which the program does not register: pulumi import would put it in the stack's state, and the next pulumi up would delete it`,
        'would replace: SecurityGroup webhost: description is "Web servers" live but "Web server security group" in the stack; description forces replacement, so the first pulumi up would replace it: set pillar:security_groups[0].description to the live value',
      ]);
    });
  });
});
