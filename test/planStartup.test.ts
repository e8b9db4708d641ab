/**
 * The plan's start-up order (issue 14): the policy pack needs nothing from the program, so its process
 * starts first, before the plan loads the Pulumi SDK, the AWS provider's SDK and gRPC.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../scripts/lib/planner";
import { processesMentioning } from "./analyzer/procs";

describe("the plan's start-up", function () {
  this.timeout(180_000);

  it("starts the policy pack before it loads the SDK, the provider's SDK and gRPC, and stops it at the end", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pillar-startup-"));
    const file = path.join(dir, "order.txt");
    try {
      const r = spawnSync(
        process.execPath,
        [
          "--require",
          path.join(__dirname, "fixtures", "startupOrder.cjs"),
          path.join(PROJECT_ROOT, "scripts", "launch.js"),
          "plan",
          "--stack",
          "dev",
        ],
        {
          cwd: PROJECT_ROOT,
          encoding: "utf8",
          env: { ...process.env, PULUMI_CONFIG: undefined, STARTUP_ORDER_FILE: file },
        },
      );
      assert.equal(r.status, 0, r.stderr);
      const order = fs.readFileSync(file, "utf8").trim().split("\n");
      // (A first plan after an edit also spawns esbuild's service to build itself: not counted.)
      const pack = order.indexOf("spawn run-policy-pack");
      assert.ok(pack !== -1, order.join("\n"));
      for (const pkg of ["@pulumi/pulumi", "@pulumi/aws", "@grpc/grpc-js"]) {
        const loaded = order.indexOf(`require ${pkg}`);
        assert.ok(loaded > pack, `${pkg} is loaded after the pack is spawned: ${order.join(", ")}`);
      }
      assert.deepEqual(processesMentioning(path.join(PROJECT_ROOT, "policies")), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
