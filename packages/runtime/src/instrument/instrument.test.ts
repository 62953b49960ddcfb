import { ErrorCode, SandboxError } from "@wasm-sandbox/manifest";
import { caught } from "@wasm-sandbox/testkit";
import { readModule } from "@wasm-sandbox/validator";
import { describe, expect, it } from "vitest";
import { FuelMeter, instrumentModule, RESERVED_MODULE } from "./index.js";
import { instantiate, wat } from "./wat.testutil.js";

const caps = { maxMemoryPages: 4, maxTableElements: 8 };

const thrown = (fn: () => unknown): SandboxError => caught(fn, SandboxError.is);

describe("instrumentModule: memory and table caps", () => {
  it("rewrites every defined memory and table maximum to min(declared, cap) and reports both", async () => {
    const bytes = await wat(`(module (memory 1) (table 1 funcref) (table 2 100 externref))`);
    for (const meterFuel of [true, false]) {
      const r = instrumentModule(bytes, { ...caps, meterFuel });
      expect(WebAssembly.validate(r.bytes)).toBe(true);
      expect(r.memories).toEqual([
        { index: 0, min: 1, declaredMax: undefined, max: 4, shared: false, index64: false },
      ]);
      expect(r.tables.map((t) => [t.min, t.declaredMax, t.max, t.elemType])).toEqual([
        [1, undefined, 8, "funcref"],
        [2, 100, 8, "externref"],
      ]);
      const info = readModule(r.bytes);
      expect(info.memories[0]!.max).toBe(4);
      expect(info.tables.map((t) => t.type.limits.max)).toEqual([8, 8]);
    }
  });

  it("never writes a maximum above what the binary format allows", async () => {
    const bytes = await wat(`(module (memory 1) (table 1 funcref))`);
    for (const meterFuel of [true, false]) {
      const r = instrumentModule(bytes, { maxMemoryPages: 1_000_000, maxTableElements: 2 ** 40, meterFuel });
      expect(r.memories[0]!.max).toBe(65_536);
      expect(r.tables[0]!.max).toBe(0xffff_ffff);
      expect(WebAssembly.validate(r.bytes)).toBe(true);
    }
  });

  it("keeps a declared maximum below the cap and preserves the shared flag", async () => {
    const bytes = await wat(`(module (memory 1 2 shared))`);
    const r = instrumentModule(bytes, caps);
    expect(r.memories[0]).toMatchObject({ max: 2, declaredMax: 2, shared: true });
    expect(readModule(r.bytes).memories[0]).toEqual({ min: 1, max: 2, shared: true, index64: false });
    expect(WebAssembly.validate(r.bytes)).toBe(true);
  });

  it("refuses a declared minimum above the cap with RESOURCE_EXHAUSTED in pages / elements", async () => {
    const mem = thrown(() => instrumentModule(new Uint8Array(0), caps));
    expect(mem.code).toBe(ErrorCode.INVALID_MODULE);
    const big = await wat(`(module (memory 5))`);
    const e = thrown(() => instrumentModule(big, caps));
    expect(e.code).toBe(ErrorCode.RESOURCE_EXHAUSTED);
    expect(e.context).toMatchObject({ kind: "memory", limit: 4, used: 5, unit: "pages" });
    const table = await wat(`(module (table 9 funcref))`);
    expect(thrown(() => instrumentModule(table, caps)).context).toMatchObject({
      kind: "table",
      limit: 8,
      used: 9,
    });
    const imported = await wat(`(module (import "env" "m" (memory 6)))`);
    expect(thrown(() => instrumentModule(imported, caps)).context).toMatchObject({ kind: "memory", used: 6 });
  });

  it("reports imported memories and tables with the maximum the host must provide", async () => {
    const bytes = await wat(`(module
      (import "env" "memory" (memory 1 100))
      (import "env" "table" (table 1 funcref))
      (func (export "size") (result i32) memory.size))`);
    const r = instrumentModule(bytes, caps);
    expect(r.importedMemories).toEqual([
      {
        index: 0,
        min: 1,
        declaredMax: 100,
        max: 4,
        shared: false,
        index64: false,
        module: "env",
        name: "memory",
      },
    ]);
    expect(r.importedTables[0]).toMatchObject({
      module: "env",
      name: "table",
      min: 1,
      max: 8,
      elemType: "funcref",
    });
    const memory = new WebAssembly.Memory({ initial: 1, maximum: r.importedMemories[0]!.max });
    const table = new WebAssembly.Table({ element: "anyfunc", initial: 1, maximum: 8 });
    const meter = new FuelMeter();
    meter.begin({ budget: 1000 });
    const exports = instantiate(r.bytes, { env: { memory, table }, ...meter.imports });
    expect((exports.size as () => number)()).toBe(1);
    expect(meter.end()).toBeGreaterThan(0);
  });

  it("makes memory.grow and table.grow past the cap return -1", async () => {
    const bytes = await wat(`(module
      (memory 1)
      (table 1 funcref)
      (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
      (func (export "tgrow") (param i32) (result i32) ref.null func local.get 0 table.grow 0))`);
    for (const meterFuel of [true, false]) {
      const r = instrumentModule(bytes, { ...caps, meterFuel });
      const meter = new FuelMeter();
      meter.begin({ budget: 1e6 });
      const ex = instantiate(r.bytes, meterFuel ? meter.imports : {});
      const grow = ex.grow as (n: number) => number;
      const tgrow = ex.tgrow as (n: number) => number;
      expect(grow(3)).toBe(1); // 1 -> 4 pages
      expect(grow(1)).toBe(-1); // 5 > 4
      expect(grow(0)).toBe(4);
      expect(tgrow(7)).toBe(1); // 1 -> 8
      expect(tgrow(1)).toBe(-1);
      // the unrestricted original grows freely
      const raw = instantiate(bytes);
      expect((raw.grow as (n: number) => number)(10)).toBe(1);
      meter.end();
    }
  });

  it("rejects bad options with INVALID_ARGUMENT", async () => {
    const bytes = await wat(`(module)`);
    expect(thrown(() => instrumentModule(bytes, { maxMemoryPages: -1, maxTableElements: 1 })).code).toBe(
      ErrorCode.INVALID_ARGUMENT,
    );
    expect(thrown(() => instrumentModule(bytes, { maxMemoryPages: 1, maxTableElements: 0.5 })).code).toBe(
      ErrorCode.INVALID_ARGUMENT,
    );
  });
});

