/**
 * `npm run bench -- --suite config`: the config validators as every plan (and `pulumi preview`)
 * gets them — loading the generated standalone module (config/validators.generated.js) — against
 * compiling the schemas with ajv, which every run did before issue 14. Side by side in one run:
 *
 * - cold: each in a fresh `node` process, timed inside it (no process start), so the compile pays
 *   for loading ajv's compiler as a plan did, and the load for the module and ajv's runtime helpers;
 *   checked on CPU time (user + system), wall time beside it.
 * - warm: the compile alone, in this process with ajv already loaded (a figure, not compared: the
 *   module's load in this process would go through tsx's loader, which a plan does not).
 *
 * Also: validating every stack file's values with the generated validators against the
 * runtime-compiled ones (the same code, so ≈ 1), and, for the report, what the plan's other run-time
 * compile costs: the policy pack's config schemas (scripts/lib/analyzerConfig.ts), which come from
 * the pack over the wire and so stay compiled at run time.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ValidateFunction } from "ajv";
import { shapeForms, type ShapeForm } from "../config/schema";
import { coerceNumbers } from "../config/validate";
import { allPolicies } from "../policies/all";
import { AJV_OPTIONS, compileAtRuntime, GENERATED } from "../scripts/genValidators";
import { reconcilePolicyConfig, type PolicyMeta } from "../scripts/lib/analyzerConfig";
import { stackFileValues } from "../test/configHelpers";
import { BenchReport, check, interleaved, median } from "./lib";

const ROOT = path.resolve(__dirname, "..");
const COLD_ROUNDS = 15;
const WARM_ROUNDS = 30;

const round1 = (x: number) => Math.round(x * 10) / 10;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

/** A child that times `work` (a script body) and prints `{ wallMs, cpuMs }`. */
function timedScript(setup: string, work: string): string {
  return [
    setup,
    "const c0 = process.cpuUsage(); const t0 = performance.now();",
    work,
    "const wallMs = performance.now() - t0; const c = process.cpuUsage(c0);",
    "process.stdout.write(JSON.stringify({ wallMs, cpuMs: (c.user + c.system) / 1000 }));",
  ].join("\n");
}

function runChild(script: string): { wallMs: number; cpuMs: number } {
  const r = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`bench child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as { wallMs: number; cpuMs: number };
}

/** Each script run `COLD_ROUNDS` times in fresh processes, interleaved; medians of wall and CPU ms. */
function cold<K extends string>(scripts: Record<K, string>): Record<K, { wallMs: number; cpuMs: number }> {
  const keys = Object.keys(scripts) as K[];
  const samples = Object.fromEntries(
    keys.map((k) => [k, [] as { wallMs: number; cpuMs: number }[]]),
  ) as Record<K, { wallMs: number; cpuMs: number }[]>;
  for (let round = 0; round < COLD_ROUNDS + 1; round++) {
    for (const k of keys) {
      const s = runChild(scripts[k]);
      if (round > 0) samples[k].push(s);
    }
  }
  return Object.fromEntries(
    keys.map((k) => [
      k,
      { wallMs: median(samples[k].map((s) => s.wallMs)), cpuMs: median(samples[k].map((s) => s.cpuMs)) },
    ]),
  ) as Record<K, { wallMs: number; cpuMs: number }>;
}

/** The pack's policies as GetAnalyzerInfo reports them (name, level, config schema). */
function packPolicies(): PolicyMeta[] {
  return allPolicies.map((p) => ({
    name: p.name,
    enforcementLevel: p.enforcementLevel ?? "advisory",
    ...(p.configSchema
      ? { configSchema: { properties: p.configSchema.properties, required: p.configSchema.required ?? [] } }
      : {}),
  }));
}

export async function run(): Promise<BenchReport> {
  const js = path.join(ROOT, GENERATED.js);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pillar-bench-config-"));
  try {
    // The schemas as JSON for the compiling child (it has no TypeScript): what ajv sees is the same.
    const schemasFile = path.join(dir, "schemas.json");
    fs.writeFileSync(schemasFile, JSON.stringify(Object.fromEntries(shapeForms)));
    const coldFigures = cold({
      load: timedScript("", `require(${JSON.stringify(js)});`),
      compile: timedScript(
        `const schemas = JSON.parse(require("node:fs").readFileSync(${JSON.stringify(schemasFile)}, "utf8"));`,
        [
          'const Ajv2020 = require("ajv/dist/2020").default;',
          `const ajv = new Ajv2020(${JSON.stringify(AJV_OPTIONS)});`,
          "for (const s of Object.values(schemas)) ajv.compile(s);",
        ].join("\n"),
      ),
      ajvImport: timedScript("", 'require("ajv");'),
    });

    // Warm: ajv already loaded, the compile alone (as a second compile in one process would cost).
    const warm = await interleaved(
      { compile: () => compileAtRuntime() },
      { rounds: WARM_ROUNDS, warmup: 2, beforeEach: gc },
    );

    // Validation itself: the same code either way.
    const values = stackFileValues().map(({ form, value }) => ({
      form,
      value: coerceNumbers(shapeForms.get(form), value),
    }));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const generated = require(js) as Readonly<Record<string, ValidateFunction>>;
    const runtime = compileAtRuntime();
    const validateAll = (pick: (form: ShapeForm) => ValidateFunction) => () => {
      for (let i = 0; i < 200; i++) for (const { form, value } of values) pick(form)(value);
    };
    const validation = await interleaved(
      { generated: validateAll((f) => generated[f]!), runtime: validateAll((f) => runtime.get(f)!) },
      { rounds: WARM_ROUNDS, warmup: 2, beforeEach: gc },
    );

    // The pack's policy config schemas, validated by reconcilePolicyConfig on every plan: ajv's code for
    // each is kept in the build cache (analyzerConfig.ts policySchemaValidator), warm after a first run.
    const policies = packPolicies();
    const pack = await interleaved(
      { reconcile: () => reconcilePolicyConfig(policies, new Map(), undefined) },
      { rounds: WARM_ROUNDS, warmup: 2, beforeEach: gc },
    );

    const coldCpuRatio = coldFigures.compile.cpuMs / coldFigures.load.cpuMs;
    return {
      suite: "config",
      figures: {
        "forms validated": shapeForms.size,
        "generated module bytes": fs.statSync(js).size,
        "cold load ms (wall)": round1(coldFigures.load.wallMs),
        "cold load ms (CPU)": round1(coldFigures.load.cpuMs),
        "cold compile ms (wall, with ajv's import)": round1(coldFigures.compile.wallMs),
        "cold compile ms (CPU, with ajv's import)": round1(coldFigures.compile.cpuMs),
        "cold compile/load (wall)": round3(coldFigures.compile.wallMs / coldFigures.load.wallMs),
        "warm compile ms (ajv already loaded)": round1(warm.compile),
        "stack values validated (x200) ms, generated": round1(validation.generated),
        "stack values validated (x200) ms, runtime compile": round1(validation.runtime),
        "pack policies with a config schema": policies.filter((p) => p.configSchema).length,
        "pack policy config reconcile ms (their validators from the build cache)": round1(pack.reconcile),
        "cold require('ajv') ms (wall; only a schema not yet cached needs it)": round1(
          coldFigures.ajvImport.wallMs,
        ),
      },
      checks: [
        check("cold compile/load (CPU)", round3(coldCpuRatio), ">=", 5),
        check("validation generated/runtime", round3(validation.generated / validation.runtime), "<=", 1.5),
      ],
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
