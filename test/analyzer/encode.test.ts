/** The AnalyzeStack request encoded resource by resource is byte-for-byte the request the stubs would write. */
import * as assert from "node:assert/strict";
import * as apb from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { encodeAnalyzeStackRequest } from "../../scripts/lib/analyzer";

function resource(name: string, padding: number): apb.AnalyzerResource {
  const m = new apb.AnalyzerResource();
  m.setUrn(`urn:pulumi:dev::pillar::a:b:C::${name}`);
  m.setType("a:b:C");
  m.setName(name);
  m.setProperties(Struct.fromJavaScript({ pad: "x".repeat(padding), n: 1, list: [true, null] }));
  m.setDependenciesList(["u1", "u2"]);
  return m;
}

describe("encodeAnalyzeStackRequest", () => {
  // Lengths that need one, two and three varint bytes.
  for (const sizes of [[], [10], [10, 200, 20_000], [0, 127, 128, 16_383, 16_384]]) {
    it(`matches AnalyzeStackRequest.serializeBinary for resources padded ${JSON.stringify(sizes)}`, () => {
      const resources = sizes.map((n, i) => resource(`r${i}`, n));
      const whole = new apb.AnalyzeStackRequest();
      whole.setResourcesList(resources);
      assert.deepEqual(
        Buffer.from(encodeAnalyzeStackRequest(resources.map((r) => r.serializeBinary()))),
        Buffer.from(whole.serializeBinary()),
      );
    });
  }
});
