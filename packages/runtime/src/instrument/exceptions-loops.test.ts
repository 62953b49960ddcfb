import { describe, expect, it } from "vitest";
import { FuelMeter, instrumentModule } from "./index.js";
import { instantiate, outcome, wat } from "./wat.testutil.js";

/** Exception handling inside loops: the labels that cross wrapped loops (br, delegate, rethrow) move. */
const SOURCE = `(module
  (tag $e (param i32))
  (func $maybeThrow (param i32) (if (i32.ge_u (local.get 0) (i32.const 3)) (then (throw $e (local.get 0)))))
  (func (export "breakFromCatch") (param $n i32) (result i32)
    (local $i i32)
    (block $out (result i32)
      (loop $l
        (try
          (do (call $maybeThrow (local.get $i)))
          (catch $e (br $out (i32.add (i32.const 1000)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
      (local.get $i)))
  (func (export "delegateAcrossLoop") (param $n i32) (result i32)
    (local $i i32)
    (try (result i32)
      (do
        (loop $l
          (try (do (call $maybeThrow (local.get $i))) (delegate 1))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
        (local.get $i))
      (catch $e (i32.add (i32.const 2000)))))
  (func (export "rethrowInLoop") (param $n i32) (result i32)
    (local $i i32)
    (try (result i32)
      (do
        (loop $l
          (try (do (call $maybeThrow (local.get $i)))
            (catch_all
              ;; rethrow from inside a loop: its label crosses the (wrapped) loop
              (loop $inner (rethrow 1))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
        (local.get $i))
      (catch $e (i32.add (i32.const 3000)))))
  (func (export "returnFromLoop") (param $n i32) (result i32)
    (loop $l (result i32)
      (if (i32.gt_u (local.get $n) (i32.const 100)) (then (return (local.get $n))))
      (local.set $n (i32.add (local.get $n) (i32.const 7)))
      (br $l))))`;

describe("exceptions and early exits inside metered loops", () => {
  it("behave as in the original", async () => {
    const bytes = await wat(SOURCE);
    expect(() => new WebAssembly.Module(bytes)).not.toThrow();
    const instrumented = instrumentModule(bytes, { maxMemoryPages: 1, maxTableElements: 1 }).bytes;
    expect(() => new WebAssembly.Module(instrumented)).not.toThrow();
    const raw = instantiate(bytes);
    const meter = new FuelMeter();
    const ex = instantiate(instrumented, meter.imports);
    const seen = new Set<unknown>();
    for (const name of ["breakFromCatch", "delegateAcrossLoop", "rethrowInLoop", "returnFromLoop"]) {
      for (const n of [0, 2, 5]) {
        meter.begin({ budget: 1e6, sliceSize: 10_000 });
        const got = outcome(() => (ex[name] as (n: number) => number)(n));
        meter.end();
        expect(got, `${name}(${n})`).toEqual(outcome(() => (raw[name] as (n: number) => number)(n)));
        seen.add(got.ok ? got.value : got.error);
      }
    }
    // the fixture really takes the exceptional paths
    expect(seen).toContain(1003);
    expect(seen).toContain(2003);
    expect(seen).toContain(3003);
  });
});
