import { Errno, FdFlags, IOV_MAX, Rights, SIZE, Whence } from "./constants.js";
import { ErrnoError, fail } from "./errno.js";
import type { FileEntry } from "./fd-table.js";
import type { WasiHost } from "./host.js";

const R = Rights;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Checks an iovec array: EINVAL beyond IOV_MAX (so a hostile count cannot stall the host), EFAULT when the
 * array or any buffer it names lies outside memory. Returns the total length.
 */
export function checkIovecs(host: WasiHost, ptr: number, count: number): number {
  if (count > IOV_MAX) fail(Errno.INVAL);
  const mem = host.memory;
  mem.check(ptr, count * SIZE.IOVEC);
  const view = mem.view;
  let total = 0;
  for (let i = 0; i < count; i++) {
    const base = ptr + i * SIZE.IOVEC;
    const buf = view.getUint32(base, true);
    const len = view.getUint32(base + 4, true);
    mem.check(buf, len);
    total += len;
  }
  return total;
}

export function offsetOf(value: bigint): number {
  if (value < 0n) fail(Errno.INVAL);
  if (value > SAFE) fail(Errno.FBIG);
  return Number(value);
}

function fileEntry(host: WasiHost, fn: string, fd: number, rights: number): FileEntry {
  const entry = host.withRights(fn, fd, rights);
  if (entry.kind === "dir") fail(Errno.ISDIR);
  if (entry.kind === "stdio") fail(Errno.SPIPE);
  return entry;
}

/** fd_seek / fd_tell: a file entry holding `right` (stdio is ESPIPE, a directory EBADF, checked first). */
function seekableEntry(host: WasiHost, fn: "fd_seek" | "fd_tell", fd: number, right: number): FileEntry {
  const entry = host.entry(fd);
  if (entry.kind === "stdio") fail(Errno.SPIPE);
  if (entry.kind === "dir") fail(Errno.BADF);
  if ((entry.rights & right) === 0) host.deny(fn, "fd rights", Errno.NOTCAPABLE);
  return entry;
}

/**
 * Runs `step(buf, len, done)` over the (checked) iovecs in order until one moves fewer bytes than its
 * length. An error after some bytes moved ends the transfer with what moved (POSIX partial I/O); before
 * that it propagates.
 */
function eachIovec(
  host: WasiHost,
  iovs: number,
  count: number,
  step: (buf: number, len: number, done: number) => number,
): number {
  const view = host.memory.view;
  let total = 0;
  for (let i = 0; i < count; i++) {
    const buf = view.getUint32(iovs + i * SIZE.IOVEC, true);
    const len = view.getUint32(iovs + i * SIZE.IOVEC + 4, true);
    if (len === 0) continue;
    let n: number;
    try {
      n = step(buf, len, total);
    } catch (error) {
      if (total > 0) break;
      throw error;
    }
    total += n;
    if (n < len) break;
  }
  return total;
}

/** Reads into the guest's iovecs from `entry` at `position`; stops at a short read or the read budget. */
function readFile(
  host: WasiHost,
  fn: string,
  entry: FileEntry,
  iovs: number,
  count: number,
  position: number,
): number {
  const wanted = checkIovecs(host, iovs, count);
  const { bytes } = host.memory;
  // Several buffers and budget to spare (wasi-libc's stdio reads into two): one readv instead of a loop.
  if (count > 1 && entry.file.readv !== undefined && host.readBudget(fn, wanted) === wanted) {
    const n = entry.file.readv(gather(host, iovs, count), position);
    host.usage.bytesRead += n;
    return n;
  }
  return eachIovec(host, iovs, count, (buf, len, done) => {
    const n = entry.file.read(bytes, buf, host.readBudget(fn, len), position + done);
    host.usage.bytesRead += n;
    return n;
  });
}

/** Writes the guest's iovecs to `entry` at `position`; a partial write returns what got written. */
function writeFile(
  host: WasiHost,
  fn: string,
  entry: FileEntry,
  iovs: number,
  count: number,
  position: number,
): number {
  const wanted = checkIovecs(host, iovs, count);
  const { bytes } = host.memory;
  // Several buffers, within every limit: one writev. Otherwise the loop below finds where a limit cuts in.
  if (
    count > 1 &&
    entry.file.writev !== undefined &&
    host.writeBudget(fn, wanted) === wanted &&
    position + wanted <= host.permissions.filesystem.maxFileSize
  ) {
    const n = entry.file.writev(gather(host, iovs, count), position);
    host.usage.bytesWritten += n;
    syncIfAsked(entry, n);
    return n;
  }
  const total = eachIovec(host, iovs, count, (buf, len, done) => {
    let n: number;
    try {
      n = entry.file.write(bytes, buf, host.writeBudget(fn, len), position + done);
    } catch (error) {
      // Only reached before any byte moved: name the limit that stopped the write.
      if (error instanceof ErrnoError && error.errno === Errno.FBIG) {
        host.exhausted(fn, "permissions.filesystem.maxFileSize", Errno.FBIG);
      }
      if (error instanceof ErrnoError && error.errno === Errno.NOSPC) {
        host.exhausted(fn, "tempDirMaxBytes", Errno.NOSPC);
      }
      throw error;
    }
    host.usage.bytesWritten += n;
    return n;
  });
  syncIfAsked(entry, total);
  return total;
}

function syncIfAsked(entry: FileEntry, written: number): void {
  if (written > 0 && (entry.flags & (FdFlags.SYNC | FdFlags.DSYNC | FdFlags.RSYNC)) !== 0) entry.file.sync();
}

