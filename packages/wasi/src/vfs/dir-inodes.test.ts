import { lstatSync, mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { DirInodes } from "./dir-inodes.js";

const root = mkdtempSync(join(tmpdir(), "wasi-inodes-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("DirInodes", () => {
  test("a directory changed within reuseAfterMs of its listing is never reused", () => {
    const dir = join(root, "fresh");
    mkdirSync(dir);
    const cache = new DirInodes();
    const first = cache.begin(dir);
    expect(first?.get(".")).toBe(lstatSync(dir, { bigint: true }).ino);
    cache.record(dir, "a", 1n);
    expect(cache.begin(dir)?.has("a")).toBe(false);
  });

  test("reused while ctime stands; any entry change or utimes (even restoring mtime) invalidates", async () => {
    const dir = join(root, "old");
    mkdirSync(dir);
    writeFileSync(join(dir, "a"), "1");
    writeFileSync(join(dir, "b"), "2");
    await sleep(80); // well past a clock tick, and past reuseAfterMs below
    const cache = new DirInodes(30);
    cache.begin(dir);
    cache.record(dir, "a", lstatSync(join(dir, "a"), { bigint: true }).ino);
    expect(cache.begin(dir)?.get("a")).toBe(lstatSync(join(dir, "a"), { bigint: true }).ino);

    const before = lstatSync(dir, { bigint: true });
    renameSync(join(dir, "b"), join(dir, "a")); // "a" is now another inode
    utimesSync(dir, before.atime, before.mtime); // a process hiding the change: ctime still moves
    expect(cache.begin(dir)?.has("a")).toBe(false);
  });

  test("a directory replaced by another at the same path is not confused with it", async () => {
    const dir = join(root, "swap");
    mkdirSync(dir);
    await sleep(80);
    const cache = new DirInodes(30);
    cache.begin(dir);
    cache.record(dir, "x", 42n);
    rmSync(dir, { recursive: true });
    mkdirSync(dir);
    expect(cache.begin(dir)?.has("x")).toBe(false);
    expect(cache.begin(join(root, "missing"))).toBeUndefined();
  });
});
