import { SIZE } from "./constants.js";
import type { DirEntry } from "./vfs/types.js";

const encoder = new TextEncoder();

/** A name's UTF-8 bytes, or undefined when it is pure ASCII (then its bytes are its char codes). */
function utf8(name: string): Uint8Array | undefined {
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) >= 0x80) return encoder.encode(name);
  return undefined;
}

/** Writes one dirent record (header + name) at `at` in a view that has room for all of it. */
function writeRecord(
  view: DataView,
  bytes: Uint8Array,
  at: number,
  next: number,
  entry: DirEntry,
  ino: bigint,
  name: Uint8Array | undefined,
): void {
  const length = name === undefined ? entry.name.length : name.length;
  view.setBigUint64(at, BigInt(next), true);
  view.setBigUint64(at + 8, ino, true);
  view.setUint32(at + 16, length, true);
  view.setUint32(at + 20, entry.filetype, true);
  if (name !== undefined) bytes.set(name, at + SIZE.DIRENT);
  else for (let i = 0; i < length; i++) bytes[at + SIZE.DIRENT + i] = entry.name.charCodeAt(i);
}

/**
 * Writes entries from index `cookie` into memory[buf, buf+bufLen) as dirent records (d_next = index + 1),
 * straight into guest memory. The last record may be cut short: per the spec a full buffer tells the
 * caller to retry with a bigger one or the next cookie. An entry listed without its inode gets it from
 * `inode` when written (kept in the listing for the next page). Returns the bytes used.
 */
export function copyDirents(
  entries: readonly DirEntry[],
  view: DataView,
  bytes: Uint8Array,
  buf: number,
  bufLen: number,
  cookie: bigint,
  inode: (name: string) => bigint,
): number {
  let used = 0;
  const first = cookie > BigInt(entries.length) ? entries.length : Number(cookie);
  for (let i = first; i < entries.length && used < bufLen; i++) {
    const entry = entries[i]!;
    const name = utf8(entry.name);
    const size = SIZE.DIRENT + (name === undefined ? entry.name.length : name.length);
    if (entry.ino === undefined) entry.ino = inode(entry.name);
    if (used + size <= bufLen) {
      writeRecord(view, bytes, buf + used, i + 1, entry, entry.ino, name);
      used += size;
    } else {
      const record = new Uint8Array(size);
      writeRecord(new DataView(record.buffer), record, 0, i + 1, entry, entry.ino, name);
      bytes.set(record.subarray(0, bufLen - used), buf + used);
      used = bufLen;
    }
  }
  return used;
}
