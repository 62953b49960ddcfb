import { type Issue, type PluginManifest, parseManifest } from "@wasm-sandbox/manifest";
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
}

const RANK: Record<CheckIssue["severity"], number> = { critical: 0, error: 1, warning: 2, info: 3 };

/**
 * Static checks only: parses the manifest, checks it against the server's maxima, validates the module
 * against it and audits it. Never runs it.
 */
export function checkPlugin(manifestInput: unknown, wasm: Uint8Array, hostLimits: RunLimits): PluginCheck {
  const module = inspectModule(wasm);
  const issues: CheckIssue[] = [];
  if (manifestInput === undefined) {
    issues.push({
      code: "MANIFEST_MISSING",
      severity: "error",
      path: [],
      message: "No manifest was given",
      suggestion: "Add the plugin's manifest JSON (id, name, version and entry points).",
    });
    issues.push(...validateWasm(wasm).issues.map(fromWarning));
    return finish({ issues, module });
  }
  const parsed = parseManifest(manifestInput);
  if (!parsed.success) {
    issues.push(...parsed.issues.map((i) => fromManifestIssue(i, "error")));
    issues.push(...validateWasm(wasm).issues.map(fromWarning));
    return finish({ issues, module });
  }
  const { manifest } = parsed;
  issues.push(...parsed.warnings.map((i) => fromManifestIssue(i, "warning")));
  // The server's maxima are the host caps: a manifest asking for more is flagged (LIMIT_ABOVE_HOST).
  const options = { limits: hostLimits };
  issues.push(...validateManifest(manifest, options).map(fromWarning));
  issues.push(...validatePlugin(manifest, wasm, options).map(fromWarning));
  return finish({ issues, module, manifest, audit: securityAudit(manifest, wasm, options) });
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
