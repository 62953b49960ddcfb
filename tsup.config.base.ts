import { defineConfig, type Options } from "tsup";

/** One library build for every package: ESM, declarations, sourcemaps, Node 20. */
export function defineLibraryBuild(overrides: Options = {}) {
  return defineConfig({
    entry: ["src/index.ts"],
    format: ["esm"],
    target: "node20",
    platform: "node",
    dts: { compilerOptions: { composite: false, emitDeclarationOnly: false, customConditions: [] } },
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: true,
    ...overrides,
  });
}
