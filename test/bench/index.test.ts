import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { failedSuite, parseArgs, renderTable, selectSuites, summarize } from "../../bench/index";
import { BenchReport, check } from "../../bench/lib";

const passing: BenchReport = {
  suite: "a",
  figures: { "ms at N": 12.5, resources: 100 },
  checks: [check("time(10N)/time(N)", 9.5, "<=", 12)],
};
const failing: BenchReport = { suite: "b", figures: {}, checks: [check("ours/bare", 2, "<=", 1.5)] };

describe("bench entry", () => {
  it("parses --json, --suite NAME and --suite=NAME", () => {
    assert.deepEqual(parseArgs([]), { json: false });
    assert.deepEqual(parseArgs(["--json"]), { json: true });
    assert.deepEqual(parseArgs(["--suite", "securityGroups", "--json"]), {
      json: true,
      suite: "securityGroups",
    });
    assert.deepEqual(parseArgs(["--suite=reactor"]), { json: false, suite: "reactor" });
  });

  it("rejects unknown suites, unknown arguments and a missing name", () => {
    assert.throws(
      () => parseArgs(["--suite", "nope"]),
      /unknown suite "nope"; suites: securityGroups, reactor, analyzer/,
    );
    assert.throws(() => parseArgs(["--fast"]), /unknown argument "--fast"/);
    assert.throws(() => parseArgs(["--suite"]), /--suite needs a suite name/);
    assert.throws(() => parseArgs(["--suite", "--json"]), /--suite needs a suite name/);
    assert.throws(() => parseArgs(["--json=yes"]), /--json takes no value/);
    assert.throws(() => parseArgs(["securityGroups"]), /unknown argument "securityGroups"/);
  });

  it("runs the suites that exist, in order, or the one asked for", () => {
    const only = (names: string[]) => (f: string) => names.includes(path.basename(f, ".ts"));
    assert.deepEqual(selectSuites({ json: false }, only(["analyzer", "securityGroups"])), [
      "securityGroups",
      "analyzer",
    ]);
    assert.deepEqual(selectSuites({ json: false, suite: "reactor" }, only(["reactor", "securityGroups"])), [
      "reactor",
    ]);
    assert.deepEqual(selectSuites({ json: false, suite: "reactor" }, only(["securityGroups"])), []);
  });

  it("is ok only when every check of every suite is", () => {
    assert.deepEqual(summarize([passing]), { suites: [passing], ok: true });
    assert.equal(summarize([passing, failing]).ok, false);
    assert.equal(summarize([failedSuite("c", "exit code 1")]).ok, false);
    // The document round-trips through JSON unchanged.
    assert.deepEqual(JSON.parse(JSON.stringify(summarize([passing]))), { suites: [passing], ok: true });
  });

  it("prints figures, then each check as name, value, op bound, ok/FAIL", () => {
    const text = renderTable([passing, failing]);
    assert.match(
      text,
      /^a\n {2}ms at N +12\.5\n {2}resources +100\n {2}time\(10N\)\/time\(N\) +9\.5 {2}<= 12 {2}ok$/m,
    );
    assert.match(text, /ours\/bare +2 {2}<= 1\.5 {2}FAIL/);
    assert.match(text, /some checks FAILED$/);
  });

  it("exits 2 with the suites listed for an unknown suite", () => {
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", path.join(__dirname, "../../bench/index.ts"), "--suite", "nope"],
      {
        encoding: "utf8",
      },
    );
    assert.equal(r.status, 2);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /unknown suite "nope"; suites: securityGroups, reactor, analyzer/);
  });
});
