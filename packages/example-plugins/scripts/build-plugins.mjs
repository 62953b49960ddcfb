// Compiles every example plugin and test fixture into build/: WAT through wabt, AssemblyScript through asc.
// Runs offline from sources in this package; skips outputs newer than their sources.
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadWabtKit } from "@wasm-sandbox/testkit";
import asc from "assemblyscript/asc";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "build");
const sdk = join(root, "sdk");

// Narrower than the testkit's WABT_FEATURES; the example plugins keep their own set.
const WAT_FEATURES = {
  multi_value: true,
  bulk_memory: true,
  reference_types: true,
  sign_extension: true,
  exceptions: true,
};

async function mtime(path) {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return 0;
  }
}

async function newestSource(paths) {
  let newest = 0;
  for (const path of paths) newest = Math.max(newest, await mtime(path));
  return newest;
}

async function buildWat(wabt, source, target) {
  if ((await mtime(target)) > (await mtime(source))) return false;
  const text = await readFile(source, "utf8");
  const bytes = wabt.compile(text, {
    features: WAT_FEATURES,
    fileName: source,
    resolveNames: true,
    validate: true,
  });
  await writeFile(target, bytes);
  return true;
}

async function buildAssemblyScript(source, target) {
  const sdkFiles = (await readdir(sdk)).map((f) => join(sdk, f));
  if ((await mtime(target)) > (await newestSource([source, ...sdkFiles]))) return false;
  // `--use abort=` turns AssemblyScript's abort into a plain trap, so plugins import nothing from `env`.
  const { error, stderr } = await asc.main([
    source,
    "--outFile",
    target,
    "--optimizeLevel",
    "3",
    "--runtime",
    "stub",
    "--use",
    "abort=",
  ]);
  if (error) throw new Error(`asc failed for ${source}: ${error.message}\n${stderr.toString()}`);
  return true;
}

async function main() {
  await mkdir(out, { recursive: true });
  const wabt = await loadWabtKit();
  let built = 0;
  for (const file of await readdir(join(root, "fixtures"))) {
    if (!file.endsWith(".wat")) continue;
    const name = file.slice(0, -".wat".length);
    if (await buildWat(wabt, join(root, "fixtures", file), join(out, `${name}.wasm`))) built++;
  }
  for (const name of await readdir(join(root, "plugins"))) {
    const dir = join(root, "plugins", name);
    const files = await readdir(dir);
    const target = join(out, `${name}.wasm`);
    if (files.includes("plugin.wat")) {
      if (await buildWat(wabt, join(dir, "plugin.wat"), target)) built++;
    } else if (files.includes("index.ts")) {
      if (await buildAssemblyScript(join(dir, "index.ts"), target)) built++;
    }
  }
  console.log(`example-plugins: ${built} module(s) built into build/`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
