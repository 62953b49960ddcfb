// File-heavy WASI workloads under @wasm-sandbox/wasi and node:wasi (preview1) in the same run, same host
// directory, same committed program (test/fixtures/bench.wasm). Prints ops, best-of-N ms, and the ratio.
// Runs against the built package (turbo builds before bench): `pnpm --filter @wasm-sandbox/wasi bench`.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WASI } from "node:wasi";
import { PermissionsSchema, ResourceLimitsSchema } from "@wasm-sandbox/manifest";
import { createWasi, WasiExit } from "../dist/index.js";

const bytes = readFileSync(new URL("../test/fixtures/bench.wasm", import.meta.url));
const module = await WebAssembly.compile(bytes);
const dir = mkdtempSync(join(tmpdir(), "wasi-bench-"));
// node:wasi writes the program's "ops N" to a real fd: send it to /dev/null to keep the table readable.
const devNull = openSync("/dev/null", "w");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

const permissions = PermissionsSchema.parse({
  filesystem: { denyAll: false, readPaths: ["/data"], writePaths: ["/data"], maxFileSize: "1GiB" },
});
const limits = ResourceLimitsSchema.parse({ maxReadBytes: "4GiB", maxWriteBytes: "4GiB", timeout: "60s" });

function runOurs(args) {
  const wasi = createWasi({ permissions, limits, mounts: { "/data": dir } });
  const instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: wasi.imports });
  wasi.bindMemory(instance.exports.memory);
  wasi.beginCall({ args });
  const start = performance.now();
  let code = 0;
  try {
    instance.exports._start();
  } catch (error) {
    if (!(error instanceof WasiExit)) throw error;
    code = error.exitCode;
  }
  const ms = performance.now() - start;
  const out = new TextDecoder().decode(wasi.endCall().stdout);
  if (code !== 0) throw new Error(`ours: ${args.join(" ")} exited ${code}`);
  return { ms, out };
}

function runNode(args) {
  const wasi = new WASI({
    version: "preview1",
    args: ["plugin", ...args],
    preopens: { "/data": dir },
    returnOnExit: true,
  });
  const instance = new WebAssembly.Instance(module, wasi.getImportObject());
  const start = performance.now();
  const code = wasi.start(instance);
  const ms = performance.now() - start;
  if (code !== 0) throw new Error(`node:wasi: ${args.join(" ")} exited ${code}`);
  return { ms };
}

/** Best of ROUNDS for each, alternating ours and node:wasi so machine noise hits both alike. */
function measure(args) {
  let ours = Number.POSITIVE_INFINITY;
  let node = Number.POSITIVE_INFINITY;
  let out = "";
  for (let i = 0; i < ROUNDS; i++) {
    const r = runOurs(args);
    ours = Math.min(ours, r.ms);
    out = r.out;
    node = Math.min(node, runNode(args).ms);
  }
  return { ours, node, out };
}

const workloads = [
  ["create", 2000, "open(O_CREAT|O_EXCL) + 4 x write(64) + close + unlink"],
  ["read", 2000, "open + read(64) to EOF + close"],
  ["stat", 5000, "stat"],
  ["write", 50000, "write(64) to one file"],
  ["pread", 50000, "pread(64)"],
  ["readdir", 200, "opendir + readdir x ~102 + closedir"],
  ["stdio", 200, "fopen + 200 x fprintf + fclose, fopen + fgets + fclose"],
];

const rows = [];
try {
  runOurs(["setup", "100"]);
  runOurs(["write", "100"]);
  for (const [mode, count, what] of workloads) {
    // Warm up both (JIT, page cache), then take the best of ROUNDS.
    runOurs([mode, String(count)]);
    runNode([mode, String(count)]);
    const { ours, node, out } = measure([mode, String(count)]);
    if (out.trim() !== `ops ${count}`) throw new Error(`unexpected output from ours: ${out}`);
    rows.push({ workload: `${mode}: ${what}`, ops: count, ours, node });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  closeSync(devNull);
}

const pad = (s, n) => String(s).padEnd(n);
const num = (v, n) => String(v).padStart(n);
console.log(
  `\n@wasm-sandbox/wasi vs node:wasi (preview1), best of ${ROUNDS}, same host directory, Node ${process.version}\n`,
);
console.log(
  `${pad("workload", 64)} ${num("ops", 7)} ${num("ours ms", 9)} ${num("node:wasi ms", 13)} ${num("ratio", 7)}`,
);
for (const r of rows) {
  console.log(
    `${pad(r.workload, 64)} ${num(r.ops, 7)} ${num(r.ours.toFixed(1), 9)} ${num(r.node.toFixed(1), 13)} ${num((r.ours / r.node).toFixed(2), 7)}`,
  );
}
const total = rows.reduce((a, r) => ({ ours: a.ours + r.ours, node: a.node + r.node }), { ours: 0, node: 0 });
console.log(
  `${pad("total", 64)} ${num("", 7)} ${num(total.ours.toFixed(1), 9)} ${num(total.node.toFixed(1), 13)} ${num((total.ours / total.node).toFixed(2), 7)}`,
);
console.log("\nratio = ours / node:wasi (below 1.00 is faster than node:wasi)");
