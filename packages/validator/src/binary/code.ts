import { unsupported } from "./errors.js";
import { ATOMIC, GC, Imm, MISC, SIMD, SINGLE } from "./opcodes.js";
import { BinaryReader } from "./reader.js";
import { SectionId, type SectionInfo } from "./sections.js";
import { readValType, type ValType } from "./types.js";

// Module-local aliases: the hot loop then reads plain constants, also under loaders that turn imports
// into property lookups (vitest's module runner).
const SINGLE_KINDS = SINGLE;
const SIMD_KINDS = SIMD;
const MISC_KINDS = MISC;
const ATOMIC_KINDS = ATOMIC;
const GC_KINDS = GC;
const K_NONE = Imm.None;
const K_BLOCK = Imm.Block;
const K_IDX = Imm.Idx;
const K_IDX2 = Imm.Idx2;
const K_BR_TABLE = Imm.BrTable;
const K_MEM_ARG = Imm.MemArg;
const K_MEM = Imm.Mem;
const K_I32 = Imm.I32;
const K_I64 = Imm.I64;
const K_F32 = Imm.F32;
const K_F64 = Imm.F64;
const K_SELECTT = Imm.SelectT;
const K_HEAP_TYPE = Imm.HeapType;
const K_TRY_TABLE = Imm.TryTable;
const K_BYTES16 = Imm.Bytes16;
const K_LANE = Imm.Lane;
const K_MEM_ARG_LANE = Imm.MemArgLane;
const K_IDX_MEM = Imm.IdxMem;
const K_MEM2 = Imm.Mem2;
const K_BYTE = Imm.Byte;
const K_BR_ON_CAST = Imm.BrOnCast;
const K_PREFIX = Imm.Prefix;
const K_INVALID = Imm.Invalid;

/** V8's limit on the locals of one function (kV8MaxWasmFunctionLocals). */
export const MAX_FUNCTION_LOCALS = 50_000;

export interface FunctionBody {
  /** Index among the module's defined functions (add the imported function count for the function index). */
  definedIndex: number;
  /** Offset of the body's size field. */
  offset: number;
  /** First byte of the body (locals vector). */
  start: number;
  /** One past the body's last byte (its final `end`). */
  end: number;
}

/** Splits the code section into function bodies, checking every size against the section. */
export function readFunctionBodies(bytes: Uint8Array, code: SectionInfo): FunctionBody[] {
  if (code.id !== SectionId.Code) throw unsupported("Not a code section", code.offset);
  const r = new BinaryReader(bytes, code.start, code.end);
  const count = r.vecLength(2);
  const bodies: FunctionBody[] = [];
  for (let i = 0; i < count; i++) {
    const offset = r.pos;
    const size = r.u32();
    if (size > r.remaining)
      r.fail(`Function body size ${size} exceeds the ${r.remaining} bytes left`, offset);
    if (size === 0) r.fail("Empty function body", offset);
    bodies.push({ definedIndex: i, offset, start: r.pos, end: r.pos + size });
    r.pos += size;
  }
  if (!r.atEnd()) r.fail("Code section has bytes after its last function body");
  return bodies;
}

export interface LocalGroup {
  count: number;
  type: ValType;
}

export interface FunctionLocals {
  groups: LocalGroup[];
  /** Sum of all group counts (parameters not included). */
  total: number;
  /** Offset of the first instruction. */
  codeStart: number;
}

/**
 * Reads a body's local declarations. The running total is checked against V8's limit before anything is
 * sized by it, so a declared count of 0xFFFFFFFF fails at once instead of allocating.
 */
export function readLocals(bytes: Uint8Array, body: { start: number; end: number }): FunctionLocals {
  const r = new BinaryReader(bytes, body.start, body.end);
  const groupCount = r.vecLength(2);
  const groups: LocalGroup[] = [];
  let total = 0;
  for (let i = 0; i < groupCount; i++) {
    const at = r.pos;
    const count = r.u32();
    total += count;
    if (total > MAX_FUNCTION_LOCALS) {
      r.fail(`Function declares ${total} or more locals, above the limit of ${MAX_FUNCTION_LOCALS}`, at);
    }
    groups.push({ count, type: readValType(r) });
  }
  return { groups, total, codeStart: r.pos };
}

/**
 * A pull cursor over instructions: `next()` decodes one instruction, skips its immediates and leaves the
 * interesting ones in fields. It allocates nothing per instruction, so one walker serves the validator's
 * feature scan and the instrumenter's rewrite at full speed.
 *
 * `op` is the opcode (`prefix << 16 | sub` for prefixed ones); `start` its offset, `immStart` the offset
 * of its immediates, `pos` the offset of the next instruction. `depth` counts open blocks: a function body
 * starts at 1 and is complete when an `end` brings it to 0. `idx`, `idx2`, `memIndex` and `blockType` are
 * only meaningful for instructions that carry them (they keep stale values otherwise, for speed).
 */
