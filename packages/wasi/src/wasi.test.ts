import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ErrorCode, ResourceExhaustedError, SandboxError } from "@wasm-sandbox/manifest";
import { afterAll, describe, expect, test } from "vitest";
import { guest } from "../test/guest.js";
import { limits, permissions } from "../test/harness.js";
import { Errno, FILE_RIGHTS } from "./constants.js";
import { createWasi, WASI_FUNCTIONS, WasiExit } from "./index.js";

const hostDir = mkdtempSync(join(tmpdir(), "wasi-unit-"));
afterAll(() => rmSync(hostDir, { recursive: true, force: true }));
const tmp = { filesystem: { denyAll: false, tempDirAccess: true } };

describe("linking", () => {
  test("the import object holds every preview1 function", () => {
    const { wasi } = guest();
    expect(Object.keys(wasi.imports).sort()).toEqual(Object.keys(WASI_FUNCTIONS).sort());
    expect(Object.keys(wasi.imports)).toHaveLength(46);
  });

  test("unknown names are a LinkError even when not strict", () => {
    const { wasi } = guest();
    expect(() => wasi.checkImports(["fd_write", "path_open_v2"])).toThrow(
      expect.objectContaining({
        code: ErrorCode.LINK_ERROR,
        context: expect.objectContaining({ name: "path_open_v2" }),
      }),
    );
    expect(() => wasi.checkImports(["path_open", "environ_get", "sock_send", "proc_raise"])).not.toThrow();
  });

  test("strict refuses powerless imports, naming the function and the permission", () => {
    const { wasi } = guest({ strict: true });
    wasi.checkImports(["fd_write", "args_get", "clock_time_get", "random_get", "proc_exit", "poll_oneoff"]);
    const refused = (name: string) => {
      try {
        wasi.checkImports([name]);
      } catch (error) {
        expect(SandboxError.is(error, ErrorCode.LINK_ERROR)).toBe(true);
        return {
          message: (error as SandboxError).message,
          permission: (error as SandboxError).context.permission,
        };
      }
      return undefined;
    };
    expect(refused("path_open")?.message).toMatch(/path_open.*permissions\.filesystem/);
    expect(refused("environ_get")?.permission).toBe("permissions.envVars");
    expect(refused("sock_recv")?.permission).toMatch(/permissions\.network/);
    expect(refused("proc_raise")?.permission).toMatch(/never granted/);
    expect(refused("path_unlink_file")?.permission).toMatch(/writePaths or tempDirAccess/);
  });

  test("strict accepts what the permissions grant", () => {
    const { wasi } = guest({
      strict: true,
      permissions: { ...tmp, envVars: ["HOME"], network: { denyAll: false } },
    });
    expect(() =>
      wasi.checkImports(["path_open", "path_unlink_file", "environ_get", "sock_send"]),
    ).not.toThrow();
    const ro = guest({
      strict: true,
      permissions: { filesystem: { denyAll: false, readPaths: ["/d"] } },
      mounts: { "/d": hostDir },
    });
    expect(() => ro.wasi.checkImports(["path_open", "fd_readdir"])).not.toThrow();
    expect(() => ro.wasi.checkImports(["path_rename"])).toThrow(/writePaths/);
  });
});

