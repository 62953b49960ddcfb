import { readFile } from "node:fs/promises";
import { examplePlugins } from "@wasm-sandbox/example-plugins";
import type { PluginRegistry } from "@wasm-sandbox/registry";

/**
 * Registers the example plugins. The registry treats an identical re-registration as a no-op, so a restart
 * on the same data directory changes nothing. Returns the ids this call actually added.
 */
export async function preloadExamples(registry: PluginRegistry): Promise<string[]> {
  const added: string[] = [];
  for (const example of examplePlugins()) {
    let wasm: Uint8Array;
    try {
      wasm = new Uint8Array(await readFile(example.wasmPath));
    } catch (error) {
      throw new Error(
        `Example plugin ${example.id} is not built (${example.wasmPath}): run \`pnpm turbo run build --filter=@wasm-sandbox/playground...\``,
        { cause: error },
      );
    }
    const result = registry.registerPlugin(example.manifest, wasm);
    if (result.created) added.push(result.id);
  }
  return added;
}
