import { malformed } from "./errors.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * A bounded cursor over a byte range. Every read checks the end first and throws INVALID_MODULE with the
 * offset; vector lengths are checked against the bytes left before anything is allocated for them.
 */
export class BinaryReader {
  readonly bytes: Uint8Array;
  /** Offset of the next byte to read. */
  pos: number;
  /** Offset one past the last readable byte. */
  end: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    if (start < 0 || end > bytes.length || start > end) throw malformed("Reader range out of bounds", start);
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  fail(message: string, offset: number = this.pos): never {
    throw malformed(message, offset);
  }

  private eof(offset: number): never {
    throw malformed("Unexpected end of data", offset);
  }

  u8(): number {
    if (this.pos >= this.end) this.eof(this.pos);
    return this.bytes[this.pos++]!;
  }

  peekU8(): number {
    if (this.pos >= this.end) this.eof(this.pos);
    return this.bytes[this.pos]!;
  }

  /** Unsigned LEB128, at most 5 bytes, value < 2^32. */
  u32(): number {
    const b = this.bytes;
    const end = this.end;
    let p = this.pos;
    if (p >= end) this.eof(p);
    let byte = b[p++]!;
    if (byte < 0x80) {
      this.pos = p;
      return byte;
    }
    let result = byte & 0x7f;
    let shift = 7;
    for (;;) {
      if (p >= end) this.eof(p);
      byte = b[p++]!;
      if (shift === 28) {
        if (byte > 0x0f) this.fail("Integer representation too long or too large (u32)", p - 1);
        this.pos = p;
        return (result | (byte << 28)) >>> 0;
      }
      result |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        this.pos = p;
        return result;
      }
      shift += 7;
    }
  }

  /** Signed LEB128 of at most `maxBytes` bytes (≤ 7) as a number: s32 (5), s33 (5). */
  sleb(maxBytes: number): number {
    const b = this.bytes;
    const end = this.end;
    let p = this.pos;
    let result = 0;
    let mul = 1;
    let byte = 0x80;
    let n = 0;
    while (byte & 0x80) {
      if (n === maxBytes) this.fail("Integer representation too long", p);
      if (p >= end) this.eof(p);
      byte = b[p++]!;
      result += (byte & 0x7f) * mul;
      mul *= 128;
      n++;
    }
    if (byte & 0x40) result -= mul;
    this.pos = p;
    return result;
  }

  s32(): number {
    const start = this.pos;
    const v = this.sleb(5);
    if (v < -0x80000000 || v > 0x7fffffff) this.fail("Integer too large (s32)", start);
    return v;
  }

  s33(): number {
    const start = this.pos;
    const v = this.sleb(5);
    if (v < -0x100000000 || v > 0xffffffff) this.fail("Integer too large (s33)", start);
    return v;
  }

  /** Skips a LEB128 of at most `maxBytes` bytes without decoding it. */
  skipLeb(maxBytes: number): void {
    const b = this.bytes;
    const end = this.end;
    let p = this.pos;
    for (let n = 0; n < maxBytes; n++) {
      if (p >= end) this.eof(p);
      if (b[p++]! < 0x80) {
        this.pos = p;
        return;
      }
    }
    this.fail("Integer representation too long", p);
  }

  /** Signed LEB128, at most 10 bytes, as a bigint (i64.const values). */
  s64(): bigint {
    return BigInt.asIntN(64, this.leb64(true));
  }

  /** Unsigned LEB128, at most 10 bytes, as a bigint. */
  u64(): bigint {
    return BigInt.asUintN(64, this.leb64(false));
  }

  private leb64(signed: boolean): bigint {
    const start = this.pos;
    let result = 0n;
    let shift = 0n;
    let byte = 0x80;
    let n = 0;
    while (byte & 0x80) {
      if (n === 10) this.fail("Integer representation too long (64-bit)", start);
      byte = this.u8();
      result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      n++;
    }
    if (signed && byte & 0x40) result -= 1n << shift;
    return result;
  }

  /** Unsigned LEB128 up to 10 bytes as a number; values above 2^53 are rejected (memory64 limits). */
  u64Number(): number {
    const start = this.pos;
    const b = this.bytes;
    let result = 0;
    let mul = 1;
    let byte = 0x80;
    let n = 0;
    while (byte & 0x80) {
      if (n === 10) this.fail("Integer representation too long (u64)", start);
      if (this.pos >= this.end) this.eof(this.pos);
      byte = b[this.pos++]!;
      result += (byte & 0x7f) * mul;
      mul *= 128;
      n++;
    }
    if (!Number.isSafeInteger(result)) this.fail("64-bit value above 2^53 is not supported", start);
    return result;
  }

  skip(n: number): void {
    if (n < 0 || n > this.end - this.pos) this.eof(this.end);
    this.pos += n;
  }

  /** Skips an f32 immediate (4 bytes, little-endian IEEE 754). */
  skipF32(): void {
    this.skip(4);
  }

  /** Skips an f64 immediate (8 bytes). */
  skipF64(): void {
    this.skip(8);
  }

  /** Reads a vector length and checks that `count * minElementSize` bytes can still follow. */
  vecLength(minElementSize = 1): number {
    const at = this.pos;
    const count = this.u32();
    if (count * minElementSize > this.end - this.pos) {
      this.fail(`Vector length ${count} exceeds the ${this.end - this.pos} bytes left`, at);
    }
    return count;
  }

  /** A byte vector (length + bytes) as a view into the source, no copy. */
  byteVec(): Uint8Array {
    const len = this.vecLength(1);
    const view = this.bytes.subarray(this.pos, this.pos + len);
    this.pos += len;
    return view;
  }

  /** A UTF-8 name, length-checked against the bytes left. */
  name(): string {
    const at = this.pos;
    const view = this.byteVec();
    try {
      return utf8.decode(view);
    } catch {
      return this.fail("Name is not valid UTF-8", at);
    }
  }
}
