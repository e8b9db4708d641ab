/**
 * Each resource's requests to a policy pack, encoded while the plan waits for its packs to listen.
 *
 * A pack takes longer to start than the program takes to run (issue 14), so the plan's own process
 * sits idle until the pack prints its port; then the two took turns: the plan encoded a window of
 * requests while the pack waited, the pack decoded and answered them while the plan waited. Encoded
 * ahead, the requests go out as bytes the moment the pack is configured, and the pack is kept busy.
 *
 * Only what is fixed when a resource is registered is kept: the Remediate and Analyze requests on
 * the inputs it was registered with, and (for a custom resource, whose AnalyzeStack state in a
 * preview is its inputs) its AnalyzeStack entry. A remediation that replaces the inputs, and a
 * component (whose AnalyzeStack state is what it passes to registerOutputs later), are encoded when
 * sent. The bytes are what analyzerMessages.ts encodes when sending (a test compares).
 */
import { analyzeRequestBytes, prepareResource, stackResourceBytes, type Prepared } from "./analyzerMessages";
import type { RecordedResource } from "./record";
import type { ResourceFeed } from "./resourceFeed";

export interface EncodedResource {
  readonly prepared: Prepared;
  /** Remediate's request: the registered inputs, internal keys included. */
  readonly remediate: Buffer;
  /** Analyze's request when no remediation replaced the inputs. */
  readonly analyze: Buffer;
  /** The resource's AnalyzeStack entry in a preview (custom resources only; see above). */
  readonly stack?: Buffer;
}

export class RequestCache {
  private readonly entries = new WeakMap<RecordedResource, EncodedResource>();

  constructor(
    /** The stack config the packs are given: a resource's default provider is resolved from it. */
    readonly stackConfig: Record<string, string>,
  ) {}

  /** What was encoded for `r`, if anything. */
  get(r: RecordedResource): EncodedResource | undefined {
    return this.entries.get(r);
  }

  /**
   * Encodes each resource the feed gets, in registration order, until `until` settles (the packs
   * are configured: from then on each request is encoded as it is sent, and memory stays bounded by
   * what was encoded while waiting) or the feed ends. Resolves to how many resources it encoded.
   */
  async warm(feed: ResourceFeed, until: Promise<unknown>): Promise<number> {
    let stop = false;
    const done = (): void => {
      stop = true;
    };
    until.then(done, done);
    let i = 0;
    for (; !stop; i++) {
      const r = await feed.at(i);
      if (r === undefined || stop) break;
      this.entries.set(r, encodeResource(prepareResource(r, feed.byUrn, this.stackConfig)));
    }
    return i;
  }
}

export function encodeResource(x: Prepared): EncodedResource {
  return {
    prepared: x,
    remediate: analyzeRequestBytes(x, x.r.wireInputs, true),
    analyze: analyzeRequestBytes(x, x.r.wireInputs, false),
    ...(x.r.custom ? { stack: stackResourceBytes(x, undefined, "inputs") } : {}),
  };
}
