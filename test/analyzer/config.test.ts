/** Policy config reconciliation, as the engine does it before Configure. */
import Ajv from "ajv";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import {
  PolicyConfigError,
  parsePolicyConfig,
  policySchemaValidator,
  reconcilePolicyConfig,
  type PolicyConfigEntry,
  type PolicyMeta,
} from "../../scripts/lib/analyzerConfig";
import { cacheDir } from "../../scripts/lib/buildCache";
import { PROJECT_ROOT } from "../../scripts/lib/planInput";

const POLICIES: PolicyMeta[] = [
  { name: "a-mandatory", enforcementLevel: "mandatory" },
  {
    name: "b-configurable",
    enforcementLevel: "advisory",
    configSchema: {
      properties: {
        allowed: { type: "array", items: { type: "string" }, default: ["t3.micro"] },
        limit: { type: "number" },
      },
      required: [],
    },
  },
  {
    name: "c-required",
    enforcementLevel: "advisory",
    configSchema: { properties: { owner: { type: "string" } }, required: ["owner"] },
  },
];
const NONE = new Map<string, PolicyConfigEntry>();
const OWNER = { "c-required": { owner: "ops" } };

function asObject(m: ReturnType<typeof reconcilePolicyConfig>): Record<string, unknown> {
  return Object.fromEntries(m);
}

describe("reconcilePolicyConfig", () => {
  it("starts each policy at its own level and its schema's defaults", () => {
    assert.deepEqual(asObject(reconcilePolicyConfig(POLICIES, NONE, OWNER)), {
      "a-mandatory": { enforcementLevel: "mandatory", properties: {} },
      "b-configurable": { enforcementLevel: "advisory", properties: { allowed: ["t3.micro"] } },
      "c-required": { enforcementLevel: "advisory", properties: { owner: "ops" } },
    });
  });

  it("applies a level given as a string or inside an object, and merges properties over defaults", () => {
    const got = reconcilePolicyConfig(POLICIES, NONE, {
      ...OWNER,
      "a-mandatory": "disabled",
      "b-configurable": { enforcementLevel: "mandatory", limit: 3 },
    });
    assert.deepEqual(got.get("a-mandatory"), { enforcementLevel: "disabled", properties: {} });
    assert.deepEqual(got.get("b-configurable"), {
      enforcementLevel: "mandatory",
      properties: { allowed: ["t3.micro"], limit: 3 },
    });
  });

  it('sets every level with "all", then lets a named policy override it', () => {
    const got = reconcilePolicyConfig(POLICIES, NONE, {
      ...OWNER,
      all: "advisory",
      "a-mandatory": "mandatory",
    });
    assert.deepEqual(
      [...got].map(([k, v]) => [k, v.enforcementLevel]),
      [
        ["a-mandatory", "mandatory"],
        ["b-configurable", "advisory"],
        ["c-required", "advisory"],
        ["all", "advisory"],
      ],
    );
  });

  it("applies the pack's initial config before the user's", () => {
    const initial = new Map<string, PolicyConfigEntry>([
      ["b-configurable", { enforcementLevel: "mandatory", properties: { limit: 1 } }],
    ]);
    const got = reconcilePolicyConfig(POLICIES, initial, { ...OWNER, "b-configurable": { limit: 2 } });
    assert.deepEqual(got.get("b-configurable"), {
      enforcementLevel: "mandatory",
      properties: { allowed: ["t3.micro"], limit: 2 },
    });
  });

  it("validates each policy's properties against its schema, naming the policy", () => {
    assert.throws(
      () => reconcilePolicyConfig(POLICIES, NONE, { "b-configurable": { limit: "three" } }),
      (e: Error) => {
        assert.equal(
          e.message,
          "validating policy config: b-configurable: limit must be number; c-required: must have required property 'owner'",
        );
        return true;
      },
    );
  });

  it("refuses an unknown policy given properties but no level, as the engine does", () => {
    assert.throws(
      () => reconcilePolicyConfig(POLICIES, NONE, { ...OWNER, "no-such-policy": { x: 1 } }),
      /configuring policy "no-such-policy": invalid enforcement level ""/,
    );
  });

  it("refuses, naming the pack, unknown policies and properties, with the names that exist", () => {
    assert.throws(
      () =>
        reconcilePolicyConfig(
          POLICIES,
          NONE,
          {
            ...OWNER,
            "a-mandatroy": "advisory",
            "b-configurable": { alowed: [], limit: 1 },
            "a-mandatory": { x: 1 },
            all: "advisory",
          },
          "fixture",
        ),
      (e: Error) => {
        assert.ok(e instanceof PolicyConfigError);
        assert.equal(
          e.message,
          [
            'invalid policy config for pack "fixture":',
            '  "a-mandatroy" is not a policy of pack "fixture" (did you mean "a-mandatory"?); its policies are: a-mandatory, b-configurable, c-required',
            '  policy "b-configurable" has no property "alowed" (did you mean "allowed"?); it takes: allowed, limit',
            '  policy "a-mandatory" has no property "x"; it takes none (only enforcementLevel)',
          ].join("\n"),
        );
        return true;
      },
    );
  });

  it("refuses Pulumi ESC environments, which only the service resolves", () => {
    assert.throws(
      () => reconcilePolicyConfig(POLICIES, NONE, { ...OWNER, environments: ["acme/policy"] }, "fixture"),
      /^PolicyConfigError: "environments" \(Pulumi ESC environments\) cannot be resolved offline/,
    );
  });
});

