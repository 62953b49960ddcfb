import { readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** One example plugin: its manifest (as written, before parsing) and where its compiled module lives. */
export interface ExamplePlugin {
  /** The directory name under plugins/ ("calculator"), also the name for `loadExampleWasm`. */
  name: string;
  /** The manifest's id ("examples/calculator"). */
  id: string;
  manifest: Record<string, unknown>;
  /** Absolute path of the compiled module in build/ (present after the `fixtures` or `build` script). */
  wasmPath: string;
}

const pluginsDir = fileURLToPath(new URL("../plugins/", import.meta.url));
const buildDir = fileURLToPath(new URL("../build/", import.meta.url));

/** Absolute path of a compiled example plugin or test fixture ("calculator", "recursion-bomb", ...). */
export function exampleWasmPath(name: string): string {
  if (!/^[a-z0-9-]+$/.test(name)) throw new TypeError(`Not an example name: ${JSON.stringify(name)}`);
  return `${buildDir}${name}.wasm`;
}

/** The example plugins with their manifests, sorted by name. Test fixtures are not listed. */
export function examplePlugins(): ExamplePlugin[] {
  return readdirSync(pluginsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const manifest = JSON.parse(readFileSync(`${pluginsDir}${name}/manifest.json`, "utf8")) as Record<
        string,
        unknown
      >;
      return { name, id: String(manifest.id), manifest, wasmPath: exampleWasmPath(name) };
    });
}

/** The compiled bytes of an example plugin or fixture; run the package's `fixtures` script first. */
export async function loadExampleWasm(name: string): Promise<Uint8Array> {
  const path = exampleWasmPath(name);
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    throw new Error(
      `Example module "${name}" is not built: run \`pnpm --filter @wasm-sandbox/example-plugins fixtures\``,
      { cause: error },
    );
  }
}

/** Synchronous variant of `loadExampleWasm` for test setup. */
export function loadExampleWasmSync(name: string): Uint8Array {
  return new Uint8Array(readFileSync(exampleWasmPath(name)));
}
