import { readFile } from "node:fs/promises";
import { examplePlugins } from "@wasm-sandbox/example-plugins";
import { ManifestError, parseManifest, SandboxError } from "@wasm-sandbox/manifest";
import type { Registry } from "@wasm-sandbox/registry";

/**
 * Registers every example plugin that the registry does not hold yet, so a restart on the same data
 * directory changes nothing. Returns the ids it registered.
 */
export async function preloadExamples(registry: Registry): Promise<string[]> {
  const added: string[] = [];
  for (const example of examplePlugins()) {
    const parsed = parseManifest(example.manifest);
    if (!parsed.success) throw new ManifestError(parsed.issues, { context: { example: example.id } });
    const { manifest } = parsed;
    if (await has(registry, manifest.id, manifest.version)) continue;
    await registry.registerPlugin(manifest, new Uint8Array(await readFile(example.wasmPath)));
    added.push(manifest.id);
  }
  return added;
}

async function has(registry: Registry, id: string, version: string): Promise<boolean> {
  try {
    await registry.getManifest(id, version);
    return true;
  } catch (error) {
    if (SandboxError.is(error, "NOT_FOUND")) return false;
    throw error;
  }
}
