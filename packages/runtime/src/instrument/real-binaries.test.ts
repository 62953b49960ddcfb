import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { readModule } from "@wasm-sandbox/validator";
import { describe, expect, it } from "vitest";
import { instrumentModule } from "./index.js";

const require = createRequire(import.meta.url);

/** Real toolchain output shipped in npm packages (devDependencies of this package). */
const BINARIES: [string, string][] = [
  ["esbuild (Go, 14 MB)", "esbuild-wasm/esbuild.wasm"],
  ["mediapipe (Emscripten, SIMD, 11 MB)", "@mediapipe/tasks-vision/vision_wasm_internal.wasm"],
];

describe("instrumenting real binaries", () => {
  it.each(BINARIES)("%s stays a valid module with every function metered", (_name, specifier) => {
    const bytes = new Uint8Array(readFileSync(require.resolve(specifier)));
    const r = instrumentModule(bytes, { maxMemoryPages: 65_536, maxTableElements: 10_000_000 });
    expect(WebAssembly.validate(r.bytes)).toBe(true);
    const before = readModule(bytes);
    const after = readModule(r.bytes);
    expect(after.bodies).toHaveLength(before.bodies.length);
    expect(after.importedFunctionCount).toBe(before.importedFunctionCount + 1);
    expect(after.importedGlobalCount).toBe(before.importedGlobalCount + 1);
    expect(after.exports.map((e) => e.name)).toEqual(before.exports.map((e) => e.name));
    // every body got at least its entry charge, so the code grew
    expect(r.bytes.length).toBeGreaterThan(bytes.length);
  });
});
