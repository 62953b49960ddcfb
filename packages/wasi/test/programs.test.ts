import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { runWasi } from "./harness.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}.wasm`, import.meta.url));

let root: string;
let mount: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "wasi-hostile-"));
  mount = join(root, "mount");
  mkdirSync(mount);
  writeFileSync(join(root, "secret.txt"), "top secret");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const rw = { filesystem: { denyAll: false, readPaths: ["/data"], writePaths: ["/data"] } };

describe("hostile filesystem programs", () => {
  test("escape: .., absolute, encoded, NUL, host symlinks and guest symlinks all stay inside", async () => {
    mkdirSync(join(mount, "sub"));
    symlinkSync("/etc", join(mount, "link_etc"));
    symlinkSync("../secret.txt", join(mount, "link_up"));
    symlinkSync("..", join(mount, "link_parent"));
    symlinkSync("sub", join(mount, "ok_link"));
    const secretBefore = statSync(join(root, "secret.txt"));
    const r = await runWasi(fixture("escape"), { permissions: rw, mounts: { "/data": mount } });
    expect(r.stdout).not.toContain("LEAK");
    expect(r.stdout).toMatch(/failures: 0\n/);
    expect(r.exitCode).toBe(0);
    // Nothing outside the mount was read, changed or created.
    expect(readFileSync(join(root, "secret.txt"), "utf8")).toBe("top secret");
    expect(statSync(join(root, "secret.txt")).mtimeMs).toBe(secretBefore.mtimeMs);
    expect(readdirSync(root).sort()).toEqual(["mount", "secret.txt"]);
    expect(readdirSync(mount).sort()).toEqual(["link_etc", "link_parent", "link_up", "ok_link", "sub"]);
    expect(r.usage.bytesRead).toBe(0);
    expect(r.usage.securityEvents).toBeGreaterThanOrEqual(25);
    expect(r.usage.denied.some((d) => d.function === "path_symlink")).toBe(true);
  });

  test("readonly: a readPaths mount hands out no write rights", async () => {
    writeFileSync(join(mount, "hello.txt"), "hello");
    const r = await runWasi(fixture("readonly"), {
      permissions: { filesystem: { denyAll: false, readPaths: ["/ro"] } },
      mounts: { "/ro": mount },
    });
    expect(r.stdout).toMatch(/failures: 0\n/);
    expect(r.exitCode).toBe(0);
    expect(readFileSync(join(mount, "hello.txt"), "utf8")).toBe("hello");
    expect(readdirSync(mount)).toEqual(["hello.txt"]);
    expect(r.usage.securityEvents).toBeGreaterThan(5);
  });

  const limitsFor = { maxOpenFiles: 4, maxWriteBytes: 5000, maxReadBytes: 3000 };
  test("limits on a host mount: EFBIG, EMFILE, EDQUOT (write and read budgets)", async () => {
    const r = await runWasi(fixture("limits"), {
      permissions: { filesystem: { ...rw.filesystem, maxFileSize: 1000 } },
      limits: limitsFor,
      mounts: { "/data": mount },
      io: { args: ["/data"] },
    });
    expect(r.stdout).toMatch(/failures: 0\n/);
    expect(r.exitCode).toBe(0);
    expect(statSync(join(mount, "a.bin")).size).toBe(1000);
    expect(r.usage.bytesWritten).toBe(5000);
    expect(r.usage.bytesRead).toBe(3000);
    const limitsHit = new Set(r.usage.denied.map((d) => d.permission));
    expect(limitsHit).toEqual(
      new Set([
        "permissions.filesystem.maxFileSize",
        "limits.maxOpenFiles",
        "limits.maxWriteBytes",
        "limits.maxReadBytes",
      ]),
    );
    expect(r.usage.securityEvents).toBe(0);
  });

  test("limits on the in-memory /tmp: the total size cap gives ENOSPC and deleting frees space", async () => {
    const r = await runWasi(fixture("limits"), {
      permissions: { filesystem: { denyAll: false, tempDirAccess: true, maxFileSize: 1000 } },
      limits: limitsFor,
      tempDirMaxBytes: 2500,
      io: { args: ["/tmp"] },
    });
    expect(r.stdout).toMatch(/failures: 0\n/);
    expect(r.exitCode).toBe(0);
    expect(r.usage.denied.map((d) => d.permission)).toContain("tempDirMaxBytes");
  });

  test("a nested writePath under a mounted readPath maps to the subdirectory", async () => {
    mkdirSync(join(mount, "out"));
    const r = await runWasi(fixture("files"), {
      permissions: { filesystem: { denyAll: false, readPaths: ["/data"], writePaths: ["/data/out"] } },
      mounts: { "/data": mount },
      io: { args: ["/data/out"] },
    });
    expect(r.stdout).toMatch(/failures: 0\n/);
    expect(readFileSync(join(mount, "out", "kept.txt"), "utf8")).toBe("kept\n");
    expect(existsSync(join(mount, "kept.txt"))).toBe(false);
  });
});

describe("WAT programs (built by the fixtures script)", () => {
  const built = (name: string) => readFileSync(new URL(`../build/fixtures/${name}.wasm`, import.meta.url));

  test("grow: writes from memory added by memory.grow", async () => {
    const r = await runWasi(built("grow"));
    expect(r.stdout).toBe("grown\n");
    expect(r.exitCode).toBe(0);
  });

  test("hostile: garbage arguments get the right errno and the host survives", async () => {
    const r = await runWasi(built("hostile"));
    expect(r.error).toBeUndefined();
    expect(r.exitCode).toBe(0);
    expect(r.usage.securityEvents).toBe(1);
  });
});

describe("strict linking of real programs", () => {
  test("a filesystem program without filesystem permission is refused before it runs", async () => {
    await expect(runWasi(fixture("files"), { strict: true, io: { args: ["/data"] } })).rejects.toMatchObject({
      code: "LINK_ERROR",
      context: { permission: expect.stringContaining("permissions.filesystem") },
    });
  });

  test("the same program links in strict mode once the permission is there", async () => {
    const r = await runWasi(fixture("files"), {
      strict: true,
      permissions: { filesystem: { denyAll: false, tempDirAccess: true } },
      io: { args: ["/tmp"] },
    });
    expect(r.exitCode).toBe(0);
  });

  test("without strict the program links and runs, and finds no preopen", async () => {
    const r = await runWasi(fixture("files"), { io: { args: ["/data"] } });
    expect(r.stdout).toMatch(/FAIL .*dir >= 3/);
    expect(r.exitCode).toBe(1);
    expect(r.usage.filesOpened).toBe(0);
  });
});
