/**
 * Instrumentation benchmark, a plain module: `node bench/run.mjs instrument` (from packages/runtime) bundles
 * and runs it like the package's other benches. Under `vitest bench --run bench/instrument.bench.ts` it also
 * registers vitest benches (raw vs metered per kernel), but vitest's module runner slows the instrumenter
 * itself down, so the bundled run is the one whose MB/s figures represent the published code.
 *
 * Prints two tables measured in this run: CPU kernels (WAT sources in src/instrument/fixtures) raw vs
 * instrumented with fuel metering and their geometric-mean slowdown, and instrumentation / feature-scan
 * throughput on a generated multi-megabyte module, with WebAssembly.validate as the peer.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { loadWabtKit } from "@wasm-sandbox/testkit";
import { ByteWriter, detectFeatures, readModule } from "@wasm-sandbox/validator";
import { FuelMeter, instrumentModule } from "../src/instrument/index.js";

type Run = (n: number) => number;

const KERNELS: { name: string; arg: number }[] = [
  { name: "fib", arg: 30 },
  { name: "sort", arg: 250_000 },
  { name: "hash", arg: 400 },
  { name: "matmul", arg: 250 },
];
const CAPS = { maxMemoryPages: 1024, maxTableElements: 1024 };

const wabt = await loadWabtKit();
function compile(name: string): Uint8Array<ArrayBuffer> {
  const source = readFileSync(new URL(`../src/instrument/fixtures/${name}.wat`, import.meta.url), "utf8");
  // `{}`: wabt's own default features, not Node 20's set
  return wabt.compile(source, { features: {}, fileName: `${name}.wat` });
}

function instance(bytes: Uint8Array<ArrayBuffer>, imports: object = {}): Run {
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), imports as WebAssembly.Imports).exports
    .run as Run;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

const kernels = KERNELS.map(({ name, arg }) => {
  const bytes = compile(name);
  const meter = new FuelMeter();
  const raw = instance(bytes);
  const metered = instance(instrumentModule(bytes, CAPS).bytes, meter.imports);
  let lastFuel = 0;
  const runMetered = (): number => {
    meter.begin({ budget: Number.POSITIVE_INFINITY, deadline: performance.now() + 60_000 });
    try {
      return metered(arg);
    } finally {
      lastFuel = meter.end();
    }
  };
  return { name, arg, raw: () => raw(arg), metered: runMetered, fuel: () => lastFuel };
});

const rows: string[][] = [];
let logSum = 0;
for (const k of kernels) {
  if (k.raw() !== k.metered()) throw new Error(`${k.name}: instrumented result differs`);
  // warm up until both are tiered up (V8 compiles hot wasm functions with TurboFan on a later call)
  for (let i = 0; i < 8; i++) {
    k.raw();
    k.metered();
  }
  const rawMs: number[] = [];
  const meteredMs: number[] = [];
  for (let i = 0; i < 15; i++) {
    rawMs.push(time(k.raw));
    meteredMs.push(time(k.metered));
  }
  // the minimum is the least disturbed by other load on the machine
  const r = Math.min(...rawMs);
  const m = Math.min(...meteredMs);
  logSum += Math.log(m / r);
  rows.push([k.name, r.toFixed(2), m.toFixed(2), (m / r).toFixed(3), k.fuel().toLocaleString("en-US")]);
}
const geomean = Math.exp(logSum / kernels.length);

function table(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(line)].join("\n");
}

console.log(
  `\nFuel metering overhead (best of 15 after warm-up, raw WebAssembly in the same run, interleaved)\n${table(
    ["kernel", "raw ms", "instrumented ms", "ratio", "fuel"],
    rows,
  )}\ngeometric-mean slowdown: ${geomean.toFixed(3)}x\n`,
);

/** A large module: the sort and matmul kernels' bodies repeated until the code section passes `targetBytes`. */
function largeModule(targetBytes: number): Uint8Array<ArrayBuffer> {
  const parts = ["sort", "matmul", "hash"].map((name) => {
    const bytes = compile(name);
    const info = readModule(bytes);
    return { bytes, info };
  });
  // one type section with every part's types, functions re-pointing at their part's type offset
  const out = new ByteWriter(targetBytes + 1_000_000);
  out.bytes(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
  const types = new ByteWriter();
  const typeOffsets: number[] = [];
  let typeCount = 0;
  for (const p of parts) {
    typeOffsets.push(typeCount);
    for (const t of p.info.types) {
      if (t.kind !== "func") throw new Error("unexpected type");
      types.u8(0x60);
      types.u32(t.params.length);
      for (const v of t.params) types.u8(VAL[v]!);
      types.u32(t.results.length);
      for (const v of t.results) types.u8(VAL[v]!);
      typeCount++;
    }
  }
  const bodies: { bytes: Uint8Array; type: number }[] = [];
  parts.forEach((p, i) => {
    // only call-free bodies are copied, so no function index needs remapping
    p.info.bodies.forEach((b, j) => {
      const body = p.bytes.subarray(b.start, b.end);
      if (!body.includes(0x10)) bodies.push({ bytes: body, type: typeOffsets[i]! + p.info.functions[j]! });
    });
  });
  const funcs = new ByteWriter();
  const code = new ByteWriter(targetBytes + 100_000);
  let count = 0;
  while (code.length < targetBytes) {
    const b = bodies[count % bodies.length]!;
    funcs.u32(b.type);
    code.u32(b.bytes.length);
    code.bytes(b.bytes);
    count++;
  }
  const section = (id: number, n: number, payload: ByteWriter) => {
    const p = new ByteWriter(payload.length + 8);
    p.u32(n);
    p.bytes(payload.view());
    out.u8(id);
    out.sized(p);
  };
  section(1, typeCount, types);
  section(3, count, funcs);
  const mem = new ByteWriter();
  mem.u8(0x00);
  mem.u32(64);
  section(5, 1, mem);
  section(10, count, code);
  return out.toBytes();
}
const VAL: Record<string, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c };

