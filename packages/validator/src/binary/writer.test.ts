import { describe, expect, it } from "vitest";
import { BinaryReader } from "./reader.js";
import { ByteWriter, encodeU32 } from "./writer.js";

describe("encodeU32 / ByteWriter", () => {
  it("encodes unsigned LEB128 at every length boundary", () => {
    expect(encodeU32(0)).toEqual([0]);
    expect(encodeU32(127)).toEqual([0x7f]);
    expect(encodeU32(128)).toEqual([0x80, 0x01]);
    expect(encodeU32(2 ** 21)).toEqual([0x80, 0x80, 0x80, 0x01]);
    expect(encodeU32(0xffffffff)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
  });

  it("writes what the reader reads back, padded sizes included", () => {
    const values = [0, 1, 127, 128, 16_383, 16_384, 2 ** 21, 2 ** 28 - 1, 2 ** 32 - 1];
    const w = new ByteWriter(2);
    for (const v of values) w.u32(v);
    const patched = w.reserveU32();
    w.patchU32(patched, 300);
    const r = new BinaryReader(w.toBytes());
    expect(values.map(() => r.u32())).toEqual(values);
    expect(r.u32()).toBe(300);
    expect(r.atEnd()).toBe(true);
  });
});
