import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { InstructionReader, readLocals } from "./code.js";
import { detectFeatures, type WasmFeature } from "./features.js";
import { readModule } from "./module.js";

const require = createRequire(import.meta.url);
// this package's tsconfig has no DOM lib, so the engine is reached through globalThis
const engine = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } })
  .WebAssembly;

/** Real toolchain output shipped in npm packages (devDependencies of this package). */
const BINARIES: [string, () => string, WasmFeature[]][] = [
  [
    "esbuild (Go)",
    () => require.resolve("esbuild-wasm/esbuild.wasm"),
    ["bulk-memory", "sign-extension", "saturating-float-to-int"],
  ],
  [
    "swc (Rust)",
    () => join(dirname(require.resolve("@swc/wasm/package.json")), "wasm_bg.wasm"),
    ["bulk-memory", "sign-extension", "saturating-float-to-int"],
  ],
  [
    "mediapipe (Emscripten, SIMD)",
    () => require.resolve("@mediapipe/tasks-vision/vision_wasm_internal.wasm"),
    ["bulk-memory", "simd", "sign-extension", "saturating-float-to-int"],
  ],
  [
    "sql.js (Emscripten)",
    () => join(dirname(require.resolve("sql.js")), "sql-wasm.wasm"),
    ["bulk-memory", "sign-extension", "saturating-float-to-int"],
  ],
];

describe("real binaries", () => {
  it.each(BINARIES)("%s: structure, every instruction, features", (_name, path, features) => {
    const bytes = new Uint8Array(readFileSync(path()));
    expect(engine.validate(bytes)).toBe(true);
    const info = readModule(bytes);
    expect(info.bodies.length).toBeGreaterThan(100);
    expect(info.bodies.length).toBe(info.functions.length);
    // every body walks to its final end exactly
    const it = new InstructionReader(bytes);
    let instructions = 0;
    for (const body of info.bodies) {
      it.reset(readLocals(bytes, body).codeStart, body.end);
      while (it.depth > 0) {
        it.next();
        instructions++;
      }
      expect(it.pos).toBe(body.end);
    }
    expect(instructions).toBeGreaterThan(info.bodies.length * 5);
    expect(detectFeatures(bytes, info)).toEqual(features);
  });
});
