import { describe, expect, test } from "vitest";
import { FileType } from "./constants.js";
import { copyDirents } from "./readdir.js";

const entries = [
  { name: "a", ino: 5n, filetype: FileType.REGULAR_FILE },
  { name: "été", ino: 6n, filetype: FileType.DIRECTORY },
];

describe("copyDirents", () => {
  test("writes header and UTF-8 name for each entry, d_next = index + 1", () => {
    const bytes = new Uint8Array(100);
    const view = new DataView(bytes.buffer);
    const used = copyDirents(entries, view, bytes, 0, 100, 0n, () => 0n);
    expect(used).toBe(24 + 1 + 24 + 5);
    expect(view.getBigUint64(0, true)).toBe(1n);
    expect(view.getBigUint64(8, true)).toBe(5n);
    expect(view.getUint32(16, true)).toBe(1);
    expect(bytes[20]).toBe(FileType.REGULAR_FILE);
    expect(String.fromCharCode(bytes[24]!)).toBe("a");
    expect(view.getBigUint64(25, true)).toBe(2n);
    expect(view.getUint32(25 + 16, true)).toBe(5);
    expect(new TextDecoder().decode(bytes.subarray(49, 54))).toBe("été");
  });

  test("the last record is cut at the buffer end; a cookie past the end gives nothing", () => {
    const bytes = new Uint8Array(100).fill(0xee);
    const view = new DataView(bytes.buffer);
    expect(copyDirents(entries, view, bytes, 10, 30, 0n, () => 0n)).toBe(30);
    expect(bytes[40]).toBe(0xee); // nothing written past buf + bufLen
    expect(copyDirents(entries, view, bytes, 0, 100, 1n, () => 0n)).toBe(29);
    expect(copyDirents(entries, view, bytes, 0, 100, 99n, () => 0n)).toBe(0);
  });
});
