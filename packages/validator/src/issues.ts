import type { Issue } from "@wasm-sandbox/manifest";
import type { IssueCode, Severity } from "./codes.js";

/** Where in a module an issue sits. Every field is optional: the engine often knows only an offset. */
export interface ModuleLocation {
  /** Section name ("import", "code", ...). */
  section?: string;
  /** Byte offset into the module. */
  offset?: number;
  importIndex?: number;
  exportIndex?: number;
  /** Index in the function index space (imports first). */
  functionIndex?: number;
  memoryIndex?: number;
  tableIndex?: number;
  globalIndex?: number;
}

/** A JSON path into the manifest, e.g. `["entryPoints", 0, "functionName"]`. */
export type ManifestPath = (string | number)[];

/** One finding. `location` is a manifest path (array) or a module location (object). */
export interface ValidationWarning {
  severity: Severity;
  code: IssueCode;
  /** A plain-language sentence. */
  message: string;
  location?: ManifestPath | ModuleLocation;
  /** What to do about it, in one sentence. */
  suggestion?: string;
  /** For MANIFEST_SCHEMA issues: the code @wasm-sandbox/manifest gave (ManifestIssueCode). */
  manifestCode?: string;
}

export function issue(
  severity: Severity,
  code: IssueCode,
  message: string,
  location?: ManifestPath | ModuleLocation,
  suggestion?: string,
): ValidationWarning {
  const out: ValidationWarning = { severity, code, message };
  // An empty module location says nothing: leave it out.
  if (location !== undefined && (Array.isArray(location) || Object.keys(location).length > 0)) {
    out.location = location;
  }
  if (suggestion !== undefined) out.suggestion = suggestion;
  return out;
}

/** True when any issue is an error or critical. */
export function hasErrors(issues: readonly ValidationWarning[]): boolean {
  return issues.some((i) => i.severity === "error" || i.severity === "critical");
}

function locationPath(location: ValidationWarning["location"]): (string | number)[] {
  if (location === undefined) return [];
  if (Array.isArray(location)) return location;
  const path: (string | number)[] = ["module"];
  for (const [key, value] of Object.entries(location)) {
    if (value !== undefined) path.push(key, value as string | number);
  }
  return path;
}

/**
 * Converts issues to the manifest package's `Issue` shape, for `ValidationFailedError` and other
 * consumers of the shared error model.
 */
export function toIssues(issues: readonly ValidationWarning[]): Issue[] {
  return issues.map((i) => {
    const out: Issue = { code: i.code, path: locationPath(i.location), message: i.message };
    if (i.suggestion !== undefined) out.suggestion = i.suggestion;
    return out;
  });
}
