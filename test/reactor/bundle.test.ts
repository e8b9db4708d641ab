import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { BUNDLE_LIMIT_BYTES, bundleReactor, type ReactorBundle } from "../../reactor/bundle";
import { TEST_ENV } from "./support/env";

describe("reactor/bundle bundleReactor", function () {
  let first: ReactorBundle;
  let dir: string;

  before(() => {
    first = bundleReactor();
    dir = mkdtempSync(path.join(tmpdir(), "pillar-reactor-"));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("is byte-identical across builds", () => {
    const second = bundleReactor();
    assert.equal(second.sha256, first.sha256);
    assert.equal(second.code, first.code);
  });

  it("reports its own size and hash truthfully", () => {
    assert.equal(first.bytes, Buffer.byteLength(first.code, "utf8"));
    assert.equal(first.sha256, createHash("sha256").update(first.code, "utf8").digest("hex"));
  });

  it(`stays under ${BUNDLE_LIMIT_BYTES} bytes`, () => {
    assert.ok(first.bytes <= BUNDLE_LIMIT_BYTES, `${first.bytes} bytes`);
  });

  it("holds no absolute path of this machine and no source map", () => {
    const root = path.resolve(__dirname, "../..");
    assert.ok(!first.code.includes(root), "the repository path leaked into the bundle");
    assert.ok(!first.code.includes("sourceMappingURL"));
  });

  it("carries the SDK inside and runs under plain node as index.handler", () => {
    writeFileSync(path.join(dir, "index.js"), first.code);
    const script = `
      const m = require("./index.js");
      const ctx = { awsRequestId: "r", getRemainingTimeInMillis: () => 60000 };
      const event = { Records: [{ EventSource: "aws:sns", Sns: { Type: "SubscriptionConfirmation" } }] };
      m.handler(event, ctx).then((r) => process.stderr.write("RESULT " + JSON.stringify(r) + "\\n"));
    `;
    const out = spawnSync(process.execPath, ["-e", script], {
      cwd: dir,
      // No node_modules next to the bundle: a require of the SDK would fail here.
      env: { PATH: process.env.PATH, NODE_PATH: "", ...TEST_ENV },
      encoding: "utf8",
    });
    assert.equal(out.status, 0, out.stderr);
    assert.match(out.stderr, /RESULT {"processed":0,"rejected":1}/);
    assert.match(out.stdout, /"code":"confirmation_on_lambda_path"/);
  });
});
