import { ErrorCode, IntegrityError, type PluginManifest, SandboxError } from "@wasm-sandbox/manifest";
import semver from "semver";
import { sha256Hex } from "../digest.js";
import type { DeclaredDependency, DependencySource } from "../resolve.js";
import type { PluginSummary, PluginVersionInfo, SearchResult } from "../types.js";
import type { PluginIssue } from "../validate.js";
import { isExactVersion, precedenceKey } from "../version-key.js";
import type { SqliteDatabase, Statement } from "./open.js";
import { INFO_COLUMNS, type InfoRow, toInfo, type VersionRow } from "./rows.js";
import type { CompiledSearch } from "./search.js";

export interface NewVersion {
  manifest: PluginManifest;
  /** Canonical JSON of the manifest (sorted keys), compared on re-registration. */
  manifestJson: string;
  bytes: Uint8Array;
  digest: string;
  capabilities: string[];
  warnings: PluginIssue[];
}

export type InsertOutcome = { created: true } | { created: false; warnings: PluginIssue[] };

/** Plugin ids loaded per resolver query. */
const PREFETCH_BATCH = 500;

interface GraphEntry {
  /** Highest precedence first. */
  versions: string[];
  dependencies: Map<string, DeclaredDependency[]>;
}

/** Who still needs a version that is about to go. */
export interface Dependent {
  id: string;
  version: string;
  range: string;
}

/**
 * All SQL of the registry. Methods are synchronous (better-sqlite3); writes run in IMMEDIATE transactions so
 * a registration is all-or-nothing and never interleaves with another process's writer.
 */
export class RegistryStore {
  readonly db: SqliteDatabase;
  readonly #statements = new Map<string, Statement>();
  /** Dependency graph cache for resolution (see `dependencySource`). */
  readonly #graph = new Map<string, GraphEntry>();
  #graphDataVersion = -1;

  constructor(db: SqliteDatabase) {
    this.db = db;
  }

  /** Prepared statements are cached by their SQL text. */
  stmt(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Inserts one version with its blob, dependencies, capabilities, tags and search entry, atomically. */
  insertVersion(entry: NewVersion): InsertOutcome {
    const run = this.db.transaction((): InsertOutcome => {
      const { manifest } = entry;
      const existing = this.stmt(
        "SELECT rowid, version, manifest, wasm_digest, warnings FROM versions WHERE plugin_id = ? AND precedence = ?",
      ).get(manifest.id, precedenceKey(manifest.version)) as
        | Pick<VersionRow, "rowid" | "version" | "manifest" | "wasm_digest" | "warnings">
        | undefined;
      if (existing !== undefined) {
        if (
          existing.version === manifest.version &&
          existing.wasm_digest === entry.digest &&
          existing.manifest === entry.manifestJson
        ) {
          return { created: false, warnings: JSON.parse(existing.warnings) as PluginIssue[] };
        }
        throw conflict(manifest, existing, entry.digest);
      }
      this.#storeBlob(entry.digest, entry.bytes);
      const rowid = this.stmt(
        `INSERT INTO versions (plugin_id, version, precedence, name, description, author, tags, capabilities,
           dependencies, manifest, manifest_digest, wasm_digest, wasm_size, warnings, registered_at)
         VALUES (@id, @version, @precedence, @name, @description, @author, @tags, @capabilities,
           @dependencies, @manifest, @manifestDigest, @digest, @size, @warnings, @registeredAt)`,
      ).run({
        id: manifest.id,
        version: manifest.version,
        precedence: precedenceKey(manifest.version),
        name: manifest.name,
        description: manifest.description,
        author: manifest.author ?? null,
        tags: JSON.stringify(manifest.tags),
        capabilities: JSON.stringify(entry.capabilities),
        dependencies: JSON.stringify(
          manifest.dependencies.map(
            (d): DeclaredDependency => ({
              name: d.name,
              versionRequirement: d.versionRequirement,
              optional: d.optional,
              dependencyType: d.dependencyType,
            }),
          ),
        ),
        manifest: entry.manifestJson,
        manifestDigest: sha256Hex(new TextEncoder().encode(entry.manifestJson)),
        digest: entry.digest,
        size: entry.bytes.length,
        warnings: JSON.stringify(entry.warnings),
        registeredAt: new Date().toISOString(),
      }).lastInsertRowid;
      const addDependency = this.stmt(
        "INSERT INTO dependencies (version_rowid, name, range, optional, type) VALUES (?, ?, ?, ?, ?)",
      );
      for (const d of manifest.dependencies) {
        addDependency.run(rowid, d.name, d.versionRequirement, d.optional ? 1 : 0, d.dependencyType);
      }
      const addCapability = this.stmt("INSERT INTO capabilities (capability, version_rowid) VALUES (?, ?)");
      for (const c of entry.capabilities) addCapability.run(c, rowid);
      const addTag = this.stmt("INSERT OR IGNORE INTO tags (tag, version_rowid) VALUES (?, ?)");
      for (const t of manifest.tags) addTag.run(t, rowid);
      this.stmt("INSERT INTO versions_fts (rowid, name, description, tags) VALUES (?, ?, ?, ?)").run(
        rowid,
        `${manifest.name} ${manifest.id}`,
        manifest.description,
        manifest.tags.join(" "),
      );
      return { created: true };
    });
    this.#graph.clear();
    return run.immediate();
  }

  /** Stores bytes under their digest once; a stored copy that no longer verifies is replaced (healed). */
  #storeBlob(digest: string, bytes: Uint8Array): void {
    const stored = this.stmt("SELECT bytes FROM blobs WHERE digest = ?").pluck().get(digest) as
      | Uint8Array
      | undefined;
    if (stored === undefined) {
      this.stmt("INSERT INTO blobs (digest, size, bytes) VALUES (?, ?, ?)").run(digest, bytes.length, bytes);
    } else if (sha256Hex(stored) !== digest) {
      this.stmt("UPDATE blobs SET size = ?, bytes = ? WHERE digest = ?").run(bytes.length, bytes, digest);
    }
  }

