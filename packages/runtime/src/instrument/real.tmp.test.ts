import { readFileSync } from "node:fs";
import { detectFeatures, readModule } from "@wasm-sandbox/validator";
import { it } from "vitest";
import { instrumentModule } from "./index.js";

const files = [
  "/work/main/packages/validator/node_modules/esbuild-wasm/esbuild.wasm",
  "/work/main/packages/validator/node_modules/@swc/wasm/wasm_bg.wasm",
  "/work/main/packages/validator/node_modules/@mediapipe/tasks-vision/wasm/vision_wasm_internal.wasm",
  "/work/main/packages/validator/node_modules/sql.js/dist/sql-wasm.wasm",
];
it("real", () => {
  for (const f of files) {
    const bytes = new Uint8Array(readFileSync(f));
    const mb = bytes.length / 1e6;
    let t = performance.now();
    const info = readModule(bytes);
    const tRead = performance.now() - t;
    t = performance.now();
    const feats = detectFeatures(bytes, info);
    const tFeat = performance.now() - t;
    let best = Infinity;
    let out: Uint8Array = bytes;
    for (let i = 0; i < 3; i++) {
      t = performance.now();
      out = instrumentModule(bytes, { maxMemoryPages: 65536, maxTableElements: 10_000_000 }).bytes;
      best = Math.min(best, performance.now() - t);
    }
    t = performance.now();
    const ok = WebAssembly.validate(out);
    const tVal = performance.now() - t;
    console.log(
      f.split("/").pop(),
      mb.toFixed(1),
      "MB read",
      tRead.toFixed(0),
      "feat",
      ((mb / tFeat) * 1000).toFixed(0),
      "MB/s instr",
      ((mb / best) * 1000).toFixed(0),
      "MB/s valid",
      ok,
      tVal.toFixed(0),
      "ms",
      (out.length / bytes.length).toFixed(3),
      feats.join(","),
      WebAssembly.validate(bytes),
    );
  }
});
