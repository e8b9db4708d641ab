import * as assert from "node:assert/strict";
import {
  AutonamingError,
  AutonamingModel,
  engineAutonaming,
  explicitName,
  generateName,
  parseAutonaming,
  strategyFor,
} from "../config/autonaming";
import { TYPES } from "../provider/types";

const ctx = {
  organization: "acme",
  project: "pillar",
  stack: "prod",
  configValue: (key: string) => ({ suffix: "blue", "nested.k": "deep" })[key],
};

const parse = (v: unknown): AutonamingModel | undefined =>
  parseAutonaming(typeof v === "string" ? v : JSON.stringify(v), ctx);

const SG = TYPES.ec2.SecurityGroup;
const ROLE = TYPES.iam.Role;

describe("pulumi:autonaming, parsed as the engine parses it", () => {
  it("is absent when the key is not set", () => {
    assert.equal(parseAutonaming(undefined, ctx), undefined);
    assert.equal(engineAutonaming(undefined, SG, "webhost", "u"), undefined);
  });

  it("resolves modes: verbatim enforces the logical name, disabled disables, default sends nothing", () => {
    assert.deepEqual(engineAutonaming(parse({ mode: "verbatim" }), SG, "webhost", "u"), {
      mode: "enforce",
      proposedName: "webhost",
      deleteBeforeReplace: true,
    });
    assert.deepEqual(engineAutonaming(parse({ mode: "disabled" }), SG, "webhost", "u"), {
      mode: "disable",
      deleteBeforeReplace: true,
    });
    assert.equal(engineAutonaming(parse({ mode: "default" }), SG, "webhost", "u"), undefined);
  });

  it("matches field names case-insensitively, as Go's encoding/json does", () => {
    assert.deepEqual(strategyFor(parse({ MODE: "verbatim" }), SG), { kind: "verbatim" });
  });

  it("picks the resource's strategy, then its provider's, then the global one", () => {
    const m = parse({
      mode: "default",
      providers: { aws: { mode: "verbatim", resources: { [ROLE]: { pattern: "${stack}-${name}" } } } },
    });
    assert.deepEqual(strategyFor(m, SG), { kind: "verbatim" });
    assert.deepEqual(strategyFor(m, ROLE), { kind: "pattern", pattern: "prod-${name}", enforce: false });
    assert.deepEqual(strategyFor(m, "random:index/randomId:RandomId"), { kind: "default" });
    // A provider entry with no mode or pattern of its own takes the global strategy.
    const inherit = parse({
      mode: "verbatim",
      providers: { aws: { resources: { [ROLE]: { mode: "default" } } } },
    });
    assert.deepEqual(strategyFor(inherit, SG), { kind: "verbatim" });
    assert.deepEqual(strategyFor(inherit, ROLE), { kind: "default" });
  });

  it("resolves ${organization}, ${project}, ${stack} and ${config.key} once, ${name} and random tokens per resource", () => {
    const m = parse({ pattern: "${organization}-${project}-${stack}-${config.suffix}-${name}-${hex(6)}" });
    const a = engineAutonaming(m, SG, "webhost", "urn:a")!;
    assert.equal(a.mode, "propose");
    assert.match(a.proposedName!, /^acme-pillar-prod-blue-webhost-[0-9a-f]{6}$/);
    assert.equal(a.deleteBeforeReplace, false);
    // Deterministic per seed, different across seeds.
    assert.equal(engineAutonaming(m, SG, "webhost", "urn:a")!.proposedName, a.proposedName);
    assert.notEqual(engineAutonaming(m, SG, "webhost", "urn:b")!.proposedName, a.proposedName);
    const enforced = engineAutonaming(parse({ pattern: "${name}", enforce: true }), SG, "webhost", "u");
    assert.deepEqual(enforced, { mode: "enforce", proposedName: "webhost", deleteBeforeReplace: true });
  });

  it("draws each random token from its own alphabet and length", () => {
    const g = generateName("${alphanum(5)}.${string(6)}.${num(7)}.${uuid}", "x", "seed");
    assert.match(
      g.name,
      /^[a-z0-9]{5}\.[a-z]{6}\.[0-9]{7}\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    assert.equal(g.hasRandom, true);
    assert.deepEqual(generateName("${name}-fixed", "x", "seed"), { name: "x-fixed", hasRandom: false });
  });

  it("keeps a token it does not know as written, and says so", () => {
    const m = parse({ pattern: "${name}-${region}" })!;
    assert.equal(engineAutonaming(m, SG, "webhost", "u")!.proposedName, "webhost-${region}");
    assert.deepEqual(m.warnings, [
      'pulumi:autonaming pattern "${name}-${region}": ${region} is not an autonaming token; the engine leaves it in the name as written',
    ]);
  });

  const ERRORS: readonly [string, unknown, string][] = [
    [
      "an unknown mode",
      { mode: "magic" },
      "failed to resolve root naming config: invalid naming mode: magic",
    ],
    [
      "mode and pattern",
      { mode: "verbatim", pattern: "x-${name}" },
      "failed to resolve root naming config: cannot specify both mode and pattern/enforce",
    ],
    [
      "mode and enforce",
      { mode: "verbatim", enforce: true },
      "failed to resolve root naming config: cannot specify both mode and pattern/enforce",
    ],
    [
      "enforce without a pattern",
      { enforce: true },
      "failed to resolve root naming config: pattern must be specified when enforce is true",
    ],
    [
      "an unknown key",
      { mode: "verbatim", modes: "x" },
      'failed to parse autonaming config: invalid autonaming config structure: json: unknown field "modes"',
    ],
    [
      "a string instead of a map",
      "verbatim",
      "failed to parse autonaming config: invalid autonaming config structure: json: cannot unmarshal string into Go value of type autonaming.autonamingSectionJSON",
    ],
    [
      "a number for mode",
      { mode: 1 },
      "failed to parse autonaming config: invalid autonaming config structure: json: cannot unmarshal number into Go struct field autonamingSectionJSON.mode of type string",
    ],
    [
      "a provider's unknown mode",
      { providers: { aws: { mode: "magic" } } },
      'failed to resolve naming config for provider "aws": invalid naming mode: magic',
    ],
    [
      "a resource entry with neither mode nor pattern",
      { providers: { aws: { resources: { [SG]: {} } } } },
      `mode or pattern must be specified for resource "${SG}"`,
    ],
    [
      "a resource entry as a bare pattern",
      { providers: { aws: { resources: { [SG]: "${name}" } } } },
      `failed to parse autonaming config: invalid autonaming config structure: json: cannot unmarshal string into Go struct field providerConfigJSON.providers.aws.resources.${SG} of type autonaming.namingConfigJSON`,
    ],
    [
      "a resource's enforce without pattern",
      { providers: { aws: { resources: { [SG]: { enforce: true } } } } },
      `failed to resolve naming config for resource "${SG}": pattern must be specified when enforce is true`,
    ],
    [
      "a config key that is not set",
      { pattern: "${name}-${config.nope}" },
      'failed to resolve root naming config: no value found for key "nope"',
    ],
  ];
  for (const [what, value, message] of ERRORS) {
    it(`refuses ${what} with the CLI's message`, () => {
      assert.throws(
        () => parse(value),
        (err: unknown) =>
          err instanceof AutonamingError && err.message === `getting autonaming config: ${message}`,
      );
    });
  }
});

describe("names the program sets itself follow the user's strategy for that type", () => {
  const ASG = TYPES.autoscaling.Group;
  it("keeps the program's stable name by default and under disabled", () => {
    assert.equal(
      explicitName(undefined, ASG, "app-hosts", "pillar-prod-app-hosts", "s"),
      "pillar-prod-app-hosts",
    );
    assert.equal(
      explicitName(parse({ mode: "disabled" }), ASG, "app-hosts", "pillar-prod-app-hosts", "s"),
      "pillar-prod-app-hosts",
    );
  });
  it("uses the seed's name under verbatim and the pattern's name under a pattern, stable across runs", () => {
    assert.equal(explicitName(parse({ mode: "verbatim" }), ASG, "app-hosts", "fallback", "s"), "app-hosts");
    const m = parse({
      providers: { aws: { resources: { [ASG]: { pattern: "${stack}-${name}-${hex(4)}" } } } },
    });
    const n = explicitName(m, ASG, "app-hosts", "fallback", "s");
    assert.match(n, /^prod-app-hosts-[0-9a-f]{4}$/);
    assert.equal(explicitName(m, ASG, "app-hosts", "fallback", "s"), n);
  });
});
