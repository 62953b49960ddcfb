import type { Wasi, WasiOptions } from "../src/index.js";
import { createWasi } from "../src/index.js";
import { type LimitsInput, limits, type PermissionsInput, permissions } from "./harness.js";

export interface GuestOptions extends Partial<Omit<WasiOptions, "permissions" | "limits">> {
  permissions?: PermissionsInput;
  limits?: LimitsInput;
  pages?: number;
}

/**
 * A fake guest for calling imports directly: a Memory of its own, helpers to place strings and iovecs, and a
 * typed `call` that goes through the real import object (as a wasm module would).
 */
export function guest(options: GuestOptions = {}) {
  const { permissions: p, limits: l, pages = 1, ...rest } = options;
  const wasi: Wasi = createWasi({ ...rest, permissions: permissions(p), limits: limits(l) });
  const memory = new WebAssembly.Memory({ initial: pages, maximum: 1000 });
  wasi.bindMemory(memory);
  wasi.beginCall();
  const bytes = () => new Uint8Array(memory.buffer);
  const view = () => new DataView(memory.buffer);
  const call = (name: string, ...args: (number | bigint)[]): number =>
    (wasi.imports[name] as unknown as (...a: (number | bigint)[]) => number)(...args);
  const str = (ptr: number, s: string): [number, number] => {
    const data = new TextEncoder().encode(s);
    bytes().set(data, ptr);
    return [ptr, data.length];
  };
  const iovec = (ptr: number, buf: number, len: number) => {
    view().setUint32(ptr, buf, true);
    view().setUint32(ptr + 4, len, true);
  };
  const u32 = (ptr: number) => view().getUint32(ptr, true);
  const text = (ptr: number, len: number) => new TextDecoder().decode(bytes().subarray(ptr, ptr + len));
  return { wasi, memory, bytes, view, call, str, iovec, u32, text };
}
