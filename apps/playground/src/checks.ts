import { ErrorCode, type PluginManifest, parseManifest } from "@wasm-sandbox/manifest";
import { inspectModule, securityAudit, validatePlugin, validateWasm } from "@wasm-sandbox/validator";
import { jsonSafe } from "./http-errors.js";

export type SecurityAudit = Awaited<ReturnType<typeof securityAudit>>;
export type ModuleInfo = Awaited<ReturnType<typeof inspectModule>>;

/** One finding, from the manifest parser or the validator, in the shape the page shows. */
export interface CheckIssue {
  code: string;
  severity: string;
  message: string;
  path: (string | number)[];
  suggestion?: string;
}

/** Everything known about an upload before anything runs. */
export interface PluginCheck {
  /** True when the plugin may be registered: a valid manifest and no error-severity issue. */
  ok: boolean;
  /** The normalised manifest (units resolved, defaults filled), when it parsed. */
  manifest?: PluginManifest;
  /** Manifest problems and module/manifest cross-check problems, errors first. */
  issues: CheckIssue[];
  /** The security audit; present when the manifest parsed. */
  audit?: SecurityAudit;
  /** Structure of the module (imports, exports, memories, ...), when it decoded. */
  module?: ModuleInfo;
}

const SEVERITY_ORDER: Record<string, number> = { error: 0, warning: 1, info: 2 };

/** Static checks only: parses the manifest, validates the module against it, audits it. Never runs it. */
export async function checkPlugin(manifestInput: unknown, wasm: Uint8Array): Promise<PluginCheck> {
  const issues: CheckIssue[] = [];
  let module: ModuleInfo | undefined;
  try {
    module = await inspectModule(wasm);
  } catch {
    // An undecodable module is reported below by validateWasm with its exact reason.
  }

  if (manifestInput === undefined) {
    issues.push({
      code: ErrorCode.INVALID_MANIFEST,
      severity: "error",
      path: [],
      message: "No manifest was given and the module has none embedded",
      suggestion: "Add a manifest JSON file describing the plugin's id, version and entry points.",
    });
    issues.push(...(await validateWasm(wasm)).map(toIssue));
    return finish(issues, { module });
  }

  const parsed = parseManifest(manifestInput);
  if (!parsed.success) {
    issues.push(...parsed.issues.map((i) => toIssue({ severity: "error", ...i })));
    issues.push(...(await validateWasm(wasm)).map(toIssue));
    return finish(issues, { module });
  }
  issues.push(...parsed.warnings.map((w) => toIssue({ severity: "warning", ...w })));
  const manifest = parsed.manifest;
  issues.push(...(await validatePlugin(manifest, wasm)).map(toIssue));
  const audit = await securityAudit(manifest, wasm);
  return finish(issues, { manifest, audit, module });
}

function finish(issues: CheckIssue[], parts: Omit<PluginCheck, "ok" | "issues">): PluginCheck {
  issues.sort((a, b) => (SEVERITY_ORDER[a.severity] ?? 3) - (SEVERITY_ORDER[b.severity] ?? 3));
  const ok = parts.manifest !== undefined && !issues.some((i) => i.severity === "error");
  return jsonSafe({ ok, issues, ...parts });
}

function toIssue(issue: {
  code: string;
  severity?: string;
  message: string;
  path?: readonly (string | number)[];
  suggestion?: string;
}): CheckIssue {
  return {
    code: issue.code,
    severity: issue.severity ?? "error",
    message: issue.message,
    path: [...(issue.path ?? [])],
    ...(issue.suggestion === undefined ? {} : { suggestion: issue.suggestion }),
  };
}