describe("createWasi refuses bad configuration", () => {
  test("a granted path without a mount", () => {
    expect(() =>
      createWasi({
        permissions: permissions({ filesystem: { denyAll: false, readPaths: ["/data"] } }),
        limits: limits(),
      }),
    ).toThrow(
      expect.objectContaining({
        code: ErrorCode.INVALID_ARGUMENT,
        context: expect.objectContaining({ path: "/data", option: "mounts" }),
      }),
    );
  });

  test("a mount that is missing or not a directory", () => {
    const file = join(hostDir, "plain.txt");
    writeFileSync(file, "x");
    for (const host of [join(hostDir, "nope"), file]) {
      expect(() =>
        createWasi({
          permissions: permissions({ filesystem: { denyAll: false, readPaths: ["/data"] } }),
          limits: limits(),
          mounts: { "/data": host },
        }),
      ).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }));
    }
  });

  test("seeded random without a seed, and /tmp granted twice", () => {
    const p = permissions();
    expect(() => createWasi({ permissions: { ...p, random: "seeded" }, limits: limits() })).toThrow(
      /randomSeed/,
    );
    expect(() =>
      createWasi({
        permissions: permissions({
          filesystem: { denyAll: false, readPaths: ["/tmp"], tempDirAccess: true },
        }),
        limits: limits(),
        mounts: { "/tmp": hostDir },
      }),
    ).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }));
  });

  test("denyAll wins over listed paths: no preopens at all", () => {
    const granted = permissions({
      filesystem: { denyAll: false, readPaths: ["/data"], tempDirAccess: true },
    });
    const wasi = createWasi({
      permissions: { ...granted, filesystem: { ...granted.filesystem, denyAll: true } },
      limits: limits(),
    });
    const memory = new WebAssembly.Memory({ initial: 1 });
    wasi.bindMemory(memory);
    const g = {
      call: (name: string, ...args: (number | bigint)[]) =>
        (wasi.imports[name] as unknown as (...a: (number | bigint)[]) => number)(...args),
      str: (ptr: number, s: string): [number, number] => {
        new Uint8Array(memory.buffer).set(new TextEncoder().encode(s), ptr);
        return [ptr, s.length];
      },
      wasi,
    };
    expect(g.call("fd_prestat_get", 3, 0)).toBe(Errno.BADF);
    const [p, n] = g.str(100, "x");
    expect(g.call("path_open", 3, 0, p, n, 0, 2n, 0n, 0, 200)).toBe(Errno.NOTCAPABLE);
    const usage = g.wasi.endCall().usage;
    expect(usage.securityEvents).toBe(1);
    expect(usage.denied[0]).toEqual({
      function: "path_open",
      permission: expect.stringContaining("filesystem"),
    });
  });
});

describe("environment", () => {
  test("only permitted names are visible, per-call values included and filtered", () => {
    const g = guest({ permissions: { envVars: ["A", "B"] }, env: { A: "1", SECRET: "s" } });
    g.wasi.beginCall({ env: { B: "2", OTHER: "o" } });
    expect(g.call("environ_sizes_get", 0, 4)).toBe(0);
    expect(g.u32(0)).toBe(2);
    expect(g.u32(4)).toBe("A=1\0B=2\0".length);
    expect(g.call("environ_get", 16, 64)).toBe(0);
    expect(g.text(g.u32(16), 3)).toBe("A=1");
    expect(g.text(g.u32(20), 3)).toBe("B=2");
  });

  test("reading environ without permission gives an empty environment and a security event", () => {
    const g = guest({ env: { HOME: "/root" } });
    g.wasi.beginCall({ env: { TOKEN: "t" } });
    g.view().setUint32(0, 99, true);
    expect(g.call("environ_sizes_get", 0, 4)).toBe(0);
    expect(g.u32(0)).toBe(0);
    expect(g.u32(4)).toBe(0);
    expect(g.call("environ_get", 16, 64)).toBe(0);
    const usage = g.wasi.endCall().usage;
    expect(usage.securityEvents).toBe(2);
    expect(usage.denied[0]).toEqual({ function: "environ_sizes_get", permission: "permissions.envVars" });
  });

  test("NUL in an argument is a typed error", () => {
    const g = guest();
    expect(() => g.wasi.beginCall({ args: ["a\0b"] })).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_INPUT }),
    );
  });
});

