/**
 * Opcode tables: how to skip the immediates of every instruction V8 decodes. Prefixed opcodes are encoded
 * as `prefix << 16 | sub` (e.g. memory.copy = 0xfc000a) so one number identifies any instruction.
 */

/** Immediate layouts. */
export const Imm = {
  None: 0,
  /** block type: 0x40, a value type, or an s33 type index */
  Block: 1,
  /** one u32 index */
  Idx: 2,
  /** two u32 indices */
  Idx2: 3,
  BrTable: 4,
  /** align (bit 6: memory index follows) + offset (u64 LEB) */
  MemArg: 5,
  /** a memory index (u32) */
  Mem: 6,
  I32: 7,
  I64: 8,
  F32: 9,
  F64: 10,
  /** select with a vector of value types */
  SelectT: 11,
  HeapType: 12,
  TryTable: 13,
  /** 16 raw bytes: v128.const, i8x16.shuffle */
  Bytes16: 14,
  /** one lane byte */
  Lane: 15,
  MemArgLane: 16,
  /** memory.init: data index, memory index */
  IdxMem: 17,
  /** memory.copy: two memory indices */
  Mem2: 18,
  /** atomic.fence: one zero byte */
  Byte: 19,
  /** br_on_cast(_fail): flags byte, label, two heap types */
  BrOnCast: 20,
  /** ref.test / ref.cast: one heap type */
  Prefix: 30,
  Invalid: 255,
} as const;

export const Op = {
  Unreachable: 0x00,
  Nop: 0x01,
  Block: 0x02,
  Loop: 0x03,
  If: 0x04,
  Else: 0x05,
  Try: 0x06,
  Catch: 0x07,
  Throw: 0x08,
  Rethrow: 0x09,
  ThrowRef: 0x0a,
  End: 0x0b,
  Br: 0x0c,
  BrIf: 0x0d,
  BrTable: 0x0e,
  Return: 0x0f,
  Call: 0x10,
  CallIndirect: 0x11,
  ReturnCall: 0x12,
  ReturnCallIndirect: 0x13,
  CallRef: 0x14,
  ReturnCallRef: 0x15,
  Delegate: 0x18,
  CatchAll: 0x19,
  Drop: 0x1a,
  Select: 0x1b,
  SelectT: 0x1c,
  TryTable: 0x1f,
  LocalGet: 0x20,
  LocalSet: 0x21,
  LocalTee: 0x22,
  GlobalGet: 0x23,
  GlobalSet: 0x24,
  TableGet: 0x25,
  TableSet: 0x26,
  MemorySize: 0x3f,
  MemoryGrow: 0x40,
  I32Const: 0x41,
  I64Const: 0x42,
  F32Const: 0x43,
  F64Const: 0x44,
  I32Add: 0x6a,
  I32Sub: 0x6b,
  I32Mul: 0x6c,
  I64Add: 0x7c,
  I64Sub: 0x7d,
  I64Mul: 0x7e,
  RefNull: 0xd0,
  RefIsNull: 0xd1,
  RefFunc: 0xd2,
  RefAsNonNull: 0xd3,
  BrOnNull: 0xd4,
  RefEq: 0xd5,
  BrOnNonNull: 0xd6,
  PrefixGc: 0xfb,
  PrefixMisc: 0xfc,
  PrefixSimd: 0xfd,
  PrefixAtomic: 0xfe,
  // 0xFC sub-opcodes, full encoding
  MemoryInit: 0xfc0008,
  DataDrop: 0xfc0009,
  MemoryCopy: 0xfc000a,
  MemoryFill: 0xfc000b,
  TableInit: 0xfc000c,
  ElemDrop: 0xfc000d,
  TableCopy: 0xfc000e,
  TableGrow: 0xfc000f,
  TableSize: 0xfc0010,
  TableFill: 0xfc0011,
  AtomicWait32: 0xfe0001,
  AtomicWait64: 0xfe0002,
  BrOnCast: 0xfb0018,
  BrOnCastFail: 0xfb0019,
} as const;

function table(size: number, fill: number): Uint8Array {
  return new Uint8Array(size).fill(fill);
}

function set(t: Uint8Array, from: number, to: number, kind: number): void {
  for (let i = from; i <= to; i++) t[i] = kind;
}

