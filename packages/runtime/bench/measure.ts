// Timing helpers for the benches: adaptive batches until a minimum time, median of several rounds.

export interface Timing {
  /** Nanoseconds per operation (median of the rounds). */
  ns: number;
  ops: number;
}

const now = () => performance.now();

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Times a synchronous operation. */
export function timeSync(fn: () => unknown, roundMs = 150, rounds = 5): Timing {
  for (let i = 0; i < 2000; i++) fn();
  const results: number[] = [];
  let total = 0;
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    let batch = 256;
    const start = now();
    let elapsed = 0;
    while (elapsed < roundMs) {
      for (let i = 0; i < batch; i++) fn();
      n += batch;
      batch *= 2;
      elapsed = now() - start;
    }
    results.push((elapsed * 1e6) / n);
    total += n;
  }
  return { ns: median(results), ops: total };
}

/** Times an asynchronous operation (awaited one at a time). */
export async function timeAsync(fn: () => Promise<unknown>, roundMs = 150, rounds = 5): Promise<Timing> {
  for (let i = 0; i < 2000; i++) await fn();
  const results: number[] = [];
  let total = 0;
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    let batch = 256;
    const start = now();
    let elapsed = 0;
    while (elapsed < roundMs) {
      for (let i = 0; i < batch; i++) await fn();
      n += batch;
      batch *= 2;
      elapsed = now() - start;
    }
    results.push((elapsed * 1e6) / n);
    total += n;
  }
  return { ns: median(results), ops: total };
}

/** Times a slow operation a fixed number of times; returns the median in milliseconds. */
export function timeOnce(fn: () => unknown, times = 5): number {
  const results: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = now();
    fn();
    results.push(now() - start);
  }
  return median(results);
}

export function formatNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(0)} ns`;
}

/** Prints a Markdown table. */
export function table(headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(line(headers));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of rows) console.log(line(row));
  console.log("");
}

/**
 * Times an async operation in fixed rounds, each on a fresh subject from `setup` (outside the timing):
 * for peers whose per-call state grows (Extism 1.0.3 never reuses its block indices, so one plugin
 * overflows its 16-bit block index after about 16,000 calls).
 */
export async function timeAsyncRounds<T>(
  setup: () => Promise<T>,
  fn: (subject: T) => Promise<unknown>,
  callsPerRound = 5000,
  rounds = 5,
): Promise<Timing> {
  const results: number[] = [];
  for (let r = 0; r < rounds + 1; r++) {
    const subject = await setup();
    const start = now();
    for (let i = 0; i < callsPerRound; i++) await fn(subject);
    // The first round is warm-up.
    if (r > 0) results.push(((now() - start) * 1e6) / callsPerRound);
  }
  return { ns: median(results), ops: callsPerRound * rounds };
}
