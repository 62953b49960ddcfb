// Timing helpers for the benches. Peers are measured interleaved (round-robin, median of rounds) so a noisy
// machine slows every runner alike instead of whichever happened to run during the noise.

export interface Runner<T = unknown> {
  name: string;
  /** Creates the subject for one round (outside the timing), e.g. a fresh peer plugin. */
  setup: () => Promise<T> | T;
  /** One operation; `async` runners are awaited one at a time. */
  fn: (subject: T) => unknown;
  async: boolean;
  /** Operations per round (keep below a peer's per-instance call limit). */
  calls: number;
}

const now = () => performance.now();

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Nanoseconds per operation for each runner (median of `rounds`, after one warm-up round). */
// biome-ignore lint/suspicious/noExplicitAny: each runner has its own subject type
export async function interleaved(runners: Runner<any>[], rounds = 9): Promise<Map<string, number>> {
  const samples = new Map<string, number[]>(runners.map((r) => [r.name, []]));
  for (let round = 0; round <= rounds; round++) {
    for (const runner of runners) {
      const subject = await runner.setup();
      const start = now();
      if (runner.async) for (let i = 0; i < runner.calls; i++) await runner.fn(subject);
      else for (let i = 0; i < runner.calls; i++) runner.fn(subject);
      const ns = ((now() - start) * 1e6) / runner.calls;
      if (round > 0) samples.get(runner.name)!.push(ns);
    }
  }
  return new Map([...samples].map(([name, values]) => [name, median(values)]));
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
