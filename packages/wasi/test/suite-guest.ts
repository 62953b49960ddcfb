import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Errno, OFlags } from "../src/constants.js";
import { guest } from "./guest.js";

const SCRATCH = 0x8000;
const OUT = 0x100;

/**
 * A guest shaped like the wasi-testsuite harness: a read-write host directory preopened as "/" at fd 3 (the
 * suite's "root"), or the in-memory /tmp. Each helper returns [errno, result] like the suite's Rust calls.
 */
export function suiteGuest(kind: "host" | "memory" = "host") {
  const host = mkdtempSync(join(tmpdir(), "wasi-suite-"));
  const g =
    kind === "host"
      ? guest({
          permissions: { filesystem: { denyAll: false, readPaths: ["/"], writePaths: ["/"] } },
          mounts: { "/": host },
          pages: 2,
        })
      : guest({ permissions: { filesystem: { denyAll: false, tempDirAccess: true } }, pages: 2 });
  const { call, str, view, iovec, bytes } = g;
  const path = (p: string) => str(SCRATCH, p);
  const open = (
    dir: number,
    p: string,
    oflags = 0,
    base: bigint | number = 0,
    inheriting: bigint | number = 0,
    fdflags = 0,
    lookup = 0,
  ): [number, number] => {
    const [ptr, len] = path(p);
    const e = call(
      "path_open",
      dir,
      lookup,
      ptr,
      len,
      oflags,
      BigInt(base),
      BigInt(inheriting),
      fdflags,
      OUT,
    );
    return [e, e === 0 ? g.u32(OUT) : -1];
  };
  const onPath = (name: string, dir: number, p: string, ...rest: number[]) => {
    const [ptr, len] = path(p);
    return call(name, dir, ...(name === "path_filestat_get" ? [rest[0] ?? 0] : []), ptr, len);
  };
  const mkdir = (dir: number, p: string) => onPath("path_create_directory", dir, p);
  const rmdir = (dir: number, p: string) => onPath("path_remove_directory", dir, p);
  const unlink = (dir: number, p: string) => onPath("path_unlink_file", dir, p);
  const symlink = (target: string, dir: number, p: string) => {
    const [t, tl] = str(SCRATCH, target);
    const [q, ql] = str(SCRATCH + 0x1000, p);
    return call("path_symlink", t, tl, dir, q, ql);
  };
  const twoPaths = (name: string, a: number, pa: string, b: number, pb: string, flags?: number) => {
    const [x, xl] = str(SCRATCH, pa);
    const [y, yl] = str(SCRATCH + 0x1000, pb);
    return flags === undefined ? call(name, a, x, xl, b, y, yl) : call(name, a, flags, x, xl, b, y, yl);
  };
  const rename = (a: number, pa: string, b: number, pb: string) => twoPaths("path_rename", a, pa, b, pb);
  const link = (a: number, pa: string, b: number, pb: string, flags = 0) =>
    twoPaths("path_link", a, pa, b, pb, flags);
  const create = (dir: number, p: string) => {
    const [e, fd] = open(dir, p, OFlags.CREAT);
    if (e !== Errno.SUCCESS) throw new Error(`create ${p}: errno ${e}`);
    call("fd_close", fd);
  };
  const filestat = (e: number) => ({
    errno: e,
    dev: view().getBigUint64(OUT, true),
    ino: view().getBigUint64(OUT + 8, true),
    filetype: bytes()[OUT + 16],
    nlink: view().getBigUint64(OUT + 24, true),
    size: view().getBigUint64(OUT + 32, true),
    atim: view().getBigUint64(OUT + 40, true),
    mtim: view().getBigUint64(OUT + 48, true),
    ctim: view().getBigUint64(OUT + 56, true),
  });
  const fstat = (fd: number) => filestat(call("fd_filestat_get", fd, OUT));
  const pstat = (dir: number, p: string, follow = 0) => {
    const [ptr, len] = path(p);
    return filestat(call("path_filestat_get", dir, follow, ptr, len, OUT));
  };
  const fdstat = (fd: number) => {
    const e = call("fd_fdstat_get", fd, OUT);
    return {
      errno: e,
      filetype: bytes()[OUT],
      flags: view().getUint16(OUT + 2, true),
      base: view().getBigUint64(OUT + 8, true),
      inheriting: view().getBigUint64(OUT + 16, true),
    };
  };
  const DATA = 0x4000;
  const write = (fd: number, data: Uint8Array): [number, number] => {
    bytes().set(data, DATA);
    iovec(0x200, DATA, data.length);
    const e = call("fd_write", fd, 0x200, 1, OUT);
    return [e, g.u32(OUT)];
  };
  const read = (fd: number, len: number): [number, Uint8Array] => {
    iovec(0x200, DATA, len);
    const e = call("fd_read", fd, 0x200, 1, OUT);
    return [e, bytes().slice(DATA, DATA + (e === 0 ? g.u32(OUT) : 0))];
  };
  const seek = (fd: number, offset: bigint | number, whence: number): [number, bigint] => {
    const e = call("fd_seek", fd, BigInt(offset), whence, OUT);
    return [e, view().getBigUint64(OUT, true)];
  };
  const tell = (fd: number): [number, bigint] => {
    const e = call("fd_tell", fd, OUT);
    return [e, view().getBigUint64(OUT, true)];
  };
  /** fd_readdir into a buffer of `size` bytes: the entries that fit whole, and whether the buffer was filled. */
  const readdir = (fd: number, cookie: bigint | number, size = 256) => {
    const e = call("fd_readdir", fd, DATA, size, BigInt(cookie), OUT);
    const used = g.u32(OUT);
    const entries: { name: string; next: bigint; ino: bigint; type: number }[] = [];
    for (let at = 0; e === 0 && at + 24 <= used; ) {
      const base = DATA + at;
      const namlen = view().getUint32(base + 16, true);
      if (at + 24 + namlen > used) break;
      entries.push({
        next: view().getBigUint64(base, true),
        ino: view().getBigUint64(base + 8, true),
        type: bytes()[base + 20] ?? 0,
        name: g.text(base + 24, namlen),
      });
      at += 24 + namlen;
    }
    return { errno: e, entries, eof: used < size };
  };
  return {
    ...g,
    host,
    root: 3,
    open,
    mkdir,
    rmdir,
    unlink,
    symlink,
    rename,
    link,
    create,
    fstat,
    pstat,
    fdstat,
    write,
    read,
    seek,
    tell,
    readdir,
    OUT,
  };
}