describe("hostile pointers and sizes", () => {
  /** Opens /tmp/f.txt with all file rights; returns the fd. */
  const withFile = () => {
    const g = guest({ permissions: tmp });
    const [p, n] = g.str(100, "f.txt");
    expect(g.call("path_open", 3, 0, p, n, 1, BigInt(FILE_RIGHTS), 0n, 0, 200)).toBe(0);
    return { ...g, fd: g.u32(200) };
  };

  test("every pointer argument out of bounds is EFAULT, and the host survives", () => {
    const g = withFile();
    const fd = g.fd;
    const OOB = 65_536 - 2; // straddles the end of memory
    const FAR = 0xffff_fff0; // arrives as a negative i32
    const [p, n] = g.str(100, "f.txt");
    g.iovec(300, 400, 8);
    for (const bad of [OOB, FAR, -16]) {
      const calls: [string, ...(number | bigint)[]][] = [
        ["args_get", bad, 0],
        ["args_get", 0, bad],
        ["args_sizes_get", bad, 0],
        ["args_sizes_get", 0, bad],
        ["environ_sizes_get", bad, 0],
        ["environ_sizes_get", 0, bad],
        ["clock_res_get", 0, bad],
        ["clock_time_get", 0, 0n, bad],
        ["fd_fdstat_get", fd, bad],
        ["fd_filestat_get", fd, bad],
        ["fd_prestat_get", 3, bad],
        ["fd_prestat_dir_name", 3, bad, 4],
        ["fd_read", fd, bad, 1, 0],
        ["fd_read", fd, 300, 1, bad],
        ["fd_write", 1, bad, 1, 0],
        ["fd_write", 1, 300, 1, bad],
        ["fd_pread", fd, bad, 1, 0n, 0],
        ["fd_pread", fd, 300, 1, 0n, bad],
        ["fd_pwrite", fd, bad, 1, 0n, 0],
        ["fd_pwrite", fd, 300, 1, 0n, bad],
        ["fd_readdir", 3, bad, 100, 0n, 0],
        ["fd_readdir", 3, 500, 100, 0n, bad],
        ["fd_seek", fd, 0n, 0, bad],
        ["fd_tell", fd, bad],
        ["path_create_directory", 3, bad, 4],
        ["path_filestat_get", 3, 0, bad, 4, 500],
        ["path_filestat_get", 3, 0, p, n, bad],
        ["path_filestat_set_times", 3, 0, bad, 4, 0n, 0n, 0],
        ["path_link", 3, 0, bad, 4, 3, p, n],
        ["path_link", 3, 0, p, n, 3, bad, 4],
        ["path_open", 3, 0, bad, 4, 0, 2n, 0n, 0, 200],
        ["path_open", 3, 0, p, n, 0, 2n, 0n, 0, bad],
        ["path_readlink", 3, bad, 4, 500, 10, 600],
        ["path_readlink", 3, p, n, bad, 10, 600],
        ["path_readlink", 3, p, n, 500, 10, bad],
        ["path_remove_directory", 3, bad, 4],
        ["path_rename", 3, bad, 4, 3, p, n],
        ["path_rename", 3, p, n, 3, bad, 4],
        ["path_symlink", bad, 4, 3, p, n],
        ["path_symlink", p, n, 3, bad, 4],
        ["path_unlink_file", 3, bad, 4],
        ["poll_oneoff", bad, 1000, 1, 2000],
        ["poll_oneoff", 1000, bad, 1, 2000],
        ["poll_oneoff", 1000, 1100, 1, bad],
        ["random_get", bad, 16],
      ];
      for (const [name, ...args] of calls) {
        expect([name, g.call(name, ...args)]).toEqual([name, Errno.FAULT]);
      }
    }
    // The iovec itself pointing out of bounds.
    g.iovec(300, 65_530, 100);
    expect(g.call("fd_write", 1, 300, 1, 320)).toBe(Errno.FAULT);
    expect(g.call("fd_read", fd, 300, 1, 320)).toBe(Errno.FAULT);
    // Still fully working afterwards.
    g.str(400, "ok");
    g.iovec(300, 400, 2);
    expect(g.call("fd_write", 1, 300, 1, 320)).toBe(0);
    expect(g.text(0, 0)).toBe("");
    expect(new TextDecoder().decode(g.wasi.endCall().stdout)).toBe("ok");
  });

  test("huge iovec counts are refused at once (EINVAL), IOV_MAX still works", () => {
    const g = guest({ pages: 2 });
    const started = performance.now();
    expect(g.call("fd_write", 1, 0, 0x7fff_ffff, 100)).toBe(Errno.INVAL);
    expect(g.call("fd_write", 1, 0, 0xffff_ffff, 100)).toBe(Errno.INVAL);
    expect(g.call("fd_read", 0, 0, 5_000_000, 100)).toBe(Errno.INVAL);
    expect(performance.now() - started).toBeLessThan(1000);
    g.str(20_000, "x");
    for (let i = 0; i < 1024; i++) g.iovec(1000 + i * 8, 20_000, 1);
    expect(g.call("fd_write", 1, 1000, 1024, 100)).toBe(0);
    expect(g.u32(100)).toBe(1024);
  });

  test("memory growth after bindMemory is seen by the next call", () => {
    const g = guest();
    g.memory.grow(2);
    const far = 65_536 * 2 + 10;
    g.str(far, "grown");
    g.iovec(far + 100, far, 5);
    expect(g.call("fd_write", 1, far + 100, 1, far + 200)).toBe(0);
    expect(new TextDecoder().decode(g.wasi.endCall().stdout)).toBe("grown");
  });

  test("paths with NUL bytes or invalid UTF-8 are EILSEQ", () => {
    const g = guest({ permissions: tmp });
    g.bytes().set([0x61, 0, 0x62], 100);
    expect(g.call("path_open", 3, 0, 100, 3, 1, 2n, 0n, 0, 200)).toBe(Errno.ILSEQ);
    g.bytes().set([0xc3, 0x28], 100);
    expect(g.call("path_create_directory", 3, 100, 2)).toBe(Errno.ILSEQ);
  });
});

