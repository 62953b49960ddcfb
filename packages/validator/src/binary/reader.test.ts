import { ErrorCode, SandboxError } from "@wasm-sandbox/manifest";
import { describe, expect, it } from "vitest";
import { BinaryReader } from "./reader.js";

function reader(...bytes: number[]): BinaryReader {
  return new BinaryReader(new Uint8Array(bytes));
}

function offsetOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    expect(SandboxError.is(e, ErrorCode.INVALID_MODULE)).toBe(true);
    return (e as SandboxError).context.offset;
  }
  throw new Error("expected a throw");
}

describe("BinaryReader", () => {
  it("decodes unsigned LEB128 u32 including the maximum", () => {
    expect(reader(0x00).u32()).toBe(0);
    expect(reader(0xe5, 0x8e, 0x26).u32()).toBe(624485);
    expect(reader(0xff, 0xff, 0xff, 0xff, 0x0f).u32()).toBe(0xffffffff);
    expect(reader(0x80, 0x80, 0x80, 0x80, 0x00).u32()).toBe(0); // padded encodings are valid
  });

  it("rejects u32 encodings that are too long or too large, with the offset", () => {
    expect(offsetOf(() => reader(0xff, 0xff, 0xff, 0xff, 0x1f).u32())).toBe(4);
    expect(offsetOf(() => reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x00).u32())).toBe(4);
  });

  it("decodes signed LEB128 s32/s33/s64", () => {
    expect(reader(0x7f).s32()).toBe(-1);
    expect(reader(0xc0, 0xbb, 0x78).s32()).toBe(-123456);
    expect(reader(0x80, 0x80, 0x80, 0x80, 0x78).s32()).toBe(-0x80000000);
    expect(reader(0x40).s33()).toBe(-64);
    expect(reader(0xff, 0xff, 0xff, 0xff, 0x0f).s33()).toBe(0xffffffff);
    expect(reader(0x7f).s64()).toBe(-1n);
    expect(reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f).s64()).toBe(-(2n ** 63n));
    expect(reader(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01).u64()).toBe(2n ** 64n - 1n);
    expect(reader(0xff, 0xff, 0xff, 0xff, 0x07).s32()).toBe(0x7fffffff);
    expect(() => reader(0xff, 0xff, 0xff, 0xff, 0x0f).s32()).toThrow(/too large/);
  });

  it("never reads past the end and reports where it stopped", () => {
    expect(offsetOf(() => reader().u8())).toBe(0);
    expect(offsetOf(() => reader(0x80, 0x80).u32())).toBe(2);
    expect(offsetOf(() => reader(0x80).s64())).toBe(1);
    const r = new BinaryReader(new Uint8Array([1, 2, 3, 4]), 1, 3);
    r.skip(2);
    expect(offsetOf(() => r.u8())).toBe(3);
  });

  it("checks vector lengths against the bytes left before anything is allocated", () => {
    const r = reader(0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2);
    expect(() => r.vecLength(1)).toThrow(/exceeds the 2 bytes left/);
    expect(reader(0x02, 1, 2, 3, 4).vecLength(2)).toBe(2);
    expect(() => reader(0x03, 1, 2, 3, 4).vecLength(2)).toThrow(SandboxError);
  });

  it("reads UTF-8 names and rejects lying lengths and invalid UTF-8", () => {
    expect(reader(0x03, 0x61, 0xc3, 0xa9).name()).toBe("aé");
    expect(offsetOf(() => reader(0x05, 0x61).name())).toBe(0);
    expect(() => reader(0x02, 0xc3, 0x28).name()).toThrow(/UTF-8/);
  });

  it("skips float immediates and fails on short ones", () => {
    const r = reader(0, 0, 0x80, 0x3f, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    r.skipF32();
    r.skipF64();
    expect(r.remaining).toBe(1);
    expect(() => r.skipF32()).toThrow(SandboxError);
  });

  it("decodes 64-bit limits as numbers up to 2^53", () => {
    expect(reader(0x80, 0x80, 0x04).u64Number()).toBe(65536);
    expect(() => reader(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01).u64Number()).toThrow(
      /2\^53/,
    );
  });
});
