import { InstructionReader, MAX_FUNCTION_LOCALS } from "./code.js";
import { blockTypeBits, F } from "./feature-bits.js";
import { type ExprRange, type ModuleInfo, readModule } from "./module.js";
import { SCAN_BAIL, scanCodeBits } from "./scan.js";
import { readValType, type ValType } from "./types.js";

/** Post-MVP features, in the order `detectFeatures` reports them. */
export const WASM_FEATURES = [
  "bulk-memory",
  "reference-types",
  "simd",
  "relaxed-simd",
  "multi-value",
  "threads",
  "tail-calls",
  "exceptions",
  "memory64",
  "sign-extension",
  "saturating-float-to-int",
  "mutable-globals",
  "multi-memory",
  "function-references",
  "gc",
  "extended-const",
] as const;

export type WasmFeature = (typeof WASM_FEATURES)[number];

const GC_ABSTRACT = new Set(["any", "eq", "i31", "struct", "array", "none", "nofunc", "noextern"]);

function valTypeBits(t: ValType): number {
  switch (t) {
    case "i32":
    case "i64":
    case "f32":
    case "f64":
    case "i8":
    case "i16":
      return 0;
    case "v128":
      return F.simd;
    case "funcref":
    case "externref":
      return F.ref;
    case "exnref":
    case "nullexnref":
      return F.exceptions;
  }
  if (t.startsWith("(ref ")) {
    const heap = t.slice(t.startsWith("(ref null ") ? 10 : 5, -1);
    if (heap === "exn" || heap === "noexn") return F.exceptions | F.funcRefs;
    return F.funcRefs | (GC_ABSTRACT.has(heap) ? F.gc : 0);
  }
  return F.gc; // anyref, eqref, i31ref, structref, arrayref, nullref, nullfuncref, nullexternref
}

/** `i32.const <leb> end`, the offset of nearly every data and element segment: no feature bits. */
function isPlainI32Const(bytes: Uint8Array, e: ExprRange): boolean {
  if (bytes[e.start] !== 0x41) return false;
  let p = e.start + 1;
  const limit = Math.min(p + 5, e.end);
  while (p < limit && bytes[p]! >= 0x80) p++;
  return p < limit && p + 2 === e.end && bytes[p + 1] === 0x0b;
}

function exprBits(e: ExprRange, importedGlobals: number, it: InstructionReader): number {
  if (isPlainI32Const(it.r.bytes, e)) return 0;
  let bits = 0;
  it.reset(e.start, e.end);
  while (it.depth > 0) {
    const op = it.next();
    if (op === 0x6a || op === 0x6b || op === 0x6c || op === 0x7c || op === 0x7d || op === 0x7e)
      bits |= F.extConst;
    else if (op === 0x23 && it.idx >= importedGlobals) bits |= F.extConst;
    else if (op === 0xd0 || op === 0xd2) bits |= F.ref;
    else if (op === 0xfd000c) bits |= F.simd;
    else if (op >>> 16 === 0xfb) bits |= F.gc;
  }
  return bits;
}

function instructionBits(it: InstructionReader, op: number): number {
  if (op < 0x100) {
    if (op >= 0xc0 && op <= 0xc4) return F.signExt;
    switch (op) {
      case 0x02:
      case 0x03:
      case 0x04:
        return blockTypeBits(it.blockType);
      case 0x06:
        return F.exceptions | blockTypeBits(it.blockType);
      case 0x1f:
        return F.exceptions | blockTypeBits(it.blockType);
      case 0x07:
      case 0x08:
      case 0x09:
      case 0x0a:
      case 0x18:
      case 0x19:
        return F.exceptions;
      case 0x11:
        return it.idx2 !== 0 ? F.ref : 0;
      case 0x12:
        return F.tail;
      case 0x13:
        return F.tail | (it.idx2 !== 0 ? F.ref : 0);
      case 0x14:
      case 0xd3:
      case 0xd4:
      case 0xd6:
        return F.funcRefs;
      case 0x15:
        return F.funcRefs | F.tail;
      case 0xd5:
        return F.gc;
      case 0x1c:
      case 0x25:
      case 0x26:
      case 0xd0:
      case 0xd1:
      case 0xd2:
        return F.ref;
      default:
        // loads, stores, memory.size/grow: memIndex is only set for these
        return op >= 0x28 && op <= 0x40 && it.memIndex > 0 ? F.multiMemory : 0;
    }
  }
  const prefix = op >>> 16;
  const sub = op & 0xffff;
  if (prefix === 0xfd) {
    const memoryOp = sub <= 0x0b || (sub >= 0x54 && sub <= 0x5d);
    return (sub >= 0x100 ? F.relaxed : F.simd) | (memoryOp && it.memIndex > 0 ? F.multiMemory : 0);
  }
  if (prefix === 0xfe) return F.threads | (sub !== 0x03 && it.memIndex > 0 ? F.multiMemory : 0);
  if (prefix === 0xfb) return F.gc;
  // 0xfc
  if (sub <= 7) return F.satConv;
  if (sub <= 11) return F.bulk | (it.memIndex > 0 || (sub === 10 && it.idx2 > 0) ? F.multiMemory : 0);
  if (sub === 12 || sub === 14) return F.bulk | (it.idx2 > 0 || (sub === 14 && it.idx > 0) ? F.ref : 0);
  if (sub === 13) return F.bulk;
  return F.ref;
}

