import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ErrorCode } from "@wasm-sandbox/manifest";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { closing, manifest, tempDir, thrown } from "../test/helpers.js";
import { buildModule } from "../test/module-builder.js";
import { SCHEMA_VERSION } from "./db/migrations.js";
import { APPLICATION_ID } from "./db/open.js";
import { openRegistry } from "./registry.js";

const track = closing();
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

describe("storage", () => {
  it("persists across reopen, in WAL mode, with the schema recorded", () => {
    const dir = tempDir();
    const path = join(dir, "plugins.db");
    const wasm = buildModule();
    const r1 = openRegistry({ path });
    r1.registerPlugin(manifest("kept", "1.0.0"), wasm);
    r1.close();
    const r2 = track(openRegistry({ path }));
    expect(Buffer.from(r2.getWasm("kept", "1.0.0")).equals(Buffer.from(wasm))).toBe(true);
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(raw.pragma("application_id", { simple: true })).toBe(APPLICATION_ID);
    expect(raw.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    expect(raw.prepare("SELECT version, name FROM schema_migrations").all()).toEqual([
      { version: 1, name: "initial schema" },
    ]);
    raw.close();
  });

  it("stores bytes shared by several versions and plugins once, and frees them with the last user", () => {
    const path = join(tempDir(), "dedup.db");
    const r = track(openRegistry({ path }));
    const wasm = buildModule({ minSize: 50_000 });
    for (const v of ["1.0.0", "1.0.1", "1.1.0"]) r.registerPlugin(manifest("shared", v), wasm);
    r.registerPlugin(manifest("other", "1.0.0"), wasm);
    r.registerPlugin(manifest("different", "1.0.0"), buildModule({ returns: 3 }));
    const raw = new Database(path, { readonly: true });
    const blobs = () => raw.prepare("SELECT count(*) FROM blobs").pluck().get();
    expect(blobs()).toBe(2);
    r.unregisterPlugin("shared");
    expect(blobs()).toBe(2);
    r.unregisterPlugin("other");
    expect(blobs()).toBe(1);
    raw.close();
  });

  it("sees another connection's writes (one writer, many readers)", () => {
    const path = join(tempDir(), "shared.db");
    const writer = track(openRegistry({ path }));
    const reader = track(openRegistry({ path }));
    writer.registerPlugin(manifest("seen", "1.0.0"), buildModule());
    expect(reader.getManifest("seen").version).toBe("1.0.0");
    expect(reader.searchPlugins({ text: "seen" }).map((p) => p.id)).toEqual(["seen"]);
  });

  it("refuses a file that is not a database with STORAGE_ERROR and a suggestion", () => {
    const path = join(tempDir(), "random.db");
    const noise = new Uint8Array(8192);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919 + 13) & 0xff;
    writeFileSync(path, noise);
    const error = thrown(() => openRegistry({ path }));
    expect(error.code).toBe(ErrorCode.STORAGE_ERROR);
    expect(error.suggestion).toMatch(/not an SQLite database/);
    expect(Buffer.from(readFileSync(path)).equals(Buffer.from(noise))).toBe(true);
  });

  it("refuses another application's SQLite database without touching it", () => {
    const path = join(tempDir(), "other-app.db");
    const other = new Database(path);
    other.exec("CREATE TABLE plugins (id TEXT, secret TEXT); INSERT INTO plugins VALUES ('x', 'keep me')");
    other.close();
    const before = readFileSync(path);
    const error = thrown(() => openRegistry({ path }));
    expect(error.code).toBe(ErrorCode.STORAGE_ERROR);
    expect(error.message).toMatch(/not a wasm-sandbox registry/);
    expect(error.suggestion).toBeTruthy();
    expect(Buffer.from(readFileSync(path)).equals(before)).toBe(true);
  });

  it("refuses a registry written by a newer schema", () => {
    const path = join(tempDir(), "future.db");
    openRegistry({ path }).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const error = thrown(() => openRegistry({ path }));
    expect(error.code).toBe(ErrorCode.STORAGE_ERROR);
    expect(error.suggestion).toMatch(/Upgrade/);
  });

  it("refuses a directory, or a path in a missing directory, as the database", () => {
    const dir = tempDir();
    expect(thrown(() => openRegistry({ path: dir })).code).toBe(ErrorCode.STORAGE_ERROR);
    const missing = thrown(() => openRegistry({ path: join(dir, "no", "such", "dir.db") }));
    expect(missing.code).toBe(ErrorCode.STORAGE_ERROR);
    expect(missing.suggestion).toBeTruthy();
  });

  it("a read-only registry serves reads and refuses writes with STORAGE_ERROR", () => {
    const path = join(tempDir(), "ro.db");
    const w = openRegistry({ path });
    w.registerPlugin(manifest("ro", "1.0.0"), buildModule());
    w.close();
    const r = track(openRegistry({ path, readonly: true }));
    expect(r.getManifest("ro").version).toBe("1.0.0");
    const error = thrown(() => r.registerPlugin(manifest("ro", "2.0.0"), buildModule()));
    expect(error.code).toBe(ErrorCode.STORAGE_ERROR);
    expect(error.suggestion).toMatch(/read-only/);
    expect(thrown(() => r.unregisterPlugin("ro")).code).toBe(ErrorCode.STORAGE_ERROR);
    // A read-only open cannot create a registry.
    expect(thrown(() => openRegistry({ path: `${path}.missing`, readonly: true })).code).toBe(
      ErrorCode.STORAGE_ERROR,
    );
  });

  it("a path the process cannot write is a STORAGE_ERROR", () => {
    if (isRoot) {
      // chmod does not stop root; /proc refuses file creation to everyone.
      const error = thrown(() => openRegistry({ path: "/proc/self/registry.db" }));
      expect(error.code).toBe(ErrorCode.STORAGE_ERROR);
      expect(error.suggestion).toBeTruthy();
      return;
    }
    const dir = join(tempDir(), "locked");
    mkdirSync(dir);
    const path = join(dir, "r.db");
    openRegistry({ path }).close();
    chmodSync(path, 0o444);
    chmodSync(dir, 0o555);
    try {
      const error = thrown(() => {
        const r = openRegistry({ path });
        try {
          r.registerPlugin(manifest("x", "1.0.0"), buildModule());
        } finally {
          r.close();
        }
      });
      expect(error.code).toBe(ErrorCode.STORAGE_ERROR);
      expect(error.suggestion).toBeTruthy();
    } finally {
      chmodSync(dir, 0o755);
      chmodSync(path, 0o644);
    }
  });
});

