/**
 * Requests encoded while the plan waits for its packs (scripts/lib/requestCache.ts): the bytes are
 * those the session would encode when sending, encoding stops once the packs are configured, and a
 * session that uses them reports exactly what one without them does, remediations included.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { openPolicyPack, type PolicyPackSession } from "../../scripts/lib/analyzer";
import { analyzeRequestBytes, prepareResource, stackResourceBytes } from "../../scripts/lib/analyzerMessages";
import { RequestCache } from "../../scripts/lib/requestCache";
import { ResourceFeed } from "../../scripts/lib/resourceFeed";
import type { RecordedResource } from "../../scripts/lib/record";
import { processesMentioning } from "./procs";
import { PROJECT, STACK, violatingStack } from "./stacks";

const FIXTURE = path.join(__dirname, "fixture-pack");
const STACK_CONFIG = {
  "aws:region": "us-east-1",
  "pillar:vpcId": "vpc-1234567",
  "pillar:dbPassword": "s3cr3t",
};
// The remediation replaces db's inputs; the echoes show what Analyze and AnalyzeStack were sent.
const POLICY_CONFIG = {
  "fixture-echo-resource": "advisory",
  "fixture-echo-stack": "advisory",
  "fixture-db-tag-owner": "remediate",
};

const tick = () => new Promise((resolve) => setImmediate(resolve));

async function report(session: PolicyPackSession, feed: ResourceFeed) {
  const r = await session.analyze(feed);
  return { ...r, stacked: await session.analyzeStack(feed.all) };
}

describe("RequestCache: requests encoded while the packs start", function () {
  this.timeout(120_000);

  it("encodes each resource as it is registered, the bytes a session sends, until told to stop", async () => {
    const stack = violatingStack();
    const cache = new RequestCache(STACK_CONFIG);
    const feed = new ResourceFeed();
    let configured!: () => void;
    const warming = cache.warm(feed, new Promise<void>((resolve) => (configured = resolve)));
    const [first, second, ...rest] = stack as [RecordedResource, RecordedResource, ...RecordedResource[]];
    feed.push(first);
    feed.push(second);
    await tick();
    for (const r of [first, second]) {
      const x = prepareResource(r, feed.byUrn, STACK_CONFIG);
      const e = cache.get(r);
      assert.ok(e, `${r.urn} was not encoded`);
      assert.deepEqual(e.prepared, x);
      assert.deepEqual(e.remediate, analyzeRequestBytes(x, r.wireInputs, true));
      assert.deepEqual(e.analyze, analyzeRequestBytes(x, r.wireInputs, false));
      // A component's AnalyzeStack state is what it registers as outputs later: never encoded ahead.
      assert.deepEqual(e.stack, r.custom ? stackResourceBytes(x, undefined, "inputs") : undefined);
    }
    assert.ok(
      [first, second].some((r) => r.custom) && [first, second].some((r) => !r.custom),
      "the fixture's first two resources are a component and a custom resource",
    );
    configured();
    await tick();
    for (const r of rest) feed.push(r);
    feed.end();
    await warming;
    assert.deepEqual(
      rest.map((r) => cache.get(r)),
      rest.map(() => undefined),
    );
  });

  it("gives the same report as a session that encodes every request itself, remediations included", async () => {
    const stack = violatingStack();
    const identity = {
      project: PROJECT,
      stack: STACK,
      dryRun: true,
      packDir: FIXTURE,
      policyConfig: POLICY_CONFIG,
    };
    const cache = new RequestCache(STACK_CONFIG);
    const warmFeed = new ResourceFeed();
    const warming = cache.warm(warmFeed, new Promise(() => undefined));
    for (const r of stack) warmFeed.push(r);
    warmFeed.end();
    await warming;
    assert.ok(
      stack.every((r) => cache.get(r) !== undefined),
      "every resource was encoded ahead",
    );

    // What the session takes from the cache, by resource name: the test fails if it sends none.
    const taken: string[] = [];
    const get = cache.get.bind(cache);
    cache.get = (r) => {
      const e = get(r);
      if (e !== undefined) taken.push(r.name);
      return e;
    };

    const plain = await openPolicyPack({ ...identity, stackConfig: STACK_CONFIG });
    const ahead = await openPolicyPack({ ...identity, stackConfig: cache.stackConfig, requests: cache });
    try {
      const [without, withCache] = await Promise.all([
        report(plain, ResourceFeed.of(stack)),
        report(ahead, ResourceFeed.of(stack)),
      ]);
      assert.deepEqual(withCache, without);
      // What makes the comparison bite: db was remediated, so its cached Analyze request and
      // AnalyzeStack entry (the registered inputs) must not have been sent.
      assert.deepEqual(
        withCache.remediations.map((r) => r.urn.split("::").pop()),
        ["db", "db-east"],
      );
      const echoed = withCache.violations.find(
        (v) => v.policy === "fixture-echo-resource" && v.message.includes('"name":"db"'),
      );
      assert.ok(echoed, "no echo of db's Analyze request");
      assert.match(echoed.message, /"tags":\{"owner":"ops"\}/);
      // Each resource's entry for its Remediate → Analyze chain, and again for AnalyzeStack, except
      // the two remediated databases, whose AnalyzeStack state is what the remediation gave.
      const names = stack.map((r) => r.name);
      assert.deepEqual(
        [...taken].sort(),
        [...names, ...names.filter((n) => n !== "db" && n !== "db-east")].sort(),
      );
    } finally {
      await Promise.all([plain.close(), ahead.close()]);
    }
    assert.deepEqual(processesMentioning(FIXTURE), []);
  });

  it("is refused by a session given another stack config", async () => {
    const cache = new RequestCache({ ...STACK_CONFIG });
    await assert.rejects(
      openPolicyPack({
        project: PROJECT,
        stack: STACK,
        dryRun: true,
        packDir: FIXTURE,
        stackConfig: STACK_CONFIG,
        requests: cache,
      }),
      { message: "the encoded requests were made with another stack config than the session's" },
    );
    assert.deepEqual(processesMentioning(FIXTURE), []);
  });
});
