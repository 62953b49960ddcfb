import { Errno, FileType, FstFlags } from "./constants.js";
import { fail } from "./errno.js";
import type { GuestMemory } from "./memory.js";
import type { Stat } from "./vfs/types.js";

/** Writes a filestat (64 bytes) at `ptr`. */
export function writeFilestat(mem: GuestMemory, ptr: number, stat: Stat): void {
  mem.check(ptr, 64);
  const v = mem.view;
  v.setBigUint64(ptr, stat.dev, true);
  v.setBigUint64(ptr + 8, stat.ino, true);
  v.setUint8(ptr + 16, stat.filetype);
  for (let i = 17; i < 24; i++) v.setUint8(ptr + i, 0);
  v.setBigUint64(ptr + 24, stat.nlink, true);
  v.setBigUint64(ptr + 32, stat.size, true);
  v.setBigUint64(ptr + 40, stat.atim, true);
  v.setBigUint64(ptr + 48, stat.mtim, true);
  v.setBigUint64(ptr + 56, stat.ctim, true);
}

/** The stat of stdin/stdout/stderr: a character device with no backing file. */
export const STDIO_STAT: Stat = {
  dev: 0n,
  ino: 0n,
  filetype: FileType.CHARACTER_DEVICE,
  nlink: 1n,
  size: 0n,
  atim: 0n,
  mtim: 0n,
  ctim: 0n,
};

/** The times fd/path_filestat_set_times asked for (undefined = leave alone); EINVAL for contradictory flags. */
export function requestedTimes(
  atim: bigint,
  mtim: bigint,
  flags: number,
  now: () => bigint,
): [bigint | undefined, bigint | undefined] {
  if ((flags & ~15) !== 0) fail(Errno.INVAL);
  if ((flags & FstFlags.ATIM) !== 0 && (flags & FstFlags.ATIM_NOW) !== 0) fail(Errno.INVAL);
  if ((flags & FstFlags.MTIM) !== 0 && (flags & FstFlags.MTIM_NOW) !== 0) fail(Errno.INVAL);
  const a = (flags & FstFlags.ATIM_NOW) !== 0 ? now() : (flags & FstFlags.ATIM) !== 0 ? atim : undefined;
  const m = (flags & FstFlags.MTIM_NOW) !== 0 ? now() : (flags & FstFlags.MTIM) !== 0 ? mtim : undefined;
  return [a, m];
}
