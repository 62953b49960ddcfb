import {
  type Issue,
  ManifestError,
  type PluginManifest,
  parseManifest,
  SandboxError,
} from "@wasm-sandbox/manifest";
import { MANIFEST_SECTION, readCustomSections, unpackPlugin } from "@wasm-sandbox/registry";
import {
  inspectModule,
  type ModuleInfo,
  securityAudit,
  type ValidationWarning,
  validateManifest,
  validatePlugin,
  validateWasm,
} from "@wasm-sandbox/validator";
import { jsonSafe } from "./http-errors.js";
import type { RunLimits } from "./limits.js";

export type SecurityAudit = ReturnType<typeof securityAudit>;

/** One finding, from the manifest parser or the validator, in the shape the page shows. */
export interface CheckIssue {
  code: string;
  severity: "info" | "warning" | "error" | "critical";
  message: string;
  /** A JSON path into the manifest, when the issue is about the manifest. */
  path: (string | number)[];
  /** Where in the module (section, byte offset, export index, ...), when the issue is about the module. */
  location?: Record<string, unknown>;
  suggestion?: string;
}

/** Everything known about an upload before anything runs. */
export interface PluginCheck {
  /** True when the plugin may be registered: a valid manifest and no error or critical issue. */
  ok: boolean;
  /** The normalised manifest (units resolved, defaults filled), when it parsed. */
  manifest?: PluginManifest;
  /** Manifest problems and module/manifest cross-check problems, worst first. */
  issues: CheckIssue[];
  /** The security audit; present when the manifest parsed. */
  audit?: SecurityAudit;
  /** Structure of the module (imports, exports, memories, ...). */
  module: ModuleInfo;
  /** True when the manifest came from the module's "wasm-sandbox.manifest" custom section. */
  embeddedManifest: boolean;
}

/** An upload resolved for checking: the manifest to use and the module bytes to store. */
export interface CheckedUpload {
  check: PluginCheck;
  /** The module to register: without the manifest section when the manifest was embedded. */
  wasm: Uint8Array;
}

/**
 * Checks an upload. Without a separate manifest, one packed into the module's "wasm-sandbox.manifest"
 * custom section (the registry's packPlugin format) is used, and the module is stored without it.
 */
export function checkUpload(
  upload: { manifest: unknown; wasm: Uint8Array },
  hostLimits: RunLimits,
): CheckedUpload {
  if (upload.manifest !== undefined || !hasManifestSection(upload.wasm)) {
    return { check: checkPlugin(upload.manifest, upload.wasm, hostLimits, false), wasm: upload.wasm };
  }
  try {
    const unpacked = unpackPlugin(upload.wasm);
    return { check: checkPlugin(unpacked.manifest, unpacked.wasm, hostLimits, true), wasm: unpacked.wasm };
  } catch (error) {
    if (!SandboxError.is(error, "INVALID_MANIFEST")) throw error;
    // The section is there but unusable: report why, and check the module itself.
    const issues: CheckIssue[] =
      error instanceof ManifestError
        ? error.issues.map((i) => fromManifestIssue(i, "error"))
        : [{ code: error.code, severity: "error", path: [], message: error.message, ...suggestionOf(error) }];
    issues.push(...validateWasm(upload.wasm).issues.map(fromWarning));
    return {
      check: finish({ issues, module: inspectModule(upload.wasm), embeddedManifest: true }),
      wasm: upload.wasm,
    };
  }
}

function hasManifestSection(wasm: Uint8Array): boolean {
  try {
    return readCustomSections(wasm, MANIFEST_SECTION).length > 0;
  } catch {
    return false; // Not even well-framed: validateWasm says why.
  }
}

function suggestionOf(error: SandboxError): { suggestion?: string } {
  return error.suggestion === undefined ? {} : { suggestion: error.suggestion };
}

const RANK: Record<CheckIssue["severity"], number> = { critical: 0, error: 1, warning: 2, info: 3 };

/**
 * Static checks only: parses the manifest, checks it against the server's maxima, validates the module
 * against it and audits it. Never runs it.
 */
export function checkPlugin(
  manifestInput: unknown,
  wasm: Uint8Array,
  hostLimits: RunLimits,
  embeddedManifest = false,
): PluginCheck {
  const module = inspectModule(wasm);
  const issues: CheckIssue[] = [];
  if (manifestInput === undefined) {
    issues.push({
      code: "MANIFEST_MISSING",
      severity: "error",
      path: [],
      message: "No manifest was given and the module carries none",
      suggestion: `Add the plugin's manifest JSON (id, name, version and entry points), or pack it into the module's "${MANIFEST_SECTION}" custom section.`,
    });
    issues.push(...validateWasm(wasm).issues.map(fromWarning));
    return finish({ issues, module, embeddedManifest });
  }
  const parsed = parseManifest(manifestInput);
  if (!parsed.success) {
    issues.push(...parsed.issues.map((i) => fromManifestIssue(i, "error")));
    issues.push(...validateWasm(wasm).issues.map(fromWarning));
    return finish({ issues, module, embeddedManifest });
  }
  const { manifest } = parsed;
  issues.push(...parsed.warnings.map((i) => fromManifestIssue(i, "warning")));
  // The server's maxima are the host caps: a manifest asking for more is flagged (LIMIT_ABOVE_HOST).
  const options = { limits: hostLimits };
  issues.push(...validateManifest(manifest, options).map(fromWarning));
  issues.push(...validatePlugin(manifest, wasm, options).map(fromWarning));
  return finish({
    issues,
    module,
    manifest,
    audit: securityAudit(manifest, wasm, options),
    embeddedManifest,
  });
}

function finish(parts: Omit<PluginCheck, "ok">): PluginCheck {
  parts.issues.sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  const failing = parts.issues.some((i) => i.severity === "error" || i.severity === "critical");
  return jsonSafe({ ok: parts.manifest !== undefined && !failing, ...parts });
}

function fromManifestIssue(issue: Issue, severity: CheckIssue["severity"]): CheckIssue {
  return {
    code: issue.code,
    severity,
    message: issue.message,
    path: issue.path,
    ...(issue.suggestion === undefined ? {} : { suggestion: issue.suggestion }),
  };
}

function fromWarning(w: ValidationWarning): CheckIssue {
  const onManifest = Array.isArray(w.location);
  return {
    code: w.code,
    severity: w.severity,
    message: w.message,
    path: onManifest ? (w.location as (string | number)[]) : [],
    ...(w.location !== undefined && !onManifest ? { location: { ...w.location } } : {}),
    ...(w.suggestion === undefined ? {} : { suggestion: w.suggestion }),
  };
}
