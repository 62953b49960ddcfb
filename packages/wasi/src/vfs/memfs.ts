import { Errno, FileType } from "../constants.js";
import { fail } from "../errno.js";
import type { Backend, DirEntry, OpenFile, OpenRequest, Stat } from "./types.js";

interface NodeTimes {
  ino: bigint;
  nlink: number;
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
}
interface MemFile extends NodeTimes {
  kind: "file";
  data: Uint8Array;
  size: number;
  /** Open handles; an unlinked file's bytes are released when the last one closes. */
  handles: number;
}
interface MemDir extends NodeTimes {
  kind: "dir";
  entries: Map<string, MemNode>;
  parent: MemDir | undefined;
}
interface MemLink extends NodeTimes {
  kind: "link";
  target: string;
}
type MemNode = MemFile | MemDir | MemLink;

export interface MemoryBackendOptions {
  /** Largest size of one file (EFBIG beyond). */
  maxFileSize: number;
  /** Total bytes of all files together (ENOSPC beyond). */
  maxTotalBytes: number;
  /** The clock file times come from (the WASI clock policy, so frozen runs stay deterministic). */
  now: () => bigint;
}

/** The most names the in-memory filesystem holds (ENOSPC beyond), like a filesystem's inode count. */
export const MAX_ENTRIES = 10_000;

const TYPE: Record<MemNode["kind"], FileType> = {
  file: FileType.REGULAR_FILE,
  dir: FileType.DIRECTORY,
  link: FileType.SYMBOLIC_LINK,
};

/** A private in-memory filesystem (the guest's /tmp), bounded per file and in total. */
export class MemoryBackend implements Backend {
  readonly readOnly = false;
  readonly #options: MemoryBackendOptions;
  readonly #root: MemDir;
  #nextIno = 1n;
  /** Bytes held by all files (their logical sizes) and symlink targets. */
  used = 0;
  /** Names in all directories: capped so empty files cannot exhaust host memory outside the byte budget. */
  #entries = 0;

  constructor(options: MemoryBackendOptions) {
    this.#options = options;
    this.#root = this.#dir(undefined);
  }

  #times(): NodeTimes {
    const now = this.#options.now();
    return { ino: this.#nextIno++, nlink: 1, atim: now, mtim: now, ctim: now };
  }
  #dir(parent: MemDir | undefined): MemDir {
    return { kind: "dir", entries: new Map(), parent, ...this.#times(), nlink: 2 };
  }

