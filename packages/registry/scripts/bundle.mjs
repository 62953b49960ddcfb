// Bundles a TypeScript entry (and the workspace sources it imports) into one ESM file that plain Node can
// run: the crash-safety test's child process and the bench. better-sqlite3 stays external (native addon),
// resolved from this package's node_modules because bundles are written under this package's build/.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { build } from "esbuild";

/** @param {string} entry @param {string} outfile */
export async function bundle(entry, outfile) {
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["@wasm-sandbox/source"],
    external: ["better-sqlite3"],
    // Bundled CommonJS dependencies (semver, ajv) call require(); give the ESM bundle one.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    logLevel: "error",
  });
}

if (process.argv[1] === new URL(import.meta.url).pathname && process.argv.length === 4) {
  await bundle(process.argv[2], process.argv[3]);
}
