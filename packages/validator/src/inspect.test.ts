import { ErrorCode, SandboxError } from "@wasm-sandbox/manifest";
import { describe, expect, it } from "vitest";
import { fixture, withCode } from "../test/helpers.js";
import { encodeU32 as leb } from "./binary/writer.js";
import { IssueCode } from "./codes.js";
import { inspectModule, MAX_PARSER_INPUT } from "./inspect.js";

/** Appends a custom section (id 0) named `name` with `payload` bytes to a module. */
function withCustomSection(bytes: Uint8Array, name: string, payload: number): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  const size = 1 + nameBytes.length + payload;
  return Uint8Array.from([...bytes, 0, size, nameBytes.length, ...nameBytes, ...new Array(payload).fill(7)]);
}

describe("inspectModule", () => {
  it("decodes a numeric plugin's declarations with wasm-parser", () => {
    const info = inspectModule(fixture("numeric"));
    expect(info.decoder).toBe("wasm-parser");
    expect(info.issues).toEqual([]);
    expect(info.imports).toEqual([]);
    expect(info.exports).toEqual([
      { name: "memory", kind: "memory", index: 0 },
      { name: "add", kind: "function", index: 0, signature: { params: ["i32", "i32"], results: ["i32"] } },
      { name: "scale", kind: "function", index: 1, signature: { params: ["f64", "i64"], results: ["f64"] } },
    ]);
    expect(info.memories).toEqual([
      { index: 0, imported: false, min: 1, max: 16, shared: false, memory64: false },
    ]);
    expect(info.functionCount).toBe(2);
    expect(info.importedFunctionCount).toBe(0);
    expect(info.startFunction).toBeNull();
    expect(info.codeSize).toBeGreaterThan(10);
    expect(info.features).toEqual([]);
    expect(info.size).toBe(fixture("numeric").length);
  });

  it("lists imports with their kind and signature", () => {
    const info = inspectModule(fixture("json"));
    expect(info.imports.map((i) => `${i.module}.${i.name}:${i.kind}`)).toEqual([
      "sandbox.input_size:function",
      "sandbox.input_read:function",
      "sandbox.output_write:function",
      "sandbox.log:function",
    ]);
    expect(info.imports[2]!.signature).toEqual({ params: ["i32", "i32"], results: ["i32"] });
    expect(info.importedFunctionCount).toBe(4);
    // Function indices count imports first: "run" is function 4.
    expect(info.exports.find((e) => e.name === "run")).toMatchObject({
      index: 4,
      signature: { params: [], results: ["i32"] },
    });
  });

  it("reports start function, tables and globals (with mutability)", () => {
    const info = inspectModule(fixture("resources"));
    expect(info.startFunction).toBe(0);
    expect(info.tables).toEqual([
      { index: 0, imported: false, elementType: "funcref", min: 20000, max: undefined },
    ]);
    expect(info.globals).toEqual([{ index: 0, imported: false, type: "i32", mutable: true }]);
    expect(info.exports.find((e) => e.name === "counter")).toEqual({
      name: "counter",
      kind: "global",
      index: 0,
      global: { type: "i32", mutable: true },
    });
    expect(info.memories[0]).toMatchObject({ min: 200, max: undefined });
  });

  it("reports imported memories, tables and globals", () => {
    const info = inspectModule(fixture("bad-imports"));
    const global = info.imports.find((i) => i.kind === "global");
    expect(global).toMatchObject({ module: "env", name: "counter", global: { type: "i32", mutable: false } });
    expect(info.globals).toEqual([{ index: 0, imported: true, type: "i32", mutable: false }]);
  });

  it("reports the post-MVP features the module uses", () => {
    expect(inspectModule(fixture("simd")).features).toContain("simd");
    const threads = inspectModule(fixture("threads"));
    expect(threads.features).toContain("threads");
    expect(threads.memories[0]).toMatchObject({ shared: true, min: 1, max: 1 });
    expect(inspectModule(fixture("entries")).features).toEqual(
      expect.arrayContaining(["reference-types", "multi-value"]),
    );
  });

  it("lists custom sections with their size", () => {
    const info = inspectModule(withCustomSection(fixture("numeric"), "meta", 5));
    expect(info.customSections).toEqual([{ name: "meta", size: 10, offset: fixture("numeric").length }]);
    expect(info.issues).toEqual([]);
  });

  it("falls back to the binary reader for exception tags, and says so", () => {
    const info = inspectModule(fixture("tags"));
    expect(info.decoder).toBe("binary-reader");
    expect(info.exports).toContainEqual({ name: "oops", kind: "tag", index: 0 });
    expect(info.features).toContain("exceptions");
    const note = withCode(info.issues, IssueCode.DECODER_FALLBACK);
    expect(note).toHaveLength(1);
    expect(note[0]!.severity).toBe("info");
    expect(note[0]!.message).toMatch(/exception tags/);
  });

  it("falls back when wasm-parser throws on a valid module (imported + defined tables)", () => {
    const info = inspectModule(fixture("multi-table"));
    expect(info.decoder).toBe("binary-reader");
    expect(withCode(info.issues, IssueCode.DECODER_FALLBACK)[0]!.message).toMatch(/wasm-parser failed/);
    expect(info.tables.map((t) => [t.imported, t.min, t.max])).toEqual([
      [true, 1, undefined],
      [false, 2, 4],
    ]);
    expect(info.exports).toContainEqual({ name: "mine", kind: "table", index: 1 });
  });

  it("still decodes a module the engine rejects, with the engine's reason", () => {
    const info = inspectModule(fixture("memory64"));
    expect(info.decoder).toBe("binary-reader");
    expect(info.memories[0]).toMatchObject({ memory64: true, min: 1, max: 2 });
    expect(info.issues[0]).toMatchObject({ severity: "error", code: IssueCode.UNSUPPORTED });
    expect(info.issues[0]!.message).toMatch(/memory64/);
  });

  it("decodes the declarations of a module whose code is invalid", () => {
    const info = inspectModule(fixture("invalid-body"));
    expect(info.decoder).toBe("wasm-parser");
    expect(info.exports.map((e) => e.name)).toEqual(["bad"]);
  });

  it("accepts ArrayBuffer and Buffer", () => {
    const bytes = fixture("numeric");
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    expect(inspectModule(buffer).functionCount).toBe(2);
    expect(inspectModule(Buffer.from(bytes)).functionCount).toBe(2);
  });

  it.each([
    ["a string", "\0asm"],
    ["a number", 7],
    ["null", null],
    ["an array", [0, 97, 115, 109]],
    ["a Uint16Array", new Uint16Array(4)],
  ])("throws INVALID_ARGUMENT for %s", (_, value) => {
    let thrown: unknown;
    try {
      inspectModule(value);
    } catch (error) {
      thrown = error;
    }
    expect(SandboxError.is(thrown, ErrorCode.INVALID_ARGUMENT)).toBe(true);
    expect((thrown as SandboxError).suggestion).toMatch(/Uint8Array/);
  });
});

describe("inspectModule on huge declarations", () => {
  it("does not hand megabytes of declarations to wasm-parser", () => {
    // 2,000 imports with 3,000-byte names: a valid module whose declarations exceed the parser's budget.
    const name = "n".repeat(3000);
    const nameBytes = [...leb(name.length), ...new TextEncoder().encode(name)];
    const entries: number[] = [];
    for (let i = 0; i < 2000; i++) entries.push(...nameBytes, 0x01, 0x61 + (i % 26), 0x00, 0x00);
    const imports = [...leb(2000), ...entries];
    const bytes = Uint8Array.from([
      ...[0, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
      ...[0x01, 0x04, 0x01, 0x60, 0x00, 0x00],
      ...[0x02, ...leb(imports.length), ...imports],
    ]);
    expect(bytes.length).toBeGreaterThan(MAX_PARSER_INPUT);
    const info = inspectModule(bytes);
    expect(info.decoder).toBe("binary-reader");
    expect(info.imports).toHaveLength(2000);
    expect(withCode(info.issues, IssueCode.DECODER_FALLBACK)[0]!.message).toMatch(
      /more than wasm-parser is given/,
    );
  });
});
