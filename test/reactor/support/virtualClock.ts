/**
 * Virtual time for tests that run many flows at once: `sleep` parks a flow until the clock reaches
 * its wake-up time, and the clock only moves when nothing else can run (no tracked I/O in flight,
 * microtasks drained). A 20-minute hook timeout costs no real time, and the order of events in
 * virtual time does not depend on how fast the machine is.
 */

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly resolve: () => void;
}

export class VirtualClock {
  private t: number;
  private seq = 0;
  private readonly timers: Timer[] = [];
  private inflight = 0;

  constructor(start: Date) {
    this.t = start.getTime();
  }

  readonly now = (): Date => new Date(this.t);

  readonly sleep = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const timer = { at: this.t + Math.max(0, ms), seq: this.seq++, resolve };
      // Keep timers ordered by wake-up time, then by when they were set.
      let i = this.timers.length;
      while (
        i > 0 &&
        (this.timers[i - 1]!.at > timer.at ||
          (this.timers[i - 1]!.at === timer.at && this.timers[i - 1]!.seq > timer.seq))
      )
        i--;
      this.timers.splice(i, 0, timer);
    });

  /** Moves the clock forward to `ms` (epoch) between flows; never back. */
  advanceTo(ms: number): void {
    this.t = Math.max(this.t, ms);
  }

  /** Counts `p` as I/O in flight: the clock does not move until it settles. */
  track<T>(p: Promise<T>): Promise<T> {
    this.inflight++;
    return p.finally(() => {
      if (--this.inflight === 0) this.wake?.();
    });
  }

  /** Resolves the run loop's wait for in-flight I/O. */
  private wake: (() => void) | undefined;

  /** A client whose every `send` is tracked. */
  trackClient<C extends { send: (...a: never[]) => Promise<unknown> }>(client: C): C {
    const track = <T>(p: Promise<T>) => this.track(p);
    return new Proxy(client, {
      get(target, prop, receiver) {
        if (prop === "send") return (...args: never[]) => track(target.send(...args));
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
  }

  /** Drives virtual time until `work` settles. */
  async run<T>(work: Promise<T>): Promise<T> {
    let done = false;
    work.then(
      () => (done = true),
      () => (done = true),
    );
    let idleRounds = 0;
    while (!done) {
      await new Promise<void>((r) => setImmediate(r));
      if (done) break;
      if (this.inflight > 0) {
        // Sleep until the I/O is done rather than spin: the server may be in this process.
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        idleRounds = 0;
        continue;
      }
      // Two quiet turns: whatever was only waiting on microtasks has run.
      await new Promise<void>((r) => setImmediate(r));
      if (done || this.inflight > 0) continue;
      const next = this.timers.shift();
      if (next === undefined) {
        if (++idleRounds > 1000)
          throw new Error("VirtualClock: nothing in flight, no timer set, and the work is not done");
        continue;
      }
      idleRounds = 0;
      this.t = Math.max(this.t, next.at);
      next.resolve();
    }
    return work;
  }
}

/** A small seeded PRNG (mulberry32), so jitter and load scenarios repeat exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
