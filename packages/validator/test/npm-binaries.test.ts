import { describe, expect, it } from "vitest";
import { readModule, readSections } from "../src/binary/index.js";
import { structureFromBinary } from "../src/binary-structure.js";
import { IssueCode } from "../src/codes.js";
import { inspectModule } from "../src/inspect.js";
import { decodeWithParser } from "../src/parser-structure.js";
import { declarationsModule } from "../src/structure-stub.js";
import { validatePlugin } from "../src/validate-plugin.js";
import { validateWasm } from "../src/validate-wasm.js";
import { manifest, npmWasm, withCode } from "./helpers.js";

// Real binaries shipped in npm packages (dev dependencies): Emscripten C, Go, Rust, and C++ with SIMD.
const CORPUS = [
  { name: "sql.js (SQLite, Emscripten)", path: "sql.js/dist/sql-wasm.wasm", importModule: "a", simd: false },
  { name: "esbuild-wasm (Go)", path: "esbuild-wasm/esbuild.wasm", importModule: "gojs", simd: false },
  {
    name: "@swc/wasm (Rust)",
    path: "@swc/wasm/wasm_bg.wasm",
    importModule: "__wbindgen_placeholder__",
    simd: false,
  },
  {
    name: "@mediapipe/tasks-vision (C++, SIMD)",
    path: "@mediapipe/tasks-vision/wasm/vision_wasm_internal.wasm",
    importModule: "a",
    simd: true,
  },
  {
    name: "@mediapipe/tasks-vision (C++, no SIMD)",
    path: "@mediapipe/tasks-vision/wasm/vision_wasm_nosimd_internal.wasm",
    importModule: "a",
    simd: false,
  },
];

describe.each(CORPUS)("$name", ({ path, importModule, simd }) => {
  const bytes = npmWasm(path);

  it("is valid, and is inspected by wasm-parser without issues", () => {
    expect(bytes.length).toBeGreaterThan(500_000);
    expect(validateWasm(bytes)).toEqual({ valid: true, issues: [] });
    const info = inspectModule(bytes);
    expect(info.decoder).toBe("wasm-parser");
    expect(info.issues).toEqual([]);
    expect(info.functionCount).toBeGreaterThan(1000);
    expect(info.codeSize).toBeGreaterThan(bytes.length / 2);
    expect(info.memories.length).toBe(1);
    expect(info.imports.every((i) => i.module === importModule)).toBe(true);
    expect(info.features).toEqual(
      expect.arrayContaining(["bulk-memory", "sign-extension", "saturating-float-to-int"]),
    );
    expect(info.features.includes("simd")).toBe(simd);
  });

  it("gets the same declarations from wasm-parser and from the binary reader", () => {
    const fromParser = decodeWithParser(declarationsModule(bytes, readSections(bytes)));
    const fromReader = structureFromBinary(readModule(bytes));
    expect(fromParser).toEqual(fromReader);
  });

  it("is refused as a plugin: its toolchain imports are not the sandbox's", () => {
    const issues = validatePlugin(manifest([{ functionName: "_start" }]), bytes);
    const unknown = withCode(issues, IssueCode.UNKNOWN_IMPORT_MODULE);
    expect(unknown).toHaveLength(1);
    expect(unknown[0]!.message).toContain(`from "${importModule}"`);
    expect(withCode(issues, IssueCode.ENTRY_NOT_EXPORTED)).toHaveLength(1);
  });
});
