// Compiles test/fixtures/wat/*.wat into build/fixtures/*.wasm with the `wabt` npm package (CI needs no
// toolchain). The C conformance programs are committed as .wasm (see test/fixtures/c/build.sh).
// Usage: node scripts/build-fixtures.mjs
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadWabtKit } from "@wasm-sandbox/testkit";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const sources = join(root, "test", "fixtures", "wat");
const out = join(root, "build", "fixtures");
mkdirSync(out, { recursive: true });

const wabt = await loadWabtKit();
for (const file of readdirSync(sources).filter((f) => f.endsWith(".wat"))) {
  // `{}`: wabt's own default features; every fixture is validated before it is written
  const bytes = wabt.compile(readFileSync(join(sources, file), "utf8"), {
    features: {},
    fileName: file,
    validate: true,
  });
  writeFileSync(join(out, file.replace(/\.wat$/, ".wasm")), bytes);
}
console.log(`wasi fixtures built into ${out}`);
