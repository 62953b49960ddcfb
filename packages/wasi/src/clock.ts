import type { ClockPolicy } from "@wasm-sandbox/manifest";
import { ClockId, Errno } from "./constants.js";
import { fail } from "./errno.js";

/** 2024-01-01T00:00:00Z in ns: what a frozen clock shows unless the embedder picks another instant. */
export const DEFAULT_CLOCK_EPOCH = 1_704_067_200_000_000_000n;
/** The granularity of a "coarse" clock: 100 ms. */
export const COARSE_NS = 100_000_000n;

const ORIGIN_NS = BigInt(Math.round(performance.timeOrigin * 1e6));

export interface Clock {
  /** ns; EINVAL for an unknown clock id. */
  now(id: number): bigint;
  resolution(id: number): bigint;
  /** Whether time passes (false for "frozen": sleeps end at once). */
  readonly flows: boolean;
}

function realNow(id: number): bigint {
  switch (id) {
    case ClockId.REALTIME:
      return ORIGIN_NS + BigInt(Math.round(performance.now() * 1e6));
    case ClockId.MONOTONIC:
      return process.hrtime.bigint();
    case ClockId.PROCESS_CPUTIME:
    case ClockId.THREAD_CPUTIME: {
      const { user, system } = process.cpuUsage();
      return BigInt(user + system) * 1000n;
    }
    default:
      return fail(Errno.INVAL);
  }
}

const REAL_RESOLUTION: Record<number, bigint> = {
  [ClockId.REALTIME]: 1_000n,
  [ClockId.MONOTONIC]: 1n,
  [ClockId.PROCESS_CPUTIME]: 1_000n,
  [ClockId.THREAD_CPUTIME]: 1_000n,
};

export function createClock(policy: ClockPolicy, epoch: bigint): Clock {
  const known = (id: number) => {
    if (REAL_RESOLUTION[id] === undefined) fail(Errno.INVAL);
  };
  switch (policy) {
    case "real":
      return { now: realNow, resolution: (id) => REAL_RESOLUTION[id] ?? fail(Errno.INVAL), flows: true };
    case "coarse":
      return {
        now: (id) => {
          const t = realNow(id);
          return t - (t % COARSE_NS);
        },
        resolution: (id) => {
          known(id);
          return COARSE_NS;
        },
        flows: true,
      };
    case "frozen":
      return {
        now: (id) => {
          known(id);
          return epoch;
        },
        resolution: (id) => {
          known(id);
          return 1n;
        },
        flows: false,
      };
  }
}
