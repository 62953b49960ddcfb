import semver from "semver";
import { ErrorCode, SandboxError } from "./errors.js";
import type { PluginManifest } from "./schema.js";

/** The sandbox version this release of wasm-sandbox implements (what `minSandboxVersion` is checked against). */
export const SANDBOX_VERSION = "0.1.0";

/**
 * Does a sandbox of `sandboxVersion` (default: SANDBOX_VERSION) meet the manifest's `minSandboxVersion`?
 *
 * - A plain version ("0.4.0", as in the original design) is a minimum: it means ">=0.4.0".
 * - Anything else is an npm semver range ("^0.1.0", ">=0.1.0 <1.0.0", "*").
 * - Prereleases are compared by semver order, not excluded: sandbox "0.2.0-beta.1" meets ">=0.1.0", while
 *   "1.0.0-rc.1" does not meet "^1.0.0" (it comes before 1.0.0). This is semver's `includePrerelease`.
 *
 * Throws a SandboxError with code INVALID_ARGUMENT when either side is not valid semver (a manifest that went
 * through parseManifest always has a valid range).
 */
export function satisfiesSandboxVersion(
  manifest: Pick<PluginManifest, "minSandboxVersion">,
  sandboxVersion: string = SANDBOX_VERSION,
): boolean {
  const version = typeof sandboxVersion === "string" ? semver.valid(sandboxVersion) : null;
  if (version === null) {
    throw new SandboxError(
      ErrorCode.INVALID_ARGUMENT,
      `Invalid sandbox version ${JSON.stringify(sandboxVersion)}`,
      {
        suggestion: 'Pass a semantic version such as "0.1.0", or omit it to use SANDBOX_VERSION.',
      },
    );
  }
  const wanted = manifest?.minSandboxVersion;
  const minimum = typeof wanted === "string" ? semver.valid(wanted) : null;
  const range =
    minimum !== null ? `>=${minimum}` : typeof wanted === "string" ? semver.validRange(wanted) : null;
  if (range === null) {
    throw new SandboxError(
      ErrorCode.INVALID_ARGUMENT,
      `Invalid minSandboxVersion ${JSON.stringify(wanted)}`,
      {
        suggestion:
          "Parse the manifest with parseManifest first; it rejects invalid ranges with INVALID_RANGE.",
      },
    );
  }
  return semver.satisfies(version, range, { includePrerelease: true });
}
