// Behaviours the independent WebAssembly/wasi-testsuite (wasm32-wasip1) checks, one test per behaviour,
// written from reading its programs; errno alternatives follow the suite's assert_errno (unix mode).
import { rmSync } from "node:fs";
import { afterEach, describe, expect, test } from "vitest";
import { Errno, FdFlags, FileType, LookupFlags, OFlags, Rights, Whence } from "../src/constants.js";
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
});
