import type { Permissions, ResourceLimits } from "@wasm-sandbox/manifest";

export interface WasiOptions {
  /** The plugin's permissions (output of the manifest schema). */
  permissions: Permissions;
  /** The plugin's limits: maxReadBytes, maxWriteBytes, maxOpenFiles, maxOutput and timeout are enforced here. */
  limits: ResourceLimits;
  /**
   * Guest directory -> host directory, for every entry of `permissions.filesystem.readPaths` and
   * `writePaths`. A granted path without a mount makes createWasi throw SandboxError INVALID_ARGUMENT
   * (nothing is mounted implicitly); mounts for paths the permissions do not grant are not exposed.
   */
  mounts?: Record<string, string>;
  /**
   * Granted guest path -> the name fd_prestat_dir_name reports for its preopen (default: the path itself).
   * For programs that find their directory by a relative name, e.g. `{ "/fs-tests.dir": "fs-tests.dir" }`.
   * Only the label changes; a key that is not a granted path throws SandboxError INVALID_ARGUMENT.
   */
  preopenNames?: Record<string, string>;
  /** Values supplied by the embedder; only names listed in `permissions.envVars` are visible to the guest. */
  env?: Record<string, string>;
  /** Refuse at link time (checkImports) the imports that the permissions leave powerless. */
  strict?: boolean;
  /** The instant (ns since the Unix epoch) a "frozen" clock shows. Default 2024-01-01T00:00:00Z. */
  clockEpoch?: bigint;
  /** argv[0] as the guest sees it. Default "plugin". */
  programName?: string;
  /** Total bytes the private in-memory /tmp may hold (tempDirAccess). Default 64 MiB. */
  tempDirMaxBytes?: number;
  /**
   * When the current call must end, as a `performance.now()` timestamp. poll_oneoff never sleeps past it:
   * a sleep that would is cut at the deadline and throws TimeoutError. Default: `limits.timeout` after
   * beginCall.
   */
  deadline?: () => number;
}

/** Input of one call of a WASI program. */
export interface WasiCallIo {
  /** Arguments after argv[0] (argv[0] is `programName`). */
  args?: string[];
  /** Per-call variables, merged over `WasiOptions.env`, filtered by `permissions.envVars` likewise. */
  env?: Record<string, string>;
  /** Bytes the guest reads from fd 0. */
  stdin?: Uint8Array;
}

export interface WasiDenial {
  /** The WASI function that was refused. */
  function: string;
  /** The permission (or limit) that would have allowed it. */
  permission: string;
}

export interface WasiUsage {
  filesOpened: number;
  bytesRead: number;
  bytesWritten: number;
  /** Attempts to use something not granted (escapes, denied capabilities, environ without permission). */
  securityEvents: number;
  /** What was refused: denied capabilities and exhausted limits (`permission` then names the limit). */
  denied: WasiDenial[];
}

export interface WasiCallResult {
  stdout: Uint8Array;
  stderr: Uint8Array;
  usage: WasiUsage;
}

/** A WASI function as it sits in the import object. */
export type WasiFunction = (...args: never[]) => unknown;

export interface Wasi {
  /** Every wasi_snapshot_preview1 function, for `{ wasi_snapshot_preview1: wasi.imports }`. */
  readonly imports: Record<string, WasiFunction>;
  /**
   * Checks a module's wasi_snapshot_preview1 import names: an unknown name always throws LinkError; in
   * strict mode a function the permissions leave powerless throws LinkError naming it and the permission.
   */
  checkImports(names: readonly string[]): void;
  /**
   * The instance's exported memory; call after instantiation, before the first call. Binding a different
   * memory means a new instance: the previous instance's descriptors are closed, the table starts over
   * (stdio, then the preopens from fd 3) and a seeded random stream restarts; /tmp contents stay.
   */
  bindMemory(memory: WebAssembly.Memory): void;
  /** Starts a call: sets argv, environment and stdin, resets output, budgets and usage. */
  beginCall(io?: WasiCallIo): void;
  /** Ends a call: the captured stdout/stderr and what the call used. */
  endCall(): WasiCallResult;
}
