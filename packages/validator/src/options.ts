import type { ResourceLimits } from "@wasm-sandbox/manifest";
import type { WasmFeature } from "./binary/index.js";

/** What the host does about a post-MVP feature: accept it, accept it with a warning, or refuse the plugin. */
export type FeatureDecision = "allow" | "warn" | "reject";

/** Options shared by validatePlugin, validateManifest, securityAudit and PluginValidator. */
export interface ValidatorOptions {
  /**
   * The host's caps. A manifest limit above its cap is an error (LIMIT_ABOVE_HOST), and module memories and
   * tables are checked against the lower of the manifest's limit and the cap.
   */
  limits?: Partial<ResourceLimits>;
  /**
   * Feature policy: e.g. `{ threads: "reject", simd: "warn" }` (`false` means "reject", `true` "allow").
   * Unlisted features are allowed.
   */
  features?: Partial<Record<WasmFeature, FeatureDecision | boolean>>;
}

/** The effective limit: the manifest's, lowered to the host's cap when there is one. */
export function effectiveLimit<K extends keyof ResourceLimits>(
  manifestLimits: ResourceLimits,
  key: K,
  options: ValidatorOptions | undefined,
): ResourceLimits[K] {
  const own = manifestLimits[key];
  const cap = options?.limits?.[key];
  if (typeof own === "number" && typeof cap === "number") return Math.min(own, cap) as ResourceLimits[K];
  return own;
}
