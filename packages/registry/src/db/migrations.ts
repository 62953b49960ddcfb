/**
 * Versioned schema migrations. Each runs once, in order, inside one transaction that also records it in
 * `schema_migrations` and bumps `PRAGMA user_version`; a crash mid-migration rolls the whole step back.
 * Never edit a shipped migration: append a new one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "initial schema",
    sql: `
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at TEXT NOT NULL
      );

      -- Wasm bytes, content-addressed: one row per distinct sha256, however many versions share it.
      CREATE TABLE blobs (
        digest TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        bytes BLOB NOT NULL
      );

      CREATE TABLE versions (
        rowid INTEGER PRIMARY KEY,
        plugin_id TEXT NOT NULL,
        version TEXT NOT NULL,
        precedence TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        author TEXT,
        tags TEXT NOT NULL,
        capabilities TEXT NOT NULL,
        -- The manifest's dependencies as JSON, read by the resolver without a join; the dependencies table
        -- below indexes the same data by name for reverse lookups.
        dependencies TEXT NOT NULL,
        manifest TEXT NOT NULL,
        -- sha256 of the manifest text: a manifest changed behind the registry's back is never served.
        manifest_digest TEXT NOT NULL,
        wasm_digest TEXT NOT NULL REFERENCES blobs(digest),
        wasm_size INTEGER NOT NULL,
        warnings TEXT NOT NULL,
        registered_at TEXT NOT NULL,
        UNIQUE (plugin_id, version),
        -- Versions differing only in build metadata have equal precedence: one of them per plugin.
        UNIQUE (plugin_id, precedence)
      );
      CREATE INDEX versions_by_digest ON versions (wasm_digest);
      CREATE INDEX versions_by_author ON versions (author COLLATE NOCASE);

      CREATE TABLE dependencies (
        version_rowid INTEGER NOT NULL REFERENCES versions(rowid) ON DELETE CASCADE,
        name TEXT NOT NULL,
        range TEXT NOT NULL,
        optional INTEGER NOT NULL,
        type TEXT NOT NULL
      );
      CREATE INDEX dependencies_by_version ON dependencies (version_rowid);
      CREATE INDEX dependencies_by_name ON dependencies (name);

      CREATE TABLE capabilities (
        capability TEXT NOT NULL,
        version_rowid INTEGER NOT NULL REFERENCES versions(rowid) ON DELETE CASCADE,
        PRIMARY KEY (capability, version_rowid)
      ) WITHOUT ROWID;
      CREATE INDEX capabilities_by_version ON capabilities (version_rowid);

      CREATE TABLE tags (
        tag TEXT NOT NULL COLLATE NOCASE,
        version_rowid INTEGER NOT NULL REFERENCES versions(rowid) ON DELETE CASCADE,
        PRIMARY KEY (tag, version_rowid)
      ) WITHOUT ROWID;
      CREATE INDEX tags_by_version ON tags (version_rowid);

      -- Full-text index over name, description and tags; its rowid is the version's rowid.
      CREATE VIRTUAL TABLE versions_fts USING fts5 (name, description, tags, tokenize = 'unicode61 remove_diacritics 2');
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
