import {
  DIR_RIGHTS,
  Errno,
  FILE_RIGHTS,
  FileType,
  LookupFlags,
  OFlags,
  Rights,
  SIZE,
  WRITE_RIGHTS,
} from "./constants.js";
import { fail } from "./errno.js";
import type { DirEntryFd } from "./fd-table.js";
import type { WasiHost } from "./host.js";
import type { Capability } from "./policy.js";
import { copyDirents } from "./readdir.js";
import { requestedTimes, writeFilestat } from "./stat.js";
import { type Resolved, resolvePath, symlinkStaysInside } from "./vfs/resolve.js";

const R = Rights;
const encoder = new TextEncoder();
/** Rights that make the host open a file for writing. */
const OPEN_FOR_WRITE = R.FD_WRITE | R.FD_ALLOCATE | R.FD_FILESTAT_SET_SIZE;

/** path_* functions and fd_readdir: everything that names files. */
export function pathImports(host: WasiHost) {
  const mem = host.memory;
  const now = () => host.clock.now(0);

  /** The directory fd with `rights`, once the permissions grant `capability` (when given). */
  const dir = (fn: string, fd: number, rights: number, capability?: Capability): DirEntryFd => {
    if (capability !== undefined) host.require(fn, capability);
    const entry = host.withRights(fn, fd, rights);
    if (entry.kind !== "dir") fail(Errno.NOTDIR);
    return entry;
  };
  const resolveFull = (
    fn: string,
    entry: DirEntryFd,
    ptr: number,
    len: number,
    follow: boolean,
  ): Resolved => {
    const path = mem.string(ptr, len);
    return resolvePath(entry.backend, entry.parts, path, follow, (reason) =>
      host.securityEvent(fn, `paths inside the directory (${reason})`),
    );
  };
  const resolve = (fn: string, entry: DirEntryFd, ptr: number, len: number, follow: boolean): string[] =>
    resolveFull(fn, entry, ptr, len, follow).parts;
  const follows = (flags: number) => (flags & LookupFlags.SYMLINK_FOLLOW) !== 0;
  /** path_link and path_rename: a source and a target path, each under its own directory fd, one backend. */
  const twoPaths = (
    fn: "path_link" | "path_rename",
    [fromFd, fromRight, fromPtr, fromLen, followFrom]: [number, number, number, number, boolean],
    [toFd, toRight, toPtr, toLen]: [number, number, number, number],
  ) => {
    host.require(fn, "filesystem-write");
    const from = dir(fn, fromFd, fromRight);
    const to = dir(fn, toFd, toRight);
    const source = resolve(fn, from, fromPtr, fromLen, followFrom);
    const target = resolve(fn, to, toPtr, toLen, false);
    if (from.backend !== to.backend) fail(Errno.XDEV);
    return { backend: to.backend, source, target, from, to };
  };

  return {
    path_open(
      fd: number,
      dirflags: number,
      pathPtr: number,
      pathLen: number,
      oflags: number,
      rightsBase: bigint,
      rightsInheriting: bigint,
      fdflags: number,
      fdPtr: number,
    ): number {
      const parent = dir("path_open", fd, R.PATH_OPEN, "filesystem");
      mem.check(fdPtr, 4);
      if ((oflags & ~15) !== 0 || fdflags > 31) fail(Errno.INVAL);
      const create = (oflags & OFlags.CREAT) !== 0;
      const directory = (oflags & OFlags.DIRECTORY) !== 0;
      const truncate = (oflags & OFlags.TRUNC) !== 0;
      if (create && directory) fail(Errno.INVAL);
      const base = Number(BigInt.asUintN(30, rightsBase));
      const inheriting = Number(BigInt.asUintN(30, rightsInheriting));
      // A read-only directory cannot hand out write rights, however they are asked for.
      if ((base & WRITE_RIGHTS & ~parent.inheriting) !== 0)
        host.deny("path_open", "write rights (writePaths)", Errno.NOTCAPABLE);
      if (create && (parent.rights & R.PATH_CREATE_FILE) === 0) {
        host.deny("path_open", "create files (writePaths)", Errno.NOTCAPABLE);
      }
      if (truncate && (parent.rights & R.PATH_FILESTAT_SET_SIZE) === 0) {
        host.deny("path_open", "truncate files (writePaths)", Errno.NOTCAPABLE);
      }
      const rights = base & parent.inheriting;
      const write = (rights & OPEN_FOR_WRITE) !== 0;
      if (host.fds.opened >= host.limits.maxOpenFiles)
        host.exhausted("path_open", "limits.maxOpenFiles", Errno.MFILE);
      const { parts, stat } = resolveFull("path_open", parent, pathPtr, pathLen, follows(dirflags));
      const opened = parent.backend.open(parts, stat, {
        create,
        exclusive: (oflags & OFlags.EXCL) !== 0,
        truncate,
        directory,
        read: (rights & (R.FD_READ | R.FD_READDIR)) !== 0 || !write,
        write,
      });
      const childInheriting = inheriting & parent.inheriting;
      const newFd =
        opened === "directory"
          ? host.fds.add({
              kind: "dir",
              backend: parent.backend,
              parts,
              rights: rights & DIR_RIGHTS,
              inheriting: childInheriting,
              flags: fdflags,
              preopen: undefined,
              listing: undefined,
            })
          : host.fds.add({
              kind: "file",
              backend: parent.backend,
              file: opened,
              position: 0,
              rights: rights & FILE_RIGHTS,
              inheriting: childInheriting & FILE_RIGHTS,
              flags: fdflags,
            });
      host.fds.opened++;
      host.usage.filesOpened++;
      mem.setU32(fdPtr, newFd);
      return Errno.SUCCESS;
    },

    fd_readdir(fd: number, buf: number, bufLen: number, cookie: bigint, bufusedPtr: number): number {
      const entry = dir("fd_readdir", fd, R.FD_READDIR, "filesystem");
      mem.check(buf, bufLen);
      mem.check(bufusedPtr, 4);
      if (cookie === 0n || entry.listing === undefined) entry.listing = entry.backend.readdir(entry.parts);
      const inode = (name: string) => entry.backend.inode(entry.parts, name);
      mem.setU32(bufusedPtr, copyDirents(entry.listing, mem.view, mem.bytes, buf, bufLen, cookie, inode));
      return Errno.SUCCESS;
    },

    path_create_directory(fd: number, pathPtr: number, pathLen: number): number {
      const entry = dir("path_create_directory", fd, R.PATH_CREATE_DIRECTORY, "filesystem-write");
      entry.backend.mkdir(resolve("path_create_directory", entry, pathPtr, pathLen, false));
      return Errno.SUCCESS;
    },

    path_filestat_get(fd: number, flags: number, pathPtr: number, pathLen: number, ptr: number): number {
      const entry = dir("path_filestat_get", fd, R.PATH_FILESTAT_GET, "filesystem");
      mem.check(ptr, SIZE.FILESTAT);
      const { parts, stat } = resolveFull("path_filestat_get", entry, pathPtr, pathLen, follows(flags));
      writeFilestat(mem, ptr, stat ?? entry.backend.lstat(parts));
      return Errno.SUCCESS;
    },

    path_filestat_set_times(
      fd: number,
      flags: number,
      pathPtr: number,
      pathLen: number,
      atim: bigint,
      mtim: bigint,
      fstflags: number,
    ): number {
      const entry = dir("path_filestat_set_times", fd, R.PATH_FILESTAT_SET_TIMES, "filesystem-write");
      const [a, m] = requestedTimes(atim, mtim, fstflags, now);
      const parts = resolve("path_filestat_set_times", entry, pathPtr, pathLen, follows(flags));
      entry.backend.lstat(parts);
      entry.backend.setTimes(parts, a, m);
      return Errno.SUCCESS;
    },

    path_link(
      oldFd: number,
      oldFlags: number,
      oldPtr: number,
      oldLen: number,
      newFd: number,
      newPtr: number,
      newLen: number,
    ): number {
      const { backend, source, target } = twoPaths(
        "path_link",
        [oldFd, R.PATH_LINK_SOURCE, oldPtr, oldLen, follows(oldFlags)],
        [newFd, R.PATH_LINK_TARGET, newPtr, newLen],
      );
      // A new hard link is never a directory: "name/" is ENOENT when absent, EEXIST when present (Linux).
      if (mem.string(newPtr, newLen).endsWith("/"))
        fail(backend.tryLstat(target) === null ? Errno.NOENT : Errno.EXIST);
      backend.link(source, target);
      return Errno.SUCCESS;
    },

    path_readlink(
      fd: number,
      pathPtr: number,
      pathLen: number,
      buf: number,
      bufLen: number,
      usedPtr: number,
    ): number {
      const entry = dir("path_readlink", fd, R.PATH_READLINK, "filesystem");
      mem.check(buf, bufLen);
      mem.check(usedPtr, 4);
      const target = encoder.encode(
        entry.backend.readlink(resolve("path_readlink", entry, pathPtr, pathLen, false)),
      );
      const n = Math.min(target.length, bufLen);
      mem.write(buf, target.subarray(0, n));
      mem.setU32(usedPtr, n);
      return Errno.SUCCESS;
    },

    path_remove_directory(fd: number, pathPtr: number, pathLen: number): number {
      const entry = dir("path_remove_directory", fd, R.PATH_REMOVE_DIRECTORY, "filesystem-write");
      const parts = resolve("path_remove_directory", entry, pathPtr, pathLen, false);
      if (parts.length <= entry.parts.length) fail(Errno.BUSY);
      if (entry.backend.lstat(parts).filetype !== FileType.DIRECTORY) fail(Errno.NOTDIR);
      entry.backend.rmdir(parts);
      return Errno.SUCCESS;
    },

    path_rename(
      fd: number,
      oldPtr: number,
      oldLen: number,
      newFd: number,
      newPtr: number,
      newLen: number,
    ): number {
      const { backend, source, target, from, to } = twoPaths(
        "path_rename",
        [fd, R.PATH_RENAME_SOURCE, oldPtr, oldLen, false],
        [newFd, R.PATH_RENAME_TARGET, newPtr, newLen],
      );
      if (source.length <= from.parts.length || target.length <= to.parts.length) fail(Errno.BUSY);
      backend.rename(source, target);
      return Errno.SUCCESS;
    },

    path_symlink(oldPtr: number, oldLen: number, fd: number, newPtr: number, newLen: number): number {
      const entry = dir("path_symlink", fd, R.PATH_SYMLINK, "filesystem-write");
      const target = mem.string(oldPtr, oldLen);
      const { parts, stat } = resolveFull("path_symlink", entry, newPtr, newLen, false);
      // A link is never a directory: "name/" is ENOENT when absent and EEXIST when present (as Linux says).
      if (mem.string(newPtr, newLen).endsWith("/")) fail(stat === null ? Errno.NOENT : Errno.EXIST);
      // A link the sandbox would refuse to follow is refused outright: it could mislead the host later.
      if (!symlinkStaysInside(parts.length - 1 - entry.parts.length, target)) {
        host.deny("path_symlink", `symlink target inside the directory (got "${target}")`, Errno.NOTCAPABLE);
      }
      entry.backend.symlink(target, parts);
      return Errno.SUCCESS;
    },

    path_unlink_file(fd: number, pathPtr: number, pathLen: number): number {
      const entry = dir("path_unlink_file", fd, R.PATH_UNLINK_FILE, "filesystem-write");
      const path = mem.string(pathPtr, pathLen);
      const parts = resolve("path_unlink_file", entry, pathPtr, pathLen, false);
      if (path.endsWith("/"))
        fail(entry.backend.lstat(parts).filetype === FileType.DIRECTORY ? Errno.ISDIR : Errno.NOTDIR);
      entry.backend.unlink(parts);
      return Errno.SUCCESS;
    },
  };
}