describe("integrity", () => {
  it("a blob changed in the table behind the registry's back is an INTEGRITY error, never served", () => {
    const path = join(tempDir(), "tamper-table.db");
    const r = track(openRegistry({ path }));
    const wasm = buildModule();
    const { digest } = r.registerPlugin(manifest("victim", "1.0.0"), wasm);
    const raw = new Database(path);
    const evil = buildModule({ returns: 666 });
    raw.prepare("UPDATE blobs SET bytes = ? WHERE digest = ?").run(evil, digest);
    const error = thrown(() => r.getWasm("victim", "1.0.0"));
    expect(error.code).toBe(ErrorCode.INTEGRITY);
    expect(error.message).toContain(digest);
    expect(error.suggestion).toBeTruthy();
    // Registering the genuine bytes again (any version) heals the shared blob.
    r.registerPlugin(manifest("victim", "1.0.1"), wasm);
    expect(Buffer.from(r.getWasm("victim", "1.0.0")).equals(Buffer.from(wasm))).toBe(true);
    // A missing blob is an integrity failure too.
    raw.pragma("foreign_keys = OFF");
    raw.prepare("DELETE FROM blobs").run();
    raw.close();
    expect(thrown(() => r.getWasm("victim", "1.0.1")).code).toBe(ErrorCode.INTEGRITY);
  });

  it("a manifest changed in the table is an INTEGRITY error, never served", () => {
    const path = join(tempDir(), "tamper-manifest.db");
    const r = track(openRegistry({ path }));
    r.registerPlugin(manifest("quiet", "1.0.0"), buildModule());
    const raw = new Database(path);
    const stored = raw.prepare("SELECT manifest FROM versions").pluck().get() as string;
    // Grant network access behind the registry's back.
    const granted = stored.replace('"denyAll":true', '"denyAll":false');
    expect(granted).not.toBe(stored);
    raw.prepare("UPDATE versions SET manifest = ?").run(granted);
    raw.close();
    const error = thrown(() => r.getManifest("quiet"));
    expect(error.code).toBe(ErrorCode.INTEGRITY);
    expect(error.suggestion).toBeTruthy();
  });

  it("a blob modified on disk is an INTEGRITY error", () => {
    const path = join(tempDir(), "tamper-disk.db");
    const r1 = openRegistry({ path });
    const marker = "MARKER-0123456789-MARKER";
    r1.registerPlugin(manifest("disk", "1.0.0"), buildModule({ marker, minSize: 8000 }));
    r1.close(); // checkpoints the WAL into the main file
    const file = readFileSync(path);
    const at = file.indexOf(marker);
    expect(at).toBeGreaterThan(0);
    file[at + 3] = file[at + 3]! ^ 0x20;
    writeFileSync(path, file);
    const r2 = track(openRegistry({ path }));
    expect(r2.getManifest("disk").version).toBe("1.0.0");
    expect(thrown(() => r2.getWasm("disk", "1.0.0")).code).toBe(ErrorCode.INTEGRITY);
  });
});
