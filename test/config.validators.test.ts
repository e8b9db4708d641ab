/**
 * The generated config validators (config/validators.generated.js, `npm run gen:validators`) are
 * current with config/schema.ts, and validate exactly as ajv compiling the schemas at run time does
 * (as validate.ts did before): the same verdict, the same error objects and the same issue texts, over
 * every stack file's values, mutations of them and values generated from the schemas themselves.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ErrorObject, ValidateFunction } from "ajv";
import * as fc from "fast-check";
import { shapeForms, type ShapeForm } from "../config/schema";
import { coerceNumbers, issuesOf } from "../config/validate";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the generated module is CommonJS (`export =`)
import generated = require("../config/validators.generated");
import { compileAtRuntime, GENERATED, generate, REGENERATE, staleFiles } from "../scripts/genValidators";
import { PROJECT_ROOT } from "../scripts/lib/planner";
import { stackFileValues } from "./configHelpers";

type Schema = Readonly<Record<string, unknown>>;

const generatedFor = (form: ShapeForm): ValidateFunction =>
  (generated as Readonly<Record<string, ValidateFunction>>)[form]!;

/** The key a form belongs to (`reactor[]` → `reactor`). */
const keyOf = (form: ShapeForm): string => form.replace(/\[\]$/, "");

/** Error objects as data: the schema nodes without TypeBox's symbol keys, which ajv never reads. */
const plain = (errors: readonly ErrorObject[] | null | undefined): unknown =>
  errors === null || errors === undefined ? errors : (JSON.parse(JSON.stringify(errors)) as unknown);

/** What was compared, to show the values reached both verdicts and every keyword the schemas use. */
interface Seen {
  valid: Map<ShapeForm, number>;
  invalid: Map<ShapeForm, number>;
  keywords: Set<string>;
}

const newSeen = (): Seen => ({ valid: new Map(), invalid: new Map(), keywords: new Set() });

/**
 * Asserts the generated and the runtime-compiled validator of `form` agree on `value`, as it is and
 * with numeric strings made numbers (what checkShapes hands them).
 */
function agree(runtime: ValidateFunction, form: ShapeForm, value: unknown, seen: Seen): void {
  const ours = generatedFor(form);
  for (const v of [value, coerceNumbers(shapeForms.get(form), value)]) {
    const verdict = runtime(v);
    const runtimeErrors = plain(runtime.errors);
    assert.equal(ours(v), verdict, `verdict on ${JSON.stringify(v)}`);
    assert.deepEqual(plain(ours.errors), runtimeErrors, `errors on ${JSON.stringify(v)}`);
    assert.deepEqual(issuesOf(keyOf(form), ours, v), issuesOf(keyOf(form), runtime, v));
    const tally = verdict ? seen.valid : seen.invalid;
    tally.set(form, (tally.get(form) ?? 0) + 1);
    for (const e of runtime.errors ?? []) seen.keywords.add(e.keyword);
  }
}

/** Values a user might write in the wrong place: wrong types, numeric and boolean words, empties. */
const stray = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 65536, "", "yes", "12", "-3", "2.5", "x", [], {}, ["a"]),
  fc.string({ maxLength: 8 }),
  fc.integer({ min: -100, max: 100_000 }),
  fc.dictionary(fc.constantFrom("name", "nmae", "port", "extra"), fc.constantFrom("a", 1, null), {
    maxKeys: 2,
  }),
);

/** A string the node's pattern accepts, or undefined when fast-check cannot build one from it. */
function matching(pattern: string): fc.Arbitrary<string> | undefined {
  try {
    return fc.stringMatching(new RegExp(pattern, "u"));
  } catch {
    return undefined;
  }
}

/**
 * Values shaped by a schema node: mostly what it accepts (each keyword's bounds and their
 * neighbours), and now and then a stray value in its place, an unknown key or a missing required one.
 */
function valuesFor(s: Schema): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 12, arbitrary: shaped(s) }, { weight: 1, arbitrary: stray });
}

