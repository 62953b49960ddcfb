import {
  ErrorCode,
  NotFoundError,
  PluginIdSchema,
  type PluginManifest,
  SandboxError,
} from "@wasm-sandbox/manifest";
import { PluginValidator } from "@wasm-sandbox/validator";
import semver from "semver";
import { canonicalJson } from "./canonical-json.js";
import { capabilitiesOf } from "./capabilities.js";
import { openDatabase } from "./db/open.js";
import type { VersionRow } from "./db/rows.js";
import { compileSearch } from "./db/search.js";
import { guardStorage } from "./db/storage-error.js";
import { RegistryStore } from "./db/store.js";
import { sha256Hex } from "./digest.js";
import { TypedEvents } from "./events.js";
import { type DependencyResolution, resolveDependencies } from "./resolve.js";
import { closestId } from "./suggest.js";
import type {
  OpenRegistryOptions,
  PluginQuery,
  PluginSummary,
  RegistrationResult,
  RegistryEvents,
  SearchResult,
  UnregisterOptions,
  UnregisterResult,
} from "./types.js";
import { assertBytes, checkPlugin } from "./validate.js";
import { isExactVersion, precedenceKey } from "./version-key.js";

const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * Opens a plugin registry stored in SQLite at `path` (created if missing; ":memory:" for a throwaway one).
 * Throws STORAGE_ERROR when the file cannot be opened or is not a registry.
 */
