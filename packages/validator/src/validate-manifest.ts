import {
  ErrorCode,
  type Issue,
  type PluginManifest,
  parseManifest,
  type ResourceLimits,
  SandboxError,
} from "@wasm-sandbox/manifest";
import { IssueCode, type Severity } from "./codes.js";
import { issue, type ValidationWarning } from "./issues.js";
import type { ValidatorOptions } from "./options.js";

/** The manifest package's issue, in the validator's shape (code MANIFEST_SCHEMA, original code kept). */
function fromManifestIssue(i: Issue, severity: Severity): ValidationWarning {
  const out = issue(severity, IssueCode.MANIFEST_SCHEMA, i.message, i.path, i.suggestion);
  out.manifestCode = i.code;
  return out;
}

export type ParsedManifest =
  | { ok: true; manifest: PluginManifest; issues: ValidationWarning[] }
  | { ok: false; issues: ValidationWarning[] };

/** Parses with @wasm-sandbox/manifest's parseManifest (JSON text or data, units, aliases). */
export function parseForValidation(input: unknown): ParsedManifest {
  const result = parseManifest(input);
  if (!result.success) return { ok: false, issues: result.issues.map((i) => fromManifestIssue(i, "error")) };
  return {
    ok: true,
    manifest: result.manifest,
    issues: result.warnings.map((i) => fromManifestIssue(i, "warning")),
  };
}

/**
 * When a category contradicts the per-call timeout (ms): an Instant entry allowed 30 s, a LongRunning
 * one cut at 100 ms. Categories describe expected latency: Instant < 1 ms, Fast < 10 ms, Standard < 1 s,
 * LongRunning seconds to minutes.
 */
const CATEGORY_TIMEOUTS: Record<string, { maxTimeout?: number; minTimeout?: number; expect: string }> = {
  Instant: { maxTimeout: 1_000, expect: "finishes in about a millisecond" },
  Fast: { maxTimeout: 10_000, expect: "finishes in a few milliseconds" },
  LongRunning: { minTimeout: 1_000, expect: "runs for seconds or longer" },
};

function categoryIssues(manifest: PluginManifest): ValidationWarning[] {
  const out: ValidationWarning[] = [];
  const timeout = manifest.limits.timeout;
  manifest.entryPoints.forEach((entry, i) => {
    const where = ["entryPoints", i];
    const streamingCategory = entry.executionCategory === "Streaming";
    if (streamingCategory !== entry.supportsStreaming) {
      out.push(
        issue(
          "error",
          IssueCode.STREAMING_MISMATCH,
          streamingCategory
            ? `Entry point "${entry.functionName}" has executionCategory "Streaming" but supportsStreaming is false.`
            : `Entry point "${entry.functionName}" sets supportsStreaming but its executionCategory is "${entry.executionCategory}", not "Streaming".`,
          [...where, streamingCategory ? "supportsStreaming" : "executionCategory"],
          streamingCategory
            ? "Set supportsStreaming: true (the entry emits items with sandbox.emit), or choose another category."
            : 'Set executionCategory: "Streaming", or set supportsStreaming to false.',
        ),
      );
    }
    const rule = CATEGORY_TIMEOUTS[entry.executionCategory];
    if (rule?.maxTimeout !== undefined && timeout > rule.maxTimeout) {
      out.push(
        issue(
          "warning",
          IssueCode.CATEGORY_TIMEOUT_MISMATCH,
          `Entry point "${entry.functionName}" is "${entry.executionCategory}" (it ${rule.expect}) but limits.timeout allows ${timeout} ms per call.`,
          [...where, "executionCategory"],
          `Lower limits.timeout to at most ${rule.maxTimeout} ms so a runaway call is stopped early, or pick a slower category.`,
        ),
      );
    }
    if (rule?.minTimeout !== undefined && timeout < rule.minTimeout) {
      out.push(
        issue(
          "warning",
          IssueCode.CATEGORY_TIMEOUT_MISMATCH,
          `Entry point "${entry.functionName}" is "LongRunning" (it ${rule.expect}) but limits.timeout stops every call after ${timeout} ms.`,
          [...where, "executionCategory"],
          `Raise limits.timeout to at least ${rule.minTimeout} ms, or pick a faster category.`,
        ),
      );
    }
    if (entry.abi === "command" && entry.functionName !== "_start") {
      out.push(
        issue(
          "error",
          IssueCode.COMMAND_ENTRY_NAME,
          `Entry point "${entry.functionName}" has abi "command", but a WASI command's entry is always "_start".`,
          [...where, "functionName"],
          'Set functionName to "_start", or use abi "numeric" or "json" for a library-style export.',
        ),
      );
    }
  });
  return out;
}

const LIMIT_KEYS: (keyof ResourceLimits)[] = [
  "memory",
  "tableElements",
  "fuel",
  "instanceFuel",
  "timeout",
  "totalTimeout",
  "maxOutput",
  "maxLog",
  "maxReadBytes",
  "maxWriteBytes",
  "maxOpenFiles",
];

function limitIssues(manifest: PluginManifest, options: ValidatorOptions | undefined): ValidationWarning[] {
  const out: ValidationWarning[] = [];
  const { timeout, totalTimeout } = manifest.limits;
  if (timeout > totalTimeout) {
    out.push(
      issue(
        "warning",
        IssueCode.TIMEOUT_EXCEEDS_TOTAL,
        `limits.timeout (${timeout} ms per call) is above limits.totalTimeout (${totalTimeout} ms for the whole instance), so the total cuts the first long call short.`,
        ["limits", "timeout"],
        "Make timeout at most totalTimeout.",
      ),
    );
  }
  const caps = options?.limits;
  if (caps) {
    for (const key of LIMIT_KEYS) {
      const cap = caps[key];
      const own = manifest.limits[key];
      if (typeof cap !== "number") continue;
      if (own === undefined || own > cap) {
        out.push(
          issue(
            "error",
            IssueCode.LIMIT_ABOVE_HOST,
            own === undefined
              ? `limits.${key} is unset (unbounded) but this host caps it at ${cap}.`
              : `limits.${key} is ${own}, above this host's cap of ${cap}.`,
            ["limits", key],
            `Lower limits.${key} to at most ${cap}, or run the plugin on a host that allows more.`,
          ),
        );
      }
    }
  }
  return out;
}

/** Semantic checks of an already parsed manifest (no schema step). */
export function checkParsedManifest(
  manifest: PluginManifest,
  options?: ValidatorOptions,
): ValidationWarning[] {
  return [...categoryIssues(manifest), ...limitIssues(manifest, options)];
}

/**
 * Checks a manifest (data or JSON text) beyond its schema: streaming flags against categories, categories
 * against timeouts, command entries named `_start`, timeouts against the total, limits against the host's
 * caps. Schema failures (from @wasm-sandbox/manifest's parseManifest) come back as MANIFEST_SCHEMA issues.
 * Never throws for bad data.
 */
export function validateManifest(manifest: unknown, options?: ValidatorOptions): ValidationWarning[] {
  let parsed: ParsedManifest;
  try {
    parsed = parseForValidation(manifest);
  } catch (error) {
    if (SandboxError.is(error, ErrorCode.INVALID_ARGUMENT)) throw error;
    return [
      issue(
        "error",
        IssueCode.MANIFEST_SCHEMA,
        `The manifest could not be read: ${error instanceof Error ? error.message : String(error)}.`,
        [],
        "Pass the manifest as a plain object or JSON text.",
      ),
    ];
  }
  if (!parsed.ok) return parsed.issues;
  return [...parsed.issues, ...checkParsedManifest(parsed.manifest, options)];
}
