import * as fs from "node:fs";
import { Errno, FileType } from "../constants.js";
import { fail } from "../errno.js";
import { DirInodes } from "./dir-inodes.js";
import { TimeOverlay } from "./host-times.js";
import type { Backend, DirEntry, OpenFile, OpenRequest, Stat } from "./types.js";

const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_NOFOLLOW, O_NONBLOCK } = fs.constants;
/** Linux exposes each open fd's real path: used to re-check after open that nothing raced us outside. */
const PROC_FD = fs.existsSync("/proc/self/fd") ? "/proc/self/fd/" : undefined;

export function fileTypeOf(stats: fs.BigIntStats | fs.Dirent): FileType {
  if (stats.isFile()) return FileType.REGULAR_FILE;
  if (stats.isDirectory()) return FileType.DIRECTORY;
  if (stats.isSymbolicLink()) return FileType.SYMBOLIC_LINK;
  if (stats.isCharacterDevice()) return FileType.CHARACTER_DEVICE;
  if (stats.isBlockDevice()) return FileType.BLOCK_DEVICE;
  if (stats.isSocket()) return FileType.SOCKET_STREAM;
  return FileType.UNKNOWN;
}

function toStat(s: fs.BigIntStats): Stat {
  return {
    dev: s.dev,
    ino: s.ino,
    filetype: fileTypeOf(s),
    nlink: s.nlink,
    size: s.size,
    atim: s.atimeNs,
    mtim: s.mtimeNs,
    ctim: s.ctimeNs,
  };
}

export interface HostBackendOptions {
  /** The host directory (already checked to exist; symlinks in it are resolved once here). */
  root: string;
  readOnly: boolean;
  maxFileSize: number;
  /** See DirInodes (tests shorten it). */
  inodeReuseAfterMs?: number;
}

/**
 * A host directory. Paths come in resolved (see resolvePath: no "..", symlinks already expanded), so a
 * host path is always root + components. Opens use O_NOFOLLOW, and after opening the file is checked again
 * (same inode as the lstat during resolution, real path still under the root) to catch a swap by another
 * host process between check and use.
 */
export class HostBackend implements Backend {
  readonly readOnly: boolean;
  readonly root: string;
  readonly #maxFileSize: number;
  readonly #times = new TimeOverlay();
  readonly #inodes: DirInodes;

  constructor(options: HostBackendOptions) {
    this.root = fs.realpathSync(options.root);
    this.readOnly = options.readOnly;
    this.#maxFileSize = options.maxFileSize;
    this.#inodes = new DirInodes(options.inodeReuseAfterMs);
  }

  path(parts: readonly string[]): string {
    return parts.length === 0 ? this.root : `${this.root}/${parts.join("/")}`;
  }