export class InstructionReader {
  readonly r: BinaryReader;
  op = 0;
  start = 0;
  immStart = 0;
  /** First index immediate (label, function, local, global, table, type, tag, data, elem), else -1. */
  idx = -1;
  /** Second index immediate (call_indirect's table, table.copy's source, ...), else -1. */
  idx2 = -1;
  /** Memory index of a memory instruction, else -1. */
  memIndex = -1;
  /**
   * Block type of block/loop/if/try/try_table: a type index (>= 0), or the negative s7 value of the
   * first byte (-64 = empty, -1 = i32, ..., -5 = v128, -16 = funcref, -29/-28 = (ref null ht)/(ref ht)).
   */
  blockType = 0;
  depth = 1;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.r = new BinaryReader(bytes, start, end);
  }

  get pos(): number {
    return this.r.pos;
  }

  get end(): number {
    return this.r.end;
  }

  /** Restarts on another range (e.g. the next function's code), at depth 1. */
  reset(start: number, end: number, depth = 1): void {
    this.r.pos = start;
    this.r.end = end;
    this.depth = depth;
  }

  atEnd(): boolean {
    return this.r.pos >= this.r.end;
  }

  next(): number {
    const r = this.r;
    const bytes = r.bytes;
    let p = r.pos;
    if (p >= r.end) r.fail("Unexpected end of data", p);
    this.start = p;
    let op = bytes[p++]!;
    let kind = SINGLE_KINDS[op]!;
    // fast paths: no immediate, or a one-byte index (most instructions in real code)
    if (kind === K_NONE) {
      r.pos = p;
      this.op = op;
      this.immStart = p;
      if (op === 0x0b) this.depth--;
      return op;
    }
    if (kind === K_IDX && p < r.end && bytes[p]! < 0x80 && op !== 0x18) {
      this.op = op;
      this.immStart = p;
      this.idx = bytes[p]!;
      r.pos = p + 1;
      return op;
    }
    r.pos = p;
    if (kind === K_PREFIX) {
      const sub = r.u32();
      const t = op === 0xfd ? SIMD_KINDS : op === 0xfc ? MISC_KINDS : op === 0xfe ? ATOMIC_KINDS : GC_KINDS;
      kind = sub < t.length ? t[sub]! : K_INVALID;
      op = (op << 16) | sub;
      if (kind === K_INVALID) {
        throw unsupported(`Unknown or unsupported opcode 0x${(op >>> 16).toString(16)} ${sub}`, this.start, {
          opcode: op,
        });
      }
    } else if (kind === K_INVALID) {
      throw unsupported(`Unknown or unsupported opcode 0x${op.toString(16)}`, this.start, { opcode: op });
    }
    this.op = op;
    this.immStart = r.pos;
    switch (kind) {
      case K_NONE:
        if (op === 0x0b) {
          this.depth--;
        }
        break;
      case K_BLOCK:
        this.readBlockType();
        this.depth++;
        break;
      case K_IDX:
        this.idx = r.u32();
        if (op === 0x18) this.depth--; // delegate closes its try like an end
        break;
      case K_IDX2:
        this.idx = r.u32();
        this.idx2 = r.u32();
        break;
      case K_BR_TABLE: {
        const count = r.vecLength(1);
        for (let i = 0; i <= count; i++) r.skipLeb(5);
        break;
      }
      case K_MEM_ARG:
        this.readMemArg();
        break;
      case K_MEM:
        this.memIndex = r.u32();
        break;
      case K_I32:
        r.skipLeb(5);
        break;
      case K_I64:
        r.skipLeb(10);
        break;
      case K_F32:
        r.skipF32();
        break;
      case K_F64:
        r.skipF64();
        break;
      case K_SELECTT: {
        const count = r.vecLength(1);
        for (let i = 0; i < count; i++) readValType(r);
        break;
      }
      case K_HEAP_TYPE:
        r.skipLeb(5);
        break;
      case K_TRY_TABLE: {
        this.readBlockType();
        this.depth++;
        const count = r.vecLength(2);
        for (let i = 0; i < count; i++) {
          const at = r.pos;
          const k = r.u8();
          if (k > 3) r.fail(`Unknown try_table catch kind ${k}`, at);
          if (k < 2) r.u32();
          r.u32();
        }
        break;
      }
      case K_BYTES16:
        r.skip(16);
        break;
      case K_LANE:
        r.skip(1);
        break;
      case K_MEM_ARG_LANE:
        this.readMemArg();
        r.skip(1);
        break;
      case K_IDX_MEM:
        this.idx = r.u32();
        this.memIndex = r.u32();
        break;
      case K_MEM2:
        this.memIndex = r.u32();
        this.idx2 = r.u32();
        break;
      case K_BYTE: {
        const at = r.pos;
        if (r.u8() !== 0) r.fail("atomic.fence expects a zero byte", at);
        break;
      }
      case K_BR_ON_CAST:
        r.skip(1);
        this.idx = r.u32();
        r.skipLeb(5);
        r.skipLeb(5);
        break;
      default:
        throw unsupported(`Unhandled immediate layout ${kind}`, this.start, { opcode: op });
    }
    return op;
  }

  private readBlockType(): void {
    const r = this.r;
    const b = r.peekU8();
    let t: number;
    if (b >= 0x40 && b < 0x80) {
      // single-byte types: 0x40 empty, numeric, abstract refs, the 0x63/0x64 ref prefixes
      r.pos++;
      t = b - 128;
    } else {
      t = r.s33();
    }
    if (t === -29 || t === -28) r.skipLeb(5);
    this.blockType = t;
  }

  private readMemArg(): void {
    const r = this.r;
    const align = r.u32();
    this.memIndex = align & 0x40 ? r.u32() : 0;
    r.skipLeb(10);
  }
}
