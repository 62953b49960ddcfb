import { execFileSync } from "node:child_process";
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { Errno, FileType } from "../constants.js";
import { errnoFromHost } from "../errno.js";
import { HostBackend } from "./hostfs.js";
import type { OpenFile } from "./types.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "wasi-hostfs-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const read = { create: false, exclusive: false, truncate: false, directory: false, read: true, write: false };
const errno = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return errnoFromHost(error);
  }
  return 0;
};

describe("HostBackend", () => {
  test("reads and writes positionally, honours maxFileSize", () => {
    const host = new HostBackend({ root: dir, readOnly: false, maxFileSize: 10 });
    const f = host.open(["a.txt"], undefined, { ...read, create: true, write: true }) as OpenFile;
    expect(f.write(new TextEncoder().encode("hello world!"), 0, 12, 0)).toBe(10);
    expect(errno(() => f.write(new Uint8Array(1), 0, 1, 10))).toBe(Errno.FBIG);
    f.close();
    expect(readFileSync(join(dir, "a.txt"), "utf8")).toBe("hello worl");
  });

  test("a read-only backend refuses every change with EROFS", () => {
    writeFileSync(join(dir, "a.txt"), "x");
    const host = new HostBackend({ root: dir, readOnly: true, maxFileSize: 10 });
    expect(errno(() => host.open(["a.txt"], undefined, { ...read, write: true }))).toBe(Errno.ROFS);
    expect(errno(() => host.open(["b.txt"], undefined, { ...read, create: true }))).toBe(Errno.ROFS);
    expect(errno(() => host.mkdir(["d"]))).toBe(Errno.ROFS);
    expect(errno(() => host.unlink(["a.txt"]))).toBe(Errno.ROFS);
    expect(errno(() => host.symlink("a.txt", ["l"]))).toBe(Errno.ROFS);
    expect(readFileSync(join(dir, "a.txt"), "utf8")).toBe("x");
  });

  test("FIFOs are refused instead of blocking the host", () => {
    execFileSync("mkfifo", [join(dir, "pipe")]);
    const host = new HostBackend({ root: dir, readOnly: false, maxFileSize: 10 });
    expect(host.lstat(["pipe"]).filetype).toBe(FileType.UNKNOWN);
    expect(errno(() => host.open(["pipe"], undefined, read))).toBe(Errno.NOTSUP);
  });

  test("a file swapped after resolution is detected (inode check) and not used", () => {
    writeFileSync(join(dir, "a.txt"), "first");
    const host = new HostBackend({ root: dir, readOnly: false, maxFileSize: 100 });
    const stale = host.lstat(["a.txt"]);
    rmSync(join(dir, "a.txt"));
    writeFileSync(join(dir, "other"), "x"); // take a fresh inode first so the new file cannot reuse the old
    writeFileSync(join(dir, "a.txt"), "second");
    expect(errno(() => host.open(["a.txt"], stale, read))).toBe(Errno.NOTCAPABLE);
  });

  test("a symlink as the last component is never followed by open (O_NOFOLLOW)", () => {
    mkdirSync(join(dir, "inner"));
    writeFileSync(join(dir, "inner", "t"), "t");
    symlinkSync("inner/t", join(dir, "l"));
    const host = new HostBackend({ root: dir, readOnly: false, maxFileSize: 100 });
    expect(errno(() => host.open(["l"], undefined, read))).toBe(Errno.LOOP);
    // Even when resolution was told it was missing (a symlink planted in between): O_EXCL|O_NOFOLLOW fail.
    expect(errno(() => host.open(["l"], null, { ...read, create: true, write: true }))).toBe(Errno.EXIST);
  });
});

describe("HostBackend races", () => {
  test("a directory swapped for a symlink to outside after resolution is caught by the real-path check", () => {
    const outside = mkdtempSync(join(tmpdir(), "wasi-outside-"));
    try {
      writeFileSync(join(outside, "f"), "outside");
      mkdirSync(join(dir, "d"));
      writeFileSync(join(dir, "d", "f"), "inside");
      const host = new HostBackend({ root: dir, readOnly: false, maxFileSize: 100 });
      // Resolution saw d/ as a directory; then another process swaps it, and the stat of f passes through.
      rmSync(join(dir, "d"), { recursive: true });
      symlinkSync(outside, join(dir, "d"));
      const seen = host.lstat(["d", "f"]);
      expect(errno(() => host.open(["d", "f"], seen, read))).toBe(Errno.NOTCAPABLE);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

test("path operations re-check that their directory is still inside the root", () => {
  const outside = mkdtempSync(join(tmpdir(), "wasi-outside-"));
  try {
    const host = new HostBackend({ root: dir, readOnly: false, maxFileSize: 100 });
    symlinkSync(outside, join(dir, "d")); // as if a directory had been swapped after resolution
    expect(errno(() => host.mkdir(["d", "made"]))).toBe(Errno.NOTCAPABLE);
    expect(errno(() => host.symlink("x", ["d", "l"]))).toBe(Errno.NOTCAPABLE);
    expect(errno(() => host.readdir(["d"]))).toBe(Errno.NOTCAPABLE);
    expect(readdirSync(outside)).toEqual([]);
  } finally {
    rmSync(outside, { recursive: true, force: true });
  }
});

describe("directory entry inodes", () => {
  test("real inodes; reused only while the directory is unchanged, never after a replacement", async () => {
    mkdirSync(join(dir, "d"));
    writeFileSync(join(dir, "d/a"), "1");
    writeFileSync(join(dir, "d/b"), "2");
    await new Promise((resolve) => setTimeout(resolve, 80));
    const backend = new HostBackend({ root: dir, readOnly: false, maxFileSize: 1e6, inodeReuseAfterMs: 30 });
    const ino = (name: string) => lstatSync(join(dir, "d", name), { bigint: true }).ino;
    const listed = (name: string) => {
      const entry = backend.readdir(["d"]).find((e) => e.name === name);
      return entry?.ino ?? backend.inode(["d"], name);
    };
    expect(listed("a")).toBe(ino("a"));
    expect(listed(".")).toBe(lstatSync(join(dir, "d"), { bigint: true }).ino);
    expect(backend.readdir(["d"]).find((e) => e.name === "a")?.ino).toBe(ino("a")); // reused
    const old = ino("a");
    renameSync(join(dir, "d/b"), join(dir, "d/a"));
    expect(ino("a")).not.toBe(old);
    expect(listed("a")).toBe(ino("a"));
  });
});
