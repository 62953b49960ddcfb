import type { Stat } from "./types.js";

/** Entries kept; beyond it the oldest is forgotten (that file then shows its host, microsecond, times). */
const MAX_ENTRIES = 4096;

const truncUs = (ns: bigint): bigint => ns - (ns % 1000n);

/**
 * node:fs sets file times only to the microsecond (libuv truncates, and passes seconds as a double), while
 * WASI times are nanoseconds and the guest expects to read back what it set. This remembers the exact times
 * this backend set per (dev, ino) and reports them while the host still holds exactly their microsecond
 * truncation; any other change on the host (a write, another process) shows through unchanged.
 */
export class TimeOverlay {
  readonly #exact = new Map<string, { atim: bigint; mtim: bigint }>();

  /** Seconds as node:fs wants them, placed mid-microsecond so libuv's truncation lands on `ns`'s microsecond. */
  static seconds(ns: bigint): number {
    return (Number(ns / 1000n) + 0.5) / 1e6;
  }

  remember(dev: bigint, ino: bigint, atim: bigint, mtim: bigint): void {
    const key = `${dev}:${ino}`;
    this.#exact.delete(key);
    this.#exact.set(key, { atim, mtim });
    if (this.#exact.size > MAX_ENTRIES) {
      const oldest = this.#exact.keys().next().value;
      if (oldest !== undefined) this.#exact.delete(oldest);
    }
  }

  apply(stat: Stat): Stat {
    if (this.#exact.size === 0) return stat;
    const exact = this.#exact.get(`${stat.dev}:${stat.ino}`);
    if (exact === undefined) return stat;
    if (stat.atim === truncUs(exact.atim)) stat.atim = exact.atim;
    if (stat.mtim === truncUs(exact.mtim)) stat.mtim = exact.mtim;
    return stat;
  }
}