describe("poll_oneoff", () => {
  const SUB = 48;
  test("thousands of fd subscriptions answer at once", () => {
    const g = guest({ pages: 16 });
    const count = 10_000;
    for (let i = 0; i < count; i++) {
      const at = i * SUB;
      g.view().setBigUint64(at, BigInt(i), true);
      g.view().setUint8(at + 8, 2); // fd_write
      g.view().setUint32(at + 16, 1, true);
    }
    const out = count * SUB;
    const started = performance.now();
    expect(g.call("poll_oneoff", 0, out, count, out + count * 32)).toBe(0);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(g.u32(out + count * 32)).toBe(count);
    expect(g.view().getBigUint64(out + 9_999 * 32, true)).toBe(9_999n);
  });

  test("thousands of clock subscriptions sleep once and all fire", () => {
    const g = guest({ pages: 16 });
    const count = 5_000;
    for (let i = 0; i < count; i++) {
      const at = i * SUB;
      g.view().setBigUint64(at, BigInt(i), true);
      g.view().setUint8(at + 8, 0);
      g.view().setUint32(at + 16, 1, true); // monotonic
      g.view().setBigUint64(at + 24, 5_000_000n, true); // 5 ms
    }
    const out = count * SUB;
    const started = performance.now();
    expect(g.call("poll_oneoff", 0, out, count, out + count * 32)).toBe(0);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(4);
    expect(elapsed).toBeLessThan(3000);
    expect(g.u32(out + count * 32)).toBe(count);
  });

  test("too many subscriptions is EINVAL, zero is EINVAL", () => {
    const g = guest();
    expect(g.call("poll_oneoff", 0, 0, 1_000_000, 0)).toBe(Errno.INVAL);
    expect(g.call("poll_oneoff", 0, 100, 0, 0)).toBe(Errno.INVAL);
  });

  test("a sleep past the call's deadline stops at the deadline with a TimeoutError", () => {
    let deadline = 0;
    const g = guest({ deadline: () => deadline });
    g.view().setUint8(8, 0);
    g.view().setUint32(16, 1, true);
    g.view().setBigUint64(24, 60_000_000_000n, true); // 60 s
    deadline = performance.now() + 100;
    const started = performance.now();
    expect(() => g.call("poll_oneoff", 0, 100, 1, 200)).toThrow(
      expect.objectContaining({ code: ErrorCode.TIMEOUT }),
    );
    expect(performance.now() - started).toBeLessThan(5000);
  });

  test("without a deadline option, limits.timeout bounds the sleep", () => {
    const g = guest({ limits: { timeout: 50 } });
    g.view().setUint8(8, 0);
    g.view().setUint32(16, 1, true);
    g.view().setBigUint64(24, 60_000_000_000n, true);
    expect(() => g.call("poll_oneoff", 0, 100, 1, 200)).toThrow(
      expect.objectContaining({ code: ErrorCode.TIMEOUT }),
    );
  });
});

