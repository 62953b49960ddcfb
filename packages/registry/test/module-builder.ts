import { encodeU32 } from "@wasm-sandbox/validator";
import { encodeCustomSection } from "../src/wasm/sections.js";

/**
 * A minimal WebAssembly module builder for tests and benchmarks: functions `() -> i32` returning a constant,
 * exported by name, optional function imports, and an optional custom padding section to reach a size.
 * Generating modules keeps big binaries out of the repository.
 */
export interface ModuleSpec {
  /** Exported functions, each `() -> i32` returning its index (or `returns`). */
  exports?: string[];
  /** Imported functions `() -> i32` as [module, name]. */
  imports?: [string, string][];
  /** Pad the module with a custom section until it is at least this many bytes. */
  minSize?: number;
  /** Bytes for a custom section named "marker" (lets tests find the module inside a file). */
  marker?: string;
  /** The constant each function returns (default: its export index). */
  returns?: number;
}

const utf8 = new TextEncoder();

function section(id: number, payload: number[]): number[] {
  return [id, ...encodeU32(payload.length), ...payload];
}

function vector(items: number[][]): number[] {
  return [...encodeU32(items.length), ...items.flat()];
}

function name(text: string): number[] {
  const bytes = [...utf8.encode(text)];
  return [...encodeU32(bytes.length), ...bytes];
}

function signedLeb(value: number): number[] {
  const out: number[] = [];
  let more = true;
  while (more) {
    let byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) more = false;
    else byte |= 0x80;
    out.push(byte);
  }
  return out;
}

export function buildModule(spec: ModuleSpec = {}): Uint8Array {
  const exports = spec.exports ?? ["run"];
  const imports = spec.imports ?? [];
  const bytes: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  bytes.push(...section(1, vector([[0x60, 0x00, 0x01, 0x7f]])));
  if (imports.length > 0) {
    bytes.push(...section(2, vector(imports.map(([m, n]) => [...name(m), ...name(n), 0x00, 0x00]))));
  }
  bytes.push(...section(3, vector(exports.map(() => [0x00]))));
  bytes.push(
    ...section(7, vector(exports.map((e, i) => [...name(e), 0x00, ...encodeU32(imports.length + i)]))),
  );
  const bodies = exports.map((_, i) => {
    const body = [0x00, 0x41, ...signedLeb(spec.returns ?? i), 0x0b];
    return [...encodeU32(body.length), ...body];
  });
  bytes.push(...section(10, vector(bodies)));
  if (spec.marker !== undefined) bytes.push(...encodeCustomSection("marker", utf8.encode(spec.marker)));
  let module = Uint8Array.from(bytes);
  if (spec.minSize !== undefined && module.length < spec.minSize) {
    // The section header takes a few bytes of its own; aim slightly under and accept a tiny overshoot.
    const padding = new Uint8Array(Math.max(0, spec.minSize - module.length - 16));
    for (let i = 0; i < padding.length; i++) padding[i] = (i * 31 + 7) & 0xff;
    const custom = encodeCustomSection("padding", padding);
    const padded = new Uint8Array(module.length + custom.length);
    padded.set(module);
    padded.set(custom, module.length);
    module = padded;
  }
  return module;
}