  #lookup(parts: readonly string[]): MemNode | undefined {
    let node: MemNode = this.#root;
    for (const part of parts) {
      if (node.kind !== "dir") fail(Errno.NOTDIR);
      const next: MemNode | undefined = node.entries.get(part);
      if (next === undefined) return undefined;
      node = next;
    }
    return node;
  }
  #get(parts: readonly string[]): MemNode {
    return this.#lookup(parts) ?? fail(Errno.NOENT);
  }
  /** The parent directory of `parts` and the last name; EINVAL for the root itself. */
  #parent(parts: readonly string[]): [MemDir, string] {
    if (parts.length === 0) fail(Errno.INVAL);
    const parent = this.#get(parts.slice(0, -1));
    if (parent.kind !== "dir") fail(Errno.NOTDIR);
    return [parent, parts[parts.length - 1]!];
  }
  /** Adds a new name to a directory, within MAX_ENTRIES. */
  #link(parent: MemDir, name: string, node: MemNode): void {
    if (this.#entries >= MAX_ENTRIES) fail(Errno.NOSPC);
    this.#entries++;
    parent.entries.set(name, node);
  }
  #unlinkName(parent: MemDir, name: string): void {
    if (parent.entries.delete(name)) this.#entries--;
  }

  #touch(node: NodeTimes): void {
    const now = this.#options.now();
    node.mtim = now;
    node.ctim = now;
  }

  #stat(node: MemNode): Stat {
    const size = node.kind === "file" ? node.size : node.kind === "link" ? node.target.length : 4096;
    return {
      dev: 1n,
      ino: node.ino,
      filetype: TYPE[node.kind],
      nlink: BigInt(node.nlink),
      size: BigInt(size),
      atim: node.atim,
      mtim: node.mtim,
      ctim: node.ctim,
    };
  }

  lstat(parts: readonly string[]): Stat {
    return this.#stat(this.#get(parts));
  }

  tryLstat(parts: readonly string[]): Stat | null {
    const node = this.#lookup(parts);
    return node === undefined ? null : this.#stat(node);
  }

  readlink(parts: readonly string[]): string {
    const node = this.#get(parts);
    if (node.kind !== "link") fail(Errno.INVAL);
    return node.target;
  }

  open(
    parts: readonly string[],
    _known: Stat | null | undefined,
    request: OpenRequest,
  ): OpenFile | "directory" {
    let node = this.#lookup(parts);
    if (node === undefined) {
      if (!request.create) fail(Errno.NOENT);
      if (request.directory) fail(Errno.INVAL);
      const [parent, name] = this.#parent(parts);
      const file: MemFile = { kind: "file", data: new Uint8Array(0), size: 0, handles: 0, ...this.#times() };
      this.#link(parent, name, file);
      this.#touch(parent);
      node = file;
    } else {
      if (request.create && request.exclusive) fail(Errno.EXIST);
      if (node.kind === "link") fail(Errno.LOOP);
      if (node.kind === "dir") {
        if (request.write || request.truncate) fail(Errno.ISDIR);
        return "directory";
      }
      if (request.directory) fail(Errno.NOTDIR);
      if (request.truncate) this.#resize(node, 0);
    }
    return this.#handle(node);
  }

  /** Changes a file's size within the per-file and total budgets. */
  #resize(file: MemFile, size: number): void {
    if (size > this.#options.maxFileSize) fail(Errno.FBIG);
    const delta = size - file.size;
    if (delta > 0 && this.used + delta > this.#options.maxTotalBytes) fail(Errno.NOSPC);
    if (size > file.data.length) {
      const grown = new Uint8Array(
        Math.min(Math.max(size, file.data.length * 2, 64), this.#options.maxFileSize),
      );
      grown.set(file.data.subarray(0, file.size));
      file.data = grown;
    } else if (size < file.size) {
      file.data.fill(0, size, file.size);
    }
    file.size = size;
    this.used += delta;
    this.#touch(file);
  }

  #handle(file: MemFile): OpenFile {
    file.handles++;
    let open = true;
    const backend = this;
    return {
      read(buffer, offset, length, position) {
        if (position >= file.size) return 0;
        const n = Math.min(length, file.size - position);
        buffer.set(file.data.subarray(position, position + n), offset);
        return n;
      },
      write(buffer, offset, length, position) {
        const max = backend.#options.maxFileSize;
        if (length === 0) return 0;
        if (position >= max) fail(Errno.FBIG);
        let n = Math.min(length, max - position);
        const end = position + n;
        if (end > file.size) {
          const room = backend.#options.maxTotalBytes - backend.used;
          if (room <= 0 && position >= file.size) fail(Errno.NOSPC);
          const allowedEnd = Math.min(end, file.size + Math.max(room, 0));
          if (allowedEnd <= position) fail(Errno.NOSPC);
          n = allowedEnd - position;
          backend.#resize(file, allowedEnd);
        } else backend.#touch(file);
        file.data.set(buffer.subarray(offset, offset + n), position);
        return n;
      },
      stat: () => backend.#stat(file),
      size: () => file.size,
      truncate: (size) => backend.#resize(file, size),
      sync() {},
      datasync() {},
      setTimes(atim, mtim) {
        if (atim !== undefined) file.atim = atim;
        if (mtim !== undefined) file.mtim = mtim;
        file.ctim = backend.#options.now();
      },
      close() {
        if (!open) return;
        open = false;
        file.handles--;
        backend.#release(file);
      },
    };
  }

  /** Frees an unlinked file's bytes once nothing refers to it. */
  #release(node: MemNode): void {
    if (node.kind === "link" && node.nlink === 0) this.used -= Buffer.byteLength(node.target);
    if (node.kind === "file" && node.nlink === 0 && node.handles === 0) {
      this.used -= node.size;
      node.size = 0;
      node.data = new Uint8Array(0);
    }
  }

  readdir(parts: readonly string[]): DirEntry[] {
    const node = this.#get(parts);
    if (node.kind !== "dir") fail(Errno.NOTDIR);
    const parent = node.parent ?? node;
    const entries: DirEntry[] = [
      { name: ".", ino: node.ino, filetype: FileType.DIRECTORY },
      { name: "..", ino: parent.ino, filetype: FileType.DIRECTORY },
    ];
    for (const [name, child] of node.entries)
      entries.push({ name, ino: child.ino, filetype: TYPE[child.kind] });
    return entries;
  }

  /** Listings here always carry their inodes; this answers for completeness (0 for a vanished name). */
  inode(parts: readonly string[], name: string): bigint {
    const entry = this.readdir(parts).find((e) => e.name === name);
    return entry?.ino ?? 0n;
  }

  mkdir(parts: readonly string[]): void {
    if (parts.length === 0) fail(Errno.EXIST); // the root itself, as mkdir(".") on a host says
    const [parent, name] = this.#parent(parts);
    if (parent.entries.has(name)) fail(Errno.EXIST);
    this.#link(parent, name, this.#dir(parent));
    parent.nlink++;
    this.#touch(parent);
  }

  rmdir(parts: readonly string[]): void {
    const [parent, name] = this.#parent(parts);
    const node = parent.entries.get(name) ?? fail(Errno.NOENT);
    if (node.kind !== "dir") fail(Errno.NOTDIR);
    if (node.entries.size > 0) fail(Errno.NOTEMPTY);
    this.#unlinkName(parent, name);
    parent.nlink--;
    this.#touch(parent);
  }

  unlink(parts: readonly string[]): void {
    if (parts.length === 0) fail(Errno.ISDIR);
    const [parent, name] = this.#parent(parts);
    const node = parent.entries.get(name) ?? fail(Errno.NOENT);
    if (node.kind === "dir") fail(Errno.ISDIR);
    this.#unlinkName(parent, name);
    node.nlink--;
    node.ctim = this.#options.now();
    this.#touch(parent);
    this.#release(node);
  }

  rename(from: readonly string[], to: readonly string[]): void {
    const [fromParent, fromName] = this.#parent(from);
    const node = fromParent.entries.get(fromName) ?? fail(Errno.NOENT);
    const [toParent, toName] = this.#parent(to);
    if (node.kind === "dir") {
      // A directory cannot move inside itself.
      for (let d: MemDir | undefined = toParent; d !== undefined; d = d.parent)
        if (d === node) fail(Errno.INVAL);
    }
    const existing = toParent.entries.get(toName);
    if (existing === node) return;
    if (existing !== undefined) {
      if (node.kind === "dir") {
        if (existing.kind !== "dir") fail(Errno.NOTDIR);
        if (existing.entries.size > 0) fail(Errno.NOTEMPTY);
        toParent.nlink--;
      } else if (existing.kind === "dir") fail(Errno.ISDIR);
      existing.nlink--;
      this.#release(existing);
      this.#unlinkName(toParent, toName);
    }
    this.#unlinkName(fromParent, fromName);
    this.#link(toParent, toName, node);
    if (node.kind === "dir") {
      fromParent.nlink--;
      toParent.nlink++;
      node.parent = toParent;
    }
    this.#touch(fromParent);
    this.#touch(toParent);
  }

  link(from: readonly string[], to: readonly string[]): void {
    const node = this.#get(from);
    if (node.kind === "dir") fail(Errno.PERM);
    const [parent, name] = this.#parent(to);
    if (parent.entries.has(name)) fail(Errno.EXIST);
    this.#link(parent, name, node);
    node.nlink++;
    node.ctim = this.#options.now();
    this.#touch(parent);
  }

  symlink(target: string, parts: readonly string[]): void {
    const [parent, name] = this.#parent(parts);
    if (parent.entries.has(name)) fail(Errno.EXIST);
    const bytes = Buffer.byteLength(target);
    if (this.used + bytes > this.#options.maxTotalBytes) fail(Errno.NOSPC);
    this.#link(parent, name, { kind: "link", target, ...this.#times() });
    this.used += bytes;
    this.#touch(parent);
  }

  setTimes(parts: readonly string[], atim: bigint | undefined, mtim: bigint | undefined): void {
    const node = this.#get(parts);
    if (atim !== undefined) node.atim = atim;
    if (mtim !== undefined) node.mtim = mtim;
    node.ctim = this.#options.now();
  }
}
