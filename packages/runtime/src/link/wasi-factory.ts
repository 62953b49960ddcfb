import type { PluginManifest, ResourceLimits } from "@wasm-sandbox/manifest";
import { createWasi } from "@wasm-sandbox/wasi";
import type { ModuleShape } from "../loader/shape.js";
import { WASI_MODULE, type WasiLink } from "./wasi-link.js";

export interface WasiLinkOptions {
  manifest: PluginManifest;
  limits: ResourceLimits;
  mounts: Record<string, string> | undefined;
  env: Record<string, string> | undefined;
  strict: boolean;
  /** The current call's deadline (performance.now() ms): WASI sleeps never pass it. */
  deadline: () => number;
}

/** True when the module imports WASI or the manifest has command entries. */
export function needsWasi(shape: ModuleShape, manifest: PluginManifest): boolean {
  return (
    shape.imports.some((i) => i.module === WASI_MODULE) ||
    manifest.entryPoints.some((e) => e.abi === "command")
  );
}

/**
 * The WASI preview1 provider for one plugin, every capability taken from its manifest: files only under
 * granted and mounted paths, environment variables only those listed, clock and randomness by policy.
 */
export function createWasiLink(options: WasiLinkOptions): WasiLink {
  return createWasi({
    permissions: options.manifest.permissions,
    limits: options.limits,
    ...(options.mounts ? { mounts: options.mounts } : {}),
    ...(options.env ? { env: options.env } : {}),
    strict: options.strict,
    programName: options.manifest.id,
    deadline: options.deadline,
  });
}
