import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { WASI_FUNCTIONS } from "../src/index.js";
import { runWasi } from "./harness.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}.wasm`, import.meta.url));
const encode = (s: string) => new TextEncoder().encode(s);

let hostDir: string;
beforeEach(() => {
  hostDir = mkdtempSync(join(tmpdir(), "wasi-conf-"));
});
afterEach(() => rmSync(hostDir, { recursive: true, force: true }));

describe("conformance programs (C, wasi-libc)", () => {
  test("args_env: argv and a filtered environment", async () => {
    const r = await runWasi(fixture("args_env"), {
      permissions: { envVars: ["GREETING"] },
      env: { GREETING: "hello", SECRET: "hunter2", PATH: "/bin" },
      io: { args: ["one", "two words"] },
    });
    expect(r.stdout).toContain("GREETING=hello");
    expect(r.stdout).toMatch(/failures: 0\n/);
    expect(r.exitCode).toBe(0);
    expect(r.usage.securityEvents).toBe(0);
  });

  test("stdio: stdin to stdout in small reads, stderr, stdio fdstat", async () => {
    const r = await runWasi(fixture("stdio"), { io: { stdin: encode("hello wasi") } });
    expect(r.stdout.startsWith("HELLO WASI!\n")).toBe(true);
    expect(r.stderr).toBe("to stderr\n");
    expect(r.stdout).toMatch(/failures: 0\n/);
    expect(r.exitCode).toBe(0);
    expect(r.usage.bytesRead).toBe(10);
  });

  test.each(["real", "frozen", "seeded"] as const)(
    "misc (%s): clocks, random, poll, raise, sockets, exit",
    async (mode) => {
      const run = () =>
        runWasi(fixture("misc"), {
          permissions: {
            clock: mode === "frozen" ? "frozen" : "real",
            ...(mode === "seeded" ? { random: "seeded", randomSeed: 42 } : {}),
          },
          clockEpoch: 1_000_000_000_000_000_000n,
          io: { args: [mode], stdin: encode("12345") },
        });
      const r = await run();
      expect(r.error).toBeUndefined();
      expect(r.stdout).toMatch(/failures: 0\n/);
      expect(r.exitCode).toBe(7);
      // Sockets without network are refused with a security event each.
      expect(r.usage.denied.filter((d) => d.function.startsWith("sock_"))).toHaveLength(4);
      if (mode === "seeded") {
        const again = await run();
        expect(again.stdout.match(/random \w+/)?.[0]).toBe(r.stdout.match(/random \w+/)?.[0]);
      }
    },
  );

  test("files on a writable host mount", async () => {
    const r = await runWasi(fixture("files"), {
      permissions: { filesystem: { denyAll: false, readPaths: ["/data"], writePaths: ["/data"] } },
      mounts: { "/data": hostDir },
      io: { args: ["/data"] },
    });
    expect(r.stdout).toMatch(/failures: 0\n/);
    expect(r.exitCode).toBe(0);
    expect(readFileSync(join(hostDir, "kept.txt"), "utf8")).toBe("kept\n");
    expect(existsSync(join(hostDir, "conf"))).toBe(false);
    expect(r.usage.filesOpened).toBeGreaterThan(5);
  });

  test("files on the in-memory /tmp", async () => {
    const r = await runWasi(fixture("files"), {
      permissions: { filesystem: { denyAll: false, tempDirAccess: true } },
      io: { args: ["/tmp"] },
    });
    expect(r.stdout).toMatch(/failures: 0\n/);
    expect(r.exitCode).toBe(0);
  });

  test("the programs together import every wasi_snapshot_preview1 function", async () => {
    const imported = new Set<string>();
    for (const name of ["args_env", "stdio", "misc", "files"]) {
      const module = await WebAssembly.compile(fixture(name));
      for (const i of WebAssembly.Module.imports(module))
        if (i.module === "wasi_snapshot_preview1") imported.add(i.name);
    }
    const missing = Object.keys(WASI_FUNCTIONS).filter((f) => !imported.has(f));
    expect(missing).toEqual([]);
  });
});