/** Views of the guest buffers an (already checked) iovec array names. */
function gather(host: WasiHost, iovs: number, count: number): Uint8Array[] {
  const { bytes, view } = host.memory;
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const buf = view.getUint32(iovs + i * SIZE.IOVEC, true);
    out.push(bytes.subarray(buf, buf + view.getUint32(iovs + i * SIZE.IOVEC + 4, true)));
  }
  return out;
}

/** fd_read, fd_write, fd_pread, fd_pwrite, fd_seek, fd_tell: the data path, kept lean for speed. */
export function ioImports(host: WasiHost) {
  const mem = host.memory;
  /** fd_pread / fd_pwrite: at an explicit offset, leaving the position alone. */
  const positional = (
    fn: "fd_pread" | "fd_pwrite",
    fd: number,
    iovsPtr: number,
    iovsLen: number,
    offset: bigint,
    donePtr: number,
  ): number => {
    const write = fn === "fd_pwrite";
    host.require(fn, write ? "filesystem-write" : "filesystem");
    const entry = fileEntry(host, fn, fd, (write ? R.FD_WRITE : R.FD_READ) | R.FD_SEEK);
    mem.check(donePtr, 4);
    const transfer = write ? writeFile : readFile;
    mem.setU32(donePtr, transfer(host, fn, entry, iovsPtr, iovsLen, offsetOf(offset)));
    return Errno.SUCCESS;
  };
  return {
    fd_read(fd: number, iovsPtr: number, iovsLen: number, nreadPtr: number): number {
      if (host.fds.get(fd)?.kind === "dir") fail(Errno.ISDIR);
      // Not open for reading is EBADF, as POSIX read(2) and wasmtime say (the suite accepts only that).
      const entry = host.withRights("fd_read", fd, R.FD_READ, Errno.BADF);
      mem.check(nreadPtr, 4);
      let total = 0;
      if (entry.kind === "stdio") {
        checkIovecs(host, iovsPtr, iovsLen);
        total = eachIovec(host, iovsPtr, iovsLen, (buf, len) => {
          const left = host.stdin.length - host.stdinPosition;
          if (left <= 0) return 0;
          const n = host.readBudget("fd_read", Math.min(left, len));
          mem.bytes.set(host.stdin.subarray(host.stdinPosition, host.stdinPosition + n), buf);
          host.stdinPosition += n;
          host.usage.bytesRead += n;
          return n;
        });
      } else if (entry.kind === "dir") {
        fail(Errno.ISDIR);
      } else {
        total = readFile(host, "fd_read", entry, iovsPtr, iovsLen, entry.position);
        entry.position += total;
      }
      mem.setU32(nreadPtr, total);
      return Errno.SUCCESS;
    },

    fd_write(fd: number, iovsPtr: number, iovsLen: number, nwrittenPtr: number): number {
      if (host.fds.get(fd)?.kind === "dir") fail(Errno.ISDIR);
      const entry = host.withRights("fd_write", fd, R.FD_WRITE, Errno.BADF);
      mem.check(nwrittenPtr, 4);
      let total = 0;
      if (entry.kind === "stdio") {
        if (entry.stream === 0) fail(Errno.BADF);
        checkIovecs(host, iovsPtr, iovsLen);
        for (let i = 0; i < iovsLen; i++) {
          const buf = mem.view.getUint32(iovsPtr + i * SIZE.IOVEC, true);
          const len = mem.view.getUint32(iovsPtr + i * SIZE.IOVEC + 4, true);
          host.output(entry.stream, mem.bytes.subarray(buf, buf + len));
          total += len;
        }
      } else if (entry.kind === "dir") {
        fail(Errno.ISDIR);
      } else {
        const append = (entry.flags & FdFlags.APPEND) !== 0;
        const position = append ? entry.file.size() : entry.position;
        total = writeFile(host, "fd_write", entry, iovsPtr, iovsLen, position);
        entry.position = position + total;
      }
      mem.setU32(nwrittenPtr, total);
      return Errno.SUCCESS;
    },

    fd_pread: (fd: number, iovsPtr: number, iovsLen: number, offset: bigint, nreadPtr: number): number =>
      positional("fd_pread", fd, iovsPtr, iovsLen, offset, nreadPtr),

    fd_pwrite: (fd: number, iovsPtr: number, iovsLen: number, offset: bigint, nwrittenPtr: number): number =>
      positional("fd_pwrite", fd, iovsPtr, iovsLen, offset, nwrittenPtr),

    fd_seek(fd: number, offset: bigint, whence: number, newOffsetPtr: number): number {
      // seek(fd, 0, CUR) only asks where the cursor is: FD_TELL is enough for it.
      const right = offset === 0n && whence === Whence.CUR ? R.FD_TELL : R.FD_SEEK;
      const entry = seekableEntry(host, "fd_seek", fd, right);
      mem.check(newOffsetPtr, 8);
      let base: bigint;
      if (whence === Whence.SET) base = 0n;
      else if (whence === Whence.CUR) base = BigInt(entry.position);
      else if (whence === Whence.END) base = BigInt(entry.file.size());
      else return fail(Errno.INVAL);
      const next = base + offset;
      if (next < 0n) fail(Errno.INVAL);
      if (next > SAFE) fail(Errno.OVERFLOW);
      entry.position = Number(next);
      mem.setU64(newOffsetPtr, next);
      return Errno.SUCCESS;
    },

    fd_tell(fd: number, offsetPtr: number): number {
      const entry = seekableEntry(host, "fd_tell", fd, R.FD_TELL);
      mem.setU64(offsetPtr, entry.position);
      return Errno.SUCCESS;
    },
  };
}
