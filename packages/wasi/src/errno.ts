import { Errno } from "./constants.js";

/**
 * Internal: a WASI errno travelling up from deep inside an implementation to the import wrapper, which
 * returns it to the guest. Never leaves this package.
 */
export class ErrnoError extends Error {
  readonly errno: Errno;
  constructor(errno: Errno) {
    super(`errno ${errno}`);
    this.errno = errno;
  }
}

export function fail(errno: Errno): never {
  throw new ErrnoError(errno);
}

const NODE_CODES: Record<string, Errno> = {
  EACCES: Errno.ACCES,
  EPERM: Errno.PERM,
  ENOENT: Errno.NOENT,
  EEXIST: Errno.EXIST,
  ENOTDIR: Errno.NOTDIR,
  EISDIR: Errno.ISDIR,
  ENOTEMPTY: Errno.NOTEMPTY,
  ELOOP: Errno.LOOP,
  EINVAL: Errno.INVAL,
  EBADF: Errno.BADF,
  EMFILE: Errno.MFILE,
  ENFILE: Errno.MFILE,
  ENOSPC: Errno.NOSPC,
  EDQUOT: Errno.DQUOT,
  EFBIG: Errno.FBIG,
  EROFS: Errno.ROFS,
  EXDEV: Errno.XDEV,
  ENAMETOOLONG: Errno.NAMETOOLONG,
  ESPIPE: Errno.SPIPE,
  EAGAIN: Errno.AGAIN,
  ENOSYS: Errno.NOSYS,
  ENOTSUP: Errno.NOTSUP,
  EOPNOTSUPP: Errno.NOTSUP,
  EMLINK: Errno.MLINK,
  EBUSY: Errno.BUSY,
  EIO: Errno.IO,
};

/** The errno for a host (node:fs) error, or undefined when it is not a system error. */
export function errnoFromHost(error: unknown): Errno | undefined {
  if (error instanceof ErrnoError) return error.errno;
  // Only system errors (errno-style codes, with a syscall) are the guest's business; SandboxErrors such as
  // TimeoutError or ResourceExhaustedError carry codes too and must reach the embedder.
  const { code, syscall } = (error ?? {}) as { code?: unknown; syscall?: unknown };
  if (typeof code !== "string" || typeof syscall !== "string" || !/^E[A-Z0-9]+$/.test(code)) return undefined;
  return NODE_CODES[code] ?? Errno.IO;
}
