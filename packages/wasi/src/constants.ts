/** wasi_snapshot_preview1 constants, as defined by the witx (typenames.witx). */

export const Errno = {
  SUCCESS: 0,
  TOOBIG: 1,
  ACCES: 2,
  AGAIN: 6,
  BADF: 8,
  EXIST: 20,
  FAULT: 21,
  FBIG: 22,
  DQUOT: 19,
  ILSEQ: 25,
  INVAL: 28,
  IO: 29,
  ISDIR: 31,
  LOOP: 32,
  MFILE: 33,
  NAMETOOLONG: 37,
  NOENT: 44,
  NOMEM: 48,
  NOSPC: 51,
  NOSYS: 52,
  NOTDIR: 54,
  NOTEMPTY: 55,
  NOTSOCK: 57,
  NOTSUP: 58,
  OVERFLOW: 61,
  PERM: 63,
  ROFS: 69,
  SPIPE: 70,
  XDEV: 75,
  BUSY: 10,
  MLINK: 34,
  NOTCAPABLE: 76,
} as const;
export type Errno = (typeof Errno)[keyof typeof Errno];

export const FileType = {
  UNKNOWN: 0,
  BLOCK_DEVICE: 1,
  CHARACTER_DEVICE: 2,
  DIRECTORY: 3,
  REGULAR_FILE: 4,
  SOCKET_DGRAM: 5,
  SOCKET_STREAM: 6,
  SYMBOLIC_LINK: 7,
} as const;
export type FileType = (typeof FileType)[keyof typeof FileType];

/** Rights bits (u64); all fit in 30 bits, so they are handled as numbers and converted at the boundary. */
export const Rights = {
  FD_DATASYNC: 1 << 0,
  FD_READ: 1 << 1,
  FD_SEEK: 1 << 2,
  FD_FDSTAT_SET_FLAGS: 1 << 3,
  FD_SYNC: 1 << 4,
  FD_TELL: 1 << 5,
  FD_WRITE: 1 << 6,
  FD_ADVISE: 1 << 7,
  FD_ALLOCATE: 1 << 8,
  PATH_CREATE_DIRECTORY: 1 << 9,
  PATH_CREATE_FILE: 1 << 10,
  PATH_LINK_SOURCE: 1 << 11,
  PATH_LINK_TARGET: 1 << 12,
  PATH_OPEN: 1 << 13,
  FD_READDIR: 1 << 14,
  PATH_READLINK: 1 << 15,
  PATH_RENAME_SOURCE: 1 << 16,
  PATH_RENAME_TARGET: 1 << 17,
  PATH_FILESTAT_GET: 1 << 18,
  PATH_FILESTAT_SET_SIZE: 1 << 19,
  PATH_FILESTAT_SET_TIMES: 1 << 20,
  FD_FILESTAT_GET: 1 << 21,
  FD_FILESTAT_SET_SIZE: 1 << 22,
  FD_FILESTAT_SET_TIMES: 1 << 23,
  PATH_SYMLINK: 1 << 24,
  PATH_REMOVE_DIRECTORY: 1 << 25,
  PATH_UNLINK_FILE: 1 << 26,
  POLL_FD_READWRITE: 1 << 27,
  SOCK_SHUTDOWN: 1 << 28,
  SOCK_ACCEPT: 1 << 29,
} as const;

const R = Rights;
export const ALL_RIGHTS = (1 << 30) - 1;

/** Rights a regular file can use, split by whether they read or change anything. */
export const FILE_READ_RIGHTS =
  R.FD_READ |
  R.FD_SEEK |
  R.FD_TELL |
  R.FD_FDSTAT_SET_FLAGS |
  R.FD_ADVISE |
  R.FD_FILESTAT_GET |
  R.POLL_FD_READWRITE;
export const FILE_WRITE_RIGHTS =
  R.FD_DATASYNC | R.FD_SYNC | R.FD_WRITE | R.FD_ALLOCATE | R.FD_FILESTAT_SET_SIZE | R.FD_FILESTAT_SET_TIMES;
export const FILE_RIGHTS = FILE_READ_RIGHTS | FILE_WRITE_RIGHTS;

/** Rights a directory can use. */
export const DIR_READ_RIGHTS =
  R.FD_FDSTAT_SET_FLAGS |
  R.PATH_OPEN |
  R.FD_READDIR |
  R.PATH_READLINK |
  R.PATH_FILESTAT_GET |
  R.FD_FILESTAT_GET |
  R.PATH_LINK_SOURCE |
  R.PATH_RENAME_SOURCE;
export const DIR_WRITE_RIGHTS =
  R.FD_DATASYNC |
  R.FD_SYNC |
  R.PATH_CREATE_DIRECTORY |
  R.PATH_CREATE_FILE |
  R.PATH_LINK_TARGET |
  R.PATH_RENAME_TARGET |
  R.PATH_FILESTAT_SET_SIZE |
  R.PATH_FILESTAT_SET_TIMES |
  R.FD_FILESTAT_SET_TIMES |
  R.PATH_SYMLINK |
  R.PATH_REMOVE_DIRECTORY |
  R.PATH_UNLINK_FILE;
export const DIR_RIGHTS = DIR_READ_RIGHTS | DIR_WRITE_RIGHTS;

/** Rights that change something: never granted under a read-only preopen. */
export const WRITE_RIGHTS = FILE_WRITE_RIGHTS | DIR_WRITE_RIGHTS;

const STDIO_COMMON = R.FD_FILESTAT_GET | R.POLL_FD_READWRITE | R.FD_FDSTAT_SET_FLAGS;
export const STDIN_RIGHTS = STDIO_COMMON | R.FD_READ;
export const STDOUT_RIGHTS = STDIO_COMMON | R.FD_WRITE;

export const FdFlags = { APPEND: 1, DSYNC: 2, NONBLOCK: 4, RSYNC: 8, SYNC: 16 } as const;
export const OFlags = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 } as const;
export const LookupFlags = { SYMLINK_FOLLOW: 1 } as const;
export const Whence = { SET: 0, CUR: 1, END: 2 } as const;
export const FstFlags = { ATIM: 1, ATIM_NOW: 2, MTIM: 4, MTIM_NOW: 8 } as const;
export const ClockId = { REALTIME: 0, MONOTONIC: 1, PROCESS_CPUTIME: 2, THREAD_CPUTIME: 3 } as const;
export const EventType = { CLOCK: 0, FD_READ: 1, FD_WRITE: 2 } as const;
export const SubclockFlags = { ABSTIME: 1 } as const;
export const PreopenType = { DIR: 0 } as const;

/** Struct sizes (bytes) from the witx layouts. */
export const SIZE = {
  IOVEC: 8,
  FDSTAT: 24,
  FILESTAT: 64,
  PRESTAT: 8,
  DIRENT: 24,
  SUBSCRIPTION: 48,
  EVENT: 32,
} as const;

/** POSIX IOV_MAX: more iovecs than this in one call is EINVAL, so a hostile count cannot stall the host. */
export const IOV_MAX = 1024;
/** Symlinks followed while resolving one path before ELOOP (Linux's limit). */
export const SYMLOOP_MAX = 40;
/** The longest path string a guest may pass. */
export const PATH_MAX = 4096;
