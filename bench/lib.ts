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

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error("median of no samples");
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Runs each contender `rounds` times, interleaved, after `warmup` untimed rounds, and returns the
 * median wall time of each in milliseconds. Interleaving keeps machine drift out of the ratios.
 */
export async function interleaved<K extends string>(
  contenders: Readonly<Record<K, () => unknown>>,
  opts: { rounds: number; warmup?: number; beforeEach?: () => unknown },
): Promise<Record<K, number>> {
  const keys = Object.keys(contenders) as K[];
  const samples = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as unknown as Record<K, number[]>;
  for (let round = 0; round < (opts.warmup ?? 1) + opts.rounds; round++) {
    for (const k of keys) {
      // Untimed: e.g. a full GC, so no contender pays for garbage the one before it left.
      await opts.beforeEach?.();
      const t0 = performance.now();
      await contenders[k]();
      const dt = performance.now() - t0;
      if (round >= (opts.warmup ?? 1)) samples[k].push(dt);
    }
  }
  return Object.fromEntries(keys.map((k) => [k, median(samples[k])])) as Record<K, number>;
}
