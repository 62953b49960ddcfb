import { BinaryReader, ByteWriter } from "@wasm-sandbox/validator";
import { type IndexShift, shiftFunc, shiftGlobal } from "./remap.js";

/** Name-section subsections keyed by function index (function, local and label names) or global index. */
const FUNC_KEYED = new Set([1, 2, 3]);
const INDIRECT = new Set([2, 3]);
const GLOBAL_NAMES = 7;

function copyNameMap(r: BinaryReader, out: ByteWriter, shift: (i: number) => number): void {
  const n = r.vecLength(2);
  out.u32(n);
  for (let i = 0; i < n; i++) {
    out.u32(shift(r.u32()));
    const start = r.pos;
    const len = r.u32();
    r.skip(len);
    out.bytes(r.bytes, start, r.pos);
  }
}

/**
 * Rewrites the content of a "name" custom section for shifted function and global indices, so traps and
 * stack traces of the instrumented module still name the guest's functions. Returns undefined when the
 * section is malformed (engines ignore a bad name section; so does the instrumenter, by dropping it).
 */
export function rewriteNameSection(
  bytes: Uint8Array,
  start: number,
  end: number,
  shift: IndexShift,
): Uint8Array | undefined {
  const out = new ByteWriter(end - start + 64);
  const r = new BinaryReader(bytes, start, end);
  const sub = new ByteWriter(256);
  const func = (i: number) => shiftFunc(shift, i);
  const global = (i: number) => shiftGlobal(shift, i);
  try {
    while (!r.atEnd()) {
      const id = r.u8();
      const size = r.u32();
      const subEnd = r.pos + size;
      if (subEnd > end) return undefined;
      if (!FUNC_KEYED.has(id) && id !== GLOBAL_NAMES) {
        out.u8(id);
        out.u32(size);
        out.bytes(bytes, r.pos, subEnd);
        r.pos = subEnd;
        continue;
      }
      const sr = new BinaryReader(bytes, r.pos, subEnd);
      sub.reset();
      if (INDIRECT.has(id)) {
        const n = sr.vecLength(2);
        sub.u32(n);
        for (let i = 0; i < n; i++) {
          sub.u32(func(sr.u32()));
          copyNameMap(sr, sub, (x) => x);
        }
      } else {
        copyNameMap(sr, sub, id === GLOBAL_NAMES ? global : func);
      }
      if (!sr.atEnd()) return undefined;
      out.u8(id);
      out.sized(sub);
      r.pos = subEnd;
    }
  } catch {
    return undefined;
  }
  return out.toBytes();
}
