import { type PluginManifest, ValidationFailedError } from "@wasm-sandbox/manifest";
import { type SecurityAuditResult, securityAudit } from "./audit.js";
import {
  type BenchmarkablePlugin,
  type BenchmarkOptions,
  type BenchmarkResult,
  benchmark,
} from "./benchmark.js";
import { inspectModule } from "./inspect.js";
import { hasErrors, toIssues, type ValidationWarning } from "./issues.js";
import type { ModuleInfo } from "./module-info.js";
import type { ValidatorOptions } from "./options.js";
import { checkParsedManifest, parseForValidation, validateManifest } from "./validate-manifest.js";
import { validatePlugin } from "./validate-plugin.js";
import { validateWasm, type WasmValidationResult } from "./validate-wasm.js";

/** The verdict of PluginValidator.check: every issue, and whether any is an error or critical. */
export interface PluginVerdict {
  valid: boolean;
  issues: ValidationWarning[];
}

/**
 * The validator's functions bundled with one set of host options (limits caps, feature policy), for
 * hosts that want one object. Module-only checks (validateWasm, inspect) do not depend on the options.
 */
export class PluginValidator {
  readonly options: Readonly<ValidatorOptions>;

  constructor(options: ValidatorOptions = {}) {
    this.options = Object.freeze({ ...options });
  }

  validateWasm(bytes: unknown): WasmValidationResult {
    return validateWasm(bytes);
  }

  inspectModule(bytes: unknown): ModuleInfo {
    return inspectModule(bytes);
  }

  validateManifest(manifest: unknown): ValidationWarning[] {
    return validateManifest(manifest, this.options);
  }

  validatePlugin(manifest: unknown, bytes: unknown): ValidationWarning[] {
    return validatePlugin(manifest, bytes, this.options);
  }

  /** Everything at once: manifest semantics and the plugin cross-checks, without duplicates. */
  check(manifest: unknown, bytes: unknown): PluginVerdict {
    const parsed = parseForValidation(manifest);
    const issues = validatePlugin(manifest, bytes, this.options);
    if (parsed.ok) issues.push(...checkParsedManifest(parsed.manifest, this.options));
    return { valid: !hasErrors(issues), issues };
  }

  /** Like check, but throws a ValidationFailedError (code VALIDATION_FAILED) listing every issue on failure. */
  assertValid(manifest: unknown, bytes: unknown): PluginManifest {
    const verdict = this.check(manifest, bytes);
    const parsed = parseForValidation(manifest);
    if (verdict.valid && parsed.ok) return parsed.manifest;
    const first = verdict.issues.find((i) => i.severity === "error" || i.severity === "critical");
    throw new ValidationFailedError(
      `Plugin failed validation: ${first?.message ?? "invalid manifest"}`,
      toIssues(verdict.issues),
      {
        suggestion: first?.suggestion ?? "Fix the listed issues, then try again.",
        context: { issues: verdict.issues },
      },
    );
  }

  securityAudit(manifest: unknown, bytes: unknown): SecurityAuditResult {
    return securityAudit(manifest, bytes, this.options);
  }

  benchmark(plugin: BenchmarkablePlugin, options?: BenchmarkOptions): Promise<BenchmarkResult> {
    return benchmark(plugin, options);
  }
}
