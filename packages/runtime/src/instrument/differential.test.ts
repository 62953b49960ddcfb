import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FuelMeter, instrumentModule } from "./index.js";
import { instantiate, type Outcome, outcome, wat } from "./wat.testutil.js";

const caps = { maxMemoryPages: 64, maxTableElements: 64 };

const FIXTURE = `(module
  (type $binop (func (param i32 i32) (result i32)))
  (memory 1)
  (table 4 funcref)
  (elem (i32.const 0) $add $sub $mul)
  (tag $oops (param i32))
  (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $binop) (i32.sub (local.get 0) (local.get 1)))
  (func $mul (type $binop) (i32.mul (local.get 0) (local.get 1)))
  (func (export "arith") (param i32 i64 f64) (result f64)
    (f64.add
      (f64.convert_i64_s (i64.mul (i64.extend_i32_s (local.get 0)) (local.get 1)))
      (f64.sqrt (local.get 2))))
  (func (export "sumTo") (param $n i32) (result i64)
    (local $acc i64)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $n))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $acc))
  (func $fact (export "fact") (param i64) (result i64)
    (if (result i64) (i64.le_s (local.get 0) (i64.const 1))
      (then (i64.const 1))
      (else (i64.mul (local.get 0) (call $fact (i64.sub (local.get 0) (i64.const 1)))))))
  (func (export "classify") (param i32) (result i32)
    (block $d (block $c (block $b (block $a
      (br_table $a $b $c $d (local.get 0)))
      (return (i32.const 10)))
      (return (i32.const 20)))
      (return (i32.const 30)))
    (i32.const 40))
  (func (export "divmod") (param i32 i32) (result i32 i32)
    local.get 0 local.get 1
    (block (param i32 i32) (result i32 i32)
      local.set 1 local.set 0
      (i32.div_u (local.get 0) (local.get 1))
      (i32.rem_u (local.get 0) (local.get 1))
      (br 0)))
  (func (export "swapSum") (param i32 i32) (result i32)
    (local.get 0) (local.get 1)
    (loop (param i32 i32) (result i32) (i32.add))
    (block (result i32 i32) (i32.const 1) (i32.const 2)) (i32.add) (i32.add))
  (func (export "viaTable") (param i32 i32 i32) (result i32)
    (call_indirect (type $binop) (local.get 1) (local.get 2) (local.get 0)))
  (func (export "trapUnreachable") unreachable)
  (func (export "trapDiv") (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
  (func (export "trapOob") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "trapOverflow") (result i32) (i32.div_s (i32.const 0x80000000) (i32.const -1)))
  (func (export "trapConversion") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
  (func (export "bulk") (param i32) (result i32)
    (memory.fill (i32.const 100) (i32.const 7) (local.get 0))
    (memory.copy (i32.const 5000) (i32.const 100) (local.get 0))
    (i32.load8_u (i32.add (i32.const 4999) (local.get 0))))
  (func (export "simd") (param i32) (result i32)
    (i32x4.extract_lane 2
      (i32x4.add (i32x4.splat (local.get 0)) (v128.const i32x4 1 2 3 4))))
  (func (export "satTrunc") (param f32) (result i32) (i32.trunc_sat_f32_s (local.get 0)))
  (func (export "signExt") (param i32) (result i32) (i32.extend8_s (local.get 0)))
  (func (export "catchIt") (param i32) (result i32)
    (try (result i32)
      (do (if (local.get 0) (then (throw $oops (local.get 0)))) (i32.const -1))
      (catch $oops (i32.add (i32.const 1000)))))
  (func $tail (param i32 i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (local.get 1))
      (else (return_call $tail (i32.sub (local.get 0) (i32.const 1)) (i32.add (local.get 1) (local.get 0))))))
  (func (export "tailSum") (param i32) (result i32) (return_call $tail (local.get 0) (i32.const 0))))`;

