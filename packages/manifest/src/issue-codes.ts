/**
 * Stable codes of the issues (and warnings) that manifest parsing reports. They are part of the public
 * contract: match on them, never on message text, and never rename one.
 */
export const ManifestIssueCode = {
  /** The input string is not valid JSON. */
  INVALID_JSON: "INVALID_JSON",
  /** A value has the wrong type (including values JSON cannot carry: functions, NaN, class instances). */
  INVALID_TYPE: "INVALID_TYPE",
  /** A required field is missing (or `randomSeed` is missing for `random: "seeded"`). */
  REQUIRED: "REQUIRED",
  /** A key is not part of the manifest format at that level; the suggestion names the closest known key. */
  UNKNOWN_KEY: "UNKNOWN_KEY",
  /** One field is given twice: in camelCase and snake_case, or under an alias and its canonical name. */
  CONFLICTING_KEYS: "CONFLICTING_KEYS",
  /** Warning: a legacy alias was accepted (`max_fuel` for `fuel`); the message names the canonical key. */
  ALIASED_KEY: "ALIASED_KEY",
  /** `__proto__`, `constructor` or `prototype` used as a key anywhere in the input. */
  FORBIDDEN_KEY: "FORBIDDEN_KEY",
  /** The manifest, a string, a list or a key is longer than allowed. */
  TOO_LARGE: "TOO_LARGE",
  /** A string or list is shorter than allowed (an empty name, no entry points). */
  TOO_SMALL: "TOO_SMALL",
  /** The input nests deeper than 64 levels. */
  TOO_DEEP: "TOO_DEEP",
  /** A number is outside its allowed range (memory over 65536 pages, zero or negative budgets, ...). */
  OUT_OF_RANGE: "OUT_OF_RANGE",
  /** A string does not have the required shape (plugin id, URL, domain, export name, env var name). */
  INVALID_FORMAT: "INVALID_FORMAT",
  /** A value is not one of the allowed choices (enums, `processSpawn: true`). */
  INVALID_VALUE: "INVALID_VALUE",
  /** A size or duration string cannot be read ("64 parsecs"), or a size is not a whole number of pages. */
  INVALID_UNIT: "INVALID_UNIT",
  /** `version` is not a semantic version. */
  INVALID_SEMVER: "INVALID_SEMVER",
  /** `minSandboxVersion` or a dependency's `versionRequirement` is not a semver range. */
  INVALID_RANGE: "INVALID_RANGE",
  /** Two entry points share one `functionName`. */
  DUPLICATE_ENTRY_POINT: "DUPLICATE_ENTRY_POINT",
  /** Two dependencies share one `name`. */
  DUPLICATE_DEPENDENCY: "DUPLICATE_DEPENDENCY",
  /** A plugin lists itself as a dependency. */
  SELF_DEPENDENCY: "SELF_DEPENDENCY",
  /** A guest path is not absolute or contains a NUL character. */
  INVALID_PATH: "INVALID_PATH",
  /** A guest path contains a `..` segment. */
  PATH_TRAVERSAL: "PATH_TRAVERSAL",
  /** A `writePaths` entry is not equal to or inside some `readPaths` entry. */
  WRITE_NOT_READABLE: "WRITE_NOT_READABLE",
  /** Settings that would be ignored: `denyAll: true` with grants listed, `randomSeed` without `seeded`, ... */
  CONFLICTING_PERMISSIONS: "CONFLICTING_PERMISSIONS",
  /** An entry point's `inputSchema` or `outputSchema` is not a valid JSON Schema (draft-07 or 2020-12). */
  INVALID_JSON_SCHEMA: "INVALID_JSON_SCHEMA",
} as const;

export type ManifestIssueCode = (typeof ManifestIssueCode)[keyof typeof ManifestIssueCode];
