import { checkBounds, parseJsonText } from "./bounds.js";
import { type Issue, ManifestError } from "./errors.js";
import { ManifestIssueCode } from "./issue-codes.js";
import { normalizeKeys } from "./keys.js";
import { type PluginManifest, PluginManifestSchema } from "./schema.js";
import { fromZodIssues } from "./zod-issues.js";

export type ParseManifestResult =
  | { success: true; manifest: PluginManifest; warnings: Issue[] }
  | { success: false; issues: Issue[] };

const fail = (issues: Issue[]): ParseManifestResult => ({ success: false, issues });

/**
 * Parses a manifest given as JSON text or as plain data, in camelCase or the snake_case of the original
 * design, and returns it normalised (camelCase keys, defaults filled in, units converted to pages, bytes
 * and milliseconds) with any warnings, or every issue found. Never throws for bad data.
 *
 * Order of checks: size and nesting bounds and forbidden keys (cheap, before anything is built), then key
 * spelling (unknown, conflicting, aliased keys), then the zod schema with its semantic checks.
 */
export function parseManifest(input: unknown): ParseManifestResult {
  let value: unknown = input;
  if (typeof input === "string") {
    // A UTF-8 byte order mark is common in files written by Windows editors; JSON.parse rejects it.
    const parsed = parseJsonText(input.charCodeAt(0) === 0xfeff ? input.slice(1) : input);
    if (!parsed.ok) return fail(parsed.issues);
    value = parsed.value;
  }
  // Bounds first, so a deeply nested or huge array is reported as such rather than as "not an object".
  const boundIssues = checkBounds(value);
  if (boundIssues.length > 0) return fail(boundIssues);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const got = Array.isArray(value) ? "an array" : value === null ? "null" : typeof value;
    return fail([
      {
        code: ManifestIssueCode.INVALID_TYPE,
        path: [],
        message: `a manifest must be a JSON object, got ${got}`,
        suggestion: "Pass the manifest object, or its JSON text.",
      },
    ]);
  }

  const keys = normalizeKeys(value);
  let result: ReturnType<typeof PluginManifestSchema.safeParse>;
  try {
    result = PluginManifestSchema.safeParse(keys.value, { reportInput: true });
  } catch (error) {
    return fail([
      ...keys.issues,
      {
        code: ManifestIssueCode.INVALID_VALUE,
        path: [],
        message: `the manifest could not be checked: ${(error as Error)?.message ?? String(error)}`,
        suggestion:
          "Report this input to the wasm-sandbox maintainers: the checker should not fail this way.",
      },
    ]);
  }
  const issues = [...keys.issues, ...(result.success ? [] : fromZodIssues(result.error.issues))];
  if (issues.length > 0 || !result.success) return fail(issues);
  return { success: true, manifest: result.data, warnings: keys.warnings };
}

/** Like parseManifest, but returns the manifest or throws a ManifestError (code INVALID_MANIFEST) holding the issues. */
export function assertManifest(input: unknown): PluginManifest {
  const result = parseManifest(input);
  if (!result.success) throw new ManifestError(result.issues);
  return result.manifest;
}
