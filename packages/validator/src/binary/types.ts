import type { BinaryReader } from "./reader.js";

/**
 * Value types rendered as text ("i32", "v128", "funcref", "(ref null 3)", "(ref func)"): structure-level
 * data is small, and text compares and prints without another lookup.
 */
export type ValType = string;

const ABSTRACT_HEAP: Record<number, string> = {
  112: "func",
  111: "extern",
  110: "any",
  109: "eq",
  108: "i31",
  107: "struct",
  106: "array",
  105: "exn",
  115: "nofunc",
  114: "noextern",
  113: "none",
  116: "noexn",
};

const NUMERIC: Record<number, string> = { 127: "i32", 126: "i64", 125: "f32", 124: "f64", 123: "v128" };

/** Byte codes that encode a complete value type on their own (numeric, vector, abstract nullable refs). */
export function isSingleByteValType(byte: number): boolean {
  return (byte >= 0x7b && byte <= 0x7f) || (byte >= 0x69 && byte <= 0x74);
}

/** A heap type: an abstract name ("func", "extern", ...) or a type index. */
export function readHeapType(r: BinaryReader): string | number {
  const at = r.pos;
  const v = r.s33();
  if (v >= 0) return v;
  const name = ABSTRACT_HEAP[v + 128];
  if (name === undefined) r.fail(`Unknown heap type 0x${(v + 128).toString(16)}`, at);
  return name;
}

export function readRefTypeAfterPrefix(r: BinaryReader, prefix: number): ValType {
  const ht = readHeapType(r);
  return `(ref ${prefix === 0x63 ? "null " : ""}${ht})`;
}

export function readValType(r: BinaryReader): ValType {
  const at = r.pos;
  const byte = r.u8();
  const num = NUMERIC[byte];
  if (num !== undefined) return num;
  const abs = ABSTRACT_HEAP[byte];
  if (abs !== undefined) return `${abs}ref`;
  if (byte === 0x63 || byte === 0x64) return readRefTypeAfterPrefix(r, byte);
  return r.fail(`Unknown value type 0x${byte.toString(16)}`, at);
}

/** True when the type is a reference type (anything but numbers and v128). */
export function isRefType(t: ValType): boolean {
  return !(t === "i32" || t === "i64" || t === "f32" || t === "f64" || t === "v128");
}

/** Reference types that exist without the typed-function-references / GC proposals. */
export function isMvpRefType(t: ValType): boolean {
  return t === "funcref" || t === "externref";
}

export interface Limits {
  min: number;
  max: number | undefined;
  shared: boolean;
  /** memory64 / table64: limits (and addresses) are 64-bit. */
  index64: boolean;
}

export interface MemoryType extends Limits {}

export interface TableType {
  elemType: ValType;
  limits: Limits;
}

export interface GlobalType {
  valType: ValType;
  mutable: boolean;
}

export function readLimits(r: BinaryReader): Limits {
  const at = r.pos;
  const flags = r.u8();
  if (flags > 0x07) r.fail(`Unknown limits flags 0x${flags.toString(16)}`, at);
  const index64 = (flags & 0x04) !== 0;
  const min = index64 ? r.u64Number() : r.u32();
  const hasMax = (flags & 0x01) !== 0;
  const max = hasMax ? (index64 ? r.u64Number() : r.u32()) : undefined;
  return { min, max, shared: (flags & 0x02) !== 0, index64 };
}

export function readTableType(r: BinaryReader): TableType {
  const elemType = readValType(r);
  if (!isRefType(elemType)) r.fail(`Table element type ${elemType} is not a reference type`, r.pos - 1);
  return { elemType, limits: readLimits(r) };
}

export function readGlobalType(r: BinaryReader): GlobalType {
  const valType = readValType(r);
  const at = r.pos;
  const m = r.u8();
  if (m > 1) r.fail(`Invalid global mutability 0x${m.toString(16)}`, at);
  return { valType, mutable: m === 1 };
}
