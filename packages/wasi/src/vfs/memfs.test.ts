import { describe, expect, test } from "vitest";
import { Errno, FileType } from "../constants.js";
import { ErrnoError } from "../errno.js";
import { MAX_ENTRIES, MemoryBackend } from "./memfs.js";
import type { OpenFile } from "./types.js";

const create = { create: true, exclusive: false, truncate: false, directory: false, read: true, write: true };
const fs = (maxFileSize = 100, maxTotalBytes = 150) =>
  new MemoryBackend({ maxFileSize, maxTotalBytes, now: () => 5n });
const errno = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ErrnoError) return error.errno;
    throw error;
  }
  return 0;
};
const bytes = (n: number) => new Uint8Array(n).fill(7);

describe("MemoryBackend", () => {
  test("files: write, read back, stat, truncate", () => {
    const m = fs();
    const f = m.open(["a"], undefined, create) as OpenFile;
    expect(f.write(bytes(10), 0, 10, 0)).toBe(10);
    const into = new Uint8Array(20);
    expect(f.read(into, 5, 15, 2)).toBe(8);
    expect(into[5]).toBe(7);
    expect(m.lstat(["a"])).toMatchObject({ filetype: FileType.REGULAR_FILE, size: 10n, mtim: 5n, nlink: 1n });
    f.truncate(3);
    expect(f.size()).toBe(3);
    expect(m.used).toBe(3);
  });

  test("maxFileSize: short write to the limit, then EFBIG", () => {
    const m = fs(100, 1000);
    const f = m.open(["a"], undefined, create) as OpenFile;
    expect(f.write(bytes(150), 0, 150, 0)).toBe(100);
    expect(errno(() => f.write(bytes(1), 0, 1, 100))).toBe(Errno.FBIG);
    expect(errno(() => f.truncate(101))).toBe(Errno.FBIG);
  });

  test("total budget: ENOSPC, and unlinking frees space only once the last handle closes", () => {
    const m = fs(100, 150);
    const a = m.open(["a"], undefined, create) as OpenFile;
    const b = m.open(["b"], undefined, create) as OpenFile;
    expect(a.write(bytes(100), 0, 100, 0)).toBe(100);
    expect(b.write(bytes(100), 0, 100, 0)).toBe(50);
    expect(errno(() => b.write(bytes(1), 0, 1, 50))).toBe(Errno.NOSPC);
    m.unlink(["a"]);
    expect(m.used).toBe(150);
    a.close();
    expect(m.used).toBe(50);
    expect(b.write(bytes(50), 0, 50, 50)).toBe(50);
  });

  test("directories: mkdir, readdir with . and .., rmdir of non-empty, rename into itself", () => {
    const m = fs();
    m.mkdir(["d"]);
    m.mkdir(["d", "e"]);
    expect(m.readdir(["d"]).map((e) => e.name)).toEqual([".", "..", "e"]);
    expect(errno(() => m.rmdir(["d"]))).toBe(Errno.NOTEMPTY);
    expect(errno(() => m.rename(["d"], ["d", "e", "x"]))).toBe(Errno.INVAL);
    expect(errno(() => m.open(["d"], undefined, create))).toBe(Errno.ISDIR);
    expect(m.open(["d"], undefined, { ...create, create: false, write: false })).toBe("directory");
    expect(errno(() => m.mkdir(["d"]))).toBe(Errno.EXIST);
    expect(errno(() => m.unlink(["d"]))).toBe(Errno.ISDIR);
  });

  test("links: hard links share data and count, symlinks store their target, opening one is ELOOP", () => {
    const m = fs();
    const f = m.open(["a"], undefined, create) as OpenFile;
    f.write(bytes(4), 0, 4, 0);
    m.link(["a"], ["b"]);
    expect(m.lstat(["b"]).nlink).toBe(2n);
    m.symlink("a", ["s"]);
    expect(m.readlink(["s"])).toBe("a");
    expect(m.lstat(["s"]).filetype).toBe(FileType.SYMBOLIC_LINK);
    expect(errno(() => m.open(["s"], undefined, { ...create, create: false }))).toBe(Errno.LOOP);
    m.rename(["b"], ["c"]);
    expect(m.lstat(["c"]).size).toBe(4n);
    expect(errno(() => m.lstat(["b"]))).toBe(Errno.NOENT);
  });

  test("names are capped (ENOSPC) so empty files cannot exhaust host memory; symlink targets use the budget", () => {
    const m = fs(100, 1000);
    for (let i = 0; i < MAX_ENTRIES; i++) m.mkdir([`d${i}`]);
    expect(errno(() => m.open(["one-more"], undefined, create))).toBe(Errno.NOSPC);
    m.rmdir(["d0"]);
    expect(m.open(["one-more"], undefined, create)).not.toBe("directory");
    const small = fs(100, 10);
    expect(errno(() => small.symlink("x".repeat(11), ["l"]))).toBe(Errno.NOSPC);
    small.symlink("x".repeat(10), ["l"]);
    expect(small.used).toBe(10);
    small.unlink(["l"]);
    expect(small.used).toBe(0);
  });
});
