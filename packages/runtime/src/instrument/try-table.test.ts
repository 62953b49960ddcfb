import { readModule } from "@wasm-sandbox/validator";
import { describe, expect, it } from "vitest";
import { instrumentModule } from "./index.js";
import { wabtValidate, wat } from "./wat.testutil.js";

describe("functions with try_table (not yet accepted by Node 20's engine)", () => {
  it("are metered without loop wrapping and stay valid (checked with wabt)", async () => {
    const bytes = await wat(`(module
      (tag $e (param i32))
      (func $f (param i32) (result i32)
        (block $caught (result i32)
          (loop $l
            (try_table (catch $e $caught)
              (if (i32.gt_u (local.get 0) (i32.const 10)) (then (throw $e (local.get 0)))))
            (local.set 0 (i32.add (local.get 0) (i32.const 1)))
            (br $l))
          (unreachable))
        (i32.add (i32.const 1)))
      (func (export "g") (result i32) (loop $m (br_if $m (i32.eqz (call $f (i32.const 0))))) (i32.const 0)))`);
    await wabtValidate(bytes);
    const out = instrumentModule(bytes, { maxMemoryPages: 1, maxTableElements: 1 }).bytes;
    await wabtValidate(out);
    const info = readModule(out);
    expect(info.imports.map((i) => i.name)).toEqual(["out_of_fuel", "fuel"]);
    // $f keeps its single loop (inline check), $g's loop is wrapped: block + loop + block around it
    expect(out.length).toBeGreaterThan(bytes.length);
  });
});
