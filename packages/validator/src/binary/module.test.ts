import { ErrorCode, SandboxError } from "@wasm-sandbox/manifest";
import { describe, expect, it } from "vitest";
import { functionType, readModule } from "./module.js";
import { moduleBytes, wat } from "./wat.testutil.js";

describe("readModule", () => {
  it("decodes types, imports, functions, tables, memories, globals, exports, start, segments", async () => {
    const bytes = await wat(`(module
      (type $pair (func (param i32 i64) (result i32 i64)))
      (import "env" "f" (func $imp (param i32)))
      (import "env" "t" (table 2 10 externref))
      (import "env" "m" (memory 1 4 shared))
      (import "env" "g" (global $g (mut i64)))
      (import "env" "tag" (tag (param i32)))
      (table $t 3 funcref)
      (memory 2)
      (global $h i32 (global.get 0))
      (global (mut v128) (v128.const i64x2 0 0))
      (func $main (type $pair) local.get 0 local.get 1)
      (func $s)
      (start $s)
      (export "main" (func $main))
      (export "g" (global $g))
      (elem (table $t) (i32.const 0) func $main $s)
      (elem declare func $s)
      (data (i32.const 8) "abc")
      (data "passive!"))`);
    const info = readModule(bytes);
    expect(info.types[0]).toMatchObject({ kind: "func", params: ["i32", "i64"], results: ["i32", "i64"] });
    expect(info.imports.map((i) => `${i.module}.${i.name}:${i.kind}`)).toEqual([
      "env.f:func",
      "env.t:table",
      "env.m:memory",
      "env.g:global",
      "env.tag:tag",
    ]);
    expect(info.imports[1]).toMatchObject({ type: { elemType: "externref", limits: { min: 2, max: 10 } } });
    expect(info.imports[2]).toMatchObject({ type: { min: 1, max: 4, shared: true, index64: false } });
    expect(info.imports[3]).toMatchObject({ type: { valType: "i64", mutable: true } });
    expect([info.importedFunctionCount, info.importedTableCount, info.importedMemoryCount]).toEqual([
      1, 1, 1,
    ]);
    expect([info.importedGlobalCount, info.importedTagCount]).toEqual([1, 1]);
    expect(info.tables).toHaveLength(1);
    expect(info.tables[0]!.type).toEqual({
      elemType: "funcref",
      limits: { min: 3, max: undefined, shared: false, index64: false },
    });
    expect(info.memories).toEqual([{ min: 2, max: undefined, shared: false, index64: false }]);
    expect(info.globals.map((g) => g.type)).toEqual([
      { valType: "i32", mutable: false },
      { valType: "v128", mutable: true },
    ]);
    expect(bytes[info.globals[0]!.init.start]).toBe(0x23);
    expect(bytes[info.globals[0]!.init.end - 1]).toBe(0x0b);
    expect(info.functions).toHaveLength(2);
    expect(info.bodies).toHaveLength(2);
    expect(info.start).toBe(2);
    expect(info.exports).toEqual([
      { name: "main", kind: "func", index: 1 },
      { name: "g", kind: "global", index: 0 },
    ]);
    expect(info.elements.map((e) => [e.mode, e.tableIndex, e.count])).toEqual([
      ["active", 1, 2],
      ["declarative", 0, 1],
    ]);
    expect(info.data.map((d) => [d.mode, d.memoryIndex, d.size])).toEqual([
      ["active", 0, 3],
      ["passive", 0, 8],
    ]);
    expect(functionType(info, 1)).toMatchObject({ params: ["i32", "i64"] });
    expect(functionType(info, 0)).toMatchObject({ params: ["i32"], results: [] });
    expect(functionType(info, 9)).toBeUndefined();
  });

  it("decodes memory64 limits and the typed table encoding", () => {
    // memory section: one memory, flags 0x05 (max, i64), min 1, max 2^33 pages
    const bytes = moduleBytes([5, [1, 0x05, 0x01, 0x80, 0x80, 0x80, 0x80, 0x20]]);
    expect(readModule(bytes).memories[0]).toEqual({ min: 1, max: 2 ** 33, shared: false, index64: true });
    // table section: 0x40 0x00, (ref null func) min 1, init ref.null func
    const typed = moduleBytes([4, [1, 0x40, 0x00, 0x63, 0x70, 0x00, 0x01, 0xd0, 0x70, 0x0b]]);
    const t = readModule(typed).tables[0]!;
    expect(t.type.elemType).toBe("(ref null func)");
    expect(t.init).toBeDefined();
  });

  it("decodes data segments with an explicit memory index", () => {
    const bytes = moduleBytes([11, [1, 0x02, 0x01, 0x41, 0x08, 0x0b, 0x01, 0x61]]);
    expect(readModule(bytes).data).toEqual([
      { mode: "active", memoryIndex: 1, offset: { start: 13, end: 16 }, size: 1 },
    ]);
  });

  it("decodes GC type definitions (rec groups, structs, arrays, subtypes)", () => {
    // type section: rec(2) { sub final [] struct (field (mut i32)), array i8 }, func
    const bytes = moduleBytes([1, [2, 0x4e, 2, 0x4f, 0x00, 0x5f, 1, 0x7f, 1, 0x5e, 0x78, 0, 0x60, 0, 0]]);
    const types = readModule(bytes).types;
    expect(types.map((t) => [t.kind, t.recGroup])).toEqual([
      ["struct", 0],
      ["array", 0],
      ["func", 1],
    ]);
    expect(types[0]).toMatchObject({ fields: [{ type: "i32", mutable: true }] });
    expect(types[1]).toMatchObject({ field: { type: "i8", mutable: false } });
  });

  it("rejects sections whose content does not match their size, and hostile counts", () => {
    const expectInvalid = (bytes: Uint8Array) => {
      try {
        readModule(bytes);
      } catch (e) {
        expect(SandboxError.is(e, ErrorCode.INVALID_MODULE)).toBe(true);
        expect(typeof (e as SandboxError).context.offset).toBe("number");
        return;
      }
      throw new Error("expected INVALID_MODULE");
    };
    expectInvalid(moduleBytes([1, [1, 0x60, 0, 0, 0]])); // trailing byte in the type section
    expectInvalid(moduleBytes([1, [0xff, 0xff, 0xff, 0xff, 0x0f]])); // 4 billion types in 5 bytes
    expectInvalid(moduleBytes([2, [0xff, 0xff, 0xff, 0xff, 0x0f]])); // 4 billion imports
    expectInvalid(moduleBytes([1, [1, 0x60, 0, 0]], [3, [1, 0]])); // a function without a body
    expectInvalid(moduleBytes([5, [1, 0x09, 1]])); // unknown limits flags
    expectInvalid(moduleBytes([7, [1, 1, 0x61, 9, 0]])); // unknown export kind
  });
});
