import { ErrorCode, SandboxError } from "@wasm-sandbox/manifest";
import Database from "better-sqlite3";
import { MIGRATIONS, SCHEMA_VERSION } from "./migrations.js";
import { guardStorage, storageError } from "./storage-error.js";

/** "WSBR": marks a database file as a wasm-sandbox registry (SQLite `PRAGMA application_id`). */
export const APPLICATION_ID = 0x57534252;

export interface OpenDatabaseOptions {
  path: string;
  readonly: boolean;
  busyTimeoutMs: number;
}

export type SqliteDatabase = Database.Database;
export type Statement = Database.Statement<unknown[], unknown>;

/**
 * Opens (creating if needed) a registry database: checks that the file is a registry (or empty), turns on
 * WAL, foreign keys and the busy timeout, and runs pending migrations. Any failure is a STORAGE_ERROR.
 */
export function openDatabase(options: OpenDatabaseOptions): SqliteDatabase {
  const { path, readonly, busyTimeoutMs } = options;
  const inMemory = path === ":memory:";
  let db: SqliteDatabase;
  try {
    db = new Database(path, { readonly, fileMustExist: readonly });
  } catch (error) {
    throw storageError("open the database", error, { path });
  }
  try {
    guardStorage("configure the database", () => {
      db.pragma(`busy_timeout = ${Math.round(busyTimeoutMs)}`);
      db.pragma("foreign_keys = ON");
    });
    checkIdentity(db, path);
    if (!inMemory && !readonly) {
      guardStorage("switch to WAL mode", () => db.pragma("journal_mode = WAL"));
      // In WAL mode NORMAL never corrupts on a crash; a power loss may lose the last commits, not consistency.
      guardStorage("configure the database", () => db.pragma("synchronous = NORMAL"));
    }
    migrate(db, path, readonly);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function checkIdentity(db: SqliteDatabase, path: string): void {
  const { applicationId, userVersion, objects } = guardStorage(
    "read the database header",
    () => ({
      applicationId: db.pragma("application_id", { simple: true }) as number,
      userVersion: db.pragma("user_version", { simple: true }) as number,
      objects: db
        .prepare("SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' LIMIT 5")
        .pluck()
        .all() as string[],
    }),
    { path },
  );
  if (applicationId === APPLICATION_ID) {
    if (userVersion > SCHEMA_VERSION) {
      throw new SandboxError(
        ErrorCode.STORAGE_ERROR,
        `The registry at ${path} has schema version ${userVersion}, newer than this package understands (${SCHEMA_VERSION})`,
        {
          suggestion: "Upgrade @wasm-sandbox/registry to the version that wrote this database.",
          context: { path, userVersion, supported: SCHEMA_VERSION },
        },
      );
    }
    return;
  }
  if (applicationId === 0 && userVersion === 0 && objects.length === 0) return; // a new, empty database
  throw new SandboxError(
    ErrorCode.STORAGE_ERROR,
    `${path} is an SQLite database but not a wasm-sandbox registry`,
    {
      suggestion:
        "Point the registry at a new file or at a database the registry created; it never writes into another application's database.",
      context: { path, applicationId, tables: objects },
    },
  );
}

function migrate(db: SqliteDatabase, path: string, readonly: boolean): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  const pending = MIGRATIONS.filter((m) => m.version > current);
  if (pending.length === 0) return;
  if (readonly) {
    throw new SandboxError(
      ErrorCode.STORAGE_ERROR,
      `The registry at ${path} needs schema migrations but was opened read-only`,
      {
        suggestion: "Open it once with write access so the schema can be created or upgraded.",
        context: { path, userVersion: current, supported: SCHEMA_VERSION },
      },
    );
  }
  for (const migration of pending) {
    guardStorage(
      `apply migration ${migration.version} (${migration.name})`,
      () =>
        db
          .transaction(() => {
            // Another process may have applied it while we waited for the write lock.
            if ((db.pragma("user_version", { simple: true }) as number) >= migration.version) return;
            db.exec(migration.sql);
            db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(
              migration.version,
              migration.name,
              new Date().toISOString(),
            );
            db.pragma(`application_id = ${APPLICATION_ID}`);
            db.pragma(`user_version = ${migration.version}`);
          })
          .immediate(),
      { path },
    );
  }
}
