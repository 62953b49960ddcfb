/**
 * The fast path of `detectFeatures`: one tight loop over the code section's bytes, table-driven, with
 * inline LEB128 skipping and no method call or object per instruction (the InstructionReader costs a call
 * and several field writes per instruction, which made the feature walk 3-6x slower than the engine).
 *
 * It computes the same feature bits as the walker for every well-formed body. Anything it does not handle
 * cheaply (a malformed or over-long encoding, an unknown opcode, try_table, GC instructions, typed-reference
 * block types, exotic local types) makes it return SCAN_BAIL, and the caller re-walks with the
 * InstructionReader, which computes the bits or throws its exact error. So results never differ.
 */
import { MAX_FUNCTION_LOCALS } from "./code.js";
import { blockTypeBits, F } from "./feature-bits.js";
import { ATOMIC, Imm, MISC, SIMD, SINGLE } from "./opcodes.js";
import { isSingleByteValType } from "./types.js";

/** Returned when the fast scan cannot vouch for a body: the caller falls back to the walker. */
export const SCAN_BAIL = -1;

// Scanner kinds of single-byte opcodes (derived from the shared SINGLE immediates table).
// The four most frequent kinds first (0..3): the loop settles them before the switch.
const S_PLAIN = 0; // no immediates, no feature bits (arithmetic, drop, ...)
const S_IDX = 1; // one u32 index, no feature bits (local.*, global.*, call, br, br_if)
const S_I32 = 2;
const S_I64 = 3;
const S_PLAIN_BITS = 4;
const S_IDX_BITS = 5;
const S_END = 6;
const S_BLOCK = 7;
const S_MEMARG = 8;
const S_MEM = 9;
const S_F32 = 10;
const S_F64 = 11;
const S_CALL_INDIRECT = 12;
const S_BR_TABLE = 13;
const S_SELECT_T = 14;
const S_HEAP_TYPE = 15;
const S_DELEGATE = 16;
const S_PREFIX = 17;
const S_BAIL = 18;

const IMM_TO_SCAN: Record<number, number> = {
  [Imm.None]: S_PLAIN,
  [Imm.Block]: S_BLOCK,
  [Imm.Idx]: S_IDX,
  [Imm.Idx2]: S_CALL_INDIRECT,
  [Imm.BrTable]: S_BR_TABLE,
  [Imm.MemArg]: S_MEMARG,
  [Imm.Mem]: S_MEM,
  [Imm.I32]: S_I32,
  [Imm.I64]: S_I64,
  [Imm.F32]: S_F32,
  [Imm.F64]: S_F64,
  [Imm.SelectT]: S_SELECT_T,
  [Imm.HeapType]: S_HEAP_TYPE,
  [Imm.Prefix]: S_PREFIX,
};

/** Feature bits an opcode implies by itself (the conditional ones are computed in the loop). */
const BITS: Uint16Array = (() => {
  const t = new Uint16Array(256);
  for (let op = 0xc0; op <= 0xc4; op++) t[op] = F.signExt;
  for (const op of [0x06, 0x07, 0x08, 0x09, 0x0a, 0x18, 0x19]) t[op] = F.exceptions;
  t[0x12] = F.tail;
  t[0x13] = F.tail;
  for (const op of [0x14, 0xd3, 0xd4, 0xd6]) t[op] = F.funcRefs;
  t[0x15] = F.funcRefs | F.tail;
  t[0xd5] = F.gc;
  for (const op of [0x1c, 0x25, 0x26, 0xd0, 0xd1, 0xd2]) t[op] = F.ref;
  return t;
})();

const SCAN: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let op = 0; op < 256; op++) t[op] = IMM_TO_SCAN[SINGLE[op]!] ?? S_BAIL;
  t[0x0b] = S_END;
  t[0x18] = S_DELEGATE;
  t[0xfb] = S_BAIL; // GC: rare, left to the walker
  for (let op = 0; op < 256; op++) {
    if (BITS[op] === 0) continue;
    if (t[op] === S_PLAIN) t[op] = S_PLAIN_BITS;
    else if (t[op] === S_IDX) t[op] = S_IDX_BITS;
  }
  return t;
})();

