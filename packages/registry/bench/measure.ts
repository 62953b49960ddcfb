/** Timing helpers for the bench: run a function many times and summarise the samples. */
export interface Stats {
  median: number;
  p95: number;
  samples: number;
}

/** Runs `fn` `runs` times after `warmup` untimed runs; `setup` runs before each timed call, untimed. */
export function measure(
  runs: number,
  fn: (i: number) => unknown,
  warmup = Math.min(20, runs),
  setup?: (i: number) => void,
): Stats {
  for (let i = 0; i < warmup; i++) fn(i);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    setup?.(i);
    const start = process.hrtime.bigint();
    fn(i);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { median: at(0.5), p95: at(0.95), samples: samples.length };
}

export interface Row {
  operation: string;
  ours: Stats;
  /** Undefined for rows shown for information (no target set). */
  targetMs?: number;
  peer: string;
  peerStats: Stats;
}

const ms = (n: number) => `${n.toFixed(2)} ms`;

/** A Markdown table: ours (median, p95), target and verdict, the peer in the same run, and the ratio. */
export function table(rows: Row[]): string {
  const header = [
    "operation",
    "median",
    "p95",
    "target",
    "result",
    "peer (same run)",
    "peer median",
    "ratio",
  ];
  const lines = rows.map((r) => [
    r.operation,
    ms(r.ours.median),
    ms(r.ours.p95),
    r.targetMs === undefined ? "none" : `< ${r.targetMs} ms`,
    r.targetMs === undefined ? "info" : r.ours.median < r.targetMs ? "pass" : "FAIL",
    r.peer,
    ms(r.peerStats.median),
    `${(r.ours.median / r.peerStats.median).toFixed(2)}x`,
  ]);
  const out = [header, header.map(() => "---"), ...lines].map((cells) => `| ${cells.join(" | ")} |`);
  return out.join("\n");
}

/** True when every row with a target meets it. */
export function allPass(rows: Row[]): boolean {
  return rows.every((r) => r.targetMs === undefined || r.ours.median < r.targetMs);
}
