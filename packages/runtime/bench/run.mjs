// Runs every plain bench/*.bench.ts in one process: bundled with esbuild (workspace packages from source),
// then imported one after the other so all tables come from the same run on the same machine. Files written
// for `vitest bench` (they import vitest) are left to vitest: see the package's `bench` script.
import { readdir, readFile, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", ".bench");

const only = process.argv[2];
const files = [];
for (const file of (await readdir(here)).sort()) {
  if (!file.endsWith(".bench.ts") || (only && !file.includes(only))) continue;
  if (!(await readFile(join(here, file), "utf8")).includes('from "vitest"')) files.push(file);
}
// runtime.bench.ts first: it holds the headline table.
files.sort((a, b) => (a === "runtime.bench.ts" ? -1 : b === "runtime.bench.ts" ? 1 : 0));
await rm(out, { recursive: true, force: true });
await build({
  entryPoints: files.map((f) => join(here, f)),
  outdir: out,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  conditions: ["@wasm-sandbox/source"],
  // Everything is bundled (workspace packages from source) except the peer measured against, wabt, and the
  // example plugins, which find their build/ directory from their own (built) location.
  external: ["@extism/extism", "esbuild", "wabt", "@wasm-sandbox/example-plugins"],
  outExtension: { ".js": ".mjs" },
  logLevel: "warning",
});
for (const file of files) {
  console.log(`\n## ${file}\n`);
  await import(pathToFileURL(join(out, file.replace(/\.ts$/, ".mjs"))).href);
}
