/**
 * The error model shared by every @wasm-sandbox package: one base class, stable string codes from one map,
 * and a brand that survives duplicate installs (two copies of this package in one process).
 */

/** Every error code any package throws or reports. Codes are part of the public contract: never rename one. */
export const ErrorCode = {
  /** A manifest failed its schema or semantic checks. */
  INVALID_MANIFEST: "INVALID_MANIFEST",
  /** Bytes are not a valid WebAssembly module. */
  INVALID_MODULE: "INVALID_MODULE",
  /** A plugin failed validation against its manifest or the host's policy. */
  VALIDATION_FAILED: "VALIDATION_FAILED",
  /** The plugin tried something its permissions do not grant. */
  SECURITY_VIOLATION: "SECURITY_VIOLATION",
  /** A budget ran out: memory, fuel, stack, output, log, io, ... (see `kind`). */
  RESOURCE_EXHAUSTED: "RESOURCE_EXHAUSTED",
  /** A call or the instance ran past its wall-clock limit. */
  TIMEOUT: "TIMEOUT",
  /** The guest trapped (see `trapKind`). */
  TRAP: "TRAP",
  /** An import could not be provided (unknown, or not granted). */
  LINK_ERROR: "LINK_ERROR",
  /** Call parameters do not fit the entry point. */
  INVALID_INPUT: "INVALID_INPUT",
  /** The guest reported an error through the ABI. */
  PLUGIN_ERROR: "PLUGIN_ERROR",
  /** The plugin, version, entry point or file asked for does not exist. */
  NOT_FOUND: "NOT_FOUND",
  /** Something with that identity already exists and differs. */
  CONFLICT: "CONFLICT",
  /** Stored bytes do not match their digest. */
  INTEGRITY: "INTEGRITY",
  /** Dependencies cannot be resolved (conflict, cycle, missing). */
  DEPENDENCY_ERROR: "DEPENDENCY_ERROR",
  /** A live reload was refused because the new version is not compatible. */
  INCOMPATIBLE_RELOAD: "INCOMPATIBLE_RELOAD",
  /** The feature or encoding is recognised but not supported. */
  UNSUPPORTED: "UNSUPPORTED",
  /** The storage backend failed (unreadable, read-only, not a registry). */
  STORAGE_ERROR: "STORAGE_ERROR",
  /** An API was called wrongly by the host program (wrong argument type, closed object, ...). */
  INVALID_ARGUMENT: "INVALID_ARGUMENT",
  /** A size or duration string could not be understood. */
  INVALID_UNIT: "INVALID_UNIT",
  /** A bug in the sandbox itself. */
  INTERNAL: "INTERNAL",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const BRAND = Symbol.for("@wasm-sandbox/error");

export interface SandboxErrorOptions {
  cause?: unknown;
  /** What the user can do about it, in one sentence. */
  suggestion?: string;
  /** Anything that helps locate the failure: instance id, entry point, path, offset, limit, used, ... */
  context?: Record<string, unknown>;
}

/** The base class of every error thrown by @wasm-sandbox packages. Recognise it by `code` or `SandboxError.is`. */
export class SandboxError extends Error {
  readonly code: ErrorCode;
  readonly suggestion: string | undefined;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: SandboxErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.suggestion = options.suggestion;
    this.context = Object.freeze({ ...options.context });
    Object.defineProperty(this, BRAND, { value: true });
  }

  /**
   * True for any SandboxError, from this copy of the package or another one, optionally of one code.
   * Use instead of `instanceof`, which fails across duplicate installs.
   */
  static is(value: unknown, code?: ErrorCode): value is SandboxError {
    if (typeof value !== "object" || value === null) return false;
    if ((value as Record<symbol, unknown>)[BRAND] !== true) return false;
    return code === undefined || (value as SandboxError).code === code;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      suggestion: this.suggestion,
      context: this.context,
    };
  }
}

/** One problem found in a manifest, plugin or module. */
export interface Issue {
  code: string;
  /** Where: a JSON path into the manifest (`["entryPoints", 0, "functionName"]`) or a module location. */
  path: (string | number)[];
  message: string;
  suggestion?: string;
}

export class ManifestError extends SandboxError {
  readonly issues: readonly Issue[];
  constructor(issues: readonly Issue[], options: SandboxErrorOptions = {}) {
    const first = issues[0];
    const where = first && first.path.length > 0 ? ` at ${first.path.join(".")}` : "";
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
    super(
      ErrorCode.INVALID_MANIFEST,
      `Invalid manifest${where}: ${first?.message ?? "unknown problem"}${more}`,
      {
        suggestion:
          first?.suggestion ??
          "Fix the listed issues; the JSON Schema in @wasm-sandbox/manifest/schema.json describes every field.",
        ...options,
      },
    );
    this.issues = issues;
  }
}

