import type { PluginManifest } from "@wasm-sandbox/manifest";
import type { ValidatorOptions } from "@wasm-sandbox/validator";
import type { PluginIssue } from "./validate.js";

export interface OpenRegistryOptions {
  /** A file path for a persistent registry, or ":memory:" for tests and short-lived hosts. */
  path: string;
  /** Open without write access: reads work, every write is a STORAGE_ERROR. The file must exist. */
  readonly?: boolean;
  /** How long a writer waits for another process's write lock before STORAGE_ERROR (default 5000 ms). */
  busyTimeoutMs?: number;
  /**
   * The validator's host options applied to every registration: `limits` caps (a manifest asking for more
   * is refused) and the post-MVP `features` policy (`{ threads: "reject", simd: "warn" }`).
   */
  validator?: ValidatorOptions;
}

/** One registered plugin version, without its bytes. */
export interface PluginVersionInfo {
  id: string;
  version: string;
  name: string;
  description: string;
  author: string | undefined;
  tags: string[];
  /** What the manifest's permissions grant, in the search vocabulary (see `capabilitiesOf`). */
  capabilities: string[];
  /** sha256 of the wasm bytes, lower-case hex. */
  digest: string;
  size: number;
  /** ISO 8601 time of registration. */
  registeredAt: string;
}

/** A plugin as `listPlugins` shows it: its highest version, plus every registered version. */
export interface PluginSummary extends PluginVersionInfo {
  /** Every registered version, lowest to highest precedence. */
  versions: string[];
}

export interface PluginQuery {
  /** Words to find in the name, description and tags (all must occur); any punctuation is a separator. */
  text?: string;
  /** Exact author, case-insensitive. */
  author?: string;
  /** Tags the version must carry, all of them, case-insensitive. */
  tags?: string[];
  /** Only versions with at least this precedence (a semantic version). */
  minVersion?: string;
  /** Capabilities the version must be granted, all of them (see the vocabulary in the README). */
  requiredCapabilities?: string[];
  /** Most results returned (default 50, at most 1000). */
  limit?: number;
}

/** A search hit: the highest version of a plugin that matches every filter. */
export interface SearchResult extends PluginVersionInfo {
  /** Relevance from bm25 (higher is better); 0 when the query has no text. */
  score: number;
}

export interface RegistrationResult {
  id: string;
  version: string;
  digest: string;
  size: number;
  /** False when exactly this plugin was already registered (same manifest, same bytes): nothing changed. */
  created: boolean;
  /** Manifest warnings and non-blocking validator findings. */
  warnings: PluginIssue[];
}

export interface UnregisterOptions {
  /** Remove even what registered plugins depend on (their dependencies become missing). */
  force?: boolean;
}

export interface UnregisterResult {
  id: string;
  /** The versions removed, lowest first. */
  versions: string[];
}

export interface RegisteredEvent {
  id: string;
  version: string;
  digest: string;
  manifest: PluginManifest;
}

export interface UnregisteredEvent {
  id: string;
  version: string;
  digest: string;
  forced: boolean;
}

export interface RegistryEvents {
  registered: RegisteredEvent;
  unregistered: UnregisteredEvent;
}
