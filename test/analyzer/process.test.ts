/** PulumiPolicy.yaml, the pack's environment and its command line. */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { openPolicyPack } from "../../scripts/lib/analyzer";
import { MAX_ARG_STRLEN } from "../../scripts/lib/configEnv";
import {
  NO_ENGINE_ADDRESS,
  PACK_CONFIG_PRELOAD,
  loadPolicyPackProject,
  packEnv,
  resolveRunPolicyPack,
} from "../../scripts/lib/analyzerProcess";
import { processesMentioning } from "./procs";

const FIXTURE = path.join(__dirname, "fixture-pack");

function withPolicyYaml(text: string, f: (dir: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pillar-policy-yaml-"));
  try {
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), text);
    f(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("loadPolicyPackProject", () => {
  it("reads a runtime given as a name", () => {
    withPolicyYaml("runtime: nodejs\nversion: 1.2.3\ndescription: d\n", (dir) =>
      assert.deepEqual(loadPolicyPackProject(dir), {
        runtime: "nodejs",
        nodeargs: [],
        typescript: true,
        version: "1.2.3",
        description: "d",
      }),
    );
  });

  it("reads a runtime given with options", () => {
    withPolicyYaml(
      "runtime:\n  name: nodejs\n  options:\n    nodeargs: --max-old-space-size=4096  --trace-warnings\n    typescript: false\nmain: dist/\n",
      (dir) =>
        assert.deepEqual(loadPolicyPackProject(dir), {
          runtime: "nodejs",
          nodeargs: ["--max-old-space-size=4096", "--trace-warnings"],
          typescript: false,
          main: "dist/",
        }),
    );
  });

  it("refuses a project without a runtime", () => {
    withPolicyYaml("description: d\n", (dir) =>
      assert.throws(() => loadPolicyPackProject(dir), /project is missing a 'runtime' attribute/),
    );
  });
});

describe("packEnv", () => {
  const base = {
    PATH: "/usr/bin",
    PULUMI_NODEJS_MONITOR: "127.0.0.1:1",
    PULUMI_CONFIG: '{"other:x":"1"}',
    PULUMI_HOME: "/h",
  };

  it("sets the stack's identity and config in both spellings, and drops our own program's runtime settings", () => {
    assert.deepEqual(
      packEnv(base, {
        organization: "org",
        project: "pillar",
        stack: "dev",
        dryRun: true,
        config: { "pillar:a": "1" },
        typescript: true,
      }),
      {
        PATH: "/usr/bin",
        PULUMI_HOME: "/h",
        PULUMI_NODEJS_TYPESCRIPT: "true",
        PULUMI_NODEJS_ORGANIZATION: "org",
        PULUMI_NODEJS_PROJECT: "pillar",
        PULUMI_NODEJS_STACK: "dev",
        PULUMI_NODEJS_DRY_RUN: "true",
        PULUMI_ORGANIZATION: "org",
        PULUMI_PROJECT: "pillar",
        PULUMI_STACK: "dev",
        PULUMI_DRY_RUN: "true",
        PULUMI_CONFIG: '{"pillar:a":"1"}',
      },
    );
  });

  it("leaves out what is empty", () => {
    const env = packEnv({}, { project: "p", stack: "s", dryRun: false, config: {}, typescript: false });
    assert.equal(env["PULUMI_NODEJS_ORGANIZATION"], undefined);
    assert.equal(env["PULUMI_NODEJS_TYPESCRIPT"], undefined);
    assert.equal(env["PULUMI_NODEJS_DRY_RUN"], "false");
  });
});

describe("openPolicyPack: the command line", function () {
  this.timeout(60_000);

  it("is node, run-policy-pack resolved from the pack, an engine address, and the pack's folder", async () => {
    const session = await openPolicyPack({
      packDir: FIXTURE,
      project: "p",
      stack: "s",
      dryRun: true,
      stackConfig: {},
    });
    try {
      assert.deepEqual(session.command, [
        process.execPath,
        resolveRunPolicyPack(FIXTURE),
        NO_ENGINE_ADDRESS,
        FIXTURE,
      ]);
      assert.match(session.command[1]!, /node_modules\/@pulumi\/pulumi\/cmd\/run-policy-pack\/index\.js$/);
      assert.deepEqual(processesMentioning(FIXTURE).length, 1);
    } finally {
      await session.close();
    }
    assert.deepEqual(processesMentioning(FIXTURE), []);
  });
});

describe("openPolicyPack: a stack config too big for one environment variable", function () {
  this.timeout(120_000);
  const CONFIG_PACK = path.join(__dirname, "config-pack");

  const seen = async (size: number) => {
    const session = await openPolicyPack({
      packDir: CONFIG_PACK,
      project: "pillar",
      stack: "s",
      dryRun: true,
      stackConfig: { "pillar:big": "x".repeat(size) },
    });
    try {
      const violations = await session.analyzeStack([]);
      return { command: session.command, messages: violations.map((v) => v.message) };
    } finally {
      await session.close();
    }
  };

  it("reaches the pack through a preloaded file, read before the pack loads, and the file is gone", async () => {
    const before = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith("pillar-pack-config-"));
    const r = await seen(MAX_ARG_STRLEN * 4);
    assert.deepEqual(r.messages, [
      `Reports the stack config the pack was given.\npillar:big has ${MAX_ARG_STRLEN * 4} characters; the config file variable is unset`,
    ]);
    assert.deepEqual(r.command.slice(0, 3), [process.execPath, "--require", PACK_CONFIG_PRELOAD]);
    const after = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith("pillar-pack-config-"));
    assert.deepEqual(
      after.filter((f) => !before.includes(f)),
      [],
    );
  });

  it("goes in PULUMI_CONFIG, as the CLI puts it, when it fits", async () => {
    const r = await seen(1000);
    assert.deepEqual(r.messages, [
      "Reports the stack config the pack was given.\npillar:big has 1000 characters; the config file variable is unset",
    ]);
    assert.equal(r.command[1], resolveRunPolicyPack(CONFIG_PACK));
  });
});
