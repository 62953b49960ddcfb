import { Errno, FdFlags, FileType, PreopenType, Rights } from "./constants.js";
import { fail } from "./errno.js";
import type { WasiHost } from "./host.js";
import { offsetOf } from "./io-imports.js";
import { requestedTimes, STDIO_STAT, writeFilestat } from "./stat.js";

const R = Rights;
const encoder = new TextEncoder();
const MAX_FDFLAGS = 31;

/** The descriptor functions other than the data path (fd_read/fd_write/... live in io-imports). */
export function fdImports(host: WasiHost) {
  const mem = host.memory;
  const now = () => host.clock.now(0);

  return {
    fd_advise(fd: number, offset: bigint, len: bigint, advice: number): number {
      const entry = host.withRights("fd_advise", fd, R.FD_ADVISE);
      if (entry.kind === "dir") fail(Errno.BADF);
      if (entry.kind === "stdio") fail(Errno.SPIPE);
      offsetOf(offset);
      offsetOf(len);
      if (advice > 5) fail(Errno.INVAL);
      // Advice is a hint about access patterns; with no page cache of our own there is nothing to tune.
      return Errno.SUCCESS;
    },

    fd_allocate(fd: number, offset: bigint, len: bigint): number {
      host.require("fd_allocate", "filesystem-write");
      const entry = host.withRights("fd_allocate", fd, R.FD_ALLOCATE);
      if (entry.kind !== "file") fail(entry.kind === "dir" ? Errno.ISDIR : Errno.SPIPE);
      const end = offsetOf(offset) + offsetOf(len);
      if (end > host.permissions.filesystem.maxFileSize) {
        host.exhausted("fd_allocate", "permissions.filesystem.maxFileSize", Errno.FBIG);
      }
      if (end > entry.file.size()) entry.file.truncate(end);
      return Errno.SUCCESS;
    },

    fd_close(fd: number): number {
      const entry = host.entry(fd);
      if (entry.kind === "file") {
        entry.file.close();
        host.fds.opened--;
      } else if (entry.kind === "dir" && entry.preopen === undefined) {
        host.fds.opened--;
      }
      host.fds.delete(fd);
      return Errno.SUCCESS;
    },

    fd_datasync(fd: number): number {
      const entry = host.withRights("fd_datasync", fd, R.FD_DATASYNC);
      if (entry.kind === "stdio") fail(Errno.INVAL);
      if (entry.kind === "file") entry.file.datasync();
      return Errno.SUCCESS;
    },

    fd_sync(fd: number): number {
      const entry = host.withRights("fd_sync", fd, R.FD_SYNC);
      if (entry.kind === "stdio") fail(Errno.INVAL);
      if (entry.kind === "file") entry.file.sync();
      return Errno.SUCCESS;
    },

    fd_fdstat_get(fd: number, ptr: number): number {
      const entry = host.entry(fd);
      mem.check(ptr, 24);
      const filetype =
        entry.kind === "stdio"
          ? FileType.CHARACTER_DEVICE
          : entry.kind === "dir"
            ? FileType.DIRECTORY
            : FileType.REGULAR_FILE; // backends open nothing else
      const v = mem.view;
      v.setUint8(ptr, filetype);
      v.setUint8(ptr + 1, 0);
      v.setUint16(ptr + 2, entry.flags, true);
      v.setUint32(ptr + 4, 0, true);
      v.setBigUint64(ptr + 8, BigInt(entry.rights), true);
      v.setBigUint64(ptr + 16, BigInt(entry.inheriting), true);
      return Errno.SUCCESS;
    },

    fd_fdstat_set_flags(fd: number, flags: number): number {
      const entry = host.withRights("fd_fdstat_set_flags", fd, R.FD_FDSTAT_SET_FLAGS);
      if (flags > MAX_FDFLAGS) fail(Errno.INVAL);
      if (entry.kind === "dir" && (flags & FdFlags.APPEND) !== 0) fail(Errno.ISDIR);
      entry.flags = flags;
      return Errno.SUCCESS;
    },

    fd_fdstat_set_rights(fd: number, base: bigint, inheriting: bigint): number {
      const entry = host.entry(fd);
      const b = Number(BigInt.asUintN(30, base));
      const i = Number(BigInt.asUintN(30, inheriting));
      if (
        base >> 30n !== 0n ||
        inheriting >> 30n !== 0n ||
        (b & ~entry.rights) !== 0 ||
        (i & ~entry.inheriting) !== 0
      ) {
        host.deny("fd_fdstat_set_rights", "fd rights (rights can only be dropped)", Errno.NOTCAPABLE);
      }
      entry.rights = b;
      entry.inheriting = i;
      return Errno.SUCCESS;
    },

    fd_filestat_get(fd: number, ptr: number): number {
      const entry = host.withRights("fd_filestat_get", fd, R.FD_FILESTAT_GET);
      const stat =
        entry.kind === "stdio"
          ? STDIO_STAT
          : entry.kind === "file"
            ? entry.file.stat()
            : entry.backend.lstat(entry.parts);
      writeFilestat(mem, ptr, stat);
      return Errno.SUCCESS;
    },

    fd_filestat_set_size(fd: number, size: bigint): number {
      host.require("fd_filestat_set_size", "filesystem-write");
      const entry = host.withRights("fd_filestat_set_size", fd, R.FD_FILESTAT_SET_SIZE);
      if (entry.kind !== "file") fail(entry.kind === "dir" ? Errno.ISDIR : Errno.INVAL);
      const n = offsetOf(size);
      if (n > host.permissions.filesystem.maxFileSize) {
        host.exhausted("fd_filestat_set_size", "permissions.filesystem.maxFileSize", Errno.FBIG);
      }
      entry.file.truncate(n);
      return Errno.SUCCESS;
    },

    fd_filestat_set_times(fd: number, atim: bigint, mtim: bigint, flags: number): number {
      host.require("fd_filestat_set_times", "filesystem-write");
      const entry = host.withRights("fd_filestat_set_times", fd, R.FD_FILESTAT_SET_TIMES);
      const [a, m] = requestedTimes(atim, mtim, flags, now);
      if (entry.kind === "stdio") fail(Errno.BADF);
      if (entry.kind === "file") entry.file.setTimes(a, m);
      else entry.backend.setTimes(entry.parts, a, m);
      return Errno.SUCCESS;
    },

    fd_prestat_get(fd: number, ptr: number): number {
      const entry = host.entry(fd);
      if (entry.kind !== "dir" || entry.preopen === undefined) fail(Errno.BADF);
      mem.check(ptr, 8);
      mem.setU32(ptr, PreopenType.DIR);
      mem.setU32(ptr + 4, encoder.encode(entry.preopen).length);
      return Errno.SUCCESS;
    },

    fd_prestat_dir_name(fd: number, pathPtr: number, pathLen: number): number {
      const entry = host.entry(fd);
      if (entry.kind !== "dir" || entry.preopen === undefined) fail(Errno.BADF);
      const name = encoder.encode(entry.preopen);
      mem.check(pathPtr, pathLen);
      if (pathLen < name.length) fail(Errno.NAMETOOLONG);
      mem.write(pathPtr, name);
      return Errno.SUCCESS;
    },

    fd_renumber(from: number, to: number): number {
      const entry = host.entry(from);
      const target = host.entry(to);
      if (from === to) return Errno.SUCCESS;
      if (target.kind === "file") target.file.close();
      if (target.kind === "file" || (target.kind === "dir" && target.preopen === undefined))
        host.fds.opened--;
      host.fds.set(to, entry);
      host.fds.delete(from);
      return Errno.SUCCESS;
    },
  };
}
