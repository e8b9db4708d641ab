/**
 * The per-message text work of SNS verification, kept off the allocator: the bytes SNS signs,
 * encoded into one reused buffer, and the scan of Message for control characters.
 *
 * Measured (bench/reactor.ts, and by elimination in one process): with the key cached, all of our
 * work beyond `crypto.verify` is a few microseconds, and most of it was these two. Encoding the
 * string to sign as one string made V8 flatten a 1 KiB cons string first (more than the encoding
 * itself); the control-character regular expression costs about 1.5 ns a character. Both are done
 * here in native passes over flat strings, and the regular expression stays the definition: the
 * word scan only ever accepts text that is plainly printable ASCII, anything else goes to it.
 */
import type { SnsMessage } from "./sns";

// Every C0/C1 control character but \t \n \r. In Message, SNS's own confirmation text has a
// newline, so there we allow them: the fields signed after Message are newline-free and named, so
// the split of the string to sign stays unique and no content can be shifted between fields.
export const CONTROL_IN_MESSAGE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/**
 * Everything SNS signs after the Message value: `\nKey\nValue` for each further signed key present,
 * in the order of DESIGN.md "Reactor" step 1, and the final newline. The one place that order is
 * written down.
 */
function signedTail(m: SnsMessage): string {
  if (m.Type === "Notification") {
    const subject = m.Subject === undefined ? "" : `\nSubject\n${m.Subject}`;
    return `\nMessageId\n${m.MessageId}${subject}\nTimestamp\n${m.Timestamp}\nTopicArn\n${m.TopicArn}\nType\n${m.Type}\n`;
  }
  return (
    `\nMessageId\n${m.MessageId}\nSubscribeURL\n${m.SubscribeURL}\nTimestamp\n${m.Timestamp}` +
    `\nToken\n${m.Token}\nTopicArn\n${m.TopicArn}\nType\n${m.Type}\n`
  );
}

const HEAD = "Message\n";

/** The exact text SNS signs: `Key\nValue\n` for each signed key present, in order. */
export function stringToSign(m: SnsMessage): string {
  return HEAD + m.Message + signedTail(m);
}

const SCRATCH_BYTES = 16 * 1024;
const utf8 = new TextEncoder();
const signing = new Uint8Array(SCRATCH_BYTES);
utf8.encodeInto(HEAD, signing);

/**
 * `Buffer.from(stringToSign(m), "utf8")`, byte for byte, written into one reused buffer: no cons
 * string to flatten, no length pass, no allocation. Encoding the pieces apart gives the same bytes
 * (the pieces meet at newlines, so no surrogate pair is split). The result is a view valid only
 * until the next call: use it synchronously (no await between this and the check that reads it).
 * A message too large for the buffer gets a buffer of its own.
 */
export function bytesToSign(m: SnsMessage): Uint8Array {
  const tail = signedTail(m);
  // A UTF-16 unit is at most 3 UTF-8 bytes, so text that short always fits.
  if ((m.Message.length + tail.length) * 3 + HEAD.length > SCRATCH_BYTES) {
    return Buffer.from(stringToSign(m), "utf8");
  }
  const body = utf8.encodeInto(m.Message, signing.subarray(HEAD.length)).written;
  const end = HEAD.length + body;
  return signing.subarray(0, end + utf8.encodeInto(tail, signing.subarray(end)).written);
}

// The scan's own buffer (never the one above: a scan runs while another message's bytes to sign
// may be waiting for its key), viewed as 32-bit words.
const scan = new ArrayBuffer(SCRATCH_BYTES);
const scanBytes = new Uint8Array(scan);
const scanWords = new Uint32Array(scan);

/** Whether `body` holds a character that CONTROL_IN_MESSAGE rejects. */
export function messageHasControl(body: string): boolean {
  if (body.length * 3 > SCRATCH_BYTES || !printableAscii(utf8.encodeInto(body, scanBytes).written)) {
    return CONTROL_IN_MESSAGE.test(body);
  }
  return false;
}

/**
 * Whether the first `n` bytes of the scan buffer are all 0x20–0x7E, four at a time: for a word x,
 * `(x - 0x20202020) & ~x` has a byte's top bit set iff some byte is below 0x20 (given none is above
 * 0x7F), `(x + 0x01010101) | x` iff some byte is above 0x7E (Hacker's Delight / "Bit Twiddling
 * Hacks": hasless, hasmore). The JS operators wrap to 32 bits, as the technique needs.
 */
function printableAscii(n: number): boolean {
  const words = n >>> 2;
  let flags = 0;
  for (let i = 0; i < words; i++) {
    const x = scanWords[i]!;
    flags |= ((x - 0x20202020) & ~x) | (x + 0x01010101) | x;
  }
  if ((flags & 0x80808080) !== 0) return false;
  for (let i = words << 2; i < n; i++) {
    const c = scanBytes[i]!;
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}
