import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FuelMeter, instrumentModule } from "./index.js";
import { instantiate, outcome, wat } from "./wat.testutil.js";

const MAX_DEPTH = 4;
const BINOPS = [
  "i32.add",
  "i32.sub",
  "i32.mul",
  "i32.xor",
  "i32.and",
  "i32.shl",
  "i32.shr_s",
  "i32.div_s",
  "i32.rem_u",
];

/**
 * Random i32 expressions over params $a $b: arithmetic (traps included), if, br_if, counted loops, calls,
 * early exits from enclosing loops (br_if / br_table across loop labels) and returns from inside loops.
 * `exits` are the labels of enclosing loop-exit blocks (all typed i32).
 */
function expr(depth: number, exits: readonly string[] = []): fc.Arbitrary<string> {
  const leaf = fc.oneof(
    fc.integer({ min: -100, max: 100 }).map((n) => `(i32.const ${n})`),
    fc.constantFrom("(local.get $a)", "(local.get $b)"),
  );
  if (depth >= MAX_DEPTH) return leaf;
  const sub = expr(depth + 1, exits);
  const d = depth;
  const inLoop = expr(depth + 1, [...exits, `$x${d}`]);
  const escapes: fc.Arbitrary<string>[] =
    exits.length === 0
      ? []
      : [
          fc
            .tuple(fc.constantFrom(...exits), sub, sub, sub)
            .map(([label, v, c, rest]) => `(block (result i32) (drop (br_if ${label} ${v} ${c})) ${rest})`),
          fc
            .tuple(fc.constantFrom(...exits), fc.constantFrom(...exits), sub, sub)
            .map(([l1, l2, v, i]) => `(block $t${d} (result i32) (br_table $t${d} ${l1} ${l2} ${v} ${i}))`),
        ];
  return fc.oneof(
    ...escapes.map((arbitrary) => ({ arbitrary, weight: 2 })),
    {
      arbitrary: fc
        .tuple(sub, sub, sub)
        .map(([c, v, rest]) => `(block (result i32) (if ${c} (then (return ${v}))) ${rest})`),
      weight: 1,
    },
    { arbitrary: leaf, weight: 3 },
    {
      arbitrary: fc.tuple(fc.constantFrom(...BINOPS), sub, sub).map(([op, x, y]) => `(${op} ${x} ${y})`),
      weight: 4,
    },
    {
      arbitrary: fc.tuple(sub, sub, sub).map(([c, t, e]) => `(if (result i32) ${c} (then ${t}) (else ${e}))`),
      weight: 2,
    },
    {
      arbitrary: fc
        .tuple(sub, sub, sub)
        .map(([v, c, rest]) => `(block (result i32) (drop (br_if 0 ${v} ${c})) ${rest})`),
      weight: 1,
    },
    {
      arbitrary: fc.tuple(fc.integer({ min: 1, max: 5 }), sub, inLoop).map(
        ([k, init, body]) =>
          `(block $x${d} (result i32) (local.set $i${d} (i32.const ${k})) (local.set $acc${d} ${init})
              (loop $l${d}
                (local.set $acc${d} (i32.add (local.get $acc${d}) ${body}))
                (local.set $i${d} (i32.sub (local.get $i${d}) (i32.const 1)))
                (br_if $l${d} (local.get $i${d})))
              (local.get $acc${d}))`,
      ),
      weight: 2,
    },
    { arbitrary: fc.tuple(sub, sub).map(([x, y]) => `(call $helper ${x} ${y})`), weight: 1 },
    {
      arbitrary: fc
        .tuple(fc.integer({ min: 0, max: 2 }), sub, sub)
        .map(([i, x, y]) => `(call_indirect (type $bin) ${x} ${y} (i32.const ${i}))`),
      weight: 1,
    },
    { arbitrary: fc.tuple(sub, sub).map(([x, y]) => `(i32.add (call $pair ${x} ${y}))`), weight: 1 },
    { arbitrary: fc.tuple(sub, sub, sub).map(([x, y, c]) => `(select ${x} ${y} ${c})`), weight: 1 },
  );
}

function moduleSource(body: string): string {
  const locals = Array.from({ length: MAX_DEPTH }, (_, i) => `(local $i${i} i32) (local $acc${i} i32)`).join(
    " ",
  );
  return `(module
    (type $bin (func (param i32 i32) (result i32)))
    (table 3 funcref)
    (elem (i32.const 0) $helper $minus)
    (func $helper (type $bin) (i32.add (i32.mul (local.get 0) (i32.const 3)) (local.get 1)))
    (func $minus (type $bin) (i32.sub (local.get 0) (local.get 1)))
    (func $pair (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
    (func (export "f") (param $a i32) (param $b i32) (result i32) ${locals}
      ${body}))`;
}

const INPUTS: [number, number][] = [
  [0, 0],
  [1, 2],
  [-7, 3],
  [100, 0],
  [0x7fffffff, -1],
];

describe("instrumentation preserves behaviour (property)", () => {
  it("instrumented valid generated modules validate and compute the same results and traps", async () => {
    await fc.assert(
      fc.asyncProperty(expr(0), async (body) => {
        const bytes = await wat(moduleSource(body));
        expect(WebAssembly.validate(bytes)).toBe(true);
        const { bytes: instrumented } = instrumentModule(bytes, { maxMemoryPages: 1, maxTableElements: 8 });
        expect(WebAssembly.validate(instrumented)).toBe(true);
        const raw = instantiate(bytes).f as (a: number, b: number) => number;
        const meter = new FuelMeter();
        const f = instantiate(instrumented, meter.imports).f as (a: number, b: number) => number;
        for (const [a, b] of INPUTS) {
          meter.begin({ budget: 1e9, sliceSize: 10_000 });
          const got = outcome(() => f(a, b));
          const fuel = meter.end();
          expect(got).toEqual(outcome(() => raw(a, b)));
          if (got.ok) {
            // the same call on a fresh meter with another slice size consumes the same fuel
            meter.begin({ budget: 1e9, sliceSize: 1e12 });
            f(a, b);
            expect(meter.end()).toBe(fuel);
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
