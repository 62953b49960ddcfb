// Compiles test/fixtures/*.wat into build/fixtures/*.wasm with the `wabt` npm package, then writes the
// malformed fixtures (which no assembler produces) into build/fixtures/malformed/ from documented byte
// recipes. A `;; features: simd threads` line in a .wat file enables those wabt features.
// Usage: node scripts/build-fixtures.mjs
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadWabtKit } from "@wasm-sandbox/testkit";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const sources = join(root, "test", "fixtures");
const out = join(root, "build", "fixtures");
const malformedOut = join(out, "malformed");
mkdirSync(malformedOut, { recursive: true });

const wabt = await loadWabtKit();

function features(text) {
  const line = /^;;\s*features:\s*(.+)$/m.exec(text);
  const flags = {};
  for (const name of line ? line[1].trim().split(/\s+/) : []) flags[name] = true;
  return flags;
}

// Only the features a fixture names (wabt's defaults otherwise). Some fixtures are invalid on purpose:
// the binary is written without validating.
function compile(name, text) {
  return wabt.compile(text, { features: features(text), fileName: name });
}

let count = 0;
const built = {};
for (const file of readdirSync(sources)
  .filter((f) => f.endsWith(".wat"))
  .sort()) {
  const text = readFileSync(join(sources, file), "utf8");
  const bytes = compile(file, text);
  built[file.replace(/\.wat$/, "")] = bytes;
  writeFileSync(join(out, file.replace(/\.wat$/, ".wasm")), bytes);
  count++;
}

// --- malformed modules, built byte by byte ---
const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const TYPE_VOID = [0x01, 0x04, 0x01, 0x60, 0x00, 0x00]; // type section: one () -> ()
const FUNC_ONE = [0x03, 0x02, 0x01, 0x00]; // function section: one function of type 0
const CODE_NOP = [0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b]; // code section: one body, no locals, end

const numeric = built.numeric;
const malformed = {
  // No bytes at all.
  empty: [],
  // "\0asn" instead of "\0asm".
  "bad-magic": [0x00, 0x61, 0x73, 0x6e, 0x01, 0x00, 0x00, 0x00],
  // Version 0x0d 0x00 0x01 0x00: a component-model binary, not a core module.
  component: [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00],
  // The header cut after 7 bytes.
  "truncated-header": HEADER.slice(0, 7),
  // numeric.wasm cut in the middle of its last section: the section claims more bytes than remain.
  "section-overrun": [...numeric.subarray(0, numeric.length - 5)],
  // The type section declares 6 bytes but holds a 4-byte type, then 2 stray bytes.
  "section-size-lies": [...HEADER, 0x01, 0x06, 0x01, 0x60, 0x00, 0x00, 0x00, 0x00],
  // A type index encoded with extra bits in its fifth LEB128 byte.
  "leb-overflow": [...HEADER, ...TYPE_VOID, 0x03, 0x06, 0x01, 0x80, 0x80, 0x80, 0x80, 0x70, ...CODE_NOP],
  // Section id 0x33 does not exist.
  "unknown-section": [...HEADER, 0x33, 0x00],
  // Two type sections.
  "duplicate-section": [...HEADER, ...TYPE_VOID, ...TYPE_VOID],
  // A function without a code section.
  "missing-code": [...HEADER, ...TYPE_VOID, ...FUNC_ONE],
  // One body declaring 0xFFFFFFFF locals of type i32.
  "huge-local-count": [
    ...HEADER,
    ...TYPE_VOID,
    ...FUNC_ONE,
    ...[0x0a, 0x0a, 0x01, 0x08, 0x01, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x0b],
  ],
  // A body whose only instruction is the byte 0xff, which is no opcode.
  "unknown-opcode": [...HEADER, ...TYPE_VOID, ...FUNC_ONE, ...[0x0a, 0x05, 0x01, 0x03, 0x00, 0xff, 0x0b]],
};
for (const [name, bytes] of Object.entries(malformed)) {
  writeFileSync(join(malformedOut, `${name}.wasm`), Uint8Array.from(bytes));
  count++;
}
console.log(`validator fixtures: wrote ${count} modules to ${out}`);
