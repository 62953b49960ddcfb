import { describe, expect, it } from "vitest";
import { FuelMeter, instrumentModule } from "./index.js";
import { instantiate, outcome, wat } from "./wat.testutil.js";

/** One module exercising the post-MVP proposals Node 20 ships, each used by an export. */
const POST_MVP = `(module
  (type $ii (func (param i32) (result i32)))
  (memory 1 1 shared)
  (table $t 4 10 funcref)
  (table $ext 2 externref)
  (data $d "\\01\\02\\03\\04\\05\\06\\07\\08\\09\\0a\\0b\\0c\\0d\\0e\\0f\\10")
  (elem $e func $id $twice)
  (tag $boom (param i32))
  (func $id (type $ii) (local.get 0))
  (func $twice (type $ii) (i32.mul (local.get 0) (i32.const 2)))
  (func (export "simd") (param i32) (result i32)
    (memory.init $d (i32.const 0) (i32.const 0) (i32.const 16))
    (v128.store (i32.const 32)
      (i8x16.shuffle 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0 (v128.load (i32.const 0)) (v128.const i64x2 0 0)))
    (i32.add
      (i8x16.extract_lane_u 0 (v128.load8_lane 1 (i32.const 40) (v128.load offset=32 align=16 (i32.const 0))))
      (i32x4.extract_lane 3
        (i32x4.mul (i32x4.splat (local.get 0)) (v128.load32_zero (i32.const 4))))))
  (func (export "bulk") (result i32)
    (memory.fill (i32.const 100) (i32.const 9) (i32.const 50))
    (memory.copy (i32.const 200) (i32.const 100) (i32.const 50))
    (data.drop $d)
    (table.init $t $e (i32.const 0) (i32.const 0) (i32.const 2))
    (table.copy $t $t (i32.const 2) (i32.const 0) (i32.const 2))
    (elem.drop $e)
    (drop (table.grow $t (ref.null func) (i32.const 3)))
    (table.fill $t (i32.const 5) (ref.func $id) (i32.const 2))
    (i32.add (i32.load8_u (i32.const 249))
      (i32.add (table.size $t)
        (call_indirect $t (type $ii) (i32.const 21) (i32.const 3)))))
  (func (export "refs") (param externref) (result i32)
    (table.set $ext (i32.const 1) (local.get 0))
    (i32.add (ref.is_null (table.get $ext (i32.const 0)))
      (ref.is_null (select (result externref) (table.get $ext (i32.const 1)) (ref.null extern) (i32.const 1)))))
  (func (export "atomics") (param $timeout i64) (result i32)
    (drop (i32.atomic.rmw.add (i32.const 300) (i32.const 5)))
    (drop (i32.atomic.rmw.cmpxchg (i32.const 300) (i32.const 5) (i32.const 11)))
    (atomic.fence)
    (i32.add (memory.atomic.notify (i32.const 300) (i32.const 1))
      (i32.add (i32.atomic.load (i32.const 300))
        (memory.atomic.wait32 (i32.const 300) (i32.const 11) (local.get $timeout)))))
  (func $thrower (param i32) (throw $boom (local.get 0)))
  (func (export "exceptions") (param i32) (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (call $thrower (local.get 0)) (i32.const 0))
          (delegate 0)))
      (catch $boom (i32.add (i32.const 100)))
      (catch_all (i32.const -1))))
  (func (export "rethrows") (result i32)
    (try (result i32)
      (do (try (do (call $thrower (i32.const 4))) (catch_all (rethrow 0))) (i32.const 0))
      (catch $boom)))
  (func (export "conversions") (param f64) (result i64)
    (i64.add (i64.trunc_sat_f64_s (local.get 0)) (i64.extend32_s (i64.const 0xffffffff))))
  (func (export "tail") (param i32) (result i32)
    (return_call_indirect $t (type $ii) (local.get 0) (i32.const 1))))`;

describe("post-MVP instructions", () => {
  it("instruments SIMD, bulk memory, 0xFC table ops, reference types, atomics, exceptions, tail calls", async () => {
    const bytes = await wat(POST_MVP);
    expect(WebAssembly.validate(bytes)).toBe(true);
    const r = instrumentModule(bytes, { maxMemoryPages: 1, maxTableElements: 10 });
    expect(WebAssembly.validate(r.bytes)).toBe(true);
    const meter = new FuelMeter();
    meter.begin({ budget: 1e6 });
    const ex = instantiate(r.bytes, meter.imports);
    meter.end();
    const raw = instantiate(bytes);
    const calls: [string, unknown[]][] = [
      ["simd", [3]],
      ["bulk", []],
      ["refs", [{}]],
      ["exceptions", [5]],
      ["rethrows", []],
      ["conversions", [1e30]],
      ["tail", [21]],
    ];
    for (const [name, args] of calls) {
      meter.begin({ budget: 1e9 });
      const got = outcome(() => (ex[name] as (...a: unknown[]) => unknown)(...args));
      meter.end();
      expect(got, name).toEqual(outcome(() => (raw[name] as (...a: unknown[]) => unknown)(...args)));
      expect(got.ok, name).toBe(true);
    }
  });

  it("clamps atomic waits so an endless wait returns and is charged", async () => {
    const { bytes } = instrumentModule(await wat(POST_MVP), { maxMemoryPages: 1, maxTableElements: 10 });
    const meter = new FuelMeter();
    meter.begin({ budget: 1e6 });
    const ex = instantiate(bytes, meter.imports);
    meter.end();
    const raw = instantiate(await wat(POST_MVP));
    meter.begin({ budget: 1e9 });
    const start = performance.now();
    // -1 waits forever in the original; instrumented, it times out like a 1 ms wait does in the original
    const got = (ex.atomics as (t: bigint) => number)(-1n);
    expect(performance.now() - start).toBeLessThan(1000);
    expect(meter.end()).toBeGreaterThanOrEqual(1_000_000);
    expect(got).toBe((raw.atomics as (t: bigint) => number)(1_000_000n));
  });
});
