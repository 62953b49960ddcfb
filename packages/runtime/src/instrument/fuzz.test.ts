import { SandboxError } from "@wasm-sandbox/manifest";
import { mutate } from "@wasm-sandbox/testkit";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { instrumentModule } from "./index.js";
import { wat } from "./wat.testutil.js";

let seed: Uint8Array<ArrayBuffer>;

beforeAll(async () => {
  seed = await wat(`(module
    (type $t (func (param i32) (result i32)))
    (import "env" "f" (func (type $t)))
    (import "env" "g" (global $imported i32))
    (memory 1 2)
    (table 2 funcref)
    (global $g (mut i32) (i32.const 1))
    (elem (i32.const 0) func 0 1)
    (data (i32.const 4) "hello")
    (func (type $t)
      (block (result i32)
        (loop (br_if 0 (i32.eqz (local.get 0))))
        (memory.fill (i32.const 0) (i32.const 0) (local.get 0))
        (i32.add (local.get 0) (global.get $g))
        (call_indirect (type $t) (i32.const 1))
        (i32.add (global.get $imported))))
    (func (export "loop") (param i32) (result i32)
      (loop $l (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
      (call 1 (local.get 0)))
    (export "f" (func 1)))`);
});

const CAPS = { maxMemoryPages: 4, maxTableElements: 4 };

describe("instrumenting hostile bytes", () => {
  it("mutated modules instrument or fail typed, and every valid mutant stays valid", () => {
    let validMutants = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        (edits) => {
          const bytes = mutate(seed, edits);
          let out: Uint8Array<ArrayBuffer>;
          try {
            out = instrumentModule(bytes, CAPS).bytes;
          } catch (e) {
            if (!SandboxError.is(e)) throw e;
            return;
          }
          if (WebAssembly.validate(bytes)) {
            validMutants++;
            expect(WebAssembly.validate(out)).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
    expect(validMutants).toBeGreaterThan(20);
  });
});
