import { ErrorCode, SandboxError } from "@wasm-sandbox/manifest";
import { describe, expect, it } from "vitest";
import { readSections, SectionId } from "./sections.js";
import { moduleBytes, wat } from "./wat.testutil.js";

function codeAndOffset(fn: () => unknown): [string, unknown, string] {
  try {
    fn();
  } catch (e) {
    if (!SandboxError.is(e)) throw e;
    return [e.code, e.context.offset, e.message];
  }
  throw new Error("expected a throw");
}

describe("readSections", () => {
  it("lists sections with ids, offsets, payload ranges and custom names", async () => {
    const bytes = await wat(`(module (memory 1) (func (export "f") (result i32) i32.const 7))`);
    const withCustom = new Uint8Array([...bytes, 0x00, 0x06, 0x04, 0x6e, 0x6f, 0x74, 0x65, 0x2a]);
    const sections = readSections(withCustom);
    expect(sections.map((s) => s.id)).toEqual([
      SectionId.Type,
      SectionId.Function,
      SectionId.Memory,
      SectionId.Export,
      SectionId.Code,
      SectionId.Custom,
    ]);
    const custom = sections.at(-1)!;
    expect(custom.name).toBe("note");
    expect(withCustom[custom.contentStart!]).toBe(0x2a);
    expect(custom.end).toBe(withCustom.length);
    for (const s of sections) expect(s.start).toBeGreaterThan(s.offset);
  });

  it("checks the header", () => {
    expect(codeAndOffset(() => readSections(new Uint8Array([0, 0x61, 0x73])))[0]).toBe(
      ErrorCode.INVALID_MODULE,
    );
    expect(codeAndOffset(() => readSections(new Uint8Array([0, 0x61, 0x73, 0x6e, 1, 0, 0, 0])))[2]).toMatch(
      /magic/,
    );
    const [code, offset, message] = codeAndOffset(() =>
      readSections(new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0])),
    );
    expect([code, offset]).toEqual([ErrorCode.INVALID_MODULE, 4]);
    expect(message).toMatch(/version/);
  });

  it("detects lying section sizes", () => {
    const ok = moduleBytes([1, [1, 0x60, 0, 0]]);
    expect(readSections(ok)).toHaveLength(1);
    const lying = ok.slice();
    lying[9] = 0x7f;
    expect(codeAndOffset(() => readSections(lying)).slice(0, 2)).toEqual([ErrorCode.INVALID_MODULE, 9]);
  });

  it("rejects duplicate, misordered and unknown sections", () => {
    expect(codeAndOffset(() => readSections(moduleBytes([1, [0]], [1, [0]])))[2]).toMatch(/Duplicate type/);
    expect(codeAndOffset(() => readSections(moduleBytes([3, [0]], [1, [0]])))[2]).toMatch(/out of order/);
    expect(codeAndOffset(() => readSections(moduleBytes([14, [0]])))[2]).toMatch(/Unknown section id 14/);
    // the tag section (13) sits between memory (5) and global (6); datacount (12) before code (10)
    expect(readSections(moduleBytes([5, [0]], [13, [0]], [6, [0]], [12, [0]], [10, [0]]))).toHaveLength(5);
  });

  it("rejects a custom section whose name overruns it", () => {
    expect(codeAndOffset(() => readSections(moduleBytes([0, [0x05, 0x61]])))[0]).toBe(
      ErrorCode.INVALID_MODULE,
    );
  });
});