  #writable(): void {
    if (this.readOnly) fail(Errno.ROFS);
  }

  lstat(parts: readonly string[]): Stat {
    return this.#times.apply(toStat(fs.lstatSync(this.path(parts), { bigint: true })));
  }

  tryLstat(parts: readonly string[]): Stat | null {
    const stats = fs.lstatSync(this.path(parts), { bigint: true, throwIfNoEntry: false });
    return stats === undefined ? null : this.#times.apply(toStat(stats));
  }

  readlink(parts: readonly string[]): string {
    return fs.readlinkSync(this.path(parts), "utf8");
  }

  open(
    parts: readonly string[],
    known: Stat | null | undefined,
    request: OpenRequest,
  ): OpenFile | "directory" {
    const path = this.path(parts);
    const before = known === undefined ? this.tryLstat(parts) : known;
    if (before === null) {
      if (!request.create) fail(Errno.NOENT);
      if (request.directory) fail(Errno.INVAL);
      this.#writable();
    } else {
      if (request.create && request.exclusive) fail(Errno.EXIST);
      if (before.filetype === FileType.SYMBOLIC_LINK) fail(Errno.LOOP);
      if (before.filetype === FileType.DIRECTORY) {
        if (request.write || request.truncate) fail(Errno.ISDIR);
        return "directory";
      }
      if (request.directory) fail(Errno.NOTDIR);
      // FIFOs, sockets and devices could block the host or reach outside the mount: regular files only.
      if (before.filetype !== FileType.REGULAR_FILE) fail(Errno.NOTSUP);
      if (request.write || request.truncate) this.#writable();
    }
    // O_NONBLOCK: should a FIFO appear between the check and the open, the open cannot block the host.
    let flags = O_NOFOLLOW | O_NONBLOCK | (request.write ? (request.read ? O_RDWR : O_WRONLY) : O_RDONLY);
    if (before === null) flags |= O_CREAT | O_EXCL;
    if (request.truncate) flags |= O_TRUNC;
    const fd = fs.openSync(path, flags, 0o644);
    try {
      const after = fs.fstatSync(fd, { bigint: true });
      const swapped =
        before === null ? !after.isFile() : after.ino !== before.ino || after.dev !== before.dev;
      // The inode check covers the last component. Directories on the way were checked one by one during
      // resolution, so another process could have swapped one for a symlink since: re-check the real path
      // (a file directly under the root, a realpath fixed at creation, has no such directory).
      if (swapped || (parts.length > 1 && !this.#inside(fd))) fail(Errno.NOTCAPABLE);
    } catch (error) {
      fs.closeSync(fd);
      throw error;
    }
    return new HostFile(fd, this.#maxFileSize, this.#times);
  }

  #inside(fd: number): boolean {
    if (PROC_FD === undefined) return true;
    const real = fs.readlinkSync(PROC_FD + fd);
    return real === this.root || real.startsWith(this.root.endsWith("/") ? this.root : `${this.root}/`);
  }

  /**
   * Resolution checked each directory on the way, but another host process could have swapped one for a
   * symlink since: before acting on a path, its directory's real path must still be under the root. (A
   * window remains between this check and the operation; node:fs has no *at() calls to close it.)
   */
  #confined(dirParts: readonly string[]): void {
    if (dirParts.length === 0) return;
    const real = fs.realpathSync.native(this.path(dirParts));
    if (real !== this.root && !real.startsWith(this.root.endsWith("/") ? this.root : `${this.root}/`)) {
      fail(Errno.NOTCAPABLE);
    }
  }
  #confinedParent(parts: readonly string[]): void {
    this.#confined(parts.slice(0, -1));
  }

  /**
   * The listing, with the inodes DirInodes still knows; the rest are looked up (`inode`) only for the
   * entries fd_readdir actually writes, as node:fs does not pass on the inodes readdir gets.
   */
  readdir(parts: readonly string[]): DirEntry[] {
    this.#confined(parts);
    const path = this.path(parts);
    const known = this.#inodes.begin(path);
    const entries: DirEntry[] = [
      { name: ".", ino: known?.get("."), filetype: FileType.DIRECTORY },
      { name: "..", ino: known?.get(".."), filetype: FileType.DIRECTORY },
    ];
    for (const dirent of fs.readdirSync(path, { withFileTypes: true })) {
      entries.push({ name: dirent.name, ino: known?.get(dirent.name), filetype: fileTypeOf(dirent) });
    }
    return entries;
  }

  /** ".." of the mount's root is the root itself: nothing about the host directory above it is shown. */
  inode(parts: readonly string[], name: string): bigint {
    const target =
      name === "." || (name === ".." && parts.length === 0)
        ? parts
        : name === ".."
          ? parts.slice(0, -1)
          : [...parts, name];
    const stats = fs.lstatSync(this.path(target), { bigint: true, throwIfNoEntry: false });
    if (stats === undefined) return 0n;
    this.#inodes.record(this.path(parts), name, stats.ino);
    return stats.ino;
  }

  mkdir(parts: readonly string[]): void {
    this.#writable();
    this.#confinedParent(parts);
    fs.mkdirSync(this.path(parts));
  }
  rmdir(parts: readonly string[]): void {
    this.#writable();
    if (parts.length === 0) fail(Errno.BUSY);
    this.#confinedParent(parts);
    fs.rmdirSync(this.path(parts));
  }
  unlink(parts: readonly string[]): void {
    this.#writable();
    this.#confinedParent(parts);
    const path = this.path(parts);
    if (fs.lstatSync(path).isDirectory()) fail(Errno.ISDIR);
    fs.unlinkSync(path);
  }
  rename(from: readonly string[], to: readonly string[]): void {
    this.#writable();
    if (from.length === 0 || to.length === 0) fail(Errno.BUSY);
    this.#confinedParent(from);
    this.#confinedParent(to);
    fs.renameSync(this.path(from), this.path(to));
  }
  link(from: readonly string[], to: readonly string[]): void {
    this.#writable();
    this.#confinedParent(from);
    this.#confinedParent(to);
    fs.linkSync(this.path(from), this.path(to));
  }
  symlink(target: string, parts: readonly string[]): void {
    this.#writable();
    this.#confinedParent(parts);
    fs.symlinkSync(target, this.path(parts));
  }
  setTimes(parts: readonly string[], atim: bigint | undefined, mtim: bigint | undefined): void {
    this.#writable();
    this.#confinedParent(parts);
    const path = this.path(parts);
    const current = this.#times.apply(toStat(fs.lstatSync(path, { bigint: true })));
    const a = atim ?? current.atim;
    const m = mtim ?? current.mtim;
    fs.lutimesSync(path, TimeOverlay.seconds(a), TimeOverlay.seconds(m));
    this.#times.remember(current.dev, current.ino, a, m);
  }
}

