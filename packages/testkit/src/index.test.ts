import { describe, expect, it } from "vitest";
import { caught, compileWat, loadWabtKit, mutate, validateWasm, WABT_FEATURES } from "./index.mjs";

const ADD = `(module (func $add (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))`;

function exportsOf(bytes: Uint8Array<ArrayBuffer>): WebAssembly.Exports {
  return new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
}

describe("compileWat", () => {
  it("compiles WAT to a module Node runs", async () => {
    const add = exportsOf(await compileWat(ADD)).add as (a: number, b: number) => number;
    expect(add(2, 3)).toBe(5);
  });

  it("accepts Node 20's proposals by default and refuses them when the features say so", async () => {
    const tailCall = `(module (func $f (result i32) (i32.const 7)) (func (export "g") (result i32) (return_call $f)))`;
    expect(WABT_FEATURES.tail_call).toBe(true);
    const g = exportsOf(await compileWat(tailCall)).g as () => number;
    expect(g()).toBe(7);
    // `{}` is wabt's own defaults, which leave tail calls off
    await expect(compileWat(tailCall, { features: {} })).rejects.toThrow(/return_call/);
  });

  it("writes a name section only with debugNames", async () => {
    const plain = await compileWat(ADD);
    const named = await compileWat(ADD, { debugNames: true });
    expect(WebAssembly.Module.customSections(new WebAssembly.Module(plain), "name")).toHaveLength(0);
    expect(WebAssembly.Module.customSections(new WebAssembly.Module(named), "name")).toHaveLength(1);
  });

  it("writes invalid modules unless asked to validate", async () => {
    const invalid = `(module (func (result i32) (i64.const 1)))`;
    const bytes = await compileWat(invalid);
    expect(() => new WebAssembly.Module(bytes)).toThrow(WebAssembly.CompileError);
    await expect(compileWat(invalid, { validate: true })).rejects.toThrow(/type mismatch/);
  });
});

describe("validateWasm", () => {
  it("passes a valid binary and rejects a corrupted one", async () => {
    const bytes = await compileWat(ADD);
    await expect(validateWasm(bytes)).resolves.toBeUndefined();
    const kit = await loadWabtKit();
    expect(() => kit.validate(bytes.slice(0, bytes.length - 2))).toThrow(/readWasm failed/);
  });
});

describe("caught", () => {
  class Expected extends Error {}
  const isExpected = (e: unknown): e is Expected => e instanceof Expected;

  it("returns what the call threw, narrowed by the guard", () => {
    const error = new Expected("boom");
    expect(
      caught(() => {
        throw error;
      }),
    ).toBe(error);
    expect(
      caught(() => {
        throw error;
      }, isExpected),
    ).toBe(error);
  });

  it("rethrows what the guard rejects and fails when nothing is thrown", () => {
    const other = new TypeError("other");
    expect(() =>
      caught(() => {
        throw other;
      }, isExpected),
    ).toThrow(other);
    expect(() => caught(() => 1)).toThrow("expected a throw");
  });
});

describe("mutate", () => {
  it("writes each edit at its offset modulo the length, on a copy", () => {
    const seed = new Uint8Array([1, 2, 3, 4]);
    expect([
      ...mutate(seed, [
        [1, 9],
        [6, 7],
      ]),
    ]).toEqual([1, 9, 7, 4]);
    expect([...seed]).toEqual([1, 2, 3, 4]);
  });
});
