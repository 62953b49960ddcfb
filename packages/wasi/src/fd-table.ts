import type { Backend, DirEntry, OpenFile } from "./vfs/types.js";

export interface StdioEntry {
  kind: "stdio";
  stream: 0 | 1 | 2;
  rights: number;
  inheriting: number;
  flags: number;
}

export interface FileEntry {
  kind: "file";
  backend: Backend;
  file: OpenFile;
  /** The file position (node:fs has no lseek, so every access is positional). */
  position: number;
  rights: number;
  inheriting: number;
  flags: number;
}

export interface DirEntryFd {
  kind: "dir";
  backend: Backend;
  /** Components from the backend root. */
  parts: string[];
  rights: number;
  inheriting: number;
  flags: number;
  /** Set for preopens: the guest path reported by fd_prestat_dir_name. */
  preopen: string | undefined;
  /** The listing fd_readdir pages through (re-listed when a listing starts at cookie 0). */
  listing: DirEntry[] | undefined;
}

export type FdEntry = StdioEntry | FileEntry | DirEntryFd;

/** The guest's descriptor table: lowest free number first, like POSIX. */
export class FdTable {
  readonly #entries: (FdEntry | undefined)[] = [];
  /** Descriptors the guest opened itself (counted against maxOpenFiles). */
  opened = 0;

  get(fd: number): FdEntry | undefined {
    return this.#entries[fd];
  }

  add(entry: FdEntry): number {
    let fd = 0;
    while (this.#entries[fd] !== undefined) fd++;
    this.#entries[fd] = entry;
    return fd;
  }

  set(fd: number, entry: FdEntry): void {
    this.#entries[fd] = entry;
  }

  delete(fd: number): void {
    this.#entries[fd] = undefined;
    while (this.#entries.length > 0 && this.#entries[this.#entries.length - 1] === undefined)
      this.#entries.pop();
  }

  *entries(): IterableIterator<[number, FdEntry]> {
    for (let fd = 0; fd < this.#entries.length; fd++) {
      const entry = this.#entries[fd];
      if (entry !== undefined) yield [fd, entry];
    }
  }
}
