import { SandboxError } from "@wasm-sandbox/manifest";
import { mutate } from "@wasm-sandbox/testkit";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { detectFeatures } from "./features.js";
import { readModule } from "./module.js";
import { wat } from "./wat.testutil.js";

let seed: Uint8Array;

beforeAll(async () => {
  seed = await wat(`(module
    (type $t (func (param i32) (result i32)))
    (import "env" "f" (func (type $t)))
    (import "env" "m" (memory 1 2))
    (table 2 funcref)
    (global $g (mut i32) (i32.const 1))
    (elem (i32.const 0) func 0 1)
    (data (i32.const 4) "hello")
    (func (type $t)
      (block (result i32)
        (loop (br_if 0 (i32.eqz (local.get 0))))
        (i32.add (local.get 0) (global.get $g))
        (call_indirect (type $t) (i32.const 1))
        (v128.const i32x4 1 2 3 4) (i32x4.extract_lane 0) (i32.add)))
    (export "f" (func 1)))`);
});

/** Decoding never fails with anything but a typed SandboxError (never a RangeError, TypeError or hang). */
function decodesOrThrowsTyped(bytes: Uint8Array): void {
  try {
    const info = readModule(bytes);
    detectFeatures(bytes, info);
  } catch (e) {
    if (!SandboxError.is(e)) throw e;
    expect(typeof e.context.offset).toBe("number");
  }
}

describe("hostile bytes", () => {
  it("mutated modules decode or fail with a typed error carrying an offset", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (edits) => {
          const bytes = mutate(seed, edits);
          decodesOrThrowsTyped(bytes);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("truncated modules fail with a typed error unless cut at a section boundary", () => {
    const boundaries = new Set([8, ...readModule(seed).sections.map((s) => s.end)]);
    for (let n = 0; n < seed.length; n++) {
      let ok = true;
      try {
        readModule(seed.subarray(0, n));
      } catch (e) {
        expect(SandboxError.is(e), `length ${n}`).toBe(true);
        ok = false;
      }
      // a prefix ending at a section boundary is a well-formed module with fewer sections, unless it
      // declares functions whose bodies were cut off
      if (ok) expect(boundaries.has(n), `length ${n}`).toBe(true);
    }
  });

  it("random bytes behind a valid header decode or fail typed", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (tail) => {
        decodesOrThrowsTyped(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...tail]));
      }),
      { numRuns: 2000 },
    );
  });
});