/** What ran out. */
export type ResourceKind = "memory" | "table" | "fuel" | "stack" | "output" | "log" | "io" | "files" | "time";

export class ResourceExhaustedError extends SandboxError {
  readonly kind: ResourceKind;
  readonly limit: number;
  readonly used: number;
  constructor(
    kind: ResourceKind,
    limit: number,
    used: number,
    message?: string,
    options: SandboxErrorOptions = {},
  ) {
    super(
      ErrorCode.RESOURCE_EXHAUSTED,
      message ?? `Plugin exhausted its ${kind} budget (limit ${limit}, used ${used})`,
      {
        suggestion:
          options.suggestion ??
          `Raise limits for ${kind} in the manifest or host options, or reduce the plugin's ${kind} use.`,
        ...options,
        context: { kind, limit, used, ...options.context },
      },
    );
    this.kind = kind;
    this.limit = limit;
    this.used = used;
  }
}

export class TimeoutError extends SandboxError {
  /** The limit in milliseconds. */
  readonly limitMs: number;
  readonly elapsedMs: number;
  constructor(limitMs: number, elapsedMs: number, message?: string, options: SandboxErrorOptions = {}) {
    super(
      ErrorCode.TIMEOUT,
      message ?? `Plugin call exceeded its time limit of ${limitMs} ms (ran ${Math.round(elapsedMs)} ms)`,
      {
        suggestion:
          options.suggestion ?? "Raise the execution time limit, or make the plugin do less per call.",
        ...options,
        context: { limitMs, elapsedMs, ...options.context },
      },
    );
    this.limitMs = limitMs;
    this.elapsedMs = elapsedMs;
  }
}

/** How the guest trapped. */
export type TrapKind =
  | "unreachable"
  | "out-of-bounds"
  | "divide-by-zero"
  | "integer-overflow"
  | "invalid-conversion"
  | "indirect-call-type-mismatch"
  | "undefined-element"
  | "null-reference"
  | "misaligned-access"
  | "table-out-of-bounds"
  | "start-function"
  | "unknown";

export class TrapError extends SandboxError {
  readonly trapKind: TrapKind;
  constructor(trapKind: TrapKind, message: string, options: SandboxErrorOptions = {}) {
    super(ErrorCode.TRAP, message, {
      suggestion:
        options.suggestion ??
        "The plugin hit a WebAssembly trap: this is a bug in the plugin, report it to its author.",
      ...options,
      context: { trapKind, ...options.context },
    });
    this.trapKind = trapKind;
  }
}

export class SecurityViolationError extends SandboxError {
  constructor(message: string, options: SandboxErrorOptions = {}) {
    super(ErrorCode.SECURITY_VIOLATION, message, options);
  }
}

export class LinkError extends SandboxError {
  constructor(message: string, options: SandboxErrorOptions = {}) {
    super(ErrorCode.LINK_ERROR, message, options);
  }
}

export class InvalidInputError extends SandboxError {
  readonly issues: readonly Issue[];
  constructor(message: string, issues: readonly Issue[] = [], options: SandboxErrorOptions = {}) {
    super(ErrorCode.INVALID_INPUT, message, options);
    this.issues = issues;
  }
}

export class PluginError extends SandboxError {
  constructor(message: string, options: SandboxErrorOptions = {}) {
    super(ErrorCode.PLUGIN_ERROR, message, {
      suggestion:
        options.suggestion ?? "The plugin reported this error itself; check its input or its documentation.",
      ...options,
    });
  }
}

export class NotFoundError extends SandboxError {
  constructor(message: string, options: SandboxErrorOptions = {}) {
    super(ErrorCode.NOT_FOUND, message, options);
  }
}

export class IntegrityError extends SandboxError {
  constructor(message: string, options: SandboxErrorOptions = {}) {
    super(ErrorCode.INTEGRITY, message, {
      suggestion:
        options.suggestion ??
        "The stored bytes were changed outside the sandbox: re-register the plugin from a trusted source.",
      ...options,
    });
  }
}

export class IncompatibleReloadError extends SandboxError {
  constructor(message: string, options: SandboxErrorOptions = {}) {
    super(ErrorCode.INCOMPATIBLE_RELOAD, message, options);
  }
}

/** A validator verdict turned into an exception, for hosts that want to throw on a failed check. */
export class ValidationFailedError extends SandboxError {
  readonly issues: readonly Issue[];
  constructor(message: string, issues: readonly Issue[], options: SandboxErrorOptions = {}) {
    super(ErrorCode.VALIDATION_FAILED, message, options);
    this.issues = issues;
  }
}
