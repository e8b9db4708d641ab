/**
 * The one fake Lambda Context all reactor tests share, and a fake clock whose `sleep` advances
 * time instead of waiting, so deadline logic is tested without a single real delay.
 */
import type { LambdaContext } from "../../../reactor/handler";

const DEFAULT_REMAINING_MS = 900_000;
let remainingMs = DEFAULT_REMAINING_MS;

export const fakeContext: LambdaContext & {
  readonly functionName: string;
  readonly invokedFunctionArn: string;
} = {
  awsRequestId: "c6af9ac6-7b61-11e6-9a41-93e812345678",
  functionName: "pillar-prod-reactor",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:pillar-prod-reactor",
  getRemainingTimeInMillis: () => remainingMs,
};

/** Sets what `fakeContext.getRemainingTimeInMillis()` answers; reset with `resetFakeContext`. */
export function setRemainingTime(ms: number): void {
  remainingMs = ms;
}

export function resetFakeContext(): void {
  remainingMs = DEFAULT_REMAINING_MS;
}

export interface FakeClock {
  now(): Date;
  sleep(ms: number): Promise<void>;
  /** Moves the clock forward to `ms` (epoch); never back. */
  advanceTo(ms: number): void;
  readonly sleeps: number[];
}

export function fakeClock(start: Date): FakeClock {
  let t = start.getTime();
  const sleeps: number[] = [];
  return {
    now: () => new Date(t),
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
    advanceTo: (ms) => {
      t = Math.max(t, ms);
    },
    sleeps,
  };
}