/** For the loop's hot path: 0 = no immediate and no bits, 1 = one LEB128 immediate and no bits, 2 = other. */
const HOT_LEB: Uint8Array = SCAN.map((kind) => (kind === S_PLAIN ? 0 : kind <= S_I64 ? 1 : 2));

const MISC_LEN = MISC.length;
const SIMD_LEN = SIMD.length;
const ATOMIC_LEN = ATOMIC.length;

/** Value of the last `u32` / `s33` / memory index of the last `memarg` (module scratch: no pair objects). */
let val = 0;
let memIdx = 0;

/** A u32 LEB128 at `p` into `val`; returns the next offset, or SCAN_BAIL when over-long or too large. */
function u32(bytes: Uint8Array, p: number): number {
  let b = bytes[p]!;
  if (b < 0x80) {
    val = b;
    return p + 1;
  }
  let result = b & 0x7f;
  for (let shift = 7; shift < 28; shift += 7) {
    b = bytes[++p]!;
    result |= (b & 0x7f) << shift;
    if (b < 0x80) {
      val = result;
      return p + 1;
    }
  }
  b = bytes[++p]!;
  if (!(b <= 0x0f)) return SCAN_BAIL; // also catches reading past the array (undefined)
  val = (result | (b << 28)) >>> 0;
  return p + 1;
}

/** Skips a LEB128 of at most `max` bytes; SCAN_BAIL when longer. */
function skipLeb(bytes: Uint8Array, p: number, max: number): number {
  const limit = p + max;
  while (p < limit) if (bytes[p++]! < 0x80) return p;
  return SCAN_BAIL;
}

/** A block type as s33 into `val` (the walker's rules: at most 5 bytes, in range). */
function s33(bytes: Uint8Array, p: number): number {
  let result = 0;
  let mul = 1;
  let b = 0x80;
  let n = 0;
  while (b & 0x80) {
    if (n === 5) return SCAN_BAIL;
    b = bytes[p++]!;
    result += (b & 0x7f) * mul;
    mul *= 128;
    n++;
  }
  if (b & 0x40) result -= mul;
  if (!(result >= -0x100000000 && result <= 0xffffffff)) return SCAN_BAIL;
  val = result;
  return p;
}

/** A memarg (align, optional memory index, offset); the memory index goes to `memIdx`. */
function memarg(bytes: Uint8Array, p: number): number {
  p = u32(bytes, p);
  if (p < 0) return SCAN_BAIL;
  memIdx = 0;
  if (val & 0x40) {
    p = u32(bytes, p);
    if (p < 0) return SCAN_BAIL;
    memIdx = val;
  }
  return skipLeb(bytes, p, 10);
}

/** Local declarations of a body starting at `p`: sets `val` to their bits, returns the code's offset. */
function locals(bytes: Uint8Array, p: number, end: number): number {
  p = u32(bytes, p);
  if (p < 0) return SCAN_BAIL;
  const groups = val;
  if (groups * 2 > end - p) return SCAN_BAIL;
  let bits = 0;
  let total = 0;
  for (let i = 0; i < groups; i++) {
    p = u32(bytes, p);
    if (p < 0) return SCAN_BAIL;
    total += val;
    if (total > MAX_FUNCTION_LOCALS) return SCAN_BAIL;
    const t = bytes[p++]!;
    if (t === 0x7b) bits |= F.simd;
    else if (t === 0x70 || t === 0x6f) bits |= F.ref;
    else if (!(t >= 0x7c && t <= 0x7f)) return SCAN_BAIL;
  }
  val = bits;
  return p;
}