function shaped(s: Schema): fc.Arbitrary<unknown> {
  if (Array.isArray(s.enum)) return fc.oneof(fc.constantFrom(...(s.enum as unknown[])), stray);
  if ("const" in s)
    return fc.oneof({ weight: 4, arbitrary: fc.constant(s.const) }, { weight: 1, arbitrary: stray });
  const types = s.type === undefined ? [] : Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
  if (types.length === 0) return stray;
  return fc.oneof(...types.map((t) => ofType(s, t, types)));
}

function ofType(s: Schema, type: string, types: readonly string[]): fc.Arbitrary<unknown> {
  const min = typeof s.minimum === "number" ? s.minimum : -10;
  const max = typeof s.maximum === "number" ? s.maximum : 100_000;
  const around = [min - 1, min, min + 1, max - 1, max, max + 1];
  switch (type) {
    case "integer":
      return fc.oneof(
        fc.constantFrom(...around),
        fc.integer({ min: min - 2, max: max + 2 }),
        fc.constant(1.5),
      );
    case "number":
      return fc.oneof(fc.integer({ min: -10, max: 1000 }), fc.double({ min: -10, max: 1000, noNaN: true }));
    case "boolean":
      return fc.boolean();
    case "string": {
      const numeric = types.includes("integer") || types.includes("number");
      const pattern = typeof s.pattern === "string" ? matching(s.pattern) : undefined;
      const maxLength = typeof s.maxLength === "number" ? s.maxLength : 12;
      const options: fc.Arbitrary<unknown>[] = [
        fc.string({ maxLength: maxLength + 2 }),
        fc.constantFrom("", "a", "x".repeat(maxLength), "x".repeat(maxLength + 1)),
      ];
      if (pattern) options.push(pattern, pattern, pattern);
      if (numeric)
        options.push(...around.map((n) => fc.constant(String(n))), fc.constantFrom("1.5", " 7", "07"));
      return fc.oneof(...options);
    }
    case "array": {
      const items = (s.items ?? {}) as Schema;
      // Up to one past maxItems, else short lists.
      const most = typeof s.maxItems === "number" ? s.maxItems + 1 : 3;
      return fc.oneof(
        fc.array(valuesFor(items), { maxLength: 3 }),
        fc.array(valuesFor(items), { maxLength: most }),
      );
    }
    case "object":
      return objectOf(s);
    default:
      return stray;
  }
}

const ABSENT = Symbol("absent");

function objectOf(s: Schema): fc.Arbitrary<unknown> {
  const props = Object.entries((s.properties ?? {}) as Record<string, Schema>);
  const required = new Set((s.required ?? []) as string[]);
  const fields = props.map(([k, v]) =>
    fc
      .oneof(
        { weight: required.has(k) ? 20 : 4, arbitrary: valuesFor(v) },
        { weight: required.has(k) ? 1 : 3, arbitrary: fc.constant(ABSENT) },
      )
      .map((value) => [k, value] as const),
  );
  const extra =
    typeof s.additionalProperties === "object"
      ? fc.dictionary(
          fc.constantFrom("web", "db", "a.b", "x/y", "~0"),
          valuesFor(s.additionalProperties as Schema),
          {
            maxKeys: 2,
          },
        )
      : fc.oneof(
          { weight: 8, arbitrary: fc.constant({}) },
          // An unknown key, near a known one when there is one (the messages guess it).
          { weight: 1, arbitrary: fc.constantFrom({ [`${props[0]?.[0] ?? "key"}s`]: 1 }, { unknown: "x" }) },
        );
  return fc.tuple(fc.tuple(...fields), extra).map(([set, more]) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of set) if (v !== ABSENT) out[k] = v;
    return { ...out, ...(more as object) };
  });
}

/** One change to a valid value somewhere inside it: a value replaced, a key or item dropped or added. */
function mutations(value: unknown): fc.Arbitrary<unknown> {
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, at: (string | number)[]): void => {
    paths.push(at);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...at, i]));
    else if (v !== null && typeof v === "object")
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, [...at, k]);
  };
  walk(value, []);
  return fc
    .tuple(fc.constantFrom(...paths), fc.constantFrom("replace", "drop", "add"), stray)
    .map(([at, op, replacement]) => {
      if (at.length === 0) return replacement;
      const copy = structuredClone(value);
      const parent = at
        .slice(0, -1)
        .reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], copy) as Record<
        string | number,
        unknown
      >;
      const last = at[at.length - 1]!;
      if (op === "replace") parent[last] = replacement;
      else if (op === "drop") {
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
      } else if (Array.isArray(parent)) parent.push(replacement);
      else parent[`${String(last)}_x`] = replacement;
      return copy;
    });
}

