import {
  ErrorCode,
  InvalidInputError,
  type Issue,
  SandboxError,
  ValidationFailedError,
} from "@wasm-sandbox/manifest";
import type { z } from "zod";
import { formatBytes } from "./format.js";

/** The JSON body of every failed API call. */
export interface ErrorBody {
  error: {
    code: string;
    message: string;
    suggestion?: string;
    context?: Record<string, unknown>;
    issues?: readonly Issue[];
  };
}

/** HTTP status codes the API answers with. */
export type ErrorStatus = 400 | 404 | 409 | 413 | 422 | 500;

/**
 * Maps an error code to an HTTP status: the caller's mistakes are 4xx, what the plugin did while running
 * (trap, timeout, exhaustion, its own error) is 422 (the request was fine, the plugin failed), bugs are 500.
 */
const STATUS: Partial<Record<ErrorCode, ErrorStatus>> = {
  [ErrorCode.INVALID_INPUT]: 400,
  [ErrorCode.INVALID_ARGUMENT]: 400,
  [ErrorCode.INVALID_UNIT]: 400,
  [ErrorCode.INVALID_MANIFEST]: 422,
  [ErrorCode.INVALID_MODULE]: 422,
  [ErrorCode.VALIDATION_FAILED]: 422,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.TIMEOUT]: 422,
  [ErrorCode.RESOURCE_EXHAUSTED]: 422,
  [ErrorCode.TRAP]: 422,
  [ErrorCode.PLUGIN_ERROR]: 422,
  [ErrorCode.LINK_ERROR]: 422,
  [ErrorCode.SECURITY_VIOLATION]: 422,
  [ErrorCode.DEPENDENCY_ERROR]: 422,
  [ErrorCode.UNSUPPORTED]: 422,
  [ErrorCode.INTEGRITY]: 500,
  [ErrorCode.STORAGE_ERROR]: 500,
  [ErrorCode.INTERNAL]: 500,
};

/** A request that is too large; answered with 413 before any plugin code sees it. */
export class PayloadTooLargeError extends InvalidInputError {
  constructor(what: string, size: number | undefined, max: number) {
    super(
      size === undefined
        ? `${what} is over the limit of ${formatBytes(max)} (${max} bytes)`
        : `${what} is ${formatBytes(size)} (${size} bytes), over the limit of ${formatBytes(max)} (${max} bytes)`,
      [],
      {
        suggestion: `Upload at most ${formatBytes(max)} for ${what}.`,
        context: { max, ...(size === undefined ? {} : { size }) },
      },
    );
  }
}

/** Turns a zod failure on a request into the same error shape as everything else. */
export function requestInvalid(what: string, error: z.ZodError): InvalidInputError {
  const issues = error.issues.map((i) => ({ code: i.code, path: i.path.map(String), message: i.message }));
  const first = issues[0];
  const where = first && first.path.length > 0 ? ` at ${first.path.join(".")}` : "";
  return new InvalidInputError(`Invalid ${what}${where}: ${first?.message ?? "unknown problem"}`, issues, {
    suggestion: "Fix the request body; apps/playground/README.md documents every field.",
  });
}

/** Any thrown value as a status and a JSON body; never leaks a stack trace. */
export function errorResponse(error: unknown): { status: ErrorStatus; body: ErrorBody } {
  if (error instanceof PayloadTooLargeError) return { status: 413, body: toBody(error) };
  if (SandboxError.is(error)) return { status: STATUS[error.code] ?? 500, body: toBody(error) };
  const message = error instanceof Error ? error.message : String(error);
  return {
    status: 500,
    body: {
      error: {
        code: ErrorCode.INTERNAL,
        message: `Unexpected error: ${message}`,
        suggestion: "This is a bug in the playground; the server log has details.",
      },
    },
  };
}

function toBody(error: SandboxError): ErrorBody {
  const issues = (error as { issues?: readonly Issue[] }).issues;
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.suggestion === undefined ? {} : { suggestion: error.suggestion }),
      ...(Object.keys(error.context).length === 0 ? {} : { context: jsonSafe(error.context) }),
      ...(Array.isArray(issues) && issues.length > 0 ? { issues } : {}),
    },
  };
}

/** Context may hold bigints (i64 values, fuel); JSON cannot. */
export function jsonSafe<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
}

/** Registration refused because the static checks found errors. */
export class ValidationRefused extends ValidationFailedError {
  constructor(issues: readonly (Issue & { severity: string })[]) {
    const failing = issues.filter((i) => i.severity === "error" || i.severity === "critical");
    super(
      `The plugin was not registered: ${failing.length} error${failing.length === 1 ? "" : "s"} found (${failing[0]?.message ?? "see issues"})`,
      failing.map(({ code, path, message, suggestion }) => ({
        code,
        path,
        message,
        ...(suggestion ? { suggestion } : {}),
      })),
      { suggestion: failing[0]?.suggestion ?? "Fix the listed errors and upload again." },
    );
  }
}