export function openRegistry(options: OpenRegistryOptions): PluginRegistry {
  if (
    typeof options !== "object" ||
    options === null ||
    typeof options.path !== "string" ||
    options.path === ""
  ) {
    throw new SandboxError(ErrorCode.INVALID_ARGUMENT, "openRegistry needs { path }", {
      suggestion: 'Pass { path: "plugins.db" } for a file, or { path: ":memory:" } for a throwaway registry.',
    });
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  if (!Number.isFinite(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new SandboxError(ErrorCode.INVALID_ARGUMENT, "busyTimeoutMs must be a non-negative number", {
      suggestion: "Pass milliseconds, e.g. { busyTimeoutMs: 5000 }.",
    });
  }
  const validator = new PluginValidator(options.validator ?? {});
  const db = openDatabase({ path: options.path, readonly: options.readonly === true, busyTimeoutMs });
  return new PluginRegistry(new RegistryStore(db), options.path, validator);
}

/**
 * A persistent store of plugins: manifests, content-addressed wasm bytes, search and dependency resolution.
 *
 * The API is synchronous on purpose: better-sqlite3 is synchronous and every operation is a short local
 * transaction, so a Promise would add latency without freeing the event loop. (A network backend would get
 * its own async interface.)
 */
export class PluginRegistry {
  readonly path: string;
  readonly #store: RegistryStore;
  readonly #validator: PluginValidator;
  readonly #events = new TypedEvents<RegistryEvents>();
  #closed = false;

  /** Use `openRegistry`. */
  constructor(store: RegistryStore, path: string, validator: PluginValidator = new PluginValidator()) {
    this.#store = store;
    this.#validator = validator;
    this.path = path;
  }

  /**
   * Validates and stores one plugin version. Identical re-registration (same manifest, same bytes) is a no-op
   * returning `created: false`; anything else under an existing id and version is a CONFLICT.
   */
  registerPlugin(manifest: unknown, wasmBytes: Uint8Array): RegistrationResult {
    const store = this.#open();
    const bytes = assertBytes(wasmBytes, "wasmBytes");
    const checked = checkPlugin(manifest, bytes, this.#validator);
    const digest = sha256Hex(bytes);
    const parsed = checked.manifest;
    const manifestJson = canonicalJson(parsed);
    const outcome = guardStorage(
      `register ${parsed.id}@${parsed.version}`,
      () =>
        store.insertVersion({
          manifest: parsed,
          manifestJson,
          bytes,
          digest,
          capabilities: capabilitiesOf(parsed),
          warnings: checked.warnings,
        }),
      { path: this.path },
    );
    const result: RegistrationResult = {
      id: parsed.id,
      version: parsed.version,
      digest,
      size: bytes.length,
      created: outcome.created,
      warnings: outcome.created ? checked.warnings : outcome.warnings,
    };
    if (outcome.created) {
      this.#events.emit("registered", { id: parsed.id, version: parsed.version, digest, manifest: parsed });
    }
    return result;
  }

  /**
   * Removes one version, or every version of `id` when `version` is omitted. Refuses (DEPENDENCY_ERROR) when
   * a registered plugin's required dependency would be left without a satisfying version, unless `force`.
   */
  unregisterPlugin(id: string, version?: string, options?: UnregisterOptions): UnregisterResult;
  /** Removes every version of `id` (the options may come second). */
  unregisterPlugin(id: string, options: UnregisterOptions): UnregisterResult;
  unregisterPlugin(
    id: string,
    versionOrOptions?: string | UnregisterOptions,
    options: UnregisterOptions = {},
  ): UnregisterResult {
    const store = this.#open();
    checkId(id);
    let version: string | undefined;
    if (typeof versionOrOptions === "object" && versionOrOptions !== null) options = versionOrOptions;
    else version = versionOrOptions;
    if (version !== undefined && (typeof version !== "string" || !isExactVersion(version))) {
      throw new SandboxError(
        ErrorCode.INVALID_ARGUMENT,
        `${JSON.stringify(version)} is not a semantic version`,
        {
          suggestion: 'Pass an exact version such as "1.2.3", or omit it to remove every version.',
        },
      );
    }
    const force = options.force === true;
    const removed = guardStorage(
      `unregister ${id}`,
      () =>
        store.db
          .transaction(() => {
            const all = store.versions(id);
            const key = version === undefined ? undefined : precedenceKey(version);
            const targets = key === undefined ? all : all.filter((v) => precedenceKey(v) === key);
            if (targets.length === 0) throw this.#notFound(id, version, all);
            if (!force) {
              const blocking = store.dependentsBlocking(id, targets);
              if (blocking.length > 0) {
                const names = blocking.map((d) => `${d.id}@${d.version} (${d.range})`);
                throw new SandboxError(
                  ErrorCode.DEPENDENCY_ERROR,
                  `Cannot unregister ${id}${version ? `@${version}` : ""}: required by ${names.slice(0, 5).join(", ")}${names.length > 5 ? ` and ${names.length - 5} more` : ""}`,
                  {
                    suggestion:
                      "Unregister the dependent plugins first, or pass { force: true } to remove it anyway.",
                    context: { id, version, dependents: blocking },
                  },
                );
              }
            }
            return store.deleteVersions(id, targets);
          })
          .immediate(),
      { path: this.path },
    );
    const versions = removed.map((r) => r.version).reverse();
    for (const row of removed) {
      this.#events.emit("unregistered", { id, version: row.version, digest: row.wasm_digest, forced: force });
    }
    return { id, versions };
  }

  /** The manifest of the highest version of `id` satisfying `versionRange` (any version when omitted). */
  getManifest(id: string, versionRange?: string): PluginManifest {
    const row = this.#find(id, versionRange);
    const store = this.#open();
    return guardStorage("read a manifest", () => store.readManifest(row), {
      id,
      version: row.version,
    });
  }

  /**
   * The wasm bytes of `id@version` (or of the highest version in a range, or of the highest version when
   * omitted), verified against their sha256.
   */
  getWasm(id: string, version?: string): Uint8Array {
    const row = this.#find(id, version);
    const store = this.#open();
    return guardStorage("read wasm bytes", () => store.readBlob(row.wasm_digest, `${id}@${row.version}`), {
      id,
      version: row.version,
    });
  }

  /** Every plugin, by id, showing its highest version and listing all its versions. */
  listPlugins(): PluginSummary[] {
    const store = this.#open();
    return guardStorage("list plugins", () => store.list());
  }

  /**
   * Full-text search with filters; one result per plugin (its highest matching version), best first. A
   * string is shorthand for `{ text }`.
   */
  searchPlugins(query: PluginQuery | string = {}): SearchResult[] {
    const store = this.#open();
    const compiled = compileSearch(typeof query === "string" ? { text: query } : query);
    return guardStorage("search plugins", () => store.search(compiled));
  }

  /**
   * Resolves the dependencies of `id` (its highest version, or the highest in `version`, an exact version or
   * a range). Never throws for an unresolvable graph: `problems` lists conflicts, cycles and missing plugins
   * (use `assertResolved` to throw DEPENDENCY_ERROR instead); `order` is the install/load order.
   */
  getDependencies(id: string, version?: string): DependencyResolution {
    const store = this.#open();
    return guardStorage("resolve dependencies", () =>
      store.db.transaction(() => {
        const row = this.#find(id, version);
        return resolveDependencies(store.dependencySource(), id, row.version);
      })(),
    );
  }

  /** Subscribes to `registered` / `unregistered` (changes made through this registry object). */
  on<K extends keyof RegistryEvents>(event: K, listener: (event: RegistryEvents[K]) => void): () => void {
    if (event !== "registered" && event !== "unregistered") {
      throw new SandboxError(ErrorCode.INVALID_ARGUMENT, `Unknown registry event "${String(event)}"`, {
        suggestion: 'Listen to "registered" or "unregistered".',
      });
    }
    if (typeof listener !== "function") {
      throw new SandboxError(ErrorCode.INVALID_ARGUMENT, "on() needs a listener function", {
        suggestion: "Pass a function that receives the event.",
      });
    }
    return this.#events.on(event, listener);
  }

  /** Closes the database; later calls throw INVALID_ARGUMENT. Closing twice is harmless. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#events.clear();
    this.#store.db.close();
  }

  get closed(): boolean {
    return this.#closed;
  }

  #open(): RegistryStore {
    if (this.#closed) {
      throw new SandboxError(ErrorCode.INVALID_ARGUMENT, "The registry is closed", {
        suggestion: "Open it again with openRegistry() before using it.",
        context: { path: this.path },
      });
    }
    return this.#store;
  }

  #find(id: string, range: string | undefined): VersionRow {
    const store = this.#open();
    checkId(id);
    if (range !== undefined && (typeof range !== "string" || semver.validRange(range) === null)) {
      throw new SandboxError(
        ErrorCode.INVALID_ARGUMENT,
        `${JSON.stringify(range)} is not a version or range`,
        {
          suggestion: 'Pass a version ("1.2.3") or a semver range ("^1.2.0", ">=1.0.0 <2.0.0").',
        },
      );
    }
    const row = guardStorage("look up a plugin", () => store.findVersion(id, range), { id });
    if (row !== undefined) return row;
    throw this.#notFound(
      id,
      range,
      guardStorage("look up a plugin", () => store.versions(id)),
    );
  }

  #notFound(id: string, range: string | undefined, versions: readonly string[]): NotFoundError {
    if (versions.length === 0) {
      const near = closestId(id, this.#store.pluginIds());
      return new NotFoundError(`No plugin "${id}" is registered`, {
        suggestion: near
          ? `Did you mean "${near}"?`
          : "Register it first with registerPlugin(), or check the id with listPlugins().",
        context: { id },
      });
    }
    const shown = versions.slice(0, 10).join(", ");
    return new NotFoundError(`No version of "${id}" matches ${range}`, {
      suggestion: `Registered versions: ${shown}${versions.length > 10 ? ", ..." : ""}.`,
      context: { id, range, available: versions.slice(0, 100) },
    });
  }
}

function checkId(id: unknown): asserts id is string {
  if (!PluginIdSchema.safeParse(id).success) {
    throw new SandboxError(ErrorCode.INVALID_ARGUMENT, `${JSON.stringify(id)} is not a plugin id`, {
      suggestion:
        'Plugin ids are lowercase words with "-", "_" or ".", optionally namespaced: "acme/text-tools".',
    });
  }
}
