import { ErrorCode, SandboxError } from "@wasm-sandbox/manifest";

const SUGGESTIONS: Record<string, string> = {
  SQLITE_NOTADB:
    "The file is not an SQLite database: point the registry at a new path or at a file the registry created.",
  SQLITE_CORRUPT:
    "The database file is damaged: restore it from a backup or create a new registry and re-register the plugins.",
  SQLITE_READONLY:
    "The database is read-only: open it with write access (check file and directory permissions), or use `readonly: true` only for reading.",
  SQLITE_CANTOPEN:
    "The database file cannot be opened: check that its directory exists and is writable, and that the path is not a directory.",
  SQLITE_BUSY:
    "Another process holds the write lock for too long: retry, or raise `busyTimeoutMs` when opening the registry.",
  SQLITE_FULL: "The disk is full: free space, then retry.",
  SQLITE_IOERR: "The operating system reported an I/O error: check the disk and the file's permissions.",
  SQLITE_PERM: "The operating system denied access to the database file: check its permissions.",
};

/** The SQLite result code of an error thrown by better-sqlite3 (`SQLITE_READONLY_DBMOVED` -> `SQLITE_READONLY`). */
function primaryCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !code.startsWith("SQLITE_")) return undefined;
  const parts = code.split("_");
  return parts.slice(0, 2).join("_");
}

/** Wraps a failure of the storage backend in a STORAGE_ERROR carrying the SQLite code and a suggestion. */
export function storageError(
  action: string,
  error: unknown,
  context: Record<string, unknown> = {},
): SandboxError {
  if (SandboxError.is(error)) return error;
  const sqliteCode = (error as { code?: unknown } | null)?.code;
  const primary = primaryCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return new SandboxError(ErrorCode.STORAGE_ERROR, `Registry storage failed to ${action}: ${message}`, {
    cause: error,
    suggestion:
      (primary && SUGGESTIONS[primary]) ??
      "Check the database path, its permissions and free disk space; the registry's README lists storage errors.",
    context: { ...context, sqliteCode },
  });
}

/** Runs `fn` and turns anything the storage backend throws into a STORAGE_ERROR (SandboxErrors pass through). */
export function guardStorage<T>(action: string, fn: () => T, context?: Record<string, unknown>): T {
  try {
    return fn();
  } catch (error) {
    throw storageError(action, error, context);
  }
}
