// Throughput of validateWasm + inspectModule against WebAssembly.validate alone, wabt's validator
// (readWasm + validate) and @webassemblyjs/wasm-parser's full decode, on real npm-shipped binaries and
// this package's fixtures. Runs on the built package (dist/): `turbo run build` first.
// Usage: node bench/run.mjs [--quick] [--baseline <dir of an earlier build's dist/>]
// With --baseline, that build's validateWasm + inspectModule is measured round-robin in the same run too
// (copy an earlier dist/ inside this package, e.g. node_modules/.baseline-dist, so its imports resolve).
import { existsSync, readFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { loadWabtKit } from "@wasm-sandbox/testkit";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist", "index.js");
if (!existsSync(dist)) {
  console.error("dist/index.js is missing: build the package first (turbo run build).");
  process.exit(1);
}
const { detectFeatures, inspectModule, readModule, validateWasm } = await import(dist);
const quick = process.argv.includes("--quick");
const baselineAt = process.argv.indexOf("--baseline");
const baseline = baselineAt > 0 ? await import(resolve(process.argv[baselineAt + 1], "index.js")) : undefined;
const PARSER_CAP_MS = quick ? 5_000 : 20_000;

const CORPUS = [
  ["sql.js (SQLite, C)", "node_modules/sql.js/dist/sql-wasm.wasm"],
  ["esbuild-wasm (Go)", "node_modules/esbuild-wasm/esbuild.wasm"],
  ["@swc/wasm (Rust)", "node_modules/@swc/wasm/wasm_bg.wasm"],
  ["mediapipe vision (C++, SIMD)", "node_modules/@mediapipe/tasks-vision/wasm/vision_wasm_internal.wasm"],
  ["mediapipe vision (C++)", "node_modules/@mediapipe/tasks-vision/wasm/vision_wasm_nosimd_internal.wasm"],
  ["fixture json.wasm", "build/fixtures/json.wasm"],
].map(([name, path]) => ({ name, path: join(root, path) }));

/**
 * Median milliseconds of each contender, measured round-robin (one call of each per round) so that load
 * from other processes hits every contender alike: the ratios stay fair on a busy machine.
 */
function timeAll(contenders) {
  const names = Object.keys(contenders);
  for (const name of names) contenders[name]();
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  const budget = quick ? 1_000 : 4_000;
  const started = performance.now();
  let rounds = 0;
  while (rounds < 5 || (performance.now() - started < budget && rounds < 60)) {
    for (const name of names) {
      const t0 = performance.now();
      contenders[name]();
      samples[name].push(performance.now() - t0);
    }
    rounds++;
  }
  const out = {};
  for (const name of names) {
    const sorted = samples[name].sort((a, b) => a - b);
    out[name] = sorted[Math.floor(sorted.length / 2)];
  }
  return out;
}

// wabt with Node 20's proposals (the testkit's WABT_FEATURES), validating synchronously in the timed loop
const wabt = await loadWabtKit();

function parserFullDecode(path) {
  return new Promise((resolve) => {
    const worker = new Worker(join(root, "bench", "parser-worker.mjs"), {
      workerData: { path },
      resourceLimits: { maxOldGenerationSizeMb: 4096 },
      stdout: true,
      stderr: true,
    });
    const timer = setTimeout(() => {
      worker.terminate();
      resolve({ status: `too slow (> ${PARSER_CAP_MS / 1000} s)` });
    }, PARSER_CAP_MS);
    worker.on("message", (m) => {
      clearTimeout(timer);
      worker.terminate();
      resolve({ ms: m.ms });
    });
    worker.on("error", (e) => {
      clearTimeout(timer);
      resolve({ status: `failed (${String(e.message).slice(0, 40)})` });
    });
  });
}

const mbps = (bytes, ms) => {
  const v = bytes / 1e6 / (ms / 1000);
  return v >= 10 ? v.toFixed(0) : v.toPrecision(2);
};
const rows = [];
for (const { name, path } of CORPUS) {
  if (!existsSync(path)) {
    console.error(`skipping ${name}: ${path} is missing (install dev dependencies / run fixtures)`);
    continue;
  }
  const bytes = new Uint8Array(readFileSync(path));
  let wabtError;
  const wabtOrFail = () => {
    if (wabtError !== undefined) return;
    try {
      wabt.validate(bytes);
    } catch (error) {
      wabtError = `failed (${String(error.message).split("\n")[0].slice(0, 40)})`;
    }
  };
  const decoded = readModule(bytes);
  const t = timeAll({
    engine: () => WebAssembly.validate(bytes),
    validate: () => validateWasm(bytes),
    inspect: () => inspectModule(bytes),
    reader: () => readModule(bytes),
    walk: () => detectFeatures(bytes, decoded),
    ours: () => {
      validateWasm(bytes);
      inspectModule(bytes);
    },
    wabt: wabtOrFail,
    ...(baseline
      ? {
          before: () => {
            baseline.validateWasm(bytes);
            baseline.inspectModule(bytes);
          },
        }
      : {}),
  });
  const { engine: engineMs, validate: validateMs, inspect: inspectMs, ours: oursMs } = t;
  const wabtCell = wabtError ?? mbps(bytes.length, t.wabt);
  rows.push({
    name,
    bytes,
    engineMs,
    validateMs,
    inspectMs,
    oursMs,
    wabtCell,
    path,
    readerMs: t.reader,
    walkMs: t.walk,
    beforeMs: t.before,
  });
  console.error(`measured ${name}`);
}
for (const row of rows) {
  const r = await parserFullDecode(row.path);
  row.parserCell = r.ms !== undefined ? mbps(row.bytes.length, r.ms) : r.status;
}

const cpu = (() => {
  try {
    return /model name\s*:\s*(.+)/.exec(readFileSync("/proc/cpuinfo", "utf8"))[1].trim();
  } catch {
    return cpus()[0]?.model ?? "unknown";
  }
})();
const size = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} MB` : `${(n / 1e3).toFixed(1)} kB`);
const lines = [
  `Node ${process.version}, ${cpu}, ${cpus().length} cores${quick ? " (quick run)" : ""}`,
  "",
  "| module | size | ours MB/s (validate + inspect) | engine MB/s (WebAssembly.validate) | ratio (ours time / engine time) | wabt MB/s | wasm-parser full decode MB/s |",
  "|---|---:|---:|---:|---:|---:|---:|",
  ...rows.map(
    (r) =>
      `| ${r.name} | ${size(r.bytes.length)} | ${mbps(r.bytes.length, r.oursMs)} | ${mbps(r.bytes.length, r.engineMs)} | ${(r.oursMs / r.engineMs).toFixed(1)}x | ${r.wabtCell} | ${r.parserCell} |`,
  ),
  "",
  "Breakdown (median ms per call):",
  "",
  "| module | WebAssembly.validate | validateWasm | inspectModule | of which readModule | of which feature walk | validate + inspect |",
  "|---|---:|---:|---:|---:|---:|---:|",
  ...rows.map(
    (r) =>
      `| ${r.name} | ${r.engineMs.toFixed(2)} | ${r.validateMs.toFixed(2)} | ${r.inspectMs.toFixed(2)} | ${r.readerMs.toFixed(2)} | ${r.walkMs.toFixed(2)} | ${r.oursMs.toFixed(2)} |`,
  ),
];
if (baseline) {
  lines.push(
    "",
    "Against the baseline build (validate + inspect, same run, round-robin):",
    "",
    "| module | baseline ms | ratio to engine | now ms | ratio to engine | speed-up |",
    "|---|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.beforeMs.toFixed(2)} | ${(r.beforeMs / r.engineMs).toFixed(1)}x | ${r.oursMs.toFixed(2)} | ${(r.oursMs / r.engineMs).toFixed(1)}x | ${(r.beforeMs / r.oursMs).toFixed(1)}x |`,
    ),
  );
}
console.log(lines.join("\n"));
