import { WASI_FUNCTIONS } from "@wasm-sandbox/wasi";
import { describe, expect, it } from "vitest";
import { WASI_PREVIEW1, wasiSignature } from "./wasi-preview1.js";

// The validator predicts what @wasm-sandbox/wasi will do at link and call time; the two tables must agree.
const WASI_CLASS: Record<string, string> = {
  always: "none",
  clock: "none",
  random: "none",
  env: "env",
  filesystem: "filesystem",
  "filesystem-write": "filesystem-write",
  network: "network",
  signals: "signals",
};

describe("WASI_PREVIEW1", () => {
  it("lists exactly the functions @wasm-sandbox/wasi implements, with the same capability", () => {
    expect(Object.keys(WASI_PREVIEW1).sort()).toEqual(Object.keys(WASI_FUNCTIONS).sort());
    for (const [name, fn] of Object.entries(WASI_PREVIEW1)) {
      expect(WASI_CLASS[fn.capability], name).toBe(WASI_FUNCTIONS[name as keyof typeof WASI_FUNCTIONS]);
    }
  });

  it("gives preview1 signatures with i64 where the witx says u64", () => {
    expect(wasiSignature("fd_seek")).toEqual({ params: ["i32", "i64", "i32", "i32"], results: ["i32"] });
    expect(wasiSignature("path_open")).toEqual({
      params: ["i32", "i32", "i32", "i32", "i32", "i64", "i64", "i32", "i32"],
      results: ["i32"],
    });
    expect(wasiSignature("proc_exit")).toEqual({ params: ["i32"], results: [] });
    expect(wasiSignature("sched_yield")).toEqual({ params: [], results: ["i32"] });
    expect(wasiSignature("toString")).toBeUndefined();
  });
});