const big = largeModule(12_000_000);
if (!WebAssembly.validate(big)) throw new Error("generated module is invalid");
const mb = big.length / 1e6;
const instrumentMs: number[] = [];
const featureMs: number[] = [];
let instrumented = big;
for (let i = 0; i < 7; i++) {
  instrumentMs.push(time(() => (instrumented = instrumentModule(big, CAPS).bytes)));
  featureMs.push(time(() => detectFeatures(big)));
}
const validateMs = time(() => WebAssembly.validate(instrumented));
if (!WebAssembly.validate(instrumented)) throw new Error("instrumented large module is invalid");
console.log(
  `Instrumentation speed on a generated ${mb.toFixed(1)} MB module (median of 7)\n${table(
    ["step", "ms", "MB/s"],
    [
      [
        "instrumentModule (fuel + caps)",
        median(instrumentMs).toFixed(1),
        (mb / (median(instrumentMs) / 1000)).toFixed(1),
      ],
      [
        "detectFeatures (validator walker)",
        median(featureMs).toFixed(1),
        (mb / (median(featureMs) / 1000)).toFixed(1),
      ],
      [
        "peer: WebAssembly.validate of the output",
        validateMs.toFixed(1),
        (mb / (validateMs / 1000)).toFixed(1),
      ],
    ],
  )}\noutput size: ${(instrumented.length / big.length).toFixed(3)}x the input\n`,
);

// real toolchain output from devDependencies: Go (esbuild) and Emscripten with SIMD (mediapipe)
const require = createRequire(import.meta.url);
const realRows: string[][] = [];
for (const [name, specifier] of [
  ["esbuild.wasm (Go)", "esbuild-wasm/esbuild.wasm"],
  ["vision_wasm_internal.wasm (SIMD)", "@mediapipe/tasks-vision/vision_wasm_internal.wasm"],
] as const) {
  const bytes = new Uint8Array(readFileSync(require.resolve(specifier)));
  const size = bytes.length / 1e6;
  const ins: number[] = [];
  const feat: number[] = [];
  for (let i = 0; i < 5; i++) {
    ins.push(time(() => instrumentModule(bytes, { maxMemoryPages: 65_536, maxTableElements: 10_000_000 })));
    feat.push(time(() => detectFeatures(bytes)));
  }
  const val = time(() => WebAssembly.validate(bytes));
  realRows.push([
    name,
    size.toFixed(1),
    (size / (median(ins) / 1000)).toFixed(1),
    (size / (median(feat) / 1000)).toFixed(1),
    (size / (val / 1000)).toFixed(1),
  ]);
}
console.log(
  `Real binaries (median of 5)\n${table(
    ["module", "MB", "instrumentModule MB/s", "detectFeatures MB/s", "peer: WebAssembly.validate MB/s"],
    realRows,
  )}\n`,
);

if (process.env.VITEST) {
  // a computed specifier keeps bundlers from pulling vitest into the plain run
  const runner = "vitest";
  const { bench, describe } = (await import(runner)) as typeof import("vitest");
  for (const k of kernels) {
    describe(k.name, () => {
      bench("raw WebAssembly", () => {
        k.raw();
      });
      bench("fuel-metered", () => {
        k.metered();
      });
    });
  }
}