describe("parsePolicyConfig", () => {
  it("drops empty entries", () => {
    assert.deepEqual([...parsePolicyConfig({ a: {} })], []);
  });
  it("refuses an invalid level", () => {
    assert.throws(
      () => parsePolicyConfig({ a: "strict" }),
      /parsing enforcement level for "a": "strict" is not a valid enforcement level/,
    );
    assert.throws(
      () => parsePolicyConfig({ a: { enforcementLevel: 1 } }),
      /parsing enforcement level for "a": 1 is not a valid enforcement level/,
    );
  });
  it("refuses a value that is neither a string nor an object", () => {
    assert.throws(
      () => parsePolicyConfig({ a: 3 }),
      /parsing "a": 3 is not a valid value; must be a string or object/,
    );
  });
});

describe("policySchemaValidator: ajv's code for a pack's schema, kept in the build cache", () => {
  const schemas: Record<string, unknown>[] = [
    {
      type: "object",
      properties: {
        allowed: { type: "array", items: { type: "string", maxLength: 4 } },
        limit: { type: "number" },
      },
      required: ["limit"],
    },
    { type: "object", properties: { mode: { enum: ["a", "b"] }, tag: { const: "x" } } },
  ];
  const values: unknown[] = [
    { limit: 1 },
    { limit: "1" },
    {},
    { allowed: ["t3", "t3.micro", 7], limit: 2 },
    { mode: "c", tag: "y" },
    { mode: "a", tag: "x" },
    [],
  ];

  it("gives ajv's compiled verdicts and errors, from a cache file named by the schema's hash", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    for (const schema of schemas) {
      const compiled = ajv.compile(schema);
      const cached = policySchemaValidator(schema);
      const again = policySchemaValidator(schema);
      assert.equal(again, cached, "the second time, the same module from the cache");
      for (const v of values) {
        assert.equal(cached(v), compiled(v), JSON.stringify(v));
        assert.deepEqual(cached.errors ?? null, compiled.errors ?? null, JSON.stringify(v));
      }
    }
    const files = fs
      .readdirSync(cacheDir(PROJECT_ROOT))
      .filter((f) => /^policy-schema-[0-9a-f]{32}-.*\.js$/.test(f));
    assert.ok(files.length >= schemas.length, files.join(", "));
  });

  it("gives a changed schema its own validator", () => {
    const strict = policySchemaValidator({
      type: "object",
      properties: { n: { type: "number", maximum: 3 } },
    });
    const loose = policySchemaValidator({
      type: "object",
      properties: { n: { type: "number", maximum: 30 } },
    });
    assert.equal(strict({ n: 10 }), false);
    assert.equal(loose({ n: 10 }), true);
  });
});
