/**
 * The writing half of the binary layer: a growable byte buffer with LEB128 encoders (the runtime's
 * instrumenter writes whole modules with it) and `encodeU32` for small one-off encodings.
 */
export class ByteWriter {
  buf: Uint8Array<ArrayBuffer>;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
  }

  private grow(extra: number): void {
    let cap = this.buf.length * 2;
    while (cap < this.length + extra) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  reset(): void {
    this.length = 0;
  }

  u8(b: number): void {
    if (this.length === this.buf.length) this.grow(1);
    this.buf[this.length++] = b;
  }

  u32(v: number): void {
    if (this.length + 5 > this.buf.length) this.grow(5);
    const buf = this.buf;
    let n = this.length;
    v >>>= 0;
    while (v >= 0x80) {
      buf[n++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[n++] = v;
    this.length = n;
  }

  /** Signed LEB128 of a safe integer (i64.const immediates). */
  s64(v: number): void {
    if (this.length + 10 > this.buf.length) this.grow(10);
    const buf = this.buf;
    let n = this.length;
    for (;;) {
      const byte = v & 0x7f; // two's complement low bits, also for negatives
      v = Math.floor(v / 128);
      if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
        buf[n++] = byte;
        break;
      }
      buf[n++] = byte | 0x80;
    }
    this.length = n;
  }

  /** Unsigned LEB128 of a safe integer (memory64 limits). */
  u64(v: number): void {
    if (this.length + 10 > this.buf.length) this.grow(10);
    const buf = this.buf;
    let n = this.length;
    while (v >= 0x80) {
      buf[n++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    buf[n++] = v;
    this.length = n;
  }

  bytes(src: Uint8Array, start = 0, end = src.length): void {
    const len = end - start;
    if (len <= 0) return;
    if (this.length + len > this.buf.length) this.grow(len);
    if (len < 16) {
      const buf = this.buf;
      let n = this.length;
      for (let i = start; i < end; i++) buf[n++] = src[i]!;
    } else {
      this.buf.set(src.subarray(start, end), this.length);
    }
    this.length += len;
  }

  name(s: string): void {
    const encoded = new TextEncoder().encode(s);
    this.u32(encoded.length);
    this.bytes(encoded);
  }

  /** Appends `other` prefixed by its length (a section payload or a function body). */
  sized(other: ByteWriter): void {
    this.u32(other.length);
    this.bytes(other.buf, 0, other.length);
  }

  /** Reserves a 5-byte (padded) u32 LEB128 to be filled in by `patchU32`, so sizes need no second copy. */
  reserveU32(): number {
    if (this.length + 5 > this.buf.length) this.grow(5);
    const at = this.length;
    this.buf.set(PADDED_ZERO, at);
    this.length += 5;
    return at;
  }

  patchU32(at: number, v: number): void {
    const buf = this.buf;
    buf[at] = (v & 0x7f) | 0x80;
    buf[at + 1] = ((v >>> 7) & 0x7f) | 0x80;
    buf[at + 2] = ((v >>> 14) & 0x7f) | 0x80;
    buf[at + 3] = ((v >>> 21) & 0x7f) | 0x80;
    buf[at + 4] = (v >>> 28) & 0x0f;
  }

  view(): Uint8Array<ArrayBuffer> {
    return this.buf.subarray(0, this.length);
  }

  /** The written bytes; a view when little capacity is unused, else a trimmed copy. */
  toBytes(): Uint8Array<ArrayBuffer> {
    if (this.buf.length <= this.length * 1.25) return this.buf.subarray(0, this.length);
    return this.buf.slice(0, this.length);
  }
}

const PADDED_ZERO = new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x00]);

/** Unsigned LEB128 of a u32, as bytes to spread into a module being assembled. */
export function encodeU32(value: number): number[] {
  const out: number[] = [];
  value >>>= 0;
  while (value >= 0x80) {
    out.push((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  out.push(value);
  return out;
}
