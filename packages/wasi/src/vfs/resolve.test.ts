import { describe, expect, test } from "vitest";
import { Errno } from "../constants.js";
import { ErrnoError } from "../errno.js";
import { MemoryBackend } from "./memfs.js";
import { resolvePath, symlinkStaysInside } from "./resolve.js";

function setup() {
  const m = new MemoryBackend({ maxFileSize: 100, maxTotalBytes: 100, now: () => 0n });
  m.mkdir(["a"]);
  m.mkdir(["a", "b"]);
  m.symlink("b", ["a", "to_b"]);
  m.symlink("../../..", ["a", "b", "up3"]);
  m.symlink("/etc", ["abs"]);
  m.symlink("loop2", ["loop1"]);
  m.symlink("loop1", ["loop2"]);
  return m;
}

const escapes: string[] = [];
const resolve = (path: string, follow = true, base: string[] = []) => {
  try {
    return resolvePath(setup(), base, path, follow, (reason) => escapes.push(reason)).parts.join("/");
  } catch (error) {
    if (error instanceof ErrnoError) return error.errno;
    throw error;
  }
};

describe("resolvePath", () => {
  test("normal paths, dots and inside symlinks", () => {
    expect(resolve("a/b")).toBe("a/b");
    expect(resolve("./a//b/.")).toBe("a/b");
    expect(resolve("a/b/../b")).toBe("a/b");
    expect(resolve("a/to_b")).toBe("a/b");
    expect(resolve("a/to_b", false)).toBe("a/to_b");
    expect(resolve("a/new-file")).toBe("a/new-file");
  });

  test("escapes are ENOTCAPABLE and reported", () => {
    escapes.length = 0;
    expect(resolve("..")).toBe(Errno.NOTCAPABLE);
    expect(resolve("a/../..")).toBe(Errno.NOTCAPABLE);
    expect(resolve("/a")).toBe(Errno.NOTCAPABLE);
    expect(resolve("abs")).toBe(Errno.NOTCAPABLE);
    expect(resolve("a/b/up3")).toBe(Errno.NOTCAPABLE);
    expect(resolve("b/..", true, ["a"])).toBe("a");
    expect(resolve("..", true, ["a"])).toBe(Errno.NOTCAPABLE); // the fd is the boundary
    expect(escapes).toHaveLength(6);
    // Not following the last component never reads it.
    expect(resolve("abs", false)).toBe("abs");
  });

  test("loops, missing parents, files used as directories", () => {
    expect(resolve("loop1")).toBe(Errno.LOOP);
    expect(resolve("missing/x")).toBe(Errno.NOENT);
    expect(resolve("")).toBe(Errno.NOENT);
    expect(resolve("x".repeat(300))).toBe(Errno.NAMETOOLONG);
  });

  test("symlinkStaysInside", () => {
    expect(symlinkStaysInside(0, "a/b")).toBe(true);
    expect(symlinkStaysInside(1, "../x")).toBe(true);
    expect(symlinkStaysInside(0, "../x")).toBe(false);
    expect(symlinkStaysInside(2, "a/../../../../x")).toBe(false);
    expect(symlinkStaysInside(2, "a/../../../x")).toBe(true);
    expect(symlinkStaysInside(3, "/etc")).toBe(false);
    expect(symlinkStaysInside(3, "")).toBe(false);
  });
});
