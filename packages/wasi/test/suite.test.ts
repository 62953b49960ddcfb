// Behaviours the independent WebAssembly/wasi-testsuite (wasm32-wasip1) checks, one test per behaviour,
// written from reading its programs; errno alternatives follow the suite's assert_errno (unix mode).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { Errno, FdFlags, FileType, LookupFlags, OFlags, Rights, Whence } from "../src/constants.js";
import { guest } from "./guest.js";
import { suiteGuest } from "./suite-guest.js";

const E = Errno;
const cleanups: string[] = [];
afterEach(() => {
  for (const dir of cleanups.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const kinds = ["host", "memory"] as const;
function make(kind: (typeof kinds)[number]) {
  const g = suiteGuest(kind);
  cleanups.push(g.host);
  return g;
}

describe.each(kinds)("%s backend", (kind) => {
  test("dangling symlink: O_DIRECTORY nofollow NOTDIR/LOOP, plain open LOOP", () => {
    const g = make(kind);
    expect(g.symlink("target", g.root, "dl")).toBe(E.SUCCESS);
    expect([E.NOTDIR, E.LOOP]).toContain(g.open(g.root, "dl", OFlags.DIRECTORY)[0]);
    expect(g.open(g.root, "dl")[0]).toBe(E.LOOP);
    expect(g.unlink(g.root, "dl")).toBe(E.SUCCESS);
  });

  test("nofollow errors on symlinks to a dir and to a file", () => {
    const g = make(kind);
    expect(g.mkdir(g.root, "target")).toBe(0);
    expect(g.symlink("target", g.root, "symlink")).toBe(0);
    expect([E.LOOP, E.NOTDIR]).toContain(g.open(g.root, "symlink", OFlags.DIRECTORY)[0]);
    expect([E.LOOP, E.ACCES]).toContain(g.open(g.root, "symlink")[0]);
    const [e, fd] = g.open(g.root, "symlink", OFlags.DIRECTORY, 0, 0, 0, LookupFlags.SYMLINK_FOLLOW);
    expect(e).toBe(0);
    expect(fd).toBeGreaterThan(2);
    expect(g.call("fd_close", fd)).toBe(0);
    expect(g.unlink(g.root, "symlink")).toBe(0);
    expect(g.rmdir(g.root, "target")).toBe(0);
    g.create(g.root, "target");
    expect(g.symlink("target", g.root, "symlink")).toBe(0);
    expect([E.LOOP, E.NOTDIR]).toContain(g.open(g.root, "symlink", OFlags.DIRECTORY)[0]);
    expect(g.open(g.root, "symlink")[0]).toBe(E.LOOP);
    expect(g.open(g.root, "symlink", OFlags.DIRECTORY, 0, 0, 0, LookupFlags.SYMLINK_FOLLOW)[0]).toBe(
      E.NOTDIR,
    );
  });

  test("symlink loop is ELOOP", () => {
    const g = make(kind);
    expect(g.symlink("symlink", g.root, "symlink")).toBe(0);
    expect(g.open(g.root, "symlink")[0]).toBe(E.LOOP);
    expect(g.open(g.root, "symlink", 0, 0, 0, 0, LookupFlags.SYMLINK_FOLLOW)[0]).toBe(E.LOOP);
    expect(g.unlink(g.root, "symlink")).toBe(0);
  });

  test("path_rename: dirs onto empty dir, non-empty dir, file; files onto files and dirs", () => {
    const g = make(kind);
    expect(g.mkdir(g.root, "source")).toBe(0);
    expect(g.rename(g.root, "source", g.root, "target")).toBe(0);
    expect(g.open(g.root, "source", OFlags.DIRECTORY)[0]).toBe(E.NOENT);
    expect(g.rmdir(g.root, "target")).toBe(0);
    expect(g.mkdir(g.root, "source")).toBe(0);
    expect(g.mkdir(g.root, "target")).toBe(0);
    expect(g.rename(g.root, "source", g.root, "target")).toBe(0);
    expect(g.open(g.root, "source", OFlags.DIRECTORY)[0]).toBe(E.NOENT);
    expect(g.rmdir(g.root, "target")).toBe(0);
    expect(g.mkdir(g.root, "source")).toBe(0);
    expect(g.mkdir(g.root, "target")).toBe(0);
    g.create(g.root, "target/file");
    expect(g.rename(g.root, "source", g.root, "target")).toBe(E.NOTEMPTY);
    expect(g.rename(g.root, "source", g.root, "target/file")).toBe(E.NOTDIR);
    expect(g.unlink(g.root, "target/file")).toBe(0);
    expect(g.rmdir(g.root, "source")).toBe(0);
    expect(g.rmdir(g.root, "target")).toBe(0);
    g.create(g.root, "source");
    g.create(g.root, "target");
    expect(g.rename(g.root, "source", g.root, "target")).toBe(0);
    expect(g.open(g.root, "source")[0]).toBe(E.NOENT);
    expect(g.open(g.root, "target")[0]).toBe(0);
    expect(g.unlink(g.root, "target")).toBe(0);
    g.create(g.root, "source");
    expect(g.mkdir(g.root, "target")).toBe(0);
    expect(g.rename(g.root, "source", g.root, "target")).toBe(E.ISDIR);
  });

  test("path_rename with trailing slashes on directories", () => {
    const g = make(kind);
    expect(g.mkdir(g.root, "source")).toBe(0);
    expect(g.rename(g.root, "source/", g.root, "target")).toBe(0);
    expect(g.rename(g.root, "target", g.root, "source/")).toBe(0);
    expect(g.rename(g.root, "source/", g.root, "target/")).toBe(0);
    expect(g.rename(g.root, "target", g.root, "source")).toBe(0);
    expect(g.rmdir(g.root, "source")).toBe(0);
  });

  test("unlink: directories are EISDIR (with and without slash), file/ is ENOTDIR", () => {
    const g = make(kind);
    expect(g.mkdir(g.root, "dir")).toBe(0);
    expect(g.unlink(g.root, "dir")).toBe(E.ISDIR);
    expect(g.unlink(g.root, "dir/")).toBe(E.ISDIR);
    expect(g.rmdir(g.root, "dir")).toBe(0);
    g.create(g.root, "file");
    expect(g.unlink(g.root, "file/")).toBe(E.NOTDIR);
    expect(g.unlink(g.root, "file")).toBe(0);
  });

  test("remove_directory: trailing slash works on dirs, ENOTDIR on files", () => {
    const g = make(kind);
    expect(g.mkdir(g.root, "d")).toBe(0);
    expect(g.rmdir(g.root, "d")).toBe(0);
    expect(g.mkdir(g.root, "d")).toBe(0);
    expect(g.rmdir(g.root, "d/")).toBe(0);
    g.create(g.root, "f");
    expect(g.rmdir(g.root, "f")).toBe(E.NOTDIR);
    expect(g.rmdir(g.root, "f/")).toBe(E.NOTDIR);
  });

  test("path_symlink with trailing slashes", () => {
    const g = make(kind);
    expect(g.symlink("source", g.root, "target/")).toBe(E.NOENT);
    expect(g.symlink("source", g.root, "target")).toBe(0);
    expect(g.unlink(g.root, "target")).toBe(0);
    expect(g.mkdir(g.root, "target")).toBe(0);
    expect(g.symlink("source", g.root, "target/")).toBe(E.EXIST);
    expect(g.symlink("source", g.root, "target")).toBe(E.EXIST);
    expect(g.rmdir(g.root, "target")).toBe(0);
    g.create(g.root, "target");
    expect([E.NOTDIR, E.EXIST]).toContain(g.symlink("source", g.root, "target/"));
    expect(g.symlink("source", g.root, "target")).toBe(E.EXIST);
  });

  test("close a preopen: it is gone, other dir fds stay", () => {
    const g = make(kind);
    const [e, dir] = g.open(g.root, ".", OFlags.DIRECTORY);
    expect(e).toBe(0);
    expect(dir).toBeGreaterThan(3);
    expect(g.call("fd_close", 3)).toBe(0);
    expect(g.fdstat(dir).filetype).toBe(FileType.DIRECTORY);
    expect(g.fdstat(3).errno).toBe(E.BADF);
  });

  test("fd_readdir: . and .., cookies, inode of . and of files, 1000 entries", () => {
    const g = make(kind);
    expect(g.mkdir(g.root, "rd")).toBe(0);
    const [e, dir] = g.open(
      g.root,
      "rd",
      OFlags.DIRECTORY,
      Rights.FD_READDIR |
        Rights.FD_FILESTAT_GET |
        Rights.PATH_OPEN |
        Rights.PATH_CREATE_FILE |
        Rights.PATH_UNLINK_FILE,
      Rights.FD_READ | Rights.FD_WRITE | Rights.FD_FILESTAT_GET,
    );
    expect(e).toBe(0);
    const stat = g.fstat(dir);
    let r = g.readdir(dir, 0);
    expect(r.eof).toBe(true);
    const sorted = [...r.entries].sort((a, b) => a.name.localeCompare(b.name));
    expect(sorted.map((d) => d.name)).toEqual([".", ".."]);
    expect(sorted[0]?.type).toBe(FileType.DIRECTORY);
    expect(sorted[0]?.ino).toBe(stat.ino);
    expect(sorted[1]?.type).toBe(FileType.DIRECTORY);
    const [fe, file] = g.open(dir, "file", OFlags.CREAT, Rights.FD_READ | Rights.FD_FILESTAT_GET);
    expect(fe).toBe(0);
    const fst = g.fstat(file);
    g.call("fd_close", file);
    r = g.readdir(dir, 0);
    expect(r.entries).toHaveLength(3);
    const last = r.entries[2]?.name;
    const cookie = r.entries[1]?.next ?? 0n;
    const f = r.entries.find((d) => d.name === "file");
    expect(f?.type).toBe(FileType.REGULAR_FILE);
    expect(f?.ino).toBe(fst.ino);
    const rest = g.readdir(dir, cookie);
    expect(rest.entries.map((d) => d.name)).toEqual([last]);
    expect(rest.eof).toBe(true);
    for (let i = 0; i < 1000; i++) g.create(dir, `file.${i}`);
    let total = 0;
    let c = 0n;
    for (;;) {
      const page = g.readdir(dir, c);
      total += page.entries.length;
      if (page.eof) break;
      c = page.entries[page.entries.length - 1]?.next ?? 0n;
    }
    expect(total).toBe(1003);
  });

  test("scratch dir opened with the suite's create_tmp_dir rights; files opened with rights 0", () => {
    const g = make(kind);
    expect(g.mkdir(g.root, "tmp")).toBe(0);
    const base =
      Rights.FD_FILESTAT_GET |
      Rights.FD_READDIR |
      Rights.PATH_CREATE_FILE |
      Rights.PATH_CREATE_DIRECTORY |
      Rights.PATH_REMOVE_DIRECTORY |
      Rights.PATH_OPEN |
      Rights.PATH_UNLINK_FILE |
      Rights.PATH_LINK_SOURCE |
      Rights.PATH_LINK_TARGET |
      Rights.PATH_READLINK |
      Rights.PATH_RENAME_SOURCE |
      Rights.PATH_RENAME_TARGET |
      Rights.PATH_FILESTAT_GET |
      Rights.PATH_FILESTAT_SET_SIZE |
      Rights.PATH_FILESTAT_SET_TIMES |
      Rights.PATH_SYMLINK;
    const inheriting =
      Rights.FD_READ |
      Rights.FD_WRITE |
      Rights.FD_READDIR |
      Rights.FD_FILESTAT_GET |
      Rights.FD_SEEK |
      Rights.PATH_LINK_SOURCE |
      Rights.PATH_LINK_TARGET |
      Rights.PATH_OPEN |
      Rights.PATH_UNLINK_FILE |
      Rights.PATH_FILESTAT_GET |
      Rights.FD_FDSTAT_SET_FLAGS |
      Rights.FD_SYNC |
      Rights.FD_TELL |
      Rights.FD_ADVISE |
      Rights.FD_ALLOCATE |
      Rights.FD_FILESTAT_SET_SIZE |
      Rights.FD_FILESTAT_SET_TIMES;
    const [e, dir] = g.open(g.root, "tmp", OFlags.DIRECTORY, base, inheriting);
    expect(e).toBe(0);
    const [fe, fd] = g.open(dir, "file", OFlags.CREAT, 0, 0);
    expect(fe).toBe(0);
    expect(fd).toBeGreaterThan(2);
    expect(g.call("fd_close", fd)).toBe(0);
  });

  test("fd_filestat_set_size / set_times(MTIM) keep atim", () => {
    const g = make(kind);
    const [, fd] = g.open(
      g.root,
      "f",
      OFlags.CREAT,
      Rights.FD_READ |
        Rights.FD_WRITE |
        Rights.FD_FILESTAT_GET |
        Rights.FD_FILESTAT_SET_SIZE |
        Rights.FD_FILESTAT_SET_TIMES,
    );
    expect(g.fstat(fd).size).toBe(0n);
    expect(g.call("fd_filestat_set_size", fd, 100n)).toBe(0);
    const st = g.fstat(fd);
    expect(st.size).toBe(100n);
    const mtim = st.mtim - 100n;
    expect(g.call("fd_filestat_set_times", fd, mtim, mtim, 4)).toBe(0);
    const st2 = g.fstat(fd);
    expect(st2.size).toBe(100n);
    expect(st2.mtim).toBe(mtim);
    expect(st2.atim).toBe(st.atim);
  });

  test("fd_allocate grows, never shrinks", () => {
    const g = make(kind);
    const [, fd] = g.open(
      g.root,
      "f",
      OFlags.CREAT,
      Rights.FD_READ | Rights.FD_WRITE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_GET,
    );
    const r = g.call("fd_allocate", fd, 0n, 100n);
    if (r === E.NOTSUP) return;
    expect(r).toBe(0);
    expect(g.fstat(fd).size).toBe(100n);
    expect(g.call("fd_allocate", fd, 10n, 10n)).toBe(0);
    expect(g.fstat(fd).size).toBe(100n);
    expect(g.call("fd_allocate", fd, 90n, 20n)).toBe(0);
    expect(g.fstat(fd).size).toBe(110n);
  });

  test("truncation rights: O_TRUNC needs PATH_FILESTAT_SET_SIZE on the dir", () => {
    const g = make(kind);
    g.create(g.root, "file");
    const st = g.fdstat(g.root);
    expect(st.filetype).toBe(FileType.DIRECTORY);
    expect(st.flags).toBe(0);
    expect(st.base & BigInt(Rights.FD_FILESTAT_SET_SIZE)).toBe(0n);
    expect(st.base & BigInt(Rights.PATH_FILESTAT_SET_SIZE)).not.toBe(0n);
    let [e, fd] = g.open(g.root, "file", OFlags.TRUNC);
    expect(e).toBe(0);
    g.call("fd_close", fd);
    const inh = st.inheriting & ~BigInt(Rights.FD_FILESTAT_SET_SIZE);
    expect(g.call("fd_fdstat_set_rights", g.root, st.base, inh)).toBe(0);
    [e, fd] = g.open(g.root, "file", OFlags.TRUNC);
    expect(e).toBe(0);
    g.call("fd_close", fd);
    const base = st.base & ~BigInt(Rights.PATH_FILESTAT_SET_SIZE);
    expect(g.call("fd_fdstat_set_rights", g.root, base, inh)).toBe(0);
    expect(g.fdstat(g.root).base & BigInt(Rights.PATH_FILESTAT_SET_SIZE)).toBe(0n);
    expect([E.PERM, E.NOTCAPABLE]).toContain(g.open(g.root, "file", OFlags.TRUNC)[0]);
  });

  test("O_CREAT|O_EXCL on an existing file is EEXIST", () => {
    const g = make(kind);
    g.create(g.root, "file");
    expect(g.open(g.root, "file", OFlags.CREAT | OFlags.EXCL)[0]).toBe(E.EXIST);
  });

  test("read-only, write-only and read-write opens", () => {
    const g = make(kind);
    g.create(g.root, "f");
    let [e, fd] = g.open(g.root, "f", 0, Rights.FD_READ);
    expect(e).toBe(0);
    let st = g.fdstat(fd);
    expect(st.base & BigInt(Rights.FD_READ)).not.toBe(0n);
    expect(st.base & BigInt(Rights.FD_WRITE)).toBe(0n);
    expect(g.read(fd, 100)).toEqual([0, new Uint8Array(0)]);
    expect([E.BADF, E.NOTCAPABLE, E.ACCES]).toContain(g.write(fd, new Uint8Array(50).fill(1))[0]);
    g.call("fd_close", fd);
    [e, fd] = g.open(g.root, "f", 0, Rights.FD_WRITE);
    st = g.fdstat(fd);
    expect(st.base & BigInt(Rights.FD_READ)).toBe(0n);
    expect(st.base & BigInt(Rights.FD_WRITE)).not.toBe(0n);
    expect([E.BADF, E.NOTCAPABLE, E.ACCES]).toContain(g.read(fd, 100)[0]);
    expect(g.write(fd, new Uint8Array(50).fill(1))).toEqual([0, 50]);
    g.call("fd_close", fd);
    [e, fd] = g.open(g.root, "f", 0, Rights.FD_READ | Rights.FD_WRITE | Rights.FD_FILESTAT_GET);
    expect(g.read(fd, 100)[1].length).toBe(50);
    expect(g.write(fd, new Uint8Array(25).fill(2))).toEqual([0, 25]);
    expect(g.fstat(fd).size).toBe(75n);
  });

  test("path_link: same and other dir, onto existing, to itself, dirs, trailing slash, symlinks", () => {
    const g = make(kind);
    const R =
      Rights.FD_READ |
      Rights.PATH_LINK_SOURCE |
      Rights.PATH_LINK_TARGET |
      Rights.FD_FILESTAT_GET |
      Rights.PATH_OPEN |
      Rights.PATH_UNLINK_FILE;
    const [, file] = g.open(g.root, "file", OFlags.CREAT, R, R);
    expect(g.link(g.root, "file", g.root, "link")).toBe(0);
    const [, l] = g.open(g.root, "link", 0, R, R);
    const a = g.fstat(file);
    const b = g.fstat(l);
    expect(b).toEqual(a);
    expect(a.nlink).toBe(2n);
    expect(g.fdstat(l)).toEqual(g.fdstat(file));
    g.call("fd_close", l);
    expect(g.unlink(g.root, "link")).toBe(0);
    expect(g.mkdir(g.root, "subdir")).toBe(0);
    const [, sub] = g.open(g.root, "subdir", OFlags.DIRECTORY, R, R);
    expect(g.link(g.root, "file", sub, "link")).toBe(0);
    const [, l2] = g.open(sub, "link", 0, R, R);
    expect(g.fstat(l2)).toEqual(g.fstat(file));
    g.call("fd_close", l2);
    expect(g.unlink(sub, "link")).toBe(0);
    g.call("fd_close", sub);
    expect(g.rmdir(g.root, "subdir")).toBe(0);
    g.create(g.root, "link");
    expect(g.link(g.root, "file", g.root, "link")).toBe(E.EXIST);
    expect(g.unlink(g.root, "link")).toBe(0);
    expect(g.link(g.root, "file", g.root, "file")).toBe(E.EXIST);
    expect(g.mkdir(g.root, "link")).toBe(0);
    expect(g.link(g.root, "file", g.root, "link")).toBe(E.EXIST);
    expect(g.rmdir(g.root, "link")).toBe(0);
    expect(g.mkdir(g.root, "subdir")).toBe(0);
    expect([E.PERM, E.ACCES]).toContain(g.link(g.root, "subdir", g.root, "link"));
    expect(g.rmdir(g.root, "subdir")).toBe(0);
    expect(g.link(g.root, "file", g.root, "link/")).toBe(E.NOENT);
    expect(g.symlink("target", g.root, "symlink")).toBe(0);
    expect(g.link(g.root, "symlink", g.root, "link")).toBe(0);
    expect(g.unlink(g.root, "symlink")).toBe(0);
    expect(g.unlink(g.root, "link")).toBe(0);
    expect(g.symlink("symlink", g.root, "symlink")).toBe(0);
    expect(g.link(g.root, "symlink", g.root, "link")).toBe(0);
    expect(g.unlink(g.root, "symlink")).toBe(0);
    expect(g.unlink(g.root, "link")).toBe(0);
    expect(g.symlink("target", g.root, "symlink")).toBe(0);
    expect(g.link(g.root, "file", g.root, "symlink")).toBe(E.EXIST);
    expect([E.INVAL, E.NOENT]).toContain(
      g.link(g.root, "symlink", g.root, "link", LookupFlags.SYMLINK_FOLLOW),
    );
    expect(g.unlink(g.root, "symlink")).toBe(0);
    expect(g.unlink(g.root, "file")).toBe(0);
  });

  test("path_filestat: APPEND|SYNC flags kept, set_times MTIM, MTIM+MTIM_NOW and ATIM+ATIM_NOW EINVAL", () => {
    const g = make(kind);
    expect(g.fdstat(g.root).base & BigInt(Rights.PATH_FILESTAT_GET)).not.toBe(0n);
    const rights = Rights.FD_READ | Rights.FD_WRITE | Rights.PATH_FILESTAT_GET;
    let [e, fd] = g.open(g.root, "file", OFlags.CREAT, rights, 0, FdFlags.APPEND | FdFlags.SYNC);
    let flags: number = FdFlags.APPEND | FdFlags.SYNC;
    if (e === E.NOTSUP) {
      [e, fd] = g.open(g.root, "file", OFlags.CREAT, rights, 0, FdFlags.APPEND);
      flags = FdFlags.APPEND;
    }
    expect(e).toBe(0);
    expect(g.fdstat(fd).flags & flags).toBe(flags);
    const st = g.pstat(g.root, "file");
    expect(st.size).toBe(0n);
    const mtim = st.mtim - 100n;
    const [p, pl] = g.str(0x9000, "file");
    expect(g.call("path_filestat_set_times", g.root, 0, p, pl, 0n, mtim, 4)).toBe(0);
    expect(g.pstat(g.root, "file").mtim).toBe(mtim);
    expect(g.call("path_filestat_set_times", g.root, 0, p, pl, 0n, mtim, 4 | 8)).toBe(E.INVAL);
    expect(g.pstat(g.root, "file").mtim).toBe(mtim);
    expect(g.call("path_filestat_set_times", g.root, 0, p, pl, 0n, 0n, 1 | 2)).toBe(E.INVAL);
  });

  test("fd_fdstat_set_rights: dropping works and takes effect, regranting is ENOTCAPABLE", () => {
    const g = make(kind);
    const [, fd] = g.open(
      g.root,
      "f",
      OFlags.CREAT,
      Rights.FD_READ | Rights.FD_WRITE | Rights.FD_SEEK | Rights.FD_TELL,
    );
    expect(g.write(fd, new Uint8Array([0, 1, 2, 3]))).toEqual([0, 4]);
    expect(g.seek(fd, 0, Whence.SET)[0]).toBe(0);
    expect(g.read(fd, 4)[1]).toEqual(new Uint8Array([0, 1, 2, 3]));
    const st = g.fdstat(fd);
    expect(
      g.call("fd_fdstat_set_rights", fd, st.base & ~BigInt(Rights.FD_READ | Rights.FD_WRITE), st.inheriting),
    ).toBe(0);
    const st2 = g.fdstat(fd);
    expect(st2.base & BigInt(Rights.FD_READ | Rights.FD_WRITE)).toBe(0n);
    expect(st2.base & BigInt(Rights.FD_SEEK)).not.toBe(0n);
    expect([E.BADF, E.NOTCAPABLE]).toContain(g.read(fd, 4)[0]);
    expect([E.BADF, E.NOTCAPABLE]).toContain(g.write(fd, new Uint8Array(4))[0]);
    const more = BigInt(Rights.FD_READ | Rights.FD_WRITE | Rights.FD_SEEK | Rights.FD_TELL);
    expect(g.call("fd_fdstat_set_rights", fd, st2.base | more, st2.inheriting | more)).toBe(E.NOTCAPABLE);
  });

  test("fd_fdstat_set_flags: append on, then off", () => {
    const g = make(kind);
    const [e, fd] = g.open(
      g.root,
      "f",
      OFlags.CREAT,
      Rights.FD_READ | Rights.FD_WRITE | Rights.FD_SEEK | Rights.FD_TELL | Rights.FD_FDSTAT_SET_FLAGS,
      0,
      FdFlags.APPEND,
    );
    expect(e).toBe(0);
    expect(g.write(fd, new Uint8Array(100))).toEqual([0, 100]);
    g.seek(fd, 0, Whence.SET);
    expect(g.read(fd, 100)[1]).toEqual(new Uint8Array(100));
    g.seek(fd, 0, Whence.SET);
    expect(g.write(fd, new Uint8Array(100).fill(1))).toEqual([0, 100]);
    g.seek(fd, 100, Whence.SET);
    expect(g.read(fd, 100)[1]).toEqual(new Uint8Array(100).fill(1));
    expect(g.call("fd_fdstat_set_flags", fd, 0)).toBe(0);
    g.seek(fd, 0, Whence.SET);
    expect(g.write(fd, new Uint8Array(100).fill(2))).toEqual([0, 100]);
    g.seek(fd, 0, Whence.SET);
    expect(g.read(fd, 100)[1]).toEqual(new Uint8Array(100).fill(2));
    g.call("fd_close", fd);
    expect(g.pstat(g.root, "f").size).toBe(200n);
  });

  test("preopen rights, path_open of '.' with same/empty rights, O_DIRECTORY read+write is EISDIR", () => {
    const g = make(kind);
    const st = g.fdstat(3);
    const base =
      Rights.PATH_CREATE_DIRECTORY |
      Rights.PATH_CREATE_FILE |
      Rights.PATH_LINK_SOURCE |
      Rights.PATH_LINK_TARGET |
      Rights.PATH_OPEN |
      Rights.FD_READDIR |
      Rights.PATH_READLINK |
      Rights.PATH_RENAME_SOURCE |
      Rights.PATH_RENAME_TARGET |
      Rights.PATH_SYMLINK |
      Rights.PATH_REMOVE_DIRECTORY |
      Rights.PATH_UNLINK_FILE |
      Rights.PATH_FILESTAT_GET |
      Rights.PATH_FILESTAT_SET_TIMES |
      Rights.FD_FILESTAT_GET |
      Rights.FD_FILESTAT_SET_TIMES;
    const inh =
      base |
      Rights.FD_DATASYNC |
      Rights.FD_READ |
      Rights.FD_SEEK |
      Rights.FD_FDSTAT_SET_FLAGS |
      Rights.FD_SYNC |
      Rights.FD_TELL |
      Rights.FD_WRITE |
      Rights.FD_ADVISE |
      Rights.FD_ALLOCATE |
      Rights.FD_FILESTAT_GET |
      Rights.FD_FILESTAT_SET_SIZE |
      Rights.FD_FILESTAT_SET_TIMES |
      Rights.POLL_FD_READWRITE;
    expect(st.base & BigInt(base)).toBe(BigInt(base));
    expect(st.inheriting & BigInt(inh)).toBe(BigInt(inh));
    expect(g.open(3, ".", 0, st.base, st.inheriting)[0]).toBe(0);
    expect(g.open(3, ".", 0, 0, 0)[0]).toBe(0);
    expect(g.open(3, ".", OFlags.DIRECTORY, 0, 0)[0]).toBe(0);
    expect(g.open(3, ".", OFlags.DIRECTORY, Rights.FD_READ, 0)[0]).toBe(0);
    expect(g.open(3, ".", OFlags.DIRECTORY, Rights.FD_READ | Rights.FD_WRITE, 0)[0]).toBe(E.ISDIR);
  });

  test("directory fds refuse file operations", () => {
    const g = make(kind);
    const st = g.fstat(3);
    expect(st.filetype).toBe(FileType.DIRECTORY);
    expect([E.INVAL, E.NAMETOOLONG]).toContain(g.call("fd_prestat_dir_name", 3, 0x9000, 0));
    expect(g.call("fd_prestat_get", 3, 0x9000)).toBe(0);
    const len = g.u32(0x9004);
    expect(g.call("fd_prestat_dir_name", 3, 0x9000, len + 1)).toBe(0);
    const bad = [E.ISDIR, E.BADF, E.NOTCAPABLE];
    expect(bad).toContain(g.read(3, 128)[0]);
    g.iovec(0x200, 0x4000, 128);
    expect(bad).toContain(g.call("fd_pread", 3, 0x200, 1, 0n, 0x300));
    expect(bad).toContain(g.write(3, new Uint8Array(128))[0]);
    expect(bad).toContain(g.call("fd_pwrite", 3, 0x200, 1, 0n, 0x300));
    for (const w of [Whence.CUR, Whence.SET, Whence.END]) expect(bad).toContain(g.seek(3, 0, w)[0]);
    expect(bad).toContain(g.tell(3)[0]);
    expect(bad).toContain(g.call("fd_allocate", 3, 0n, 1n));
    expect([...bad, E.INVAL]).toContain(g.call("fd_filestat_set_size", 3, 0n));
  });

  test("interesting paths: absolute, .. inside, NUL, trailing slashes, too many ..", () => {
    const g = make(kind);
    expect(g.mkdir(g.root, "dir")).toBe(0);
    expect(g.mkdir(g.root, "dir/nested")).toBe(0);
    g.create(g.root, "dir/nested/file");
    expect([E.PERM, E.NOTCAPABLE]).toContain(g.open(g.root, "/dir/nested/file")[0]);
    const [e, fd] = g.open(g.root, "dir/.//nested/../../dir/nested/../nested///./file");
    expect(e).toBe(0);
    expect(fd).toBeGreaterThan(2);
    expect([E.INVAL, E.ILSEQ, E.NOENT]).toContain(g.open(g.root, "dir/nested/file\0")[0]);
    expect([E.NOTDIR, E.NOENT]).toContain(g.open(g.root, "dir/nested/file/")[0]);
    expect([E.NOTDIR, E.NOENT]).toContain(g.open(g.root, "dir/nested/file///")[0]);
    expect(g.open(g.root, "dir/nested/")[0]).toBe(0);
    expect(g.open(g.root, "dir/nested///")[0]).toBe(0);
    expect([E.PERM, E.NOTCAPABLE]).toContain(g.open(g.root, "dir/nested/../../../x/dir/nested/file")[0]);
    expect(g.unlink(g.root, "dir/nested/file")).toBe(0);
    expect(g.rmdir(g.root, "dir/nested")).toBe(0);
    expect(g.rmdir(g.root, "dir")).toBe(0);
  });

  test("directory opened with FD_SEEK: seek fails and the right is not granted", () => {
    const g = make(kind);
    expect(g.mkdir(g.root, "d")).toBe(0);
    const [e, fd] = g.open(g.root, "d", OFlags.DIRECTORY, Rights.FD_SEEK);
    expect(e).toBe(0);
    expect([E.ISDIR, E.NOTCAPABLE, E.BADF]).toContain(g.seek(fd, 0, Whence.CUR)[0]);
    const st = g.fdstat(fd);
    expect(st.filetype).toBe(FileType.DIRECTORY);
    expect(st.base & BigInt(Rights.FD_SEEK)).toBe(0n);
  });

  test("seek and tell", () => {
    const g = make(kind);
    const [, fd] = g.open(
      g.root,
      "file",
      OFlags.CREAT,
      Rights.FD_READ | Rights.FD_WRITE | Rights.FD_SEEK | Rights.FD_TELL,
    );
    expect(g.tell(fd)).toEqual([0, 0n]);
    expect(g.write(fd, new Uint8Array(100))).toEqual([0, 100]);
    expect(g.tell(fd)).toEqual([0, 100n]);
    expect(g.seek(fd, -50, Whence.CUR)).toEqual([0, 50n]);
    expect(g.seek(fd, 0, Whence.SET)).toEqual([0, 0n]);
    expect(g.seek(fd, 1000, Whence.CUR)[0]).toBe(0);
    expect(g.seek(fd, -2000, Whence.CUR)[0]).toBe(E.INVAL);
    g.seek(fd, 0, Whence.SET);
    expect(g.read(fd, 100)[1].length).toBe(100);
    expect(g.tell(fd)).toEqual([0, 100n]);
  });

  test("pread / pwrite with several iovecs, cursor untouched", () => {
    const g = make(kind);
    const [, fd] = g.open(g.root, "file", OFlags.CREAT, Rights.FD_READ | Rights.FD_SEEK | Rights.FD_WRITE);
    const pw = (data: number[], offset: number, split = false) => {
      g.bytes().set(data, 0x4000);
      if (split && data.length > 2) {
        g.iovec(0x200, 0x4000, 2);
        g.iovec(0x208, 0x4002, data.length - 2);
      } else g.iovec(0x200, 0x4000, data.length);
      expect(g.call("fd_pwrite", fd, 0x200, split && data.length > 2 ? 2 : 1, BigInt(offset), 0x300)).toBe(0);
      return g.u32(0x300);
    };
    const pr = (len: number, offset: number) => {
      g.bytes().fill(0, 0x5000, 0x5000 + len);
      g.iovec(0x200, 0x5000, 2);
      g.iovec(0x208, 0x5002, len - 2);
      expect(g.call("fd_pread", fd, 0x200, 2, BigInt(offset), 0x300)).toBe(0);
      return Array.from(g.bytes().slice(0x5000, 0x5000 + g.u32(0x300)));
    };
    expect(pw([0, 1, 2, 3], 0)).toBe(4);
    expect(pr(4, 0)).toEqual([0, 1, 2, 3]);
    expect(pw([0, 1, 2, 3], 0, true)).toBe(4);
    expect(pr(4, 0)).toEqual([0, 1, 2, 3]);
    expect(pr(4, 2)).toEqual([2, 3]);
    expect(pr(4, 4)).toEqual([]);
    expect(pw([1, 0], 2)).toBe(2);
    expect(pr(4, 0)).toEqual([0, 1, 1, 0]);
    expect(g.tell(fd)).toEqual([E.NOTCAPABLE, expect.anything()]);
  });

  test("O_CREAT|O_TRUNC empties a file", () => {
    const g = make(kind);
    let [, fd] = g.open(g.root, "t.txt", OFlags.CREAT, Rights.FD_WRITE);
    expect(g.write(fd, new TextEncoder().encode("this content will be truncated!"))[1]).toBe(31);
    g.call("fd_close", fd);
    [, fd] = g.open(g.root, "t.txt", OFlags.CREAT | OFlags.TRUNC, Rights.FD_WRITE | Rights.FD_READ);
    expect(g.read(fd, 100)).toEqual([0, new Uint8Array(0)]);
  });

  test("fd_renumber moves the entry, closes the source, refuses a closed target", () => {
    const g = make(kind);
    const [, a] = g.open(g.root, "file1", OFlags.CREAT, Rights.FD_READ | Rights.FD_WRITE);
    const before = g.fdstat(a);
    const [, b] = g.open(g.root, "file2", OFlags.CREAT, Rights.FD_READ | Rights.FD_WRITE);
    expect(g.call("fd_renumber", a, b)).toBe(0);
    expect(g.call("fd_close", a)).toBe(E.BADF);
    expect(g.fdstat(b)).toEqual(before);
    expect(g.call("fd_renumber", b, a)).toBe(E.BADF);
    expect(g.call("fd_close", b)).toBe(0);
  });

  test("stdio fds renumbered onto a file are closed afterwards", () => {
    const g = make(kind);
    for (const from of [0, 1, 2]) {
      const [e, to] = g.open(g.root, "file.cleanup", OFlags.CREAT);
      expect(e).toBe(0);
      expect(g.call("fd_renumber", from, to)).toBe(0);
      expect(g.fdstat(to).errno).toBe(0);
      expect(g.fdstat(from).errno).not.toBe(0);
      expect(g.unlink(g.root, "file.cleanup")).toBe(0);
    }
  });

  test("path_filestat_get of dirs, files and symlinks with and without follow", () => {
    const g = make(kind);
    const F = LookupFlags.SYMLINK_FOLLOW;
    expect(g.mkdir(g.root, "subdir")).toBe(0);
    expect(g.pstat(g.root, "subdir").filetype).toBe(FileType.DIRECTORY);
    expect(g.pstat(g.root, "subdir", F).filetype).toBe(FileType.DIRECTORY);
    g.create(g.root, "subdir/file");
    expect(g.pstat(g.root, "subdir/file").filetype).toBe(FileType.REGULAR_FILE);
    expect(g.pstat(g.root, "subdir/file", F).filetype).toBe(FileType.REGULAR_FILE);
    expect(g.symlink("subdir/file", g.root, "link1")).toBe(0);
    expect(g.pstat(g.root, "link1").filetype).toBe(FileType.SYMBOLIC_LINK);
    expect(g.pstat(g.root, "link1", F).filetype).toBe(FileType.REGULAR_FILE);
    expect(g.symlink("subdir", g.root, "link2")).toBe(0);
    expect(g.pstat(g.root, "link2").filetype).toBe(FileType.SYMBOLIC_LINK);
    expect(g.pstat(g.root, "link2", F).filetype).toBe(FileType.DIRECTORY);
  });

  test("set_times on a symlink itself and through it", () => {
    const g = make(kind);
    const [e] = g.open(
      g.root,
      "file",
      OFlags.CREAT,
      Rights.FD_READ | Rights.FD_WRITE | Rights.PATH_FILESTAT_GET,
    );
    expect(e).toBe(0);
    const file = g.pstat(g.root, "file");
    expect(file.size).toBe(0n);
    expect(g.symlink("file", g.root, "symlink")).toBe(0);
    const sym = g.pstat(g.root, "symlink");
    const mtim = sym.mtim - 200n;
    const [p, pl] = g.str(0x9000, "symlink");
    expect(g.call("path_filestat_set_times", g.root, 0, p, pl, 0n, mtim, 4)).toBe(0);
    expect(g.pstat(g.root, "symlink").mtim).toBe(mtim);
    expect(g.pstat(g.root, "file").mtim).toBe(file.mtim);
    expect(g.pstat(g.root, "symlink", LookupFlags.SYMLINK_FOLLOW).mtim).toBe(file.mtim);
    expect(
      g.call("path_filestat_set_times", g.root, LookupFlags.SYMLINK_FOLLOW, p, pl, 0n, sym.mtim, 4),
    ).toBe(0);
    expect(g.pstat(g.root, "file").mtim).toBe(sym.mtim);
  });

  test("fd_filestat_set_times: MTIM with MTIM_NOW, ATIM with ATIM_NOW are EINVAL", () => {
    const g = make(kind);
    const [, fd] = g.open(g.root, "f", OFlags.CREAT, Rights.FD_READ | Rights.FD_FILESTAT_SET_TIMES);
    expect(g.call("fd_filestat_set_times", fd, 100n, 200n, 4 | 8)).toBe(E.INVAL);
    expect(g.call("fd_filestat_set_times", fd, 100n, 200n, 1 | 2)).toBe(E.INVAL);
  });

  test("readlink: exact length, untouched tail, truncation to a small buffer", () => {
    const g = make(kind);
    g.create(g.root, "target");
    expect(g.symlink("target", g.root, "symlink")).toBe(0);
    const [p, pl] = g.str(0x9000, "symlink");
    g.bytes().fill(0, 0x6000, 0x6010);
    expect(g.call("path_readlink", g.root, p, pl, 0x6000, 10, 0x300)).toBe(0);
    expect(g.u32(0x300)).toBe(6);
    expect(g.text(0x6000, 6)).toBe("target");
    expect(Array.from(g.bytes().slice(0x6006, 0x600a))).toEqual([0, 0, 0, 0]);
    expect(g.call("path_readlink", g.root, p, pl, 0x6000, 4, 0x300)).toBe(0);
    expect(g.u32(0x300)).toBe(4);
    expect(g.text(0x6000, 4)).toBe("targ");
  });

  test("symlinks to a file and a dir open when followed; an absolute target is refused", () => {
    const g = make(kind);
    g.create(g.root, "target");
    expect(g.symlink("target", g.root, "symlink")).toBe(0);
    expect(g.open(g.root, "symlink", 0, 0, 0, 0, LookupFlags.SYMLINK_FOLLOW)[0]).toBe(0);
    expect(g.unlink(g.root, "symlink")).toBe(0);
    expect(g.unlink(g.root, "target")).toBe(0);
    expect(g.mkdir(g.root, "target")).toBe(0);
    expect(g.symlink("target", g.root, "symlink")).toBe(0);
    expect(g.open(g.root, "symlink", OFlags.DIRECTORY, 0, 0, 0, LookupFlags.SYMLINK_FOLLOW)[0]).toBe(0);
    expect(g.unlink(g.root, "symlink")).toBe(0);
    expect(g.rmdir(g.root, "target")).toBe(0);
    expect(g.symlink("/", g.root, "symlink")).not.toBe(0);
  });

  test("open '.' with NONBLOCK; a missing file is ENOENT; a file as dirfd is ENOTDIR", () => {
    const g = make(kind);
    expect(g.open(g.root, ".", 0, 0, 0, FdFlags.NONBLOCK)[0]).toBe(0);
    expect(g.open(g.root, "file")[0]).toBe(E.NOENT);
    const [, fd] = g.open(g.root, "file", OFlags.CREAT);
    expect([E.NOTDIR, E.NOTCAPABLE]).toContain(g.open(fd, "foo", OFlags.CREAT)[0]);
  });

  test("files are not ttys (regular file type); stdio are character devices without seek/tell", () => {
    const g = make(kind);
    const [, fd] = g.open(g.root, "file", OFlags.CREAT);
    expect(g.fdstat(fd).filetype).toBe(FileType.REGULAR_FILE);
    for (const s of [0, 1, 2]) {
      const st = g.fdstat(s);
      expect(st.filetype).toBe(FileType.CHARACTER_DEVICE);
      expect(st.base & BigInt(Rights.FD_SEEK | Rights.FD_TELL)).toBe(0n);
    }
    expect(g.fdstat(0).base & BigInt(Rights.FD_READ)).not.toBe(0n);
    expect(g.fdstat(1).base & BigInt(Rights.FD_WRITE)).not.toBe(0n);
  });

  test("renumber over a preopen, then close it", () => {
    const g = make(kind);
    expect(g.mkdir(g.root, "d")).toBe(0);
    const [, dir] = g.open(g.root, "d", OFlags.DIRECTORY, Rights.FD_FILESTAT_GET);
    const before = g.fstat(dir);
    expect(g.call("fd_renumber", dir, 3)).toBe(0);
    const after = g.fstat(3);
    expect([after.dev, after.ino]).toEqual([before.dev, before.ino]);
    expect(g.fdstat(dir).errno).toBe(E.BADF);
    expect(g.call("fd_close", 3)).toBe(0);
  });

  test("'.' as a path: mkdir EEXIST, unlink EISDIR, rmdir of the fd's own dir refused", () => {
    const g = make(kind);
    expect(g.mkdir(g.root, ".")).toBe(E.EXIST);
    expect(g.unlink(g.root, ".")).toBe(E.ISDIR);
    expect([E.BUSY, E.INVAL, E.NOTCAPABLE]).toContain(g.rmdir(g.root, "."));
  });

  test("remove_directory of a non-empty dir is ENOTEMPTY", () => {
    const g = make(kind);
    expect(g.mkdir(g.root, "dir")).toBe(0);
    expect(g.mkdir(g.root, "dir/nested")).toBe(0);
    expect(g.rmdir(g.root, "dir")).toBe(E.NOTEMPTY);
    expect(g.rmdir(g.root, "dir/nested")).toBe(0);
    expect(g.rmdir(g.root, "dir")).toBe(0);
  });

  test("fd_advise keeps the size; fd_allocate beyond the end grows", () => {
    const g = make(kind);
    const [, fd] = g.open(
      g.root,
      "f",
      OFlags.CREAT,
      Rights.FD_READ |
        Rights.FD_WRITE |
        Rights.FD_ADVISE |
        Rights.FD_FILESTAT_GET |
        Rights.FD_FILESTAT_SET_SIZE |
        Rights.FD_ALLOCATE,
    );
    expect(g.call("fd_filestat_set_size", fd, 100n)).toBe(0);
    expect(g.call("fd_advise", fd, 10n, 50n, 0)).toBe(0);
    expect(g.fstat(fd).size).toBe(100n);
    expect(g.call("fd_allocate", fd, 100n, 100n)).toBe(0);
    expect(g.fstat(fd).size).toBe(200n);
  });

  test("a file can be unlinked and created again; so can a directory", () => {
    const g = make(kind);
    g.create(g.root, "f");
    const [, fd] = g.open(g.root, "f");
    g.call("fd_close", fd);
    expect(g.unlink(g.root, "f")).toBe(0);
    g.create(g.root, "f");
    expect(g.unlink(g.root, "f")).toBe(0);
    expect(g.mkdir(g.root, "d")).toBe(0);
    const [, dfd] = g.open(g.root, "d", OFlags.DIRECTORY);
    g.call("fd_close", dfd);
    expect(g.rmdir(g.root, "d")).toBe(0);
    expect(g.mkdir(g.root, "d")).toBe(0);
  });

  test("a write through one fd is seen at once through another", () => {
    const g = make(kind);
    const [, r] = g.open(g.root, "file", OFlags.CREAT, Rights.FD_READ);
    const [, w] = g.open(g.root, "file", 0, Rights.FD_WRITE);
    expect(g.write(w, new Uint8Array([1]))).toEqual([0, 1]);
    expect(g.read(r, 1)).toEqual([0, new Uint8Array([1])]);
  });

  test("without FD_READ inherited, a file opened with rights 0 cannot be read: EBADF", () => {
    const g = make(kind);
    g.create(g.root, "file");
    const st = g.fdstat(g.root);
    const R = BigInt(Rights.FD_READ);
    expect(g.call("fd_fdstat_set_rights", g.root, st.base & ~R, st.inheriting & ~R)).toBe(0);
    const after = g.fdstat(g.root);
    expect(after.base & R).toBe(0n);
    expect(after.inheriting & R).toBe(0n);
    const [e, fd] = g.open(g.root, "file");
    expect(e).toBe(0);
    const fst = g.fdstat(fd);
    expect(fst.base & R).toBe(0n);
    expect(fst.inheriting & R).toBe(0n);
    expect(g.read(fd, 1)[0]).toBe(E.BADF);
  });
});

describe("no filesystem needed", () => {
  const sub = (
    g: ReturnType<typeof suiteGuest>,
    at: number,
    userdata: bigint,
    tag: number,
    fdOrClock: number,
    timeout = 0n,
  ) => {
    const v = g.view();
    for (let i = 0; i < 48; i++) g.bytes()[at + i] = 0;
    v.setBigUint64(at, userdata, true);
    g.bytes()[at + 8] = tag;
    v.setUint32(at + 16, fdOrClock, true);
    if (tag === 0) v.setBigUint64(at + 24, timeout, true);
  };
  const events = (g: ReturnType<typeof suiteGuest>, at: number, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      userdata: g.view().getBigUint64(at + i * 32, true),
      error: g.view().getUint16(at + i * 32 + 8, true),
      type: g.bytes()[at + i * 32 + 10],
    }));

  test("poll_oneoff: stdin read or the clock; stdout and stderr writable at once", () => {
    const g = suiteGuest("memory");
    sub(g, 0x1000, 0x12345678n, 0, 1, 200_000_000n);
    sub(g, 0x1030, 0x876543210n, 1, 0);
    expect(g.call("poll_oneoff", 0x1000, 0x2000, 2, 0x300)).toBe(0);
    const n = g.u32(0x300);
    expect(n).toBeGreaterThanOrEqual(1);
    for (const ev of events(g, 0x2000, n)) {
      expect(ev.error).toBe(0);
      expect(ev.userdata).toBe(ev.type === 0 ? 0x12345678n : 0x876543210n);
    }
    sub(g, 0x1000, 1n, 2, 1);
    sub(g, 0x1030, 2n, 2, 2);
    sub(g, 0x1060, 0x12345678n, 0, 1, 200_000_000n);
    expect(g.call("poll_oneoff", 0x1000, 0x2000, 3, 0x300)).toBe(0);
    const got = events(g, 0x2000, g.u32(0x300));
    expect(got.map((e) => e.userdata).sort()).toEqual([1n, 2n]);
    for (const ev of got) expect([ev.type, ev.error]).toEqual([2, 0]);
  });

  test("clock_time_get with precision 0 and 1, monotonic; random_get fills 1024 bytes", () => {
    const g = suiteGuest("memory");
    expect(g.call("clock_time_get", 1, 1n, 0x300)).toBe(0);
    expect(g.call("clock_time_get", 1, 0n, 0x300)).toBe(0);
    const first = g.view().getBigUint64(0x300, true);
    expect(g.call("clock_time_get", 1, 0n, 0x300)).toBe(0);
    expect(g.view().getBigUint64(0x300, true)).toBeGreaterThanOrEqual(first);
    expect(g.call("random_get", 0x1000, 1024)).toBe(0);
    expect(
      g
        .bytes()
        .slice(0x1000, 0x1400)
        .some((b) => b !== 0),
    ).toBe(true);
    expect(g.call("sched_yield")).toBe(0);
  });

  test("environ with quotes and newlines: exactly the granted variables, NUL-terminated", () => {
    const g = guest({
      permissions: { envVars: ["a", "b", "c"] },
      env: { a: "text", b: 'escap " ing', c: "new\nline" },
    });
    expect(g.call("environ_sizes_get", 0x100, 0x104)).toBe(0);
    expect(g.u32(0x100)).toBe(3);
    const size = g.u32(0x104);
    expect(g.call("environ_get", 0x200, 0x300)).toBe(0);
    const got = [0, 1, 2].map((i) => {
      const ptr = g.u32(0x200 + i * 4);
      let end = ptr;
      while (g.bytes()[end] !== 0) end++;
      return g.text(ptr, end - ptr);
    });
    expect(got.sort()).toEqual(["a=text", 'b=escap " ing', "c=new\nline"]);
    expect(size).toBe(got.reduce((n, s) => n + new TextEncoder().encode(s).length + 1, 0));
    const none = guest();
    expect(none.call("environ_sizes_get", 0x100, 0x104)).toBe(0);
    expect([none.u32(0x100), none.u32(0x104)]).toEqual([0, 0]);
  });

  test("args: argv[0] then the call's arguments, quotes kept", () => {
    const g = guest();
    g.wasi.beginCall({ args: ["first", 'the "second" arg', "3"] });
    expect(g.call("args_sizes_get", 0x100, 0x104)).toBe(0);
    expect(g.u32(0x100)).toBe(4);
    expect(g.call("args_get", 0x200, 0x300)).toBe(0);
    const arg = (i: number) => {
      const ptr = g.u32(0x200 + i * 4);
      let end = ptr;
      while (g.bytes()[end] !== 0) end++;
      return g.text(ptr, end - ptr);
    };
    expect([1, 2, 3].map(arg)).toEqual(["first", 'the "second" arg', "3"]);
    const none = guest();
    expect(none.call("args_sizes_get", 0x100, 0x104)).toBe(0);
    expect(none.u32(0x100)).toBe(1);
  });

  test("fd_write to fd -31337 is EBADF; random_get of 0 bytes succeeds; proc_exit(33) exits 33", () => {
    const g = guest();
    expect(g.call("fd_write", -31337, 0, 0, 0x100)).toBe(E.BADF);
    expect(g.call("random_get", 0x100, 0)).toBe(0);
    expect(() => g.call("proc_exit", 33)).toThrow(expect.objectContaining({ exitCode: 33 }));
  });

  test("fd_prestat_get on stdio and unknown fds is EBADF; preopens from fd 3 in grant order", () => {
    const g = suiteGuest("host");
    for (const fd of [0, 1, 2, 4, 99]) expect(g.call("fd_prestat_get", fd, 0x100)).toBe(E.BADF);
    expect(g.call("fd_prestat_get", 3, 0x100)).toBe(0);
    expect([g.bytes()[0x100], g.u32(0x104)]).toEqual([0, 1]);
    expect(g.call("fd_prestat_dir_name", 3, 0x200, 1)).toBe(0);
    expect(g.text(0x200, 1)).toBe("/");
    rmSync(g.host, { recursive: true, force: true });
  });

  test("preopenNames: the legacy suite's relative preopen name, same capability", () => {
    const host = mkdtempSync(join(tmpdir(), "wasi-names-"));
    cleanups.push(host);
    writeFileSync(join(host, "file"), "x");
    const g = guest({
      permissions: {
        filesystem: { denyAll: false, readPaths: ["/fs-tests.dir"], writePaths: ["/fs-tests.dir"] },
      },
      mounts: { "/fs-tests.dir": host },
      preopenNames: { "/fs-tests.dir": "fs-tests.dir" },
    });
    expect(g.call("fd_prestat_get", 3, 0x100)).toBe(0);
    expect(g.u32(0x104)).toBe("fs-tests.dir".length);
    expect(g.call("fd_prestat_dir_name", 3, 0x200, 12)).toBe(0);
    expect(g.text(0x200, 12)).toBe("fs-tests.dir");
    const [p, pl] = g.str(0x300, "../x");
    expect(g.call("path_open", 3, 0, p, pl, 0, 0n, 0n, 0, 0x400)).toBe(E.NOTCAPABLE);
    const [f, fl] = g.str(0x300, "file");
    expect(g.call("path_open", 3, 0, f, fl, 0, 0n, 0n, 0, 0x400)).toBe(0);
    expect(() =>
      guest({
        permissions: { filesystem: { denyAll: false, readPaths: ["/a"] } },
        mounts: { "/a": host },
        preopenNames: { "/b": "b" },
      }),
    ).toThrow(
      expect.objectContaining({
        code: "INVALID_ARGUMENT",
        context: expect.objectContaining({ option: "preopenNames" }),
      }),
    );
    expect(() =>
      guest({
        permissions: { filesystem: { denyAll: false, readPaths: ["/a"] } },
        mounts: { "/a": host },
        preopenNames: { "/a": "" },
      }),
    ).toThrow(/unusable name/);
  });
});
