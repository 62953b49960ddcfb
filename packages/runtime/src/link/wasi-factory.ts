import { ErrorCode, type PluginManifest, type ResourceLimits, SandboxError } from "@wasm-sandbox/manifest";
import type { ModuleShape } from "../loader/shape.js";
import { WASI_MODULE, type WasiLink } from "./wasi-link.js";

export interface WasiLinkOptions {
  manifest: PluginManifest;
  limits: ResourceLimits;
  mounts: Record<string, string> | undefined;
  env: Record<string, string> | undefined;
  strict: boolean;
}

/** True when the module imports WASI or the manifest has command entries. */
export function needsWasi(shape: ModuleShape, manifest: PluginManifest): boolean {
  return (
    shape.imports.some((i) => i.module === WASI_MODULE) ||
    manifest.entryPoints.some((e) => e.abi === "command")
  );
}

/**
 * Creates the WASI provider for one plugin. Returns undefined when WASI is unavailable, so the linker refuses
 * the WASI imports with LINK_ERROR rather than stubbing them.
 */
export function createWasiLink(options: WasiLinkOptions): WasiLink | undefined {
  if (options.mounts && Object.keys(options.mounts).length > 0) {
    throw new SandboxError(
      ErrorCode.UNSUPPORTED,
      "Filesystem mounts need WASI support, which is not available yet",
      {
        suggestion: "Remove the mounts option.",
      },
    );
  }
  return undefined;
}
