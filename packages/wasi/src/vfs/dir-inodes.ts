import * as fs from "node:fs";

/**
 * How long a directory's ctime must predate the listing that recorded its inodes before they are reused:
 * far beyond any filesystem's timestamp granularity or clock tick, so no change can hide in the same tick.
 */
export const DEFAULT_REUSE_AFTER_MS = 2000;
/** Directories and names remembered per backend (bounded memory whatever the guest lists). */
const MAX_DIRS = 64;
const MAX_NAMES = 10_000;

interface Known {
  dev: bigint;
  ino: bigint;
  ctim: bigint;
  /** Wall clock (ns) taken before the directory was stat'ed and listed. */
  since: bigint;
  inodes: Map<string, bigint>;
}

/**
 * The inodes of directory entries (d_ino), which node:fs does not pass on from readdir, so each costs an
 * lstat. They are reused across listings of a directory only while its ctime is unchanged: the kernel moves
 * a directory's ctime on every entry created, removed or renamed, and on utimes (so no process can hide a
 * change by restoring mtime), and userspace cannot set it. Reuse also needs that ctime to be `reuseAfterMs`
 * older than the listing that recorded the inodes, so a change in the same timestamp tick is never missed.
 * What the guest sees is exactly what fresh lstats would show.
 */
export class DirInodes {
  readonly #dirs = new Map<string, Known>();
  readonly #reuseAfterNs: bigint;

  constructor(reuseAfterMs = DEFAULT_REUSE_AFTER_MS) {
    this.#reuseAfterNs = BigInt(reuseAfterMs) * 1_000_000n;
  }

  /**
   * A listing of `path` starts (call before reading it): the inodes known for it, reused when the directory
   * provably did not change, otherwise a fresh empty map; undefined when the directory cannot be stat'ed.
   */
  begin(path: string): Map<string, bigint> | undefined {
    const since = BigInt(Date.now()) * 1_000_000n;
    const stats = fs.lstatSync(path, { bigint: true, throwIfNoEntry: false });
    if (stats === undefined) return undefined;
    const known = this.#dirs.get(path);
    if (
      known !== undefined &&
      known.dev === stats.dev &&
      known.ino === stats.ino &&
      known.ctim === stats.ctimeNs &&
      known.ctim < known.since - this.#reuseAfterNs
    ) {
      return known.inodes;
    }
    const inodes = new Map<string, bigint>([[".", stats.ino]]);
    this.#dirs.delete(path);
    this.#dirs.set(path, { dev: stats.dev, ino: stats.ino, ctim: stats.ctimeNs, since, inodes });
    if (this.#dirs.size > MAX_DIRS) {
      const oldest = this.#dirs.keys().next().value;
      if (oldest !== undefined) this.#dirs.delete(oldest);
    }
    return inodes;
  }

  /** Records an inode looked up after `begin(path)` (kept only while that record is the current one). */
  record(path: string, name: string, ino: bigint): void {
    const inodes = this.#dirs.get(path)?.inodes;
    if (inodes !== undefined && inodes.size < MAX_NAMES) inodes.set(name, ino);
  }
}