/** Single-byte opcodes. */
export const SINGLE: Uint8Array = (() => {
  const t = table(256, Imm.Invalid);
  set(t, 0x00, 0x01, Imm.None);
  set(t, 0x02, 0x04, Imm.Block);
  t[0x05] = Imm.None;
  t[0x06] = Imm.Block;
  t[0x07] = Imm.Idx;
  t[0x08] = Imm.Idx;
  t[0x09] = Imm.Idx;
  t[0x0a] = Imm.None;
  t[0x0b] = Imm.None;
  t[0x0c] = Imm.Idx;
  t[0x0d] = Imm.Idx;
  t[0x0e] = Imm.BrTable;
  t[0x0f] = Imm.None;
  t[0x10] = Imm.Idx;
  t[0x11] = Imm.Idx2;
  t[0x12] = Imm.Idx;
  t[0x13] = Imm.Idx2;
  t[0x14] = Imm.Idx;
  t[0x15] = Imm.Idx;
  t[0x18] = Imm.Idx;
  t[0x19] = Imm.None;
  t[0x1a] = Imm.None;
  t[0x1b] = Imm.None;
  t[0x1c] = Imm.SelectT;
  t[0x1f] = Imm.TryTable;
  set(t, 0x20, 0x26, Imm.Idx);
  set(t, 0x28, 0x3e, Imm.MemArg);
  t[0x3f] = Imm.Mem;
  t[0x40] = Imm.Mem;
  t[0x41] = Imm.I32;
  t[0x42] = Imm.I64;
  t[0x43] = Imm.F32;
  t[0x44] = Imm.F64;
  set(t, 0x45, 0xc4, Imm.None);
  t[0xd0] = Imm.HeapType;
  t[0xd1] = Imm.None;
  t[0xd2] = Imm.Idx;
  t[0xd3] = Imm.None;
  t[0xd4] = Imm.Idx;
  t[0xd5] = Imm.None;
  t[0xd6] = Imm.Idx;
  set(t, 0xfb, 0xfe, Imm.Prefix);
  return t;
})();

/** 0xFC: saturating truncations, bulk memory, table operations. */
export const MISC: Uint8Array = (() => {
  const t = table(0x12, Imm.Invalid);
  set(t, 0x00, 0x07, Imm.None);
  t[0x08] = Imm.IdxMem;
  t[0x09] = Imm.Idx;
  t[0x0a] = Imm.Mem2;
  t[0x0b] = Imm.Mem;
  t[0x0c] = Imm.Idx2;
  t[0x0d] = Imm.Idx;
  t[0x0e] = Imm.Idx2;
  set(t, 0x0f, 0x11, Imm.Idx);
  return t;
})();

/** 0xFD: SIMD (0x00..0xff) and relaxed SIMD (0x100..0x113). */
export const SIMD: Uint8Array = (() => {
  const t = table(0x114, Imm.None);
  set(t, 0x00, 0x0b, Imm.MemArg);
  t[0x0c] = Imm.Bytes16;
  t[0x0d] = Imm.Bytes16;
  set(t, 0x15, 0x22, Imm.Lane);
  set(t, 0x54, 0x5b, Imm.MemArgLane);
  t[0x5c] = Imm.MemArg;
  t[0x5d] = Imm.MemArg;
  for (const hole of [
    0x9a, 0xa2, 0xa5, 0xa6, 0xaf, 0xb0, 0xb2, 0xb3, 0xb4, 0xbb, 0xc2, 0xc5, 0xc6, 0xcf, 0xd0, 0xd2, 0xd3,
    0xd4, 0xe2, 0xee,
  ]) {
    t[hole] = Imm.Invalid;
  }
  return t;
})();

/** 0xFE: threads (atomics). */
export const ATOMIC: Uint8Array = (() => {
  const t = table(0x4f, Imm.Invalid);
  set(t, 0x00, 0x02, Imm.MemArg);
  t[0x03] = Imm.Byte;
  set(t, 0x10, 0x4e, Imm.MemArg);
  return t;
})();

/** 0xFB: GC (final encoding; V8 in Node 20 rejects these without flags, but the walker still skips them). */
export const GC: Uint8Array = (() => {
  const t = table(0x1f, Imm.Invalid);
  t[0x00] = Imm.Idx; // struct.new
  t[0x01] = Imm.Idx; // struct.new_default
  set(t, 0x02, 0x05, Imm.Idx2); // struct.get/_s/_u/set
  t[0x06] = Imm.Idx; // array.new
  t[0x07] = Imm.Idx; // array.new_default
  set(t, 0x08, 0x0a, Imm.Idx2); // array.new_fixed/_data/_elem
  set(t, 0x0b, 0x0e, Imm.Idx); // array.get/_s/_u/set
  t[0x0f] = Imm.None; // array.len
  t[0x10] = Imm.Idx; // array.fill
  set(t, 0x11, 0x13, Imm.Idx2); // array.copy/init_data/init_elem
  set(t, 0x14, 0x17, Imm.HeapType); // ref.test/ref.cast (+ null)
  t[0x18] = Imm.BrOnCast;
  t[0x19] = Imm.BrOnCast;
  set(t, 0x1a, 0x1e, Imm.None); // any.convert_extern, extern.convert_any, ref.i31, i31.get_s/_u
  return t;
})();
