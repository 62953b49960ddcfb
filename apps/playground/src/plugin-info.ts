import { type PluginManifest, SemverSchema } from "@wasm-sandbox/manifest";
import type { PluginRegistry } from "@wasm-sandbox/registry";
import { type FunctionSignature, inspectModule } from "@wasm-sandbox/validator";
import { jsonSafe } from "./http-errors.js";

/** What the page needs to run a plugin: its manifest, its other versions, each entry's wasm signature. */
export interface PluginDetails {
  manifest: PluginManifest;
  versions: string[];
  digest: string | undefined;
  /** The exported signature of each entry point, by function name (absent when not a function export). */
  signatures: Record<string, FunctionSignature>;
}

/**
 * Splits the path after /api/plugins/ into an id and an optional exact version: ids may be namespaced
 * ("examples/calculator"), so the last segment is a version only when it is a semantic version.
 */
export function parsePluginPath(path: string): { id: string; version?: string } {
  const segments = path.split("/").filter((s) => s !== "");
  const last = segments.at(-1);
  if (segments.length > 1 && last !== undefined && SemverSchema.safeParse(last).success) {
    return { id: segments.slice(0, -1).join("/"), version: last };
  }
  return { id: segments.join("/") };
}

export function pluginDetails(registry: PluginRegistry, id: string, version?: string): PluginDetails {
  const manifest = registry.getManifest(id, version);
  const summary = registry.listPlugins().find((p) => p.id === manifest.id);
  const module = inspectModule(registry.getWasm(manifest.id, manifest.version));
  const signatures: Record<string, FunctionSignature> = {};
  for (const entry of manifest.entryPoints) {
    const exported = module.exports.find((e) => e.name === entry.functionName && e.kind === "function");
    if (exported?.signature) signatures[entry.functionName] = exported.signature;
  }
  return jsonSafe({
    manifest,
    versions: summary?.versions ?? [manifest.version],
    digest: summary?.version === manifest.version ? summary.digest : undefined,
    signatures,
  });
}