/** A 0xFC, 0xFD or 0xFE instruction after its prefix byte: sets `val` to its bits, returns the next offset. */
function prefixed(bytes: Uint8Array, prefix: number, p: number): number {
  p = u32(bytes, p);
  if (p < 0) return SCAN_BAIL;
  const sub = val;
  if (prefix === 0xfd) {
    const kind = sub < SIMD_LEN ? SIMD[sub]! : Imm.Invalid;
    let bits = sub >= 0x100 ? F.relaxed : F.simd;
    if (kind === Imm.None) {
      val = bits;
      return p;
    }
    if (kind === Imm.MemArg || kind === Imm.MemArgLane) {
      p = memarg(bytes, p);
      if (p < 0) return SCAN_BAIL;
      if (memIdx > 0) bits |= F.multiMemory;
      if (kind === Imm.MemArgLane) p++;
    } else if (kind === Imm.Bytes16) p += 16;
    else if (kind === Imm.Lane) p++;
    else return SCAN_BAIL;
    val = bits;
    return p;
  }
  if (prefix === 0xfc) {
    const kind = sub < MISC_LEN ? MISC[sub]! : Imm.Invalid;
    if (kind === Imm.Invalid) return SCAN_BAIL;
    if (sub <= 7) {
      val = F.satConv;
      return p;
    }
    // every other 0xFC instruction has one or two u32 immediates
    p = u32(bytes, p);
    if (p < 0) return SCAN_BAIL;
    const first = val;
    let second = 0;
    if (kind === Imm.IdxMem || kind === Imm.Mem2 || kind === Imm.Idx2) {
      p = u32(bytes, p);
      if (p < 0) return SCAN_BAIL;
      second = val;
    }
    let bits: number;
    if (sub === 8) bits = F.bulk | (second > 0 ? F.multiMemory : 0);
    else if (sub === 9)
      bits = F.bulk; // the walker's stale memory index can only repeat a bit already set
    else if (sub === 10) bits = F.bulk | (first > 0 || second > 0 ? F.multiMemory : 0);
    else if (sub === 11) bits = F.bulk | (first > 0 ? F.multiMemory : 0);
    else if (sub === 12 || sub === 14) bits = F.bulk | (second > 0 || (sub === 14 && first > 0) ? F.ref : 0);
    else if (sub === 13) bits = F.bulk;
    else bits = F.ref;
    val = bits;
    return p;
  }
  // 0xfe
  const kind = sub < ATOMIC_LEN ? ATOMIC[sub]! : Imm.Invalid;
  if (kind === Imm.MemArg) {
    p = memarg(bytes, p);
    if (p < 0) return SCAN_BAIL;
    val = F.threads | (memIdx > 0 ? F.multiMemory : 0);
    return p;
  }
  if (kind === Imm.Byte && bytes[p] === 0) {
    val = F.threads;
    return p + 1;
  }
  return SCAN_BAIL;
}

/**
 * Feature bits of every function body (local types and instructions), or SCAN_BAIL. Also checks what the
 * walker checks: each body ends with its final `end` exactly at its last byte.
 */
