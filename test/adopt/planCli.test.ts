import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../scripts/lib/planner";
import { runPlan } from "../harness";
import { importedProdStack } from "./support";
import { TYPES } from "../../provider/types";

const GOLDEN = path.join(PROJECT_ROOT, "test", "fixtures", "adopt", "adopt.prod.json");

describe("npm run plan -- --adopt FILE --import-file FILE (spawned)", function () {
  this.timeout(180_000);
  const stack = importedProdStack();

  it("marks the adopted resources = import in the tree, counts them, warns of the traps, and writes the creates", () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pillar-plan-")), "creates.json");
    const r = runPlan("--stack-file", stack, "--adopt", GOLDEN, "--import-file", out);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\n = {11}└─ aws:ec2:SecurityGroup {23}webhost \[id=sg-0a1a1a1a1a1a1a1a1\]\n/);
    assert.match(r.stdout, /\n = {11}└─ aws:elb:LoadBalancer {24}MY-ELB \[id=MY-ELB\]\n/);
    assert.match(
      r.stdout,
      /\n = {11}└─ aws:autoscaling:Policy {22}app-hosts-webhost_scale_up → webhost_scale_up \[id=app-hosts\/webhost_scale_up\]\n/,
    );
    // What adopt does not find is created: the launch template, the reactor.
    assert.match(
      r.stdout,
      /\n \+ {11}└─ aws:ec2:LaunchTemplate {22}app-hosts-webhost → app-hosts-webhost-[0-9a-f]{7}\n/,
    );
    assert.match(
      r.stdout,
      /\nResources: \+ 46 to create, = 16 to import \(51 AWS resources, 11 components\)\n/,
    );
    assert.match(r.stdout, /\nwarning: would replace: Instance mongodb-server: /);
    assert.doesNotMatch(r.stdout, /would replace: Group app-hosts/);
    assert.match(r.stdout, /\nImport file: wrote .*creates\.json \(the resources this plan creates\)\n/);
    const creates = JSON.parse(fs.readFileSync(out, "utf8")) as { resources: { type: string }[] };
    assert.equal(creates.resources.length, 61 - 16);
  });

  it("carries the import ids in the JSON document's options; the document keeps its shape", () => {
    const r = runPlan("--stack-file", stack, "--adopt", GOLDEN, "--json");
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as {
      resources: { type: string; name: string; options: { import: string | null } }[];
    };
    assert.deepEqual(Object.keys(doc), ["stack", "resources", "policies", "provider"]);
    const imported = doc.resources.filter((x) => x.options.import !== null);
    assert.equal(imported.length, 16);
    assert.equal(
      doc.resources.find((x) => x.name === "php_cpu_scale_down")!.options.import,
      "php_cpu_scale_down",
    );
    assert.match(r.stderr, /^warning: would replace: Instance mongodb-server: /m);
  });

  it("refuses a file that is not an import file, planning nothing", () => {
    const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pillar-plan-")), "adopt.json");
    fs.writeFileSync(
      bad,
      JSON.stringify({ resources: [{ type: TYPES.ec2.SecurityGroup, name: "webhost" }] }),
    );
    const r = runPlan("--stack-file", stack, "--adopt", bad);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      `error: ${bad}: resource 'webhost' of type 'aws:ec2/securityGroup:SecurityGroup' has no ID\n\nNothing was planned.\n`,
    );
  });
});