function structureBits(info: ModuleInfo): number {
  let bits = 0;
  for (const t of info.types) {
    if (t.kind === "func") {
      if (t.results.length > 1) bits |= F.multiValue;
      for (const p of t.params) bits |= valTypeBits(p);
      for (const p of t.results) bits |= valTypeBits(p);
    } else {
      bits |= F.gc;
    }
    if (!t.final || t.supertypes.length > 0) bits |= F.gc;
  }
  if (info.types.length > 0 && info.types[info.types.length - 1]!.recGroup !== info.types.length - 1)
    bits |= F.gc;
  const memories = [...info.imports.flatMap((i) => (i.kind === "memory" ? [i.type] : [])), ...info.memories];
  for (const m of memories) {
    if (m.shared) bits |= F.threads;
    if (m.index64) bits |= F.memory64;
  }
  if (memories.length > 1) bits |= F.multiMemory;
  const tables = [
    ...info.imports.flatMap((i) => (i.kind === "table" ? [i.type] : [])),
    ...info.tables.map((t) => t.type),
  ];
  for (const t of tables) {
    bits |= t.elemType === "funcref" ? 0 : valTypeBits(t.elemType);
    if (t.limits.index64) bits |= F.memory64;
  }
  if (tables.length > 1) bits |= F.ref;
  if (info.tables.some((t) => t.init !== undefined)) bits |= F.funcRefs;
  const globalTypes = [
    ...info.imports.flatMap((i) => (i.kind === "global" ? [i.type] : [])),
    ...info.globals.map((g) => g.type),
  ];
  for (const g of globalTypes) bits |= valTypeBits(g.valType);
  for (const i of info.imports) {
    if (i.kind === "global" && i.type.mutable) bits |= F.mutGlobals;
    if (i.kind === "tag") bits |= F.exceptions;
  }
  for (const e of info.exports) {
    if (e.kind === "global" && globalTypes[e.index]?.mutable) bits |= F.mutGlobals;
  }
  if (info.tags.length > 0) bits |= F.exceptions;
  for (const el of info.elements) {
    if (el.mode === "passive" || el.usesExpressions) bits |= F.bulk;
    if (el.mode === "declarative" || el.tableIndex > 0) bits |= F.ref;
    if (el.elemType !== "funcref") bits |= valTypeBits(el.elemType);
  }
  for (const d of info.data) {
    if (d.mode === "passive") bits |= F.bulk;
    if (d.memoryIndex > 0) bits |= F.multiMemory;
  }
  if (info.dataCount !== undefined) bits |= F.bulk;
  return bits;
}

/** Feature bits of every constant expression (globals, segment offsets, element expressions, table inits). */
function constExprBits(bytes: Uint8Array, info: ModuleInfo): number {
  let bits = 0;
  const it = new InstructionReader(bytes);
  const imported = info.importedGlobalCount;
  for (const g of info.globals) bits |= exprBits(g.init, imported, it);
  for (const t of info.tables) if (t.init) bits |= exprBits(t.init, imported, it);
  for (const el of info.elements) if (el.offset) bits |= exprBits(el.offset, imported, it);
  // no intermediate list: a Go module has ~100,000 data segments
  for (const d of info.data) if (d.offset) bits |= exprBits(d.offset, imported, it);
  return bits;
}

/** Reads a body's local declarations without allocating (leaving `it.r` at the code); returns their bits. */
function localsBits(bytes: Uint8Array, body: { start: number; end: number }, it: InstructionReader): number {
  const r = it.r;
  r.pos = body.start;
  r.end = body.end;
  let bits = 0;
  let total = 0;
  const groups = r.vecLength(2);
  for (let i = 0; i < groups; i++) {
    total += r.u32();
    if (total > MAX_FUNCTION_LOCALS) r.fail(`Function declares more than ${MAX_FUNCTION_LOCALS} locals`);
    const b = bytes[r.pos]!;
    if (b >= 0x7c && b <= 0x7f) r.pos++;
    else bits |= valTypeBits(readValType(r));
  }
  return bits;
}

/** Feature bits of every function body with the InstructionReader (the reference for the fast scan). */
function walkCodeBits(bytes: Uint8Array, info: ModuleInfo): number {
  let bits = 0;
  const it = new InstructionReader(bytes);
  for (const body of info.bodies) {
    bits |= localsBits(bytes, body, it);
    it.reset(it.r.pos, body.end);
    while (it.depth > 0) bits |= instructionBits(it, it.next());
    if (it.pos !== body.end) it.r.fail("Function body continues after its final end", it.pos);
  }
  return bits;
}

/** Feature bits of every function body: the fast scan, or the walker when the scan cannot vouch. */
function codeBits(bytes: Uint8Array, info: ModuleInfo): number {
  const fast = scanCodeBits(bytes, info.bodies);
  return fast !== SCAN_BAIL ? fast : walkCodeBits(bytes, info);
}

const toFeatures = (bits: number): WasmFeature[] => WASM_FEATURES.filter((_, i) => (bits & (1 << i)) !== 0);

/**
 * The same result as `detectFeatures` from the InstructionReader walk alone (no fast scan): the reference
 * the fast path is tested against. Not part of the package's public surface.
 */
export function detectFeaturesByWalk(bytes: Uint8Array, info: ModuleInfo = readModule(bytes)): WasmFeature[] {
  return toFeatures(structureBits(info) | constExprBits(bytes, info) | walkCodeBits(bytes, info));
}

/**
 * The post-MVP features a module uses, in `WASM_FEATURES` order. Decodes the structure and walks every
 * instruction once; throws INVALID_MODULE (malformed) or UNSUPPORTED (unknown opcode) with the offset.
 */
export function detectFeatures(bytes: Uint8Array, info: ModuleInfo = readModule(bytes)): WasmFeature[] {
  return toFeatures(structureBits(info) | constExprBits(bytes, info) | codeBits(bytes, info));
}