export function scanCodeBits(bytes: Uint8Array, bodies: readonly { start: number; end: number }[]): number {
  // Local aliases: the loop then reads registers, not module bindings re-checked on every access.
  const scan = SCAN;
  const lebs = HOT_LEB;
  const opBits = BITS;
  let bits = 0;
  for (let f = 0; f < bodies.length; f++) {
    const body = bodies[f]!;
    const end = body.end;
    let p = locals(bytes, body.start, end);
    if (p < 0) return SCAN_BAIL;
    bits |= val;
    let depth = 1;
    // Runs until the bytes run out; an `end` that closes the body must be its last byte.
    while (p < end) {
      const op = bytes[p++]!;
      // hot path without a data-dependent branch: `lebs` is 0 for no immediate, 1 for one LEB128
      // immediate, which is settled here when it is one byte long
      const leb = lebs[op]!;
      if (leb < 2 && (bytes[p]! & (leb << 7)) === 0) {
        p += leb;
        continue;
      }
      const kind = scan[op]!;
      switch (kind) {
        case S_PLAIN_BITS:
          bits |= opBits[op]!;
          break;
        case S_END:
          if (--depth === 0 && p !== end) return SCAN_BAIL;
          break;
        case S_IDX:
        case S_IDX_BITS:
          if (bytes[p]! < 0x80) p++;
          else {
            p = u32(bytes, p);
            if (p < 0) return SCAN_BAIL;
          }
          bits |= opBits[op]!;
          break;
        case S_I32:
          if (bytes[p]! < 0x80) p++;
          else {
            p = skipLeb(bytes, p, 5);
            if (p < 0) return SCAN_BAIL;
          }
          break;
        case S_MEMARG: {
          const align = bytes[p]!;
          if (align < 0x40) {
            p++;
            // offset
            if (bytes[p]! < 0x80) p++;
            else {
              p = skipLeb(bytes, p, 10);
              if (p < 0) return SCAN_BAIL;
            }
          } else {
            p = memarg(bytes, p);
            if (p < 0) return SCAN_BAIL;
            if (memIdx > 0) bits |= F.multiMemory;
          }
          break;
        }
        case S_BLOCK: {
          const b = bytes[p]!;
          let t: number;
          if (b >= 0x40 && b < 0x80) {
            p++;
            t = b - 128;
          } else {
            p = s33(bytes, p);
            if (p < 0) return SCAN_BAIL;
            t = val;
          }
          if (t === -29 || t === -28) return SCAN_BAIL; // typed-reference block types: the walker's job
          bits |= opBits[op]! | blockTypeBits(t);
          depth++;
          break;
        }
        case S_I64:
          p = skipLeb(bytes, p, 10);
          if (p < 0) return SCAN_BAIL;
          break;
        case S_F32:
          p += 4;
          break;
        case S_F64:
          p += 8;
          break;
        case S_MEM:
          p = u32(bytes, p);
          if (p < 0) return SCAN_BAIL;
          if (val > 0) bits |= F.multiMemory;
          break;
        case S_CALL_INDIRECT:
          p = u32(bytes, p);
          if (p < 0) return SCAN_BAIL;
          p = u32(bytes, p);
          if (p < 0) return SCAN_BAIL;
          bits |= opBits[op]! | (val !== 0 ? F.ref : 0);
          break;
        case S_BR_TABLE: {
          p = u32(bytes, p);
          if (p < 0) return SCAN_BAIL;
          const count = val;
          if (count > end - p) return SCAN_BAIL;
          for (let i = 0; i <= count; i++) {
            p = skipLeb(bytes, p, 5);
            if (p < 0) return SCAN_BAIL;
          }
          break;
        }
        case S_PREFIX:
          p = prefixed(bytes, op, p);
          if (p < 0) return SCAN_BAIL;
          bits |= val;
          break;
        case S_SELECT_T: {
          p = u32(bytes, p);
          if (p < 0) return SCAN_BAIL;
          const count = val;
          if (count > end - p) return SCAN_BAIL;
          for (let i = 0; i < count; i++) if (!isSingleByteValType(bytes[p++]!)) return SCAN_BAIL;
          bits |= F.ref;
          break;
        }
        case S_HEAP_TYPE:
          p = skipLeb(bytes, p, 5);
          if (p < 0) return SCAN_BAIL;
          bits |= F.ref;
          break;
        case S_DELEGATE:
          p = u32(bytes, p);
          if (p < 0) return SCAN_BAIL;
          bits |= F.exceptions;
          if (--depth === 0 && p !== end) return SCAN_BAIL; // closes its try like an end
          break;
        default:
          return SCAN_BAIL;
      }
    }
    if (p !== end || depth !== 0) return SCAN_BAIL;
  }
  return bits;
}
