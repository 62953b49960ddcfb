import { Errno } from "./constants.js";
import { fail } from "./errno.js";

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * The guest's linear memory, re-viewed whenever `memory.buffer` changed (memory.grow detaches the old
 * buffer). Every access is bounds-checked: a pointer outside memory is EFAULT, never a host exception.
 */
export class GuestMemory {
  #memory: WebAssembly.Memory | undefined;
  #buffer: ArrayBuffer | SharedArrayBuffer | undefined;
  #shared = false;
  view = new DataView(new ArrayBuffer(0));
  bytes = new Uint8Array(0);

  /** Views `memory`; true when it replaces a different memory (a new instance). */
  bind(memory: WebAssembly.Memory): boolean {
    const replaced = this.#memory !== undefined && this.#memory !== memory;
    this.#memory = memory;
    this.#buffer = undefined;
    this.bytes = new Uint8Array(0);
    this.refresh();
    return replaced;
  }

  get bound(): boolean {
    return this.#memory !== undefined;
  }

  /**
   * Re-view memory if it grew. Called at the start of every import. Growth detaches a non-shared buffer,
   * which empties our view, so `memory.buffer` (a call into the engine) is read only then; a shared
   * buffer never detaches and is re-read every time.
   */
  refresh(): void {
    const memory = this.#memory;
    if (memory === undefined || (this.bytes.length > 0 && !this.#shared)) return;
    const buffer = memory.buffer;
    this.#shared = typeof SharedArrayBuffer !== "undefined" && buffer instanceof SharedArrayBuffer;
    if (buffer !== this.#buffer) {
      this.#buffer = buffer;
      this.view = new DataView(buffer);
      this.bytes = new Uint8Array(buffer);
    }
  }

  /** EFAULT unless [ptr, ptr+len) lies inside memory. */
  check(ptr: number, len: number): void {
    if (ptr < 0 || len < 0 || ptr + len > this.bytes.length) fail(Errno.FAULT);
  }

  u8(ptr: number): number {
    this.check(ptr, 1);
    return this.bytes[ptr]!;
  }
  u16(ptr: number): number {
    this.check(ptr, 2);
    return this.view.getUint16(ptr, true);
  }
  u32(ptr: number): number {
    this.check(ptr, 4);
    return this.view.getUint32(ptr, true);
  }
  u64(ptr: number): bigint {
    this.check(ptr, 8);
    return this.view.getBigUint64(ptr, true);
  }
  setU8(ptr: number, value: number): void {
    this.check(ptr, 1);
    this.bytes[ptr] = value;
  }
  setU16(ptr: number, value: number): void {
    this.check(ptr, 2);
    this.view.setUint16(ptr, value, true);
  }
  setU32(ptr: number, value: number): void {
    this.check(ptr, 4);
    this.view.setUint32(ptr, value >>> 0, true);
  }
  setU64(ptr: number, value: bigint | number): void {
    this.check(ptr, 8);
    this.view.setBigUint64(ptr, BigInt(value), true);
  }

  /** A view (not a copy) of guest bytes. */
  slice(ptr: number, len: number): Uint8Array {
    this.check(ptr, len);
    return this.bytes.subarray(ptr, ptr + len);
  }

  /** Guest bytes decoded as UTF-8; EILSEQ for invalid UTF-8 or a NUL byte (no C path can hold one). */
  string(ptr: number, len: number): string {
    const raw = this.slice(ptr, len);
    if (raw.includes(0)) fail(Errno.ILSEQ);
    try {
      // TextDecoder refuses views of shared memory: decode a copy then.
      return decoder.decode(this.#shared ? raw.slice() : raw);
    } catch {
      return fail(Errno.ILSEQ);
    }
  }

  write(ptr: number, data: Uint8Array): void {
    this.check(ptr, data.length);
    this.bytes.set(data, ptr);
  }
}