describe("instrumentModule: fuel wiring", () => {
  it("refuses a guest that imports from the reserved module", async () => {
    const bytes = await wat(`(module (import "${RESERVED_MODULE}" "fuel" (global (mut i64))))`);
    const e = thrown(() => instrumentModule(bytes, caps));
    expect(e.code).toBe(ErrorCode.LINK_ERROR);
    expect(e.context).toMatchObject({ module: RESERVED_MODULE, name: "fuel" });
    const fn = await wat(`(module (import "${RESERVED_MODULE}" "out_of_fuel" (func)))`);
    expect(thrown(() => instrumentModule(fn, { ...caps, meterFuel: false })).code).toBe(ErrorCode.LINK_ERROR);
  });

  it("adds the two imports, hides the counter and shifts every function and global index", async () => {
    const bytes = await wat(`(module
      (import "env" "log" (func $log (param i32)))
      (import "env" "base" (global $base i32))
      (global $g (mut i32) (global.get $base))
      (global $fr funcref (ref.func $double))
      (table 2 funcref)
      (elem (i32.const 0) $double $inc)
      (elem declare func $double)
      (memory 1)
      (data (global.get $base) "\\2a")
      (func $double (param i32) (result i32) local.get 0 i32.const 2 i32.mul)
      (func $inc (param i32) (result i32) local.get 0 i32.const 1 i32.add)
      (func $start (global.set $g (i32.add (global.get $g) (i32.const 100))) (call $log (global.get $g)))
      (start $start)
      (func (export "viaTable") (param i32 i32) (result i32)
        local.get 1 local.get 0 call_indirect (param i32) (result i32))
      (func (export "direct") (param i32) (result i32) local.get 0 call $double call $inc)
      (func (export "ref") (result i32) ref.func $inc ref.is_null)
      (func (export "load") (result i32) global.get $base i32.load8_u)
      (export "g" (global $g))
      (export "double" (func $double)))`);
    const r = instrumentModule(bytes, caps);
    expect(r.fuelImports).toEqual({ module: RESERVED_MODULE, fuel: "fuel", outOfFuel: "out_of_fuel" });
    expect(WebAssembly.validate(r.bytes)).toBe(true);
    const mod = new WebAssembly.Module(r.bytes);
    expect(WebAssembly.Module.imports(mod).map((i) => `${i.module}.${i.name}:${i.kind}`)).toEqual([
      "env.log:function",
      "env.base:global",
      `${RESERVED_MODULE}.out_of_fuel:function`,
      `${RESERVED_MODULE}.fuel:global`,
    ]);
    expect(WebAssembly.Module.exports(mod)).toEqual(
      WebAssembly.Module.exports(new WebAssembly.Module(bytes)),
    );
    const logged: number[] = [];
    const env = { log: (v: number) => logged.push(v), base: new WebAssembly.Global({ value: "i32" }, 8) };
    const meter = new FuelMeter();
    meter.begin({ budget: 1e6 });
    const ex = instantiate(r.bytes, { env, ...meter.imports });
    meter.end();
    const raw = instantiate(bytes, { env });
    expect(logged).toEqual([108, 108]);
    for (const e of [raw, ex]) {
      meter.begin({ budget: 1e6 });
      expect((e.viaTable as (i: number, v: number) => number)(0, 21)).toBe(42);
      expect((e.viaTable as (i: number, v: number) => number)(1, 21)).toBe(22);
      expect((e.direct as (v: number) => number)(5)).toBe(11);
      expect((e.ref as () => number)()).toBe(0);
      expect((e.load as () => number)()).toBe(42);
      expect((e.g as WebAssembly.Global).value).toBe(108);
      expect((e.double as (v: number) => number)(4)).toBe(8);
      meter.end();
    }
  });

  it("rewrites the name section for the shifted indices and keeps other custom sections", async () => {
    const bytes = await wat(
      `(module
        (import "env" "g" (global $imported i32))
        (global $mine (mut i32) (i32.const 0))
        (func $helper (param $x i32) (result i32) (global.set $mine (local.get $x)) unreachable)
        (func $entry (export "f") (result i32) (call $helper (i32.const 1))))`,
      { names: true },
    );
    const custom = [0x00, 0x06, 0x04, 0x6e, 0x6f, 0x74, 0x65, 0x2a];
    const withCustom = new Uint8Array([...bytes, ...custom]);
    const out = instrumentModule(withCustom, caps).bytes;
    expect(readModule(out).customSections.map((c) => c.name)).toEqual(["name", "note"]);
    const meter = new FuelMeter();
    meter.begin({ budget: 1000 });
    const ex = instantiate(out, { env: { g: 1 }, ...meter.imports });
    meter.end();
    meter.begin({ budget: 1000 });
    let stack = "";
    try {
      (ex.f as () => number)();
    } catch (e) {
      stack = (e as Error).stack ?? "";
    }
    expect(() => meter.end()).not.toThrow();
    // the trap's stack names the guest's functions, not their neighbours
    expect(stack).toMatch(/at (\$)?helper /);
    expect(stack).toMatch(/at (\$)?entry /);
  });

  it("drops an unreadable name section", async () => {
    const bytes = await wat(`(module (func (export "f")))`);
    const badNames = [0x00, 0x08, 0x04, 0x6e, 0x61, 0x6d, 0x65, 0x01, 0x7f, 0x00];
    const out = instrumentModule(new Uint8Array([...bytes, ...badNames]), caps).bytes;
    expect(readModule(out).customSections).toEqual([]);
    const capped = instrumentModule(new Uint8Array([...bytes, ...badNames]), {
      ...caps,
      meterFuel: false,
    }).bytes;
    expect(readModule(capped).customSections.map((c) => c.name)).toEqual(["name"]);
  });

  it("creates type and import sections when the module has none", async () => {
    const bytes = await wat(`(module (memory 1))`);
    const r = instrumentModule(bytes, caps);
    expect(WebAssembly.validate(r.bytes)).toBe(true);
    const info = readModule(r.bytes);
    expect(info.types).toHaveLength(1);
    expect(info.imports.map((i) => i.name)).toEqual(["out_of_fuel", "fuel"]);
  });

  it("leaves everything but limits untouched when fuel metering is off", async () => {
    const bytes = await wat(`(module (memory 1 2) (func (export "f") (result i32) i32.const 1))`);
    const r = instrumentModule(bytes, { ...caps, meterFuel: false });
    expect(r.fuelImports).toBeNull();
    expect(r.bytes).toEqual(bytes);
  });

  it("copies every other section as it is when fuel metering is off", async () => {
    const bytes = await wat(
      `(module
        (import "env" "f" (func $f))
        (table 2 4 funcref)
        (memory 1 2)
        (global $g (mut i32) (i32.const 0))
        (export "g" (global $g))
        (export "run" (func $run))
        (start $run)
        (elem (i32.const 0) func $f $run)
        (func $run (global.set $g (i32.const 1)))
        (data (i32.const 0) "x"))`,
      { names: true },
    );
    const r = instrumentModule(bytes, { ...caps, meterFuel: false });
    expect(readModule(bytes).customSections.map((c) => c.name)).toEqual(["name"]);
    expect(r.bytes).toEqual(bytes);
  });
});
