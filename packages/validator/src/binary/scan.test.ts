import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { mutate } from "@wasm-sandbox/testkit";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { InstructionReader } from "./code.js";
import { detectFeatures, detectFeaturesByWalk } from "./features.js";
import { type ExprRange, readModule } from "./module.js";
import { SCAN_BAIL, scanCodeBits } from "./scan.js";
import { wat } from "./wat.testutil.js";

const require = createRequire(import.meta.url);
const fixtures = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "build", "fixtures");

/** The bench corpus: real toolchain output shipped in npm packages (devDependencies of this package). */
const CORPUS: [string, () => string][] = [
  ["sql.js", () => join(dirname(require.resolve("sql.js")), "sql-wasm.wasm")],
  ["esbuild", () => require.resolve("esbuild-wasm/esbuild.wasm")],
  ["swc", () => join(dirname(require.resolve("@swc/wasm/package.json")), "wasm_bg.wasm")],
  ["mediapipe SIMD", () => require.resolve("@mediapipe/tasks-vision/vision_wasm_internal.wasm")],
  ["mediapipe", () => require.resolve("@mediapipe/tasks-vision/vision_wasm_nosimd_internal.wasm")],
];

/** What detectFeatures and the walker each give: the features, or the error's code and message. */
function outcome(run: () => unknown): unknown {
  try {
    return run();
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** Every const expression the reader found must end where the walker ends it. */
function walkerEnd(bytes: Uint8Array, e: ExprRange): number {
  const it = new InstructionReader(bytes, e.start, bytes.length);
  while (it.depth > 0) it.next();
  return it.pos;
}

describe("fast feature scan", () => {
  it.each(CORPUS)("%s: same features as the walker, without falling back", (_name, path) => {
    const bytes = new Uint8Array(readFileSync(path()));
    const info = readModule(bytes);
    expect(scanCodeBits(bytes, info.bodies)).not.toBe(SCAN_BAIL);
    expect(detectFeatures(bytes, info)).toEqual(detectFeaturesByWalk(bytes, info));
    const exprs = [
      ...info.globals.map((g) => g.init),
      ...info.data.flatMap((d) => (d.offset ? [d.offset] : [])),
      ...info.elements.flatMap((el) => (el.offset ? [el.offset] : [])),
    ];
    expect(exprs.length).toBeGreaterThan(0);
    for (const e of exprs) expect(e.end).toBe(walkerEnd(bytes, e));
  });

  it("every fixture: same features (or the same error) as the walker", () => {
    const files = readdirSync(fixtures).filter((f) => f.endsWith(".wasm"));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const bytes = new Uint8Array(readFileSync(join(fixtures, f)));
      const fast = outcome(() => detectFeatures(bytes));
      expect(fast, f).toEqual(outcome(() => detectFeaturesByWalk(bytes)));
    }
  });

  let seed: Uint8Array;
  beforeAll(async () => {
    seed = await wat(`(module
        (type $t (func (param i32) (result i32)))
        (memory 1 2)
        (table 2 funcref)
        (global $g (mut i32) (i32.const 1))
        (elem (i32.const 0) func 0 0)
        (data (i32.const 4) "hello")
        (data $p "x")
        (func (type $t)
          (block (result i32)
            (loop (br_if 0 (i32.eqz (local.get 0))))
            (block (br_table 0 0 0 (local.get 0)))
            (drop (select (result i32) (i32.const 1) (i32.const 2) (local.get 0)))
            (i32.store offset=8 (i32.const 0) (i32.load8_s offset=70000 (i32.const 1)))
            (drop (i64.const -123456789012) (f32.const 1.5) (f64.const 2.5))
            (memory.copy (i32.const 0) (i32.const 1) (i32.const 2))
            (memory.init $p (i32.const 0) (i32.const 0) (i32.const 1))
            (i32.add (local.get 0) (global.get $g))
            (call_indirect (type $t) (i32.const 1))
            (i32.extend8_s) (drop (i32.trunc_sat_f32_s (f32.const 1)))
            (v128.const i32x4 1 2 3 4) (i32x4.extract_lane 0) (i32.add)
            (drop (i32.atomic.load (i32.const 0)))))
        (export "f" (func 0)))`);
  });

  it("mutated modules: same features or the same error as the walker", () => {
    expect(detectFeatures(seed)).toEqual(detectFeaturesByWalk(seed));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        (edits) => {
          const bytes = mutate(seed, edits);
          let info: ReturnType<typeof readModule>;
          try {
            info = readModule(bytes);
          } catch {
            return;
          }
          expect(outcome(() => detectFeatures(bytes, info))).toEqual(
            outcome(() => detectFeaturesByWalk(bytes, info)),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });
});
