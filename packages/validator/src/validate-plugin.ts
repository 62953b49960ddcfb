import type { PluginManifest } from "@wasm-sandbox/manifest";
import { toBytes } from "./input.js";
import { inspectModule } from "./inspect.js";
import type { ValidationWarning } from "./issues.js";
import type { ModuleInfo } from "./module-info.js";
import type { ValidatorOptions } from "./options.js";
import { importIssues } from "./plugin-imports.js";
import { entryPointIssues, featureIssues, resourceIssues } from "./plugin-module.js";
import { parseForValidation } from "./validate-manifest.js";
import { validateWasm } from "./validate-wasm.js";

/** validatePlugin's work, with the decoded module kept for callers that need it (securityAudit). */
export function checkPlugin(
  manifestInput: unknown,
  input: unknown,
  options?: ValidatorOptions,
): {
  issues: ValidationWarning[];
  /** The engine's verdict issues (a prefix of `issues`). */
  validity: ValidationWarning[];
  info: ModuleInfo;
  valid: boolean;
  manifest: PluginManifest | undefined;
} {
  const bytes = toBytes(input, "module bytes");
  const validity = validateWasm(bytes);
  const info = inspectModule(bytes);
  // The engine's verdict already covers decoding failures; keep only what inspection adds (fallbacks).
  const decodeNotes = validity.valid ? info.issues : info.issues.filter((i) => i.severity === "info");
  const issues: ValidationWarning[] = [...validity.issues, ...decodeNotes];
  const parsed = parseForValidation(manifestInput);
  issues.push(...parsed.issues);
  if (parsed.ok && info.decoder !== "none") {
    const manifest = parsed.manifest;
    issues.push(
      ...entryPointIssues(info, manifest),
      ...importIssues(info, manifest),
      ...resourceIssues(info, manifest, options),
      ...featureIssues(info.features, options),
    );
  }
  return {
    issues,
    validity: validity.issues,
    info,
    valid: validity.valid,
    manifest: parsed.ok ? parsed.manifest : undefined,
  };
}

/**
 * Cross-checks a module with its manifest: the module's validity (validateWasm), every entry point
 * against the exports and its ABI kind, every import against what the permissions grant, memories and
 * tables against the limits, start functions, mutable global exports, shared memory, and the host's
 * feature policy. Manifest schema failures come back as MANIFEST_SCHEMA issues; semantic manifest checks
 * are validateManifest's. Throws only for a non-byte module argument (INVALID_ARGUMENT).
 */
export function validatePlugin(
  manifest: unknown,
  bytes: unknown,
  options?: ValidatorOptions,
): ValidationWarning[] {
  return checkPlugin(manifest, bytes, options).issues;
}
