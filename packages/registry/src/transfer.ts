import { stat } from "node:fs/promises";
import { ErrorCode, SandboxError } from "@wasm-sandbox/manifest";
import {
  type PluginPackage,
  readPluginDirectory,
  readPluginFile,
  writePluginDirectory,
  writePluginFile,
} from "./package-format.js";
import type { PluginRegistry } from "./registry.js";
import type { RegistrationResult } from "./types.js";

export type PluginFormat = "wasm" | "directory";

/**
 * Registers a plugin from disk: a directory (`plugin.json` + `plugin.wasm`) or one packed `.wasm` file with
 * its manifest in the "wasm-sandbox.manifest" section. File I/O is async; the registration itself is the
 * registry's usual synchronous transaction.
 */
export async function importPlugin(registry: PluginRegistry, path: string): Promise<RegistrationResult> {
  const pkg = await readPackage(path);
  return registry.registerPlugin(pkg.manifest, pkg.wasm);
}

export async function readPackage(path: string): Promise<PluginPackage> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (error) {
    throw new SandboxError(ErrorCode.NOT_FOUND, `Nothing to import at ${path}`, {
      cause: error,
      suggestion: "Pass a plugin directory (plugin.json + plugin.wasm) or a packed .wasm file.",
      context: { path },
    });
  }
  return isDirectory ? readPluginDirectory(path) : readPluginFile(path);
}

/** Writes `id@version` (exact version or range) to `path` as a packed .wasm (default) or a directory. */
export async function exportPlugin(
  registry: PluginRegistry,
  id: string,
  version: string,
  path: string,
  options: { format?: PluginFormat } = {},
): Promise<void> {
  const format = options.format ?? "wasm";
  if (format !== "wasm" && format !== "directory") {
    throw new SandboxError(ErrorCode.INVALID_ARGUMENT, `Unknown export format "${String(format)}"`, {
      suggestion: 'Use "wasm" (one packed file) or "directory" (plugin.json + plugin.wasm).',
    });
  }
  const manifest = registry.getManifest(id, version);
  const wasm = registry.getWasm(id, manifest.version);
  if (format === "wasm") await writePluginFile(path, manifest, wasm);
  else await writePluginDirectory(path, manifest, wasm);
}
