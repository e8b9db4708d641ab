import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cachedBuild, digestOf } from "../scripts/lib/buildCache";
import { bundleReactor } from "../reactor/bundle";

const CACHE_MODULE = path.resolve(__dirname, "..", "scripts", "lib", "buildCache.js");

function tmpRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pillar-cache-"));
  fs.writeFileSync(path.join(root, "a.txt"), "alpha");
  fs.writeFileSync(path.join(root, "b.txt"), "beta");
  return root;
}

/** A "build" that concatenates its inputs, counting its runs. */
function counter(root: string, inputs: string[]) {
  let runs = 0;
  return {
    runs: () => runs,
    build: () => {
      runs++;
      return {
        contents: Buffer.from(inputs.map((f) => fs.readFileSync(path.join(root, f), "utf8")).join("|")),
        inputs,
      };
    },
  };
}

describe("scripts/lib/buildCache", () => {
  it("builds once, then answers from the cache with the same bytes", () => {
    const root = tmpRoot();
    const c = counter(root, ["a.txt", "b.txt"]);
    const opts = { dir: path.join(root, "cache"), name: "x", ext: ".js", root, key: "k1", build: c.build };
    const first = cachedBuild(opts);
    const second = cachedBuild(opts);
    assert.equal(first.hit, false);
    assert.equal(second.hit, true);
    assert.equal(c.runs(), 1);
    assert.equal(second.contents.toString(), "alpha|beta");
    assert.equal(path.basename(second.file), `x-${digestOf(root, "k1", ["a.txt", "b.txt"])}.js`);
  });

  it("rebuilds when an input's bytes, an input's presence or the key change", () => {
    const root = tmpRoot();
    const c = counter(root, ["a.txt", "b.txt"]);
    const opts = { dir: path.join(root, "cache"), name: "x", ext: ".js", root, key: "k1", build: c.build };
    cachedBuild(opts);
    fs.writeFileSync(path.join(root, "b.txt"), "BETA");
    assert.equal(cachedBuild(opts).contents.toString(), "alpha|BETA");
    assert.equal(c.runs(), 2);
    assert.equal(cachedBuild({ ...opts, key: "k2" }).hit, false);
    assert.equal(c.runs(), 3);
    fs.rmSync(path.join(root, "a.txt"));
    assert.throws(() => cachedBuild(opts), /ENOENT/); // the build itself reads it: no stale answer
  });

  it("rebuilds when the output it names was removed", () => {
    const root = tmpRoot();
    const c = counter(root, ["a.txt"]);
    const opts = { dir: path.join(root, "cache"), name: "x", ext: ".js", root, key: "k", build: c.build };
    fs.rmSync(cachedBuild(opts).file);
    assert.equal(cachedBuild(opts).hit, false);
    assert.equal(c.runs(), 2);
  });

  it("never shows a reader half a file while other processes rebuild the same entry", async function () {
    this.timeout(60_000);
    const root = tmpRoot();
    const bigLength = 4 * 1024 * 1024;
    // Each writer keeps changing the input and rebuilding; each reader checks every answer it gets
    // is one whole output: the input's full text, never a prefix.
    const script = `
      const fs = require("node:fs"), path = require("node:path");
      const { cachedBuild } = require(${JSON.stringify(CACHE_MODULE)});
      const root = ${JSON.stringify(root)}, role = process.argv[1], big = "x".repeat(${bigLength});
      const build = () => ({ contents: fs.readFileSync(path.join(root, "a.txt")), inputs: ["a.txt"] });
      for (let i = 0; i < 40; i++) {
        if (role === "w") fs.writeFileSync(path.join(root, "a.txt") + "." + process.pid, big + i), fs.renameSync(path.join(root, "a.txt") + "." + process.pid, path.join(root, "a.txt"));
        const out = cachedBuild({ dir: path.join(root, "cache"), name: "x", ext: ".js", root, key: "k", build }).contents.toString();
        if (out !== "alpha" && !(out.length >= ${bigLength + 1} && out.startsWith("xxxx") && /\\d$/.test(out))) { console.error("torn", out.length); process.exit(1); }
      }`;
    const run = (role: string) =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, ["-e", script, role], {
          stdio: ["ignore", "ignore", "inherit"],
        });
        child.on("exit", resolve);
      });
    const codes = await Promise.all(["w", "w", "r", "r"].map(run));
    assert.deepEqual(codes, [0, 0, 0, 0]);
    const leftovers = fs.readdirSync(path.join(root, "cache")).filter((f) => f.endsWith(".tmp"));
    assert.deepEqual(leftovers, []);
  });

  it("gives the reactor bundle's exact bytes from the cache", () => {
    const built = bundleReactor({ cache: false });
    const cached = bundleReactor();
    assert.equal(cached.sha256, built.sha256);
    assert.equal(cached.code, built.code);
    assert.equal(bundleReactor().sha256, built.sha256);
  });
});