describe("config: the generated validators", () => {
  it(`are current with config/schema.ts and ajv (else: run \`${REGENERATE}\`)`, () => {
    assert.deepEqual(
      staleFiles(),
      [],
      `the generated config validators are out of date with config/schema.ts or ajv: run \`${REGENERATE}\` and commit the result`,
    );
  });

  it("notice a generated file that differs from a fresh generation, or is missing", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "pillar-validators-"));
    try {
      fs.mkdirSync(path.join(root, "config"));
      const fresh = generate();
      fs.writeFileSync(path.join(root, GENERATED.js), fresh.js);
      fs.writeFileSync(path.join(root, GENERATED.dts), fresh.dts);
      assert.deepEqual(staleFiles(root), []);
      // A schema changed by one bound, as if edited without regenerating.
      fs.writeFileSync(path.join(root, GENERATED.js), fresh.js.replace('"maximum":65535', '"maximum":65536'));
      assert.notEqual(fs.readFileSync(path.join(root, GENERATED.js), "utf8"), fresh.js);
      assert.deepEqual(staleFiles(root), [GENERATED.js]);
      fs.rmSync(path.join(root, GENERATED.dts));
      assert.deepEqual(staleFiles(root), [GENERATED.js, GENERATED.dts]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("export one validator per form, and need no ajv compiler at run time", () => {
    assert.deepEqual(Object.keys(generated), [...shapeForms.keys()]);
    for (const form of shapeForms.keys()) assert.equal(typeof generatedFor(form), "function");
    const requires = [
      ...fs.readFileSync(path.join(PROJECT_ROOT, GENERATED.js), "utf8").matchAll(/require\("([^"]+)"\)/g),
    ]
      .map((m) => m[1]!)
      .filter((r, i, all) => all.indexOf(r) === i);
    assert.ok(requires.length > 0);
    for (const r of requires) assert.match(r, /^ajv\/dist\/runtime\//);
  });

  describe("validate exactly as ajv compiling the schemas at run time", () => {
    let runtime: Map<ShapeForm, ValidateFunction>;
    const seen = newSeen();
    before(() => (runtime = compileAtRuntime()));

    it("accepts every stack file's values, as the runtime compile does", () => {
      const values = stackFileValues();
      assert.ok(values.length >= 30, `only ${values.length} stack values`);
      for (const { file, form, value } of values) {
        assert.equal(generatedFor(form)(coerceNumbers(shapeForms.get(form), value)), true, `${file} ${form}`);
        agree(runtime.get(form)!, form, value, seen);
      }
    });

    it("on one change anywhere inside each stack file's values", () => {
      const cases = fc
        .constantFrom(...stackFileValues())
        .chain(({ form, value }) => mutations(value).map((changed) => ({ form, changed })));
      fc.assert(
        fc.property(cases, ({ form, changed }) => agree(runtime.get(form)!, form, changed, seen)),
        { numRuns: 1500, seed: 14 },
      );
    });

    for (const form of shapeForms.keys()) {
      it(`on values generated from the ${form} schema`, () => {
        fc.assert(
          fc.property(valuesFor(shapeForms.get(form) as unknown as Schema), (value) =>
            agree(runtime.get(form)!, form, value, seen),
          ),
          { numRuns: 300, seed: 14 },
        );
      });
    }

    it("reached both verdicts for every form and every keyword the schemas use", () => {
      for (const form of shapeForms.keys()) {
        assert.ok((seen.valid.get(form) ?? 0) > 0, `no valid ${form} value compared`);
        assert.ok((seen.invalid.get(form) ?? 0) > 0, `no invalid ${form} value compared`);
      }
      assert.deepEqual([...seen.keywords].sort(), [
        "additionalProperties",
        "const",
        "enum",
        "maxItems",
        "maxLength",
        "maxProperties",
        "maximum",
        "minItems",
        "minLength",
        "minProperties",
        "minimum",
        "pattern",
        "required",
        "type",
      ]);
    });
  });
});
