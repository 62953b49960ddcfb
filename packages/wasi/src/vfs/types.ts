import type { FileType } from "../constants.js";

/** A filestat as WASI lays it out (times in ns). */
export interface Stat {
  dev: bigint;
  ino: bigint;
  filetype: FileType;
  nlink: bigint;
  size: bigint;
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
}

export interface DirEntry {
  name: string;
  /** undefined: not looked up yet (host listings); fd_readdir asks the backend's `inode` when it writes it. */
  ino: bigint | undefined;
  filetype: FileType;
}

/** An open regular file (or other non-directory) of a backend. Offsets are explicit: the fd keeps the position. */
export interface OpenFile {
  /** Reads into buffer[offset, offset+length) from the file at `position`. */
  read(buffer: Uint8Array, offset: number, length: number, position: number): number;
  /** Writes buffer[offset, offset+length) at `position`. */
  write(buffer: Uint8Array, offset: number, length: number, position: number): number;
  /** Optional gather/scatter in one system call (host files); used when no budget could cut it short. */
  readv?(buffers: Uint8Array[], position: number): number;
  writev?(buffers: Uint8Array[], position: number): number;
  stat(): Stat;
  size(): number;
  truncate(size: number): void;
  sync(): void;
  datasync(): void;
  setTimes(atim: bigint | undefined, mtim: bigint | undefined): void;
  close(): void;
}

export interface OpenRequest {
  create: boolean;
  exclusive: boolean;
  truncate: boolean;
  directory: boolean;
  read: boolean;
  write: boolean;
}

/**
 * A filesystem behind one preopen. Paths are component lists relative to the backend's root, already
 * resolved by `resolvePath` (no "." or "..", no symlink except possibly the last component when the caller
 * asked not to follow it). Backends throw ErrnoError (or host errors mapped by errnoFromHost).
 */
export interface Backend {
  readonly readOnly: boolean;
  /** Stat without following a final symlink. */
  lstat(parts: readonly string[]): Stat;
  /** lstat, but null when the path does not exist (no exception: resolution asks this for every new file). */
  tryLstat(parts: readonly string[]): Stat | null;
  readlink(parts: readonly string[]): string;
  /**
   * Opens a non-directory, or returns "directory" when the path is a directory (after checks). `known` is
   * the lstat resolution took of the path (null: absent, undefined: not taken), saving a second look.
   */
  open(
    parts: readonly string[],
    known: Stat | null | undefined,
    request: OpenRequest,
  ): OpenFile | "directory";
  readdir(parts: readonly string[]): DirEntry[];
  /** The inode of entry `name` of directory `parts` ("." and ".." included), for entries listed without. */
  inode(parts: readonly string[], name: string): bigint;
  mkdir(parts: readonly string[]): void;
  rmdir(parts: readonly string[]): void;
  unlink(parts: readonly string[]): void;
  rename(from: readonly string[], to: readonly string[]): void;
  link(from: readonly string[], to: readonly string[]): void;
  symlink(target: string, parts: readonly string[]): void;
  /** Sets times on exactly `parts` (a symlink itself when the caller did not follow it). */
  setTimes(parts: readonly string[], atim: bigint | undefined, mtim: bigint | undefined): void;
}
