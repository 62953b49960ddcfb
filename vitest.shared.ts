import { defineConfig } from "vitest/config";

/** The export condition under which every workspace package points at its TypeScript source. */
export const SOURCE_CONDITION = "@wasm-sandbox/source";

/**
 * Shared test settings: tests import sibling packages through the source condition (no build needed),
 * and every run leaves a JSON report that `scripts/workspace.mjs` sums into one closing line.
 */
export function definePackageTestConfig(options: { testTimeout?: number; include?: string[] } = {}) {
  return defineConfig({
    resolve: { conditions: [SOURCE_CONDITION, "import", "module", "node", "default"] },
    ssr: { resolve: { conditions: [SOURCE_CONDITION], externalConditions: [SOURCE_CONDITION] } },
    test: {
      include: options.include ?? ["src/**/*.test.ts", "test/**/*.test.ts"],
      testTimeout: options.testTimeout ?? 20_000,
      hookTimeout: 60_000,
      reporters: ["default", ["json", { outputFile: ".test-results/results.json" }]],
    },
  });
}
