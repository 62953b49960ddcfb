import {
  type EntryPoint,
  ErrorCode,
  type ExecutionCategory,
  type PluginManifest,
  SandboxError,
  WASM_PAGE_SIZE,
} from "@wasm-sandbox/manifest";
import { toBytes } from "./input.js";
import { inspectModule } from "./inspect.js";
import type { FunctionSignature } from "./module-info.js";
import { minimalInstance } from "./schema-instance.js";
import { parseForValidation } from "./validate-manifest.js";

/** Memory use a plugin reports for its last call (the runtime's CallUsage has `peakMemoryBytes`). */
export interface BenchmarkUsage {
  peakMemoryBytes?: number;
  memoryBytes?: number;
}

/**
 * Anything that runs a plugin: `{ manifest, execute(entry, params) }` (a value or a Promise). The optional
 * members improve the report: `lastUsage`/`usage` for guest memory, `signatures` for numeric inputs.
 * This package never imports a runtime; a @wasm-sandbox/runtime plugin fits this shape.
 */
export interface BenchmarkablePlugin {
  readonly manifest: unknown;
  execute(entry: string, params: unknown): unknown;
  readonly lastUsage?: BenchmarkUsage | undefined;
  readonly usage?: BenchmarkUsage | (() => BenchmarkUsage | undefined) | undefined;
  readonly signatures?: Readonly<Record<string, FunctionSignature>>;
}

export interface BenchmarkOptions {
  /** Parameters per entry point: each element is one call's params (cycled through). */
  inputs?: Record<string, unknown[]>;
  /** The module's bytes: numeric entries without inputs get small numbers fitting their signature. */
  module?: Uint8Array | ArrayBuffer;
  /** Measured calls per entry point (default 20). */
  iterations?: number;
  /** Unmeasured calls first (default 3). */
  warmup?: number;
  /** Stop measuring an entry after this many milliseconds even if fewer iterations ran (default 5000). */
  maxTimeMs?: number;
  /** Give up on a call whose Promise has not settled after this long (default: twice limits.timeout, at least 1 s). */
  callTimeoutMs?: number;
}

export interface EntryPointBenchmark {
  /** Mean wall time per call, in milliseconds. */
  avgExecutionTime: number;
  /** 95th percentile wall time per call, in milliseconds. */
  p95ExecutionTime: number;
  /** Bytes: the plugin's reported peak memory, or the host heap growth over the run (see memorySource). */
  memoryUsage: number;
  /** Calls per second (1000 / avgExecutionTime). */
  throughput: number;
  iterations: number;
  memorySource: "plugin" | "heap-delta";
  /** Where the parameters came from. */
  inputSource: "options" | "inputSchema" | "signature" | "command";
}

export interface BenchmarkResult {
  entryPoints: Record<string, EntryPointBenchmark>;
  /** Entry points not measured, with the reason (no derivable input, or the call failed). */
  skipped: Record<string, string>;
  /** 0..100: p95 latency against the entry's executionCategory budget. */
  performanceScore: number;
  /** 0..100: memory used against limits.memory. */
  memoryScore: number;
  /** 0..100: p95 latency against limits.timeout. */
  cpuScore: number;
  optimizations: string[];
}

/** Latency budgets per category (ms): what "Instant" or "Fast" promise a caller. */
export const CATEGORY_BUDGET_MS: Readonly<Record<ExecutionCategory, number>> = {
  Instant: 1,
  Fast: 10,
  Standard: 100,
  Streaming: 1_000,
  LongRunning: 10_000,
};

const SMALL: Record<string, number> = { i32: 2, i64: 2, f32: 1.5, f64: 1.5 };

type Input = { params: unknown[]; source: EntryPointBenchmark["inputSource"] } | { skip: string };

function inputsFor(
  entry: EntryPoint,
  options: BenchmarkOptions,
  signatures: Readonly<Record<string, FunctionSignature>> | undefined,
): Input {
  const given = options.inputs?.[entry.functionName];
  if (given !== undefined) {
    return given.length > 0
      ? { params: given, source: "options" }
      : { skip: "options.inputs lists no parameters" };
  }
  if (entry.inputSchema) {
    const instance = minimalInstance(entry.inputSchema);
    return instance
      ? { params: [instance.value], source: "inputSchema" }
      : { skip: "no valid input could be derived from its inputSchema; pass options.inputs" };
  }
  if (entry.abi === "command" || (entry.abi === undefined && entry.functionName === "_start")) {
    return { params: [{}], source: "command" };
  }
  const signature = signatures?.[entry.functionName];
  if (signature && entry.abi !== "json") {
    const params = signature.params.map((t) => SMALL[t]);
    if (params.every((p) => p !== undefined)) return { params: [params], source: "signature" };
    return {
      skip: `its signature takes non-numeric values (${signature.params.join(", ")}); pass options.inputs`,
    };
  }
  return {
    skip: "it has no inputSchema, no options.inputs and no known signature to derive parameters from",
  };
}

