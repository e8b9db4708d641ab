/**
 * Resources in registration order, as a program registers them: the offline plan analyzes each one
 * as it comes, as the engine does (its step generator calls Remediate and Analyze when a resource
 * is registered), instead of waiting for the whole program. A feed of a finished list is the same
 * thing with every resource there already.
 */
import type { RecordedResource } from "./record";

export class ResourceFeed {
  private readonly items: RecordedResource[] = [];
  private readonly urns = new Map<string, RecordedResource>();
  private wakers: (() => void)[] = [];
  private ended = false;

  static of(resources: readonly RecordedResource[]): ResourceFeed {
    const feed = new ResourceFeed();
    for (const r of resources) feed.push(r);
    feed.end();
    return feed;
  }

  push(r: RecordedResource): void {
    if (this.ended) throw new Error(`resource ${r.urn} registered after the feed ended`);
    this.items.push(r);
    this.urns.set(r.urn, r);
    this.wake();
  }

  /** No more resources: the program finished (or failed). */
  end(): void {
    this.ended = true;
    this.wake();
  }

  /** The i-th resource registered, once it is; undefined when the feed ended before it. */
  async at(i: number): Promise<RecordedResource | undefined> {
    while (i >= this.items.length && !this.ended) await new Promise<void>((wake) => this.wakers.push(wake));
    return this.items[i];
  }

  /** Every resource so far, by URN (a resource's provider is registered before it). */
  get byUrn(): ReadonlyMap<string, RecordedResource> {
    return this.urns;
  }

  /** Every resource so far, in registration order. */
  get all(): readonly RecordedResource[] {
    return this.items;
  }

  private wake(): void {
    const wakers = this.wakers;
    this.wakers = [];
    for (const w of wakers) w();
  }
}
