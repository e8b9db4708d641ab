/**
 * Benchmark helpers. These machines are shared and noisy, so figures are never absolute times on
 * their own: contenders are run interleaved (A B A B …) in one process and compared as ratios of
 * medians.
 */
import { performance } from "node:perf_hooks";

/** One bound a benchmark checks, e.g. `time(10N)/time(N) <= 12`. */
export interface BenchCheck {
  readonly name: string;
  readonly value: number;
  readonly op: "<=" | ">=";
  readonly bound: number;
  readonly ok: boolean;
}

/** What one benchmark suite reports: raw figures (with units in their names) and checked ratios. */
export interface BenchReport {
  readonly suite: string;
  readonly figures: Readonly<Record<string, number>>;
  readonly checks: readonly BenchCheck[];
}

export function check(name: string, value: number, op: "<=" | ">=", bound: number): BenchCheck {
  return { name, value, op, bound, ok: op === "<=" ? value <= bound : value >= bound };
}

/**
 * A full collection (the entry starts suites with --expose-gc), then a pause for V8's concurrent
 * sweeper to finish it. `gc()` returns while helper threads still sweep the heap it marked; a CPU
 * clock counts every thread, so that sweeping (work for the heap as a whole, not for the run) was
 * billed to the next timed run. Seen in the tree suite: its CPU ratio 10N/N read 14–17 with it
 * billed; settled, 10.0–14.1 in CPU (its collector threads still count) and 7.7–9.5 in wall time.
 */
export async function settledGc(settleMs = 50): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("this suite needs --expose-gc (npm run bench starts it so)");
  gc();
  await new Promise((resolve) => setTimeout(resolve, settleMs));
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error("median of no samples");
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface InterleavedOptions {
  readonly rounds: number;
  readonly warmup?: number;
  /** Untimed, before each timed run: e.g. a full GC, so no contender pays for garbage the one before it left. */
  readonly beforeEach?: () => unknown;
  /**
   * What a run is measured in: wall time (the default), or the process's CPU time (user + system,
   * every thread, so a contender's own GC work counts), which time stolen by other processes on a
   * shared machine does not inflate.
   */
  readonly clock?: "wall" | "cpu";
}

/** Milliseconds on `clock` since an arbitrary origin. */
function clockNow(clock: "wall" | "cpu"): number {
  if (clock === "wall") return performance.now();
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Runs each contender `rounds` times, interleaved, after `warmup` untimed rounds, and returns every
 * timed run's milliseconds per contender, in round order (so `a[i]` and `b[i]` ran side by side).
 */
export async function interleavedSamples<K extends string>(
  contenders: Readonly<Record<K, () => unknown>>,
  opts: InterleavedOptions,
): Promise<Record<K, number[]>> {
  const keys = Object.keys(contenders) as K[];
  const clock = opts.clock ?? "wall";
  const samples = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as unknown as Record<K, number[]>;
  for (let round = 0; round < (opts.warmup ?? 1) + opts.rounds; round++) {
    for (const k of keys) {
      await opts.beforeEach?.();
      const t0 = clockNow(clock);
      await contenders[k]();
      const dt = clockNow(clock) - t0;
      if (round >= (opts.warmup ?? 1)) samples[k].push(dt);
    }
  }
  return samples;
}

/**
 * Runs each contender `rounds` times, interleaved, after `warmup` untimed rounds, and returns the
 * median time of each in milliseconds. Interleaving keeps machine drift out of the ratios.
 */
export async function interleaved<K extends string>(
  contenders: Readonly<Record<K, () => unknown>>,
  opts: InterleavedOptions,
): Promise<Record<K, number>> {
  const samples = await interleavedSamples(contenders, opts);
  return Object.fromEntries(Object.entries<number[]>(samples).map(([k, v]) => [k, median(v)])) as Record<
    K,
    number
  >;
}

/** The median over rounds of `num[i] / den[i]`: runs side by side in one round share the machine's state. */
export function medianRatio(num: readonly number[], den: readonly number[]): number {
  if (num.length !== den.length) throw new Error("medianRatio: sample counts differ");
  return median(num.map((n, i) => n / den[i]!));
}
