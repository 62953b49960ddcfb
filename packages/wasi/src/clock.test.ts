import { describe, expect, test } from "vitest";
import { COARSE_NS, createClock } from "./clock.js";
import { ClockId } from "./constants.js";
import { ErrnoError } from "./errno.js";

describe("clocks", () => {
  test("frozen shows the epoch on every clock and does not flow", () => {
    const clock = createClock("frozen", 123n);
    for (const id of [0, 1, 2, 3]) expect(clock.now(id)).toBe(123n);
    expect(clock.flows).toBe(false);
  });

  test("coarse is a multiple of 100 ms and tracks real time", () => {
    const clock = createClock("coarse", 0n);
    const t = clock.now(ClockId.REALTIME);
    expect(t % COARSE_NS).toBe(0n);
    expect(Number(BigInt(Date.now()) * 1_000_000n - t)).toBeLessThan(1_000_000_000);
    expect(clock.resolution(ClockId.MONOTONIC)).toBe(COARSE_NS);
  });

  test("real realtime is close to Date.now and monotonic does not go back", () => {
    const clock = createClock("real", 0n);
    const diff = Number(clock.now(ClockId.REALTIME) / 1_000_000n) - Date.now();
    expect(Math.abs(diff)).toBeLessThan(1000);
    const a = clock.now(ClockId.MONOTONIC);
    expect(clock.now(ClockId.MONOTONIC)).toBeGreaterThanOrEqual(a);
  });

  test("unknown clock ids are EINVAL under every policy", () => {
    for (const policy of ["real", "coarse", "frozen"] as const) {
      const clock = createClock(policy, 0n);
      expect(() => clock.now(9)).toThrow(ErrnoError);
      expect(() => clock.resolution(9)).toThrow(ErrnoError);
    }
  });
});
