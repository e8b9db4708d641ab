/**
 * `google.protobuf.Struct` encoded straight from a JavaScript value, with Node's native UTF-8
 * encoder: the bytes `Struct.fromJavaScript(v).serializeBinary()` gives (google-protobuf), without
 * building the message objects or encoding strings character by character in JavaScript. The
 * reactor Lambda's code (half a megabyte of text) goes to the pack in every Remediate, Analyze and
 * AnalyzeStack request, and google-protobuf's encoding of it was a tenth of a second of the plan.
 *
 * The wire format (protobuf encoding; google/protobuf/struct.proto): Struct { map<string, Value>
 * fields = 1 } (each entry a message { string key = 1; Value value = 2 }, written in sorted key
 * order as google-protobuf writes a map); Value { oneof kind: NullValue null_value = 1 (an enum, 0);
 * double number_value = 2; string string_value = 3; bool bool_value = 4; Struct struct_value = 5;
 * ListValue list_value = 6 }; ListValue { repeated Value values = 1 }.
 */
import { BinaryWriter } from "google-protobuf";

type Chunk = Buffer;

function varint(n: number): Buffer {
  const bytes: number[] = [];
  for (; n >= 0x80; n = Math.floor(n / 0x80)) bytes.push((n % 0x80) | 0x80);
  bytes.push(n);
  return Buffer.from(bytes);
}

/** Field `field` with wire type 2 (length-delimited) around `body`. */
function delimited(field: number, body: Buffer): Chunk[] {
  return [Buffer.from([(field << 3) | 2]), varint(body.length), body];
}

// A UTF-16 surrogate without its pair: google-protobuf's UTF-8 writer has its own ways with one
// (it drops some, writes others as three bytes), Node's writes U+FFFD; such a string, and NaN (whose
// bits differ too), are written by google-protobuf's own writer.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function stringField(field: number, s: string): Chunk[] {
  if (LONE_SURROGATE.test(s)) {
    const w = new BinaryWriter();
    w.writeString(field, s);
    return [Buffer.from(w.getResultBuffer())];
  }
  return delimited(field, Buffer.from(s, "utf8"));
}

function value(v: unknown): Buffer {
  if (v === null) return Buffer.from([(1 << 3) | 0, 0]);
  switch (typeof v) {
    case "number": {
      if (Number.isNaN(v)) {
        const w = new BinaryWriter();
        w.writeDouble(2, v);
        return Buffer.from(w.getResultBuffer());
      }
      const b = Buffer.alloc(9);
      b[0] = (2 << 3) | 1;
      b.writeDoubleLE(v, 1);
      return b;
    }
    case "string":
      return Buffer.concat(stringField(3, v));
    case "boolean":
      return Buffer.from([(4 << 3) | 0, v ? 1 : 0]);
    case "object":
      if (Array.isArray(v)) return Buffer.concat(delimited(6, list(v)));
      return Buffer.concat(delimited(5, encodeStruct(v as Record<string, unknown>)));
    default:
      // As google-protobuf's Value.fromJavaScript refuses it, in its words.
      throw new Error("Unexpected struct type.");
  }
}

function list(values: readonly unknown[]): Buffer {
  return Buffer.concat(values.flatMap((v) => delimited(1, value(v))));
}

/** The bytes of `Struct.fromJavaScript(obj).serializeBinary()`. */
export function encodeStruct(obj: Readonly<Record<string, unknown>>): Buffer {
  const chunks: Chunk[] = [];
  for (const key of Object.keys(obj).sort()) {
    const entry = Buffer.concat([...stringField(1, key), ...delimited(2, value(obj[key]))]);
    chunks.push(...delimited(1, entry));
  }
  return Buffer.concat(chunks);
}

/**
 * A message's bytes with a string field 1 and a Struct field 2 put before the rest (`rest`: the
 * message serialized with both unset), as protobuf serializers write fields in number order; an
 * empty string is left out, as proto3 leaves out defaults.
 */
export function withTypeAndStruct(type: string, struct: Buffer, rest: Uint8Array): Buffer {
  return Buffer.concat([...(type.length > 0 ? stringField(1, type) : []), ...delimited(2, struct), rest]);
}
