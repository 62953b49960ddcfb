import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PluginManifestInput } from "@wasm-sandbox/manifest";
import type { ValidationWarning } from "../src/issues.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const built = join(root, "build", "fixtures");

/** A compiled fixture from build/fixtures (run the `fixtures` script first; turbo does). */
export function fixture(name: string): Uint8Array {
  const path = join(built, `${name}.wasm`);
  if (!existsSync(path)) {
    throw new Error(
      `Fixture ${name}.wasm is missing: run \`pnpm --filter @wasm-sandbox/validator fixtures\``,
    );
  }
  return new Uint8Array(readFileSync(path));
}

export const malformed = (name: string) => fixture(`malformed/${name}`);

/** A wasm file shipped inside an installed npm package (a dev dependency of this package). */
export function npmWasm(path: string): Uint8Array {
  return new Uint8Array(readFileSync(join(root, "node_modules", path)));
}

/** A minimal valid manifest with the given entry points and overrides. */
export function manifest(
  entryPoints: PluginManifestInput["entryPoints"],
  overrides: Partial<PluginManifestInput> = {},
): PluginManifestInput {
  return { id: "test/plugin", name: "Test plugin", version: "1.0.0", entryPoints, ...overrides };
}

export const codes = (issues: readonly ValidationWarning[]) => issues.map((i) => i.code);

export const withCode = (issues: readonly ValidationWarning[], code: string) =>
  issues.filter((i) => i.code === code);

interface WasmEngine {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
/** The WebAssembly global (ES2023 lib and @types/node 20 do not declare it). */
export const wasm = (globalThis as unknown as { WebAssembly: WasmEngine }).WebAssembly;

/** Instantiates a module without imports and returns its exports. */
export function instantiate(bytes: Uint8Array): Record<string, unknown> {
  return new wasm.Instance(new wasm.Module(bytes), {}).exports;
}