type Call = [string, unknown[]];
const CALLS: Call[] = [
  ["arith", [7, 6n, 16]],
  ["sumTo", [1000]],
  ["fact", [20n]],
  ...[0, 1, 2, 3, 4, 99, -1].map((i): Call => ["classify", [i]]),
  ["divmod", [17, 5]],
  ["divmod", [1, 0]],
  ["swapSum", [5, 6]],
  ["viaTable", [0, 6, 7]],
  ["viaTable", [1, 6, 7]],
  ["viaTable", [2, 6, 7]],
  ["viaTable", [3, 6, 7]],
  ["viaTable", [9, 6, 7]],
  ["trapUnreachable", []],
  ["trapDiv", [0]],
  ["trapDiv", [1]],
  ["trapOob", [65535]],
  ["trapOob", [65532]],
  ["trapOverflow", []],
  ["trapConversion", [1e300]],
  ["bulk", [300]],
  ["bulk", [70000]],
  ["simd", [10]],
  ["satTrunc", [1e20]],
  ["signExt", [0xff]],
  ["catchIt", [0]],
  ["catchIt", [5]],
  ["tailSum", [100000]],
];

function runAll(exports: WebAssembly.Exports, meter?: FuelMeter): { results: Outcome[]; fuel: number[] } {
  const results: Outcome[] = [];
  const fuel: number[] = [];
  for (const [name, args] of CALLS) {
    meter?.begin({ budget: 1e12 });
    results.push(outcome(() => (exports[name] as (...a: unknown[]) => unknown)(...args)));
    if (meter) fuel.push(meter.end());
  }
  return { results, fuel };
}

describe("instrumented modules compute what the originals compute", () => {
  it("gives identical results and identical traps on the fixture", async () => {
    const bytes = await wat(FIXTURE);
    expect(WebAssembly.validate(bytes)).toBe(true);
    const r = instrumentModule(bytes, caps);
    expect(() => new WebAssembly.Module(r.bytes)).not.toThrow();
    const raw = runAll(instantiate(bytes)).results;
    const meter = new FuelMeter();
    meter.begin({ budget: 1e6 });
    const ex = instantiate(r.bytes, meter.imports);
    meter.end();
    const { results, fuel } = runAll(ex, meter);
    expect(results).toEqual(raw);
    expect(raw.filter((o) => !o.ok)).toHaveLength(9); // the trap cases really trap (same messages compared above)
    expect(fuel.filter((_, i) => raw[i]!.ok).every((f) => f > 0)).toBe(true);
    expect(fuel[CALLS.findIndex(([n]) => n === "trapUnreachable")]).toBe(1);
    // fuel is deterministic: a fresh instance (and a fresh meter) consumes exactly the same
    const meter2 = new FuelMeter();
    meter2.begin({ budget: 1e6 });
    const ex2 = instantiate(instrumentModule(bytes, caps).bytes, meter2.imports);
    meter2.end();
    const again = runAll(ex2, meter2);
    expect(again.fuel).toEqual(fuel);
    // bulk operations are charged by length
    const bulkSmall = fuel[CALLS.findIndex(([n, a]) => n === "bulk" && a[0] === 300)]!;
    const sumTo = fuel[CALLS.findIndex(([n]) => n === "sumTo")]!;
    expect(sumTo).toBeGreaterThan(1000 * 8);
    expect(bulkSmall).toBeGreaterThanOrEqual(2 * Math.floor(300 / 16));
  });

  it.each(["fib", "sort", "hash", "matmul"])("kernel %s gives the same result instrumented", async (name) => {
    const source = readFileSync(new URL(`./fixtures/${name}.wat`, import.meta.url), "utf8");
    const bytes = await wat(source);
    const args: Record<string, number> = { fib: 20, sort: 2000, hash: 2, matmul: 20 };
    const raw = (instantiate(bytes).run as (n: number) => number)(args[name]!);
    const r = instrumentModule(bytes, caps);
    const meter = new FuelMeter();
    const ex = instantiate(r.bytes, meter.imports);
    meter.begin({ budget: 1e12 });
    expect((ex.run as (n: number) => number)(args[name]!)).toBe(raw);
    const first = meter.end();
    if (name === "fib") {
      // exact and analytic: a leaf call costs 5 (entry 4 + then 1), an inner one 13 (entry 4 + else 9),
      // plus 2 in run(): F(n) = 5 if n < 2 else 13 + F(n-1) + F(n-2); F(20) + 2 = 197017
      expect(first).toBe(197_017);
    }
    meter.begin({ budget: 1e12, sliceSize: 10_000 });
    (ex.run as (n: number) => number)(args[name]!);
    expect(meter.end()).toBe(first);
  });
});
