import { readModule } from "./binary/index.js";
import { IssueCode } from "./codes.js";
import { engineVerdict } from "./engine.js";
import { toBytes } from "./input.js";
import { issue, type ValidationWarning } from "./issues.js";
import { readerIssue } from "./reader-issues.js";

export interface WasmValidationResult {
  /** Exactly `WebAssembly.validate(bytes)`: full spec validity as the engine implements it. */
  valid: boolean;
  issues: ValidationWarning[];
}

/**
 * Checks a module for full spec validity with the engine. An invalid module gets the engine's reason as a
 * plain-language issue (code, byte offset, suggestion), plus the structural reader's finding when it names
 * a more specific problem (the engine's messages do not always say which section's size lies). Throws only
 * for a non-byte argument (INVALID_ARGUMENT).
 */
export function validateWasm(input: unknown): WasmValidationResult {
  const bytes = toBytes(input);
  const verdict = engineVerdict(bytes);
  if (verdict.valid) return { valid: true, issues: [] };

  const e = verdict.error;
  const issues = [issue("error", e.code, e.message, e.location, e.suggestion)];
  if (e.code === IssueCode.EMPTY_MODULE) return { valid: false, issues };
  try {
    readModule(bytes);
  } catch (error) {
    const structural = readerIssue(error, "info");
    if (structural.code !== e.code && structural.severity === "error") issues.push(structural);
  }
  return { valid: false, issues };
}
