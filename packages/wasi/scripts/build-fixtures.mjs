// Compiles test/fixtures/wat/*.wat into build/fixtures/*.wasm with the `wabt` npm package (CI needs no
// toolchain). The C conformance programs are committed as .wasm (see test/fixtures/c/build.sh).
// Usage: node scripts/build-fixtures.mjs
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import wabtInit from "wabt";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const sources = join(root, "test", "fixtures", "wat");
const out = join(root, "build", "fixtures");
mkdirSync(out, { recursive: true });

const wabt = await wabtInit();
for (const file of readdirSync(sources).filter((f) => f.endsWith(".wat"))) {
  const module = wabt.parseWat(file, readFileSync(join(sources, file), "utf8"));
  try {
    module.validate();
    writeFileSync(join(out, file.replace(/\.wat$/, ".wasm")), module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}
console.log(`wasi fixtures built into ${out}`);
