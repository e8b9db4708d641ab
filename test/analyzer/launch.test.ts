/**
 * Packs launched before anything speaks to them (the offline plan starts its packs before it loads the
 * SDK and runs the program), and resources analyzed as they are registered.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as nodeModule from "node:module";
import * as path from "node:path";
import { openPolicyPack, type PolicyPackSession } from "../../scripts/lib/analyzer";
import {
  compileCachePreload,
  launchPack,
  PACK_COMPILE_CACHE_PRELOAD,
} from "../../scripts/lib/analyzerProcess";
import { ResourceFeed } from "../../scripts/lib/resourceFeed";
import { processesMentioning } from "./procs";
import { PROJECT, STACK, violatingStack } from "./stacks";

const FIXTURE = path.join(__dirname, "fixture-pack");
const STACK_CONFIG = {
  "aws:region": "us-east-1",
  "pillar:vpcId": "vpc-1234567",
  "pillar:dbPassword": "s3cr3t",
};
const IDENTITY = { project: PROJECT, stack: STACK, dryRun: true, stackConfig: STACK_CONFIG } as const;

const report = async (session: PolicyPackSession, resources: readonly unknown[] | ResourceFeed) => {
  const r = await session.analyze(resources as never);
  const stacked = await session.analyzeStack(
    resources instanceof ResourceFeed ? resources.all : (resources as never),
  );
  return { ...r, stacked };
};

describe("ResourceFeed", () => {
  const [a, b] = violatingStack();

  it("gives each resource once it is pushed, and undefined past the end once it ends", async () => {
    const feed = new ResourceFeed();
    const first = feed.at(0);
    const second = feed.at(1);
    const third = feed.at(2);
    feed.push(a!);
    assert.equal(await first, a);
    feed.push(b!);
    assert.equal(await second, b);
    feed.end();
    assert.equal(await third, undefined);
    assert.deepEqual(feed.all, [a, b]);
    assert.equal(feed.byUrn.get(b!.urn), b);
  });

  it("refuses a resource after it ended", () => {
    const feed = ResourceFeed.of([a!]);
    assert.throws(
      () => feed.push(b!),
      new RegExp(`resource ${b!.urn.replace(/[$()*+.?[\\\]^{|}]/g, "\\$&")} registered after the feed ended`),
    );
  });
});

describe("launchPack", function () {
  this.timeout(120_000);

  it("starts the pack's process at once; the session opened later takes it over and stops it", async () => {
    const launch = launchPack(FIXTURE, IDENTITY);
    const started = await launch.started;
    assert.deepEqual(processesMentioning(FIXTURE), [started.child.pid]);
    const session = await openPolicyPack({ ...IDENTITY, packDir: FIXTURE, launch });
    try {
      assert.deepEqual(session.command, started.argv);
      assert.deepEqual(processesMentioning(FIXTURE), [started.child.pid]);
    } finally {
      await session.close();
    }
    assert.deepEqual(processesMentioning(FIXTURE), []);
  });

  it("gives the same report as a pack the session starts itself", async () => {
    const stack = violatingStack();
    const own = await openPolicyPack({ ...IDENTITY, packDir: FIXTURE });
    const launched = await openPolicyPack({
      ...IDENTITY,
      packDir: FIXTURE,
      launch: launchPack(FIXTURE, IDENTITY),
    });
    try {
      assert.deepEqual(await report(launched, stack), await report(own, stack));
    } finally {
      await Promise.all([own.close(), launched.close()]);
    }
  });

  it("stops a pack no session took over, when disposed", async () => {
    const launch = launchPack(FIXTURE, IDENTITY);
    await launch.started;
    await launch.dispose();
    await launch.dispose(); // a second time does nothing
    assert.deepEqual(processesMentioning(FIXTURE), []);
  });

  it("reports a folder that is not a pack when the session opens, having started nothing", async () => {
    const launch = launchPack(__dirname, IDENTITY);
    await assert.rejects(launch.started, /failed to load Pulumi policy project located at/);
    await assert.rejects(
      openPolicyPack({ ...IDENTITY, packDir: __dirname, launch }),
      /failed to load Pulumi policy project located at/,
    );
  });

  it("refuses a launch of another pack's folder", async () => {
    const launch = launchPack(FIXTURE, IDENTITY);
    try {
      await assert.rejects(
        openPolicyPack({ ...IDENTITY, packDir: path.join(__dirname, "config-pack"), launch }),
        new RegExp(`the pack launched is "${FIXTURE}", not "${path.join(__dirname, "config-pack")}"`),
      );
    } finally {
      await launch.dispose();
    }
  });
});

describe("analyzing resources as they are registered", function () {
  this.timeout(120_000);

  it("keeps analyzing until the feed ends, and reports as for the whole list", async () => {
    const stack = violatingStack();
    const session = await openPolicyPack({ ...IDENTITY, packDir: FIXTURE });
    try {
      const whole = await report(session, stack);
      const feed = new ResourceFeed();
      let settled = false;
      const streaming = session.analyze(feed).finally(() => (settled = true));
      // All but the last registered: each is analyzed as it comes, and the analysis waits for the rest.
      for (const r of stack.slice(0, -1)) feed.push(r);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(settled, false);
      feed.push(stack[stack.length - 1]!);
      feed.end();
      const r = await streaming;
      const stacked = await session.analyzeStack(feed.all);
      assert.deepEqual({ ...r, stacked }, whole);
      assert.ok(whole.violations.length > 0, "the fixture stack has violations");
    } finally {
      await session.close();
    }
  });
});

describe("compileCachePreload: the plan's compile cache, in its packs", function () {
  this.timeout(120_000);
  const builtIn = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === "function";
  const VAR = builtIn ? "NODE_COMPILE_CACHE" : "V8_COMPILE_CACHE_CACHE_DIR";
  const saved = process.env[VAR];
  afterEach(() => {
    if (saved === undefined) delete process.env[VAR];
    else process.env[VAR] = saved;
  });

  it("is nothing when the launcher turned no cache on", () => {
    delete process.env[VAR];
    assert.deepEqual(compileCachePreload(), []);
  });

  it("preloads what makes the pack write its cache when the plan stops it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pillar-compile-cache-"));
    process.env[VAR] = dir;
    try {
      assert.deepEqual(compileCachePreload(), ["--require", PACK_COMPILE_CACHE_PRELOAD]);
      const session = await openPolicyPack({ ...IDENTITY, packDir: FIXTURE });
      assert.deepEqual(session.command.slice(1, 3), ["--require", PACK_COMPILE_CACHE_PRELOAD]);
      await session.close();
      // Node 22+: one folder per V8 version, an entry per module; Node 20: v8-compile-cache's blob
      // and map, named after the pack's folder (its working directory), escaped as that package does.
      const written = fs.readdirSync(dir, { recursive: true }).map(String);
      assert.ok(
        builtIn
          ? written.length > 100
          : written.includes(`${FIXTURE.replace(/z/g, "zZ").replace(/\//g, "zS")}.BLOB`),
        written.slice(0, 5).join(", "),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
