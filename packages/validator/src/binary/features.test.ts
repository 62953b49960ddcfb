import { describe, expect, it } from "vitest";
import { detectFeatures, type WasmFeature } from "./features.js";
import { moduleBytes, wat } from "./wat.testutil.js";

const cases: [string, WasmFeature[], string][] = [
  [
    "mvp",
    [],
    `(module (memory 1 2) (func (export "f") (param i32) (result i32) local.get 0 i32.const 1 i32.add))`,
  ],
  [
    "sign-extension",
    ["sign-extension"],
    `(module (func (param i32) (result i32) local.get 0 i32.extend8_s))`,
  ],
  [
    "saturating conversions",
    ["saturating-float-to-int"],
    `(module (func (param f32) (result i32) local.get 0 i32.trunc_sat_f32_s))`,
  ],
  [
    "bulk memory",
    ["bulk-memory"],
    `(module (memory 1) (data $d "hi") (func i32.const 0 i32.const 0 i32.const 2 memory.init $d data.drop $d
       i32.const 0 i32.const 1 i32.const 1 memory.copy))`,
  ],
  [
    "reference types",
    ["reference-types"],
    `(module (table 1 externref) (func (param externref) (result i32) local.get 0 ref.is_null))`,
  ],
  [
    "table.grow is reference types",
    ["reference-types"],
    `(module (table 1 funcref) (func (result i32) ref.null func i32.const 1 table.grow 0))`,
  ],
  ["simd", ["simd"], `(module (func (result v128) v128.const i32x4 1 2 3 4))`],
  [
    "relaxed simd",
    ["simd", "relaxed-simd"],
    `(module (func (param v128 v128) (result v128) local.get 0 local.get 1 i8x16.relaxed_swizzle))`,
  ],
  ["multi-value results", ["multi-value"], `(module (func (result i32 i32) i32.const 1 i32.const 2))`],
  [
    "multi-value block",
    ["multi-value"],
    `(module (func (result i32) i32.const 1 (block (param i32) (result i32) i32.const 2 i32.add)))`,
  ],
  ["shared memory", ["threads"], `(module (memory 1 1 shared))`],
  [
    "atomics",
    ["threads"],
    `(module (memory 1) (func (result i32) i32.const 0 i32.const 1 i32.atomic.rmw.add))`,
  ],
  ["tail calls", ["tail-calls"], `(module (func $f (result i32) return_call $f))`],
  ["exceptions", ["exceptions"], `(module (tag $t) (func try throw $t catch $t catch_all end))`],
  ["memory64", ["memory64"], `(module (memory i64 1))`],
  ["mutable globals", ["mutable-globals"], `(module (import "env" "g" (global (mut i32))))`],
  ["exported mutable global", ["mutable-globals"], `(module (global (export "g") (mut i32) (i32.const 0)))`],
  ["multi-memory", ["multi-memory"], `(module (memory 1) (memory 1))`],
  ["extended const", ["extended-const"], `(module (global i32 (i32.add (i32.const 1) (i32.const 2))))`],
];

describe("detectFeatures", () => {
  it.each(cases)("%s", async (_name, expected, source) => {
    expect(detectFeatures(await wat(source))).toEqual(expected);
  });

  it("detects typed function references and GC from their encodings", () => {
    // type 0: func [(ref null 0)] -> []; body: local.get 0; call_ref 0; end
    const typed = moduleBytes(
      [1, [1, 0x60, 1, 0x63, 0x00, 0]],
      [3, [1, 0]],
      [10, [1, 6, 0, 0x20, 0, 0x14, 0, 0x0b]],
    );
    expect(detectFeatures(typed)).toEqual(["function-references"]);
    // struct type and struct.new_default
    const gc = moduleBytes(
      [1, [2, 0x5f, 1, 0x7f, 1, 0x60, 0, 0]],
      [3, [1, 1]],
      [10, [1, 6, 0, 0xfb, 0x01, 0x00, 0x1a, 0x0b]],
    );
    expect(detectFeatures(gc)).toEqual(["gc"]);
  });

  it("reports every feature of a mixed module once, in a stable order", async () => {
    const bytes = await wat(`(module
      (memory 1 1 shared)
      (func $f (result v128 i32) v128.const i64x2 0 0 i32.const 1 i32.extend16_s)
      (func (param f64) (result i32) local.get 0 i32.trunc_sat_f64_u return_call $g)
      (func $g (param i32) (result i32) local.get 0))`);
    const once = detectFeatures(bytes);
    expect(once).toEqual([
      "simd",
      "multi-value",
      "threads",
      "tail-calls",
      "sign-extension",
      "saturating-float-to-int",
    ]);
    expect(detectFeatures(bytes)).toEqual(once);
  });
});