describe("process and output", () => {
  test("proc_exit throws WasiExit with the code (u32)", () => {
    const g = guest();
    expect(() => g.call("proc_exit", 3)).toThrow(WasiExit);
    try {
      g.call("proc_exit", -1);
    } catch (error) {
      expect((error as WasiExit).exitCode).toBe(0xffff_ffff);
    }
  });

  test("stdout + stderr beyond maxOutput throws ResourceExhaustedError kind output, keeping what fit", () => {
    const g = guest({ limits: { maxOutput: 10 } });
    g.str(100, "123456");
    g.iovec(0, 100, 6);
    expect(g.call("fd_write", 1, 0, 1, 50)).toBe(0);
    let thrown: unknown;
    try {
      g.call("fd_write", 2, 0, 1, 50);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ResourceExhaustedError);
    expect((thrown as ResourceExhaustedError).kind).toBe("output");
    expect((thrown as ResourceExhaustedError).limit).toBe(10);
    const out = g.wasi.endCall();
    expect(out.stdout.length + out.stderr.length).toBe(10);
  });

  test("sockets: ENOTSOCK/EBADF always (none exist); a security event when network is denied", () => {
    const denied = guest();
    expect(denied.call("sock_send", 1, 0, 0, 0, 100)).toBe(Errno.NOTSOCK);
    expect(denied.call("sock_shutdown", 3, 1)).toBe(Errno.BADF);
    const usage = denied.wasi.endCall().usage;
    expect(usage.securityEvents).toBe(2);
    expect(usage.denied.map((d) => d.function)).toEqual(["sock_send", "sock_shutdown"]);
    const granted = guest({ permissions: { network: { denyAll: false } } });
    expect(granted.call("sock_shutdown", 1, 2)).toBe(Errno.NOTSOCK);
    expect(granted.call("sock_accept", 77, 0, 100)).toBe(Errno.BADF);
    expect(granted.wasi.endCall().usage.securityEvents).toBe(0);
  });

  test("beginCall resets usage, output and stdin", () => {
    const g = guest();
    g.wasi.beginCall({ stdin: new TextEncoder().encode("abc") });
    g.iovec(0, 100, 10);
    expect(g.call("fd_read", 0, 0, 1, 50)).toBe(0);
    expect(g.u32(50)).toBe(3);
    expect(g.wasi.endCall().usage.bytesRead).toBe(3);
    g.wasi.beginCall();
    expect(g.call("fd_read", 0, 0, 1, 50)).toBe(0);
    expect(g.u32(50)).toBe(0);
    expect(g.wasi.endCall().usage.bytesRead).toBe(0);
  });
});

describe("shared memory", () => {
  test("paths are read from a shared memory too, and growth is seen", () => {
    const wasi = createWasi({ permissions: permissions(tmp), limits: limits() });
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });
    wasi.bindMemory(memory);
    const call = (name: string, ...args: (number | bigint)[]) =>
      (wasi.imports[name] as unknown as (...a: (number | bigint)[]) => number)(...args);
    memory.grow(1);
    new Uint8Array(memory.buffer).set(new TextEncoder().encode("made"), 70_000);
    expect(call("path_create_directory", 3, 70_000, 4)).toBe(0);
    expect(call("path_filestat_get", 3, 0, 70_000, 4, 70_100)).toBe(0);
    expect(new DataView(memory.buffer).getUint8(70_116)).toBe(3); // a directory
  });
});

describe("a new instance", () => {
  test("binding another memory closes the old descriptors, keeps /tmp files and restarts seeded random", () => {
    const wasi = createWasi({
      permissions: permissions({ ...tmp, random: "seeded", randomSeed: 9 }),
      limits: limits({ maxOpenFiles: 1 }),
    });
    const call = (name: string, ...args: (number | bigint)[]) =>
      (wasi.imports[name] as unknown as (...a: (number | bigint)[]) => number)(...args);
    const first = new WebAssembly.Memory({ initial: 1 });
    wasi.bindMemory(first);
    new Uint8Array(first.buffer).set(new TextEncoder().encode("kept"), 100);
    expect(call("path_open", 3, 0, 100, 4, 1, BigInt(FILE_RIGHTS), 0n, 0, 200)).toBe(0);
    const fd = new DataView(first.buffer).getUint32(200, true);
    expect(call("random_get", 300, 8)).toBe(0);
    const randomBefore = new Uint8Array(first.buffer).slice(300, 308);
    // The runtime re-instantiates after a trap: same Wasi, new memory.
    const second = new WebAssembly.Memory({ initial: 1 });
    wasi.bindMemory(second);
    expect(call("fd_fdstat_get", fd, 0)).toBe(Errno.BADF);
    expect(call("fd_prestat_get", 3, 0)).toBe(0);
    new Uint8Array(second.buffer).set(new TextEncoder().encode("kept"), 100);
    // maxOpenFiles 1 is free again, and the file made before is still in /tmp.
    expect(call("path_open", 3, 0, 100, 4, 0, BigInt(FILE_RIGHTS), 0n, 0, 200)).toBe(0);
    expect(call("random_get", 300, 8)).toBe(0);
    expect(new Uint8Array(second.buffer).slice(300, 308)).toEqual(randomBefore);
  });
});