class HostFile implements OpenFile {
  readonly #fd: number;
  readonly #maxFileSize: number;
  readonly #times: TimeOverlay;
  #closed = false;
  constructor(fd: number, maxFileSize: number, times: TimeOverlay) {
    this.#fd = fd;
    this.#maxFileSize = maxFileSize;
    this.#times = times;
  }
  read(buffer: Uint8Array, offset: number, length: number, position: number): number {
    return fs.readSync(this.#fd, buffer, offset, length, position);
  }
  write(buffer: Uint8Array, offset: number, length: number, position: number): number {
    if (length === 0) return 0;
    if (position >= this.#maxFileSize) fail(Errno.FBIG);
    return fs.writeSync(this.#fd, buffer, offset, Math.min(length, this.#maxFileSize - position), position);
  }
  readv(buffers: Uint8Array[], position: number): number {
    return fs.readvSync(this.#fd, buffers, position);
  }
  writev(buffers: Uint8Array[], position: number): number {
    let total = 0;
    for (const b of buffers) total += b.length;
    if (position + total > this.#maxFileSize) fail(Errno.FBIG);
    return fs.writevSync(this.#fd, buffers, position);
  }
  stat(): Stat {
    return this.#times.apply(toStat(fs.fstatSync(this.#fd, { bigint: true })));
  }
  size(): number {
    return fs.fstatSync(this.#fd).size;
  }
  truncate(size: number): void {
    if (size > this.#maxFileSize) fail(Errno.FBIG);
    fs.ftruncateSync(this.#fd, size);
  }
  sync(): void {
    fs.fsyncSync(this.#fd);
  }
  datasync(): void {
    fs.fdatasyncSync(this.#fd);
  }
  setTimes(atim: bigint | undefined, mtim: bigint | undefined): void {
    const current = this.stat();
    const a = atim ?? current.atim;
    const m = mtim ?? current.mtim;
    fs.futimesSync(this.#fd, TimeOverlay.seconds(a), TimeOverlay.seconds(m));
    this.#times.remember(current.dev, current.ino, a, m);
  }
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    fs.closeSync(this.#fd);
  }
}
