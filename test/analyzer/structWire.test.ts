/** structWire.ts: google.protobuf.Struct encoded natively, byte for byte as google-protobuf encodes it. */
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import {
  analyzeRequest,
  analyzeRequestBytes,
  prepareResources,
  stackResourceBytes,
  stackResourceMessage,
} from "../../scripts/lib/analyzerMessages";
import { loadPlanInput, planStack } from "../../scripts/lib/planner";
import { encodeStruct } from "../../scripts/lib/structWire";
import { violatingStack } from "./stacks";

const google = (v: Record<string, unknown>): Buffer =>
  Buffer.from(Struct.fromJavaScript(v as never).serializeBinary());

describe("encodeStruct", () => {
  it("gives google-protobuf's bytes for any JSON object", () => {
    const text = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }));
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        fc.constant(null),
        fc.boolean(),
        fc.double(),
        fc.integer(),
        text,
        fc.array(tie("value")),
        tie("object"),
      ),
      object: fc.dictionary(text, tie("value")),
    }));
    fc.assert(
      fc.property(json.object, (o) =>
        assert.deepEqual(encodeStruct(o as Record<string, unknown>), google(o as never)),
      ),
      { numRuns: 2000, seed: 14 },
    );
  });

  it("writes a surrogate without its pair, and NaN, as google-protobuf does", () => {
    const o = { a: "x\ud800y", b: "\udc00", c: "\ud83d\ude00", d: "\ude00\ud83d", n: NaN };
    assert.deepEqual(encodeStruct(o), google(o));
  });

  it("encodes a long string the same (the reactor's half-megabyte bundle)", () => {
    const o = { code: "é∑😀x".repeat(120_000) };
    assert.deepEqual(encodeStruct(o), google(o));
  });

  it("refuses what Struct.fromJavaScript refuses, in its words", () => {
    assert.throws(() => encodeStruct({ a: undefined }), /^Error: Unexpected struct type\.$/);
    assert.throws(() => google({ a: undefined }), /^Error: Unexpected struct type\.$/);
  });
});

describe("analyzeRequestBytes and stackResourceBytes", function () {
  this.timeout(120_000);

  const same = (resources: Parameters<typeof prepareResources>[0], config: Record<string, string>) => {
    const { all } = prepareResources(resources, config);
    for (const x of all) {
      for (const internal of [true, false])
        assert.deepEqual(
          analyzeRequestBytes(x, x.r.wireInputs, internal),
          Buffer.from(analyzeRequest(x, x.r.wireInputs, internal).serializeBinary()),
          `${x.r.urn} (internal keys: ${String(internal)})`,
        );
      for (const props of ["inputs", "outputs"] as const)
        assert.deepEqual(
          stackResourceBytes(x, undefined, props),
          Buffer.from(stackResourceMessage(x, undefined, props).serializeBinary()),
          `${x.r.urn} (${props})`,
        );
    }
    return all.length;
  };

  it("are the messages' own bytes for every resource of the prod plan", async () => {
    const input = loadPlanInput({ stack: "prod" });
    const { resources } = await planStack(input);
    assert.equal(same(resources, input.stackFile.config), resources.length);
  });

  it("are the messages' own bytes for the analyzer's fixture stack (unknowns, secrets, providers)", () => {
    assert.ok(same(violatingStack(), { "aws:region": "us-east-1" }) > 0);
  });
});
