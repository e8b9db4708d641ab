/**
 * The plan's start-up order (issue 14): the policy pack needs nothing from the program, so its process
 * starts first, before the plan loads the Pulumi SDK, the AWS provider's SDK and gRPC.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as nodeModule from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../scripts/lib/planner";
import { runPlanWith } from "./harness";
import { processesMentioning } from "./analyzer/procs";

describe("the plan's start-up", function () {
  this.timeout(180_000);

  /** `npm run plan -- --stack dev` as a process, with a preload from test/fixtures and more arguments or environment. */
  const devPlan = (o: { preload?: string; args?: readonly string[]; env?: NodeJS.ProcessEnv }) => {
    const r = runPlanWith(
      {
        ...(o.preload !== undefined ? { preload: path.join(__dirname, "fixtures", o.preload) } : {}),
        ...(o.env !== undefined ? { env: o.env } : {}),
      },
      "--stack",
      "dev",
      ...(o.args ?? []),
    );
    return { status: r.code, stdout: r.stdout, stderr: r.stderr };
  };

  it("starts the policy pack before it loads the SDK, the provider's SDK and gRPC, and stops it at the end", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pillar-startup-"));
    const file = path.join(dir, "order.txt");
    try {
      const r = devPlan({ preload: "startupOrder.cjs", env: { STARTUP_ORDER_FILE: file } });
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

  it("starts from its V8 code cache: no module compiled under other V8 flags", () => {
    // Node 22.1+ (scripts/launch.js): @pulumi/pulumi turns on --allow-natives-syntax as it loads,
    // the pack before it loads the SDK, so unless the plan does the same first, each process rejects
    // the code cache of every SDK module the other wrote. Node's debug log names each module
    // accepted or rejected. Node 20 has the v8-compile-cache package instead, a cache per process:
    // there the test shows only that the plan starts from its own, which a preload counts.
    const builtIn = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === "function";
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pillar-compile-cache-"));
    const plan = () => {
      const r = devPlan({
        ...(builtIn ? {} : { preload: "codeCacheCount.cjs" }),
        env: {
          // The launcher turns the cache on itself, as in `npm run plan`: a NODE_COMPILE_CACHE
          // given would have Node turn it on before the launcher runs.
          PILLAR_COMPILE_CACHE_DIR: dir,
          NODE_COMPILE_CACHE: undefined,
          V8_COMPILE_CACHE_CACHE_DIR: undefined,
          ...(builtIn ? { NODE_DEBUG_NATIVE: "COMPILE_CACHE" } : {}),
        },
      });
      assert.equal(r.status, 0, r.stderr.slice(-4000));
      if (!builtIn) {
        const m = /^code cache: (\d+) accepted, (\d+) rejected$/m.exec(r.stderr);
        assert.ok(m, r.stderr.slice(-2000));
        return { accepted: Number(m[1]), rejected: Number(m[2]) };
      }
      const count = (what: string) => r.stderr.split("\n").filter((l) => l.includes(`was ${what}`)).length;
      return { accepted: count("accepted"), rejected: count("rejected") };
    };
    try {
      plan(); // writes the cache
      // The plan persists only entries it changed, and its pack rewrites what it rejects when it is
      // stopped, so a mismatch shows as rejections in every other run: two runs see it.
      const runs = [plan(), plan()];
      for (const r of runs) {
        assert.ok(r.accepted > 500, `only ${r.accepted} modules came from the cache`);
        assert.equal(r.rejected, 0);
      }
      // Node 22+ names the folder of a cache after V8's flags when it is turned on: one folder means
      // the pack and the plan share one cache (the plan's log then shows the pack's rejections too).
      if (builtIn) assert.equal(fs.readdirSync(dir).length, 1, fs.readdirSync(dir).join(", "));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("encodes the requests of resources registered while the pack starts (scripts/lib/requestCache.ts)", () => {
    // The slow pack blocks 4 s as it loads, so the dev program has registered while it waits.
    const r = devPlan({
      preload: "planMarks.cjs",
      args: ["--policy-pack", path.join(__dirname, "analyzer", "slow-pack")],
    });
    assert.equal(r.status, 0, r.stderr.slice(-4000));
    const marks = r.stderr
      .split("\n")
      .filter((l) => l.startsWith("mark "))
      .map((l) => JSON.parse(l.slice(5)) as { name: string; detail: unknown });
    const ahead = marks.find((m) => m.name === "pillar:requests encoded ahead");
    assert.ok(ahead, `no such mark among ${JSON.stringify(marks)}`);
    const created = Number(/^Resources: \+ (\d+) to create/m.exec(r.stdout)?.[1]);
    // Every resource: the program is done seconds before the pack is configured.
    assert.equal(ahead.detail, created, `${String(ahead.detail)} encoded ahead of ${created} resources`);
  });
});
