/**
 * Every code a validator issue can carry. Codes are part of the public contract (hosts branch on them):
 * never rename one. Each is documented in the README's issue-code table and produced by a fixture test.
 */
export const IssueCode = {
  // --- the bytes (validateWasm, inspectModule) ---
  /** The input has no bytes at all. */
  EMPTY_MODULE: "EMPTY_MODULE",
  /** The first four bytes are not `\0asm`: this is not a WebAssembly binary. */
  BAD_MAGIC: "BAD_MAGIC",
  /** The version field is not 1 (a component, or a future/ancient format). */
  BAD_VERSION: "BAD_VERSION",
  /** The bytes end in the middle of something. */
  TRUNCATED: "TRUNCATED",
  /** A section's declared size disagrees with its contents or with the bytes that follow. */
  SECTION_SIZE_MISMATCH: "SECTION_SIZE_MISMATCH",
  /** An integer (LEB128) is longer or larger than its type allows. */
  MALFORMED_INTEGER: "MALFORMED_INTEGER",
  /** A section id that WebAssembly does not define. */
  UNKNOWN_SECTION: "UNKNOWN_SECTION",
  /** Sections are out of order or repeated. */
  SECTION_ORDER: "SECTION_ORDER",
  /** The function and code sections declare different numbers of functions. */
  FUNCTION_CODE_MISMATCH: "FUNCTION_CODE_MISMATCH",
  /** A function body fails type checking or uses an unknown instruction. */
  INVALID_FUNCTION_BODY: "INVALID_FUNCTION_BODY",
  /** A count or size passes the format but exceeds what engines accept (locals, imports, types, ...). */
  IMPLEMENTATION_LIMIT: "IMPLEMENTATION_LIMIT",
  /** Any other reason the engine rejects the module. */
  INVALID_MODULE: "INVALID_MODULE",
  /** Info: wasm-parser could not represent this module's declarations; the binary reader decoded them. */
  DECODER_FALLBACK: "DECODER_FALLBACK",
  /** An encoding that is recognised but that this validator cannot decode. */
  UNSUPPORTED: "UNSUPPORTED",
  /** The module uses a post-MVP feature the host's feature policy rejects (or warns about). */
  FEATURE_POLICY: "FEATURE_POLICY",

  // --- the manifest (validateManifest) ---
  /**
   * The manifest fails parseManifest (schema and its semantic checks: duplicates, inert permissions, ...);
   * `manifestCode` carries the manifest package's own code. As a warning: a legacy alias was accepted.
   */
  MANIFEST_SCHEMA: "MANIFEST_SCHEMA",
  /** supportsStreaming and executionCategory "Streaming" disagree. */
  STREAMING_MISMATCH: "STREAMING_MISMATCH",
  /** An execution category contradicts the time limits (Instant with 30 s, LongRunning with 100 ms). */
  CATEGORY_TIMEOUT_MISMATCH: "CATEGORY_TIMEOUT_MISMATCH",
  /** An `abi: "command"` entry whose function is not `_start`. */
  COMMAND_ENTRY_NAME: "COMMAND_ENTRY_NAME",
  /** The per-call timeout is larger than the whole-instance time budget. */
  TIMEOUT_EXCEEDS_TOTAL: "TIMEOUT_EXCEEDS_TOTAL",
  /** A manifest limit is above the cap the host configured. */
  LIMIT_ABOVE_HOST: "LIMIT_ABOVE_HOST",

  // --- module against manifest (validatePlugin) ---
  /** An entry point names no export of the module. */
  ENTRY_NOT_EXPORTED: "ENTRY_NOT_EXPORTED",
  /** An entry point names an export that is not a function. */
  ENTRY_NOT_FUNCTION: "ENTRY_NOT_FUNCTION",
  /** An entry point's wasm signature does not fit its ABI kind. */
  ENTRY_SIGNATURE: "ENTRY_SIGNATURE",
  /** No `abi` was given: says which kind was inferred from the module and why. */
  ENTRY_ABI_INFERRED: "ENTRY_ABI_INFERRED",
  /** A json entry in a module that imports nothing from `sandbox` (it cannot read input or write output). */
  JSON_WITHOUT_SANDBOX: "JSON_WITHOUT_SANDBOX",
  /** A command entry in a module without WASI imports (it can see no args and write no output). */
  COMMAND_WITHOUT_WASI: "COMMAND_WITHOUT_WASI",
  /** A streaming entry in a module that does not import `sandbox.emit`. */
  STREAMING_WITHOUT_EMIT: "STREAMING_WITHOUT_EMIT",
  /** An import from a module name nothing provides. */
  UNKNOWN_IMPORT_MODULE: "UNKNOWN_IMPORT_MODULE",
  /** An import of a name the providing module does not have (sandbox.foo, wasi_snapshot_preview1.foo). */
  UNKNOWN_IMPORT: "UNKNOWN_IMPORT",
  /** An import whose kind or signature differs from what the provider defines. */
  IMPORT_SIGNATURE: "IMPORT_SIGNATURE",
  /** A WASI import that links but that the permissions leave powerless (or restricted). */
  WASI_PERMISSION: "WASI_PERMISSION",
  /** A `sandbox` import that the manifest does not grant (refused at link time). */
  SANDBOX_PERMISSION: "SANDBOX_PERMISSION",
  /** A typed `host` import not listed in permissions.hostFunctions. */
  HOST_FUNCTION_NOT_PERMITTED: "HOST_FUNCTION_NOT_PERMITTED",
  /** A memory without a maximum: growth is bounded only by the runtime's cap. */
  MEMORY_UNBOUNDED: "MEMORY_UNBOUNDED",
  /** A memory whose minimum is above the memory limit: instantiation must fail. */
  MEMORY_MIN_ABOVE_LIMIT: "MEMORY_MIN_ABOVE_LIMIT",
  /** A memory whose maximum is above the limit: the runtime lowers it. */
  MEMORY_MAX_CAPPED: "MEMORY_MAX_CAPPED",
  /** A 64-bit memory (memory64): its limits are not enforced by this sandbox. */
  MEMORY64: "MEMORY64",
  /** A table without a maximum. */
  TABLE_UNBOUNDED: "TABLE_UNBOUNDED",
  /** A table whose minimum is above tableElements: instantiation must fail. */
  TABLE_MIN_ABOVE_LIMIT: "TABLE_MIN_ABOVE_LIMIT",
  /** A table whose maximum is above tableElements: the runtime lowers it. */
  TABLE_MAX_CAPPED: "TABLE_MAX_CAPPED",
  /** The module has a start function: it runs during instantiation, before any entry point. */
  START_FUNCTION: "START_FUNCTION",
  /** A mutable global is exported: the host can observe or change guest state through it. */
  MUTABLE_GLOBAL_EXPORT: "MUTABLE_GLOBAL_EXPORT",
  /** Shared memory while permissions.maxThreads is 0. */
  SHARED_MEMORY: "SHARED_MEMORY",

  // --- security audit (securityAudit) ---
  /** Network access is enabled. */
  NETWORK_ACCESS: "NETWORK_ACCESS",
  /** Network access to a wildcard domain. */
  NETWORK_WILDCARD: "NETWORK_WILDCARD",
  /** Filesystem read access. */
  FILESYSTEM_READ: "FILESYSTEM_READ",
  /** Filesystem write access. */
  FILESYSTEM_WRITE: "FILESYSTEM_WRITE",
  /** Host functions are exposed. */
  HOST_FUNCTIONS: "HOST_FUNCTIONS",
  /** An environment variable whose name suggests a secret is exposed. */
  SECRET_ENV_VAR: "SECRET_ENV_VAR",
  /** The real clock is exposed (precise timing enables side channels). */
  PRECISE_CLOCK: "PRECISE_CLOCK",
  /** A limit is far above the secure default. */
  GENEROUS_LIMIT: "GENEROUS_LIMIT",
} as const;

export type IssueCode = (typeof IssueCode)[keyof typeof IssueCode];

/** How much an issue matters: `error` and `critical` make a verdict fail. */
export type Severity = "info" | "warning" | "error" | "critical";

export const SEVERITIES: readonly Severity[] = ["info", "warning", "error", "critical"];