function signaturesOf(plugin: BenchmarkablePlugin, options: BenchmarkOptions) {
  if (plugin.signatures) return plugin.signatures;
  if (options.module === undefined) return undefined;
  const info = inspectModule(toBytes(options.module, "options.module"));
  const out: Record<string, FunctionSignature> = {};
  for (const e of info.exports) if (e.kind === "function" && e.signature) out[e.name] = e.signature;
  return out;
}

function reportedMemory(plugin: BenchmarkablePlugin): number | undefined {
  const source = plugin.usage ?? plugin.lastUsage;
  const usage = typeof source === "function" ? source.call(plugin) : source;
  const bytes = usage?.peakMemoryBytes ?? usage?.memoryBytes;
  return typeof bytes === "number" && Number.isFinite(bytes) ? bytes : undefined;
}

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  typeof v === "object" && v !== null && typeof (v as { then?: unknown }).then === "function";

/** A call that never settles must not hang the benchmark: give up after `timeoutMs`. */
async function call(
  plugin: BenchmarkablePlugin,
  entry: string,
  params: unknown,
  timeoutMs: number,
): Promise<void> {
  const result = plugin.execute(entry, params);
  if (!isThenable(result)) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const gaveUp = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the call did not settle within ${timeoutMs} ms (options.callTimeoutMs)`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([result, gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

const round = (v: number, digits = 4) => Math.round(v * 10 ** digits) / 10 ** digits;
const clampScore = (v: number) => Math.max(0, Math.min(100, Math.round(v)));
const mean = (values: number[]) =>
  values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;

async function measure(
  plugin: BenchmarkablePlugin,
  entry: string,
  params: unknown[],
  options: BenchmarkOptions,
  callTimeoutMs: number,
): Promise<Omit<EntryPointBenchmark, "inputSource">> {
  const warmup = options.warmup ?? 3;
  const iterations = Math.max(1, options.iterations ?? 20);
  const maxTimeMs = options.maxTimeMs ?? 5_000;
  for (let i = 0; i < warmup; i++) await call(plugin, entry, params[i % params.length], callTimeoutMs);
  const heapBefore = process.memoryUsage().heapUsed;
  const times: number[] = [];
  let peakReported: number | undefined;
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await call(plugin, entry, params[i % params.length], callTimeoutMs);
    times.push(performance.now() - t0);
    const reported = reportedMemory(plugin);
    if (reported !== undefined) peakReported = Math.max(peakReported ?? 0, reported);
    if (performance.now() - started > maxTimeMs) break;
  }
  const heapDelta = Math.max(0, process.memoryUsage().heapUsed - heapBefore);
  const avg = mean(times);
  const sorted = [...times].sort((a, b) => a - b);
  return {
    avgExecutionTime: round(avg),
    p95ExecutionTime: round(percentile(sorted, 95)),
    memoryUsage: peakReported ?? heapDelta,
    throughput: round(avg > 0 ? 1000 / avg : Number.POSITIVE_INFINITY, 1),
    iterations: times.length,
    memorySource: peakReported !== undefined ? "plugin" : "heap-delta",
  };
}

function advice(manifest: PluginManifest, results: Record<string, EntryPointBenchmark>): string[] {
  const out: string[] = [];
  const memoryBytes = manifest.limits.memory * WASM_PAGE_SIZE;
  for (const entry of manifest.entryPoints) {
    const r = results[entry.functionName];
    if (!r) continue;
    const name = entry.functionName;
    const budget = CATEGORY_BUDGET_MS[entry.executionCategory];
    if (r.p95ExecutionTime > budget) {
      const fits = (Object.entries(CATEGORY_BUDGET_MS) as [ExecutionCategory, number][]).find(
        ([category, ms]) => category !== "Streaming" && r.p95ExecutionTime <= ms,
      )?.[0];
      out.push(
        `"${name}" takes ${r.p95ExecutionTime} ms at p95, over the ${budget} ms budget of "${entry.executionCategory}": speed it up${fits ? ` or declare executionCategory "${fits}"` : ""}.`,
      );
    }
    if (r.iterations >= 10 && r.p95ExecutionTime > 3 * r.avgExecutionTime && r.p95ExecutionTime > 1) {
      out.push(
        `"${name}" is erratic (p95 ${r.p95ExecutionTime} ms vs mean ${r.avgExecutionTime} ms): look for allocation growth or fresh instances between calls.`,
      );
    }
    if (r.p95ExecutionTime > manifest.limits.timeout / 2) {
      out.push(
        `"${name}" uses over half of limits.timeout (${manifest.limits.timeout} ms) at p95: larger inputs will time out.`,
      );
    }
    if (r.memorySource === "plugin" && r.memoryUsage > 0.8 * memoryBytes) {
      out.push(
        `"${name}" reaches ${r.memoryUsage} bytes, over 80% of limits.memory (${memoryBytes} bytes): raise the limit or reduce allocation.`,
      );
    }
    if (r.memorySource === "plugin" && r.memoryUsage > 0 && r.memoryUsage < 0.1 * memoryBytes) {
      const pages = Math.max(1, Math.ceil((r.memoryUsage * 2) / WASM_PAGE_SIZE));
      out.push(
        `"${name}" peaks at ${r.memoryUsage} bytes, under 10% of limits.memory: about ${pages} pages would do (least privilege).`,
      );
    }
  }
  return out;
}

/**
 * Measures each entry point of a running plugin: mean and p95 wall time, memory, throughput, with scores
 * against the manifest's categories and limits, and concrete optimisation hints. Inputs come from
 * options.inputs, else a minimal valid instance of the entry's inputSchema, else small numbers for a
 * numeric signature; entries with no derivable input are skipped with the reason. Throws INVALID_ARGUMENT
 * when `plugin` does not have the `{ manifest, execute }` shape or its manifest does not parse.
 */
export async function benchmark(
  plugin: BenchmarkablePlugin,
  options: BenchmarkOptions = {},
): Promise<BenchmarkResult> {
  if (typeof plugin !== "object" || plugin === null || typeof plugin.execute !== "function") {
    throw new SandboxError(
      ErrorCode.INVALID_ARGUMENT,
      "benchmark() needs an object with manifest and execute()",
      {
        suggestion: "Pass a loaded plugin: anything with { manifest, execute(entry, params) }.",
      },
    );
  }
  const parsed = parseForValidation(plugin.manifest);
  if (!parsed.ok) {
    throw new SandboxError(
      ErrorCode.INVALID_ARGUMENT,
      `benchmark(): the plugin's manifest is invalid: ${parsed.issues[0]?.message}`,
      {
        suggestion: "Fix the manifest (validateManifest lists every issue).",
        context: { issues: parsed.issues },
      },
    );
  }
  const manifest = parsed.manifest;
  const signatures = signaturesOf(plugin, options);
  const callTimeoutMs = options.callTimeoutMs ?? Math.max(1_000, 2 * manifest.limits.timeout);
  const entryPoints: Record<string, EntryPointBenchmark> = {};
  const skipped: Record<string, string> = {};
  for (const entry of manifest.entryPoints) {
    const input = inputsFor(entry, options, signatures);
    if ("skip" in input) {
      skipped[entry.functionName] = input.skip;
      continue;
    }
    try {
      const measured = await measure(plugin, entry.functionName, input.params, options, callTimeoutMs);
      entryPoints[entry.functionName] = { ...measured, inputSource: input.source };
    } catch (error) {
      const code = SandboxError.is(error) ? `${error.code}: ` : "";
      skipped[entry.functionName] =
        `the call failed (${code}${error instanceof Error ? error.message : String(error)})`;
    }
  }
  const measured = manifest.entryPoints.filter((e) => entryPoints[e.functionName] !== undefined);
  const memoryBytes = manifest.limits.memory * WASM_PAGE_SIZE;
  const perf = measured.map((e) => {
    const p95 = entryPoints[e.functionName]!.p95ExecutionTime;
    const budget = CATEGORY_BUDGET_MS[e.executionCategory];
    return p95 <= budget ? 100 : (100 * budget) / p95;
  });
  const cpu = measured.map(
    (e) => 100 * (1 - Math.min(1, entryPoints[e.functionName]!.p95ExecutionTime / manifest.limits.timeout)),
  );
  const memory = measured.map(
    (e) => 100 * (1 - Math.min(1, entryPoints[e.functionName]!.memoryUsage / memoryBytes)),
  );
  return {
    entryPoints,
    skipped,
    performanceScore: clampScore(mean(perf)),
    memoryScore: clampScore(mean(memory)),
    cpuScore: clampScore(mean(cpu)),
    optimizations: advice(manifest, entryPoints),
  };
}
