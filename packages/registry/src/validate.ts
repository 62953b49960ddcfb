import {
  ErrorCode,
  ManifestError,
  type PluginManifest,
  parseManifest,
  SandboxError,
  ValidationFailedError,
} from "@wasm-sandbox/manifest";
import { type PluginValidator, toIssues, type ValidationWarning } from "@wasm-sandbox/validator";

/**
 * One finding about a plugin: the validator's issue shape, where `code` may also be a manifest issue code
 * (manifest warnings such as ALIASED_KEY are kept alongside the validator's).
 */
export type PluginIssue = Omit<ValidationWarning, "code"> & { code: string };

export interface CheckedPlugin {
  manifest: PluginManifest;
  /** Manifest warnings and validator findings below `error`, kept with the registration. */
  warnings: PluginIssue[];
}

/**
 * The one validation call of a registration: parses the manifest, then cross-checks it with the module.
 * Throws INVALID_MANIFEST for a bad manifest, VALIDATION_FAILED (listing every issue) when the module has
 * error or critical issues, and returns the rest as warnings.
 */
export function checkPlugin(
  manifestInput: unknown,
  wasm: Uint8Array,
  validator: PluginValidator,
): CheckedPlugin {
  const parsed = parseManifest(manifestInput);
  if (!parsed.success) throw new ManifestError(parsed.issues);
  const manifest = parsed.manifest;
  // The validator's full check: module validity, entry points against exports and ABI kinds, imports
  // against permissions, memories and tables against limits, feature policy, manifest semantics.
  const issues: PluginIssue[] = validator.check(manifest, wasm).issues;
  const failing = issues.filter((i) => i.severity === "error" || i.severity === "critical");
  if (failing.length > 0) {
    const first = failing[0]!;
    throw new ValidationFailedError(
      `${manifest.id}@${manifest.version} failed validation: ${first.message}${failing.length > 1 ? ` (and ${failing.length - 1} more)` : ""}`,
      // toIssues only reads `code` as text, so the wider code type is safe here.
      toIssues(issues as ValidationWarning[]),
      {
        suggestion:
          first.suggestion ?? "Fix the listed issues in the module or the manifest, then register again.",
        context: { id: manifest.id, version: manifest.version, issues },
      },
    );
  }
  const manifestWarnings: PluginIssue[] = parsed.warnings.map((w) => ({
    severity: "warning",
    code: w.code,
    message: w.message,
    location: w.path,
    ...(w.suggestion === undefined ? {} : { suggestion: w.suggestion }),
  }));
  return { manifest, warnings: [...manifestWarnings, ...issues] };
}

/** Refuses anything but bytes before any work is done. */
export function assertBytes(value: unknown, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new SandboxError(ErrorCode.INVALID_ARGUMENT, `${what} must be a Uint8Array (or Buffer)`, {
      suggestion: "Pass the module bytes, e.g. `await readFile('plugin.wasm')`.",
      context: { received: value === null ? "null" : typeof value },
    });
  }
  return value;
}