  /** The bytes stored under `digest`, verified; INTEGRITY when missing or changed. */
  readBlob(digest: string, label: string): Uint8Array {
    const row = this.stmt("SELECT size, bytes FROM blobs WHERE digest = ?").get(digest) as
      | { size: number; bytes: Uint8Array }
      | undefined;
    if (row === undefined) {
      throw new IntegrityError(
        `The wasm bytes of ${label} (sha256 ${digest}) are missing from the registry`,
        {
          context: { digest },
        },
      );
    }
    const actual = sha256Hex(row.bytes);
    if (actual !== digest || row.bytes.length !== row.size) {
      throw new IntegrityError(
        `The stored wasm bytes of ${label} do not match their digest: expected sha256 ${digest}, got ${actual}`,
        { context: { digest, actual, expectedSize: row.size, actualSize: row.bytes.length } },
      );
    }
    return new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength);
  }

  /** The stored manifest of a version, verified against its digest; INTEGRITY when it was changed. */
  readManifest(row: VersionRow): PluginManifest {
    const actual = sha256Hex(new TextEncoder().encode(row.manifest));
    if (actual !== row.manifest_digest) {
      throw new IntegrityError(
        `The stored manifest of ${row.plugin_id}@${row.version} does not match its digest: it was changed outside the registry`,
        { context: { id: row.plugin_id, version: row.version, expected: row.manifest_digest, actual } },
      );
    }
    return JSON.parse(row.manifest) as PluginManifest;
  }

  /** Versions of `id`, highest precedence first. */
  versions(id: string): string[] {
    return this.stmt("SELECT version FROM versions WHERE plugin_id = ? ORDER BY precedence DESC")
      .pluck()
      .all(id) as string[];
  }

  /** The highest version of `id` satisfying `range` (any version when undefined). */
  findVersion(id: string, range: string | undefined): VersionRow | undefined {
    if (range !== undefined && isExactVersion(range)) {
      // By precedence, so "1.2.3" finds "1.2.3+build.5" (build metadata does not count, as in semver).
      return this.stmt("SELECT * FROM versions WHERE plugin_id = ? AND precedence = ?").get(
        id,
        precedenceKey(range),
      ) as VersionRow | undefined;
    }
    const rows = this.stmt("SELECT * FROM versions WHERE plugin_id = ? ORDER BY precedence DESC").iterate(id);
    const parsed = range === undefined ? undefined : new semver.Range(range);
    for (const row of rows as IterableIterator<VersionRow>) {
      if (parsed === undefined || parsed.test(row.version)) {
        (rows as IterableIterator<VersionRow>).return?.();
        return row;
      }
    }
    return undefined;
  }

  pluginIds(): string[] {
    return this.stmt("SELECT DISTINCT plugin_id FROM versions ORDER BY plugin_id").pluck().all() as string[];
  }

  list(): PluginSummary[] {
    const versions = new Map<string, string[]>();
    for (const row of this.stmt(
      "SELECT plugin_id, version FROM versions ORDER BY plugin_id, precedence",
    ).iterate() as IterableIterator<{
      plugin_id: string;
      version: string;
    }>) {
      const list = versions.get(row.plugin_id);
      if (list === undefined) versions.set(row.plugin_id, [row.version]);
      else list.push(row.version);
    }
    const latest = this.stmt(
      `SELECT ${INFO_COLUMNS} FROM versions v
       JOIN (SELECT plugin_id, MAX(precedence) AS top FROM versions GROUP BY plugin_id) m
         ON m.plugin_id = v.plugin_id AND m.top = v.precedence
       ORDER BY v.plugin_id`,
    ).all() as InfoRow[];
    return latest.map((row) => ({ ...toInfo(row), versions: versions.get(row.plugin_id) ?? [] }));
  }

  search(compiled: CompiledSearch): SearchResult[] {
    const rows = this.stmt(compiled.sql).all(compiled.params) as (InfoRow & { score: number })[];
    return rows.map((row) => ({ ...toInfo(row), score: row.score }));
  }

  info(row: VersionRow): PluginVersionInfo {
    return toInfo(row);
  }

  /**
   * A resolver source over this database. Each plugin's versions and their dependencies are loaded with one
   * query and cached across resolutions until the database changes: this connection's writes clear the
   * cache, and `PRAGMA data_version` reveals commits by other connections and processes.
   */
  dependencySource(): DependencySource {
    const dataVersion = this.stmt("PRAGMA data_version").pluck().get() as number;
    if (dataVersion !== this.#graphDataVersion) {
      this.#graph.clear();
      this.#graphDataVersion = dataVersion;
    }
    const load = (id: string): GraphEntry => {
      const entry = this.#graph.get(id);
      if (entry !== undefined) return entry;
      prefetch([id]);
      return this.#graph.get(id)!;
    };
    const prefetch = (ids: readonly string[]) => {
      const missing = ids.filter((id) => !this.#graph.has(id));
      for (const id of missing) this.#graph.set(id, { versions: [], dependencies: new Map() });
      for (let i = 0; i < missing.length; i += PREFETCH_BATCH) {
        const rows = this.stmt(
          `SELECT plugin_id, version, dependencies FROM versions
           WHERE plugin_id IN (SELECT value FROM json_each(?)) ORDER BY plugin_id, precedence DESC`,
        )
          .raw()
          .all(JSON.stringify(missing.slice(i, i + PREFETCH_BATCH))) as [string, string, string][];
        for (const [id, version, dependencies] of rows) {
          const entry = this.#graph.get(id)!;
          entry.versions.push(version);
          entry.dependencies.set(version, JSON.parse(dependencies) as DeclaredDependency[]);
        }
      }
    };
    return {
      versions: (id) => load(id).versions,
      dependencies: (id, version) => load(id).dependencies.get(version) ?? [],
      prefetch,
    };
  }

  /**
   * Registered versions of other plugins whose non-optional requirement on `id` is met by one of `removing`
   * and by none of the versions that would remain.
   */
  dependentsBlocking(id: string, removing: readonly string[]): Dependent[] {
    const remaining = this.versions(id).filter((v) => !removing.includes(v));
    const rows = this.stmt(
      `SELECT v.plugin_id AS id, v.version AS version, d.range AS range FROM dependencies d
       JOIN versions v ON v.rowid = d.version_rowid
       WHERE d.name = ? AND d.optional = 0 AND d.type = 'Plugin' AND v.plugin_id <> ?
       ORDER BY v.plugin_id, v.precedence`,
    ).all(id, id) as Dependent[];
    return rows.filter(
      (r) =>
        removing.some((v) => semver.satisfies(v, r.range)) &&
        !remaining.some((v) => semver.satisfies(v, r.range)),
    );
  }

  /** Deletes versions with their index rows, and blobs no other version uses. Returns the removed rows. */
  deleteVersions(id: string, versions: readonly string[]): VersionRow[] {
    this.#graph.clear();
    const removed: VersionRow[] = [];
    for (const version of versions) {
      const row = this.stmt("SELECT * FROM versions WHERE plugin_id = ? AND version = ?").get(id, version) as
        | VersionRow
        | undefined;
      if (row === undefined) continue;
      this.stmt("DELETE FROM versions_fts WHERE rowid = ?").run(row.rowid);
      this.stmt("DELETE FROM versions WHERE rowid = ?").run(row.rowid);
      const stillUsed = this.stmt("SELECT 1 FROM versions WHERE wasm_digest = ? LIMIT 1").get(
        row.wasm_digest,
      );
      if (stillUsed === undefined) this.stmt("DELETE FROM blobs WHERE digest = ?").run(row.wasm_digest);
      removed.push(row);
    }
    return removed;
  }
}

function conflict(
  manifest: PluginManifest,
  existing: Pick<VersionRow, "version" | "wasm_digest" | "manifest">,
  digest: string,
): SandboxError {
  const what =
    existing.version !== manifest.version
      ? `version ${existing.version}, which has the same precedence (only build metadata differs)`
      : existing.wasm_digest !== digest
        ? "different wasm bytes"
        : "a different manifest";
  return new SandboxError(
    ErrorCode.CONFLICT,
    `${manifest.id}@${manifest.version} is already registered with ${what}`,
    {
      suggestion:
        "Published versions are immutable: bump the version, or unregister the existing one first if it was a mistake.",
      context: {
        id: manifest.id,
        version: manifest.version,
        existingVersion: existing.version,
        existingDigest: existing.wasm_digest,
        digest,
      },
    },
  );
}
