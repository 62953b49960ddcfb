import { ErrorCode, SandboxError } from "@wasm-sandbox/manifest";

/**
 * Just enough of the WebAssembly binary format to find, add and drop custom sections: the header and the
 * section framing (id byte, LEB128 size). Section contents are never decoded here; the validator owns that.
 */

const MAGIC = [0x00, 0x61, 0x73, 0x6d];
const VERSION = [0x01, 0x00, 0x00, 0x00];
const HEADER_SIZE = 8;
const CUSTOM_SECTION_ID = 0;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

export interface SectionSpan {
  id: number;
  /** Offset of the section id byte. */
  start: number;
  /** Offset one past the section's last byte. */
  end: number;
  /** Offset of the first payload byte. */
  payloadStart: number;
  /** The name of a custom section (id 0); undefined for other sections. */
  name?: string;
  /** Offset of a custom section's data (after its name). */
  dataStart?: number;
}

function malformed(message: string, offset: number): SandboxError {
  return new SandboxError(ErrorCode.INVALID_MODULE, `${message} at byte offset ${offset}`, {
    context: { offset },
    suggestion:
      "The bytes are not a well-formed WebAssembly module: rebuild the plugin with a current toolchain.",
  });
}

function readU32(bytes: Uint8Array, offset: number, end: number): [value: number, next: number] {
  let result = 0;
  let shift = 0;
  for (let i = 0; i < 5; i++) {
    if (offset >= end) throw malformed("Unexpected end of data in a LEB128 number", offset);
    const byte = bytes[offset++]!;
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) {
      if (result > 0xffff_ffff) throw malformed("LEB128 number does not fit in 32 bits", offset - 1);
      return [result, offset];
    }
    shift += 7;
  }
  throw malformed("LEB128 number is longer than 5 bytes", offset);
}

export function encodeU32(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

/** Lists the sections of a module (framing only). Throws INVALID_MODULE on a bad header or framing. */
export function listSections(bytes: Uint8Array): SectionSpan[] {
  if (bytes.length < HEADER_SIZE || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw malformed("Missing the WebAssembly magic number \\0asm", 0);
  }
  if (VERSION.some((b, i) => bytes[4 + i] !== b))
    throw malformed("Unsupported WebAssembly binary version", 4);
  const sections: SectionSpan[] = [];
  let offset = HEADER_SIZE;
  while (offset < bytes.length) {
    const start = offset;
    const id = bytes[offset++]!;
    const [size, payloadStart] = readU32(bytes, offset, bytes.length);
    const end = payloadStart + size;
    if (end > bytes.length) throw malformed(`Section ${id} runs past the end of the module`, start);
    const span: SectionSpan = { id, start, end, payloadStart };
    if (id === CUSTOM_SECTION_ID) {
      const [nameLength, nameStart] = readU32(bytes, payloadStart, end);
      if (nameStart + nameLength > end)
        throw malformed("Custom section name runs past its section", nameStart);
      try {
        span.name = utf8Decoder.decode(bytes.subarray(nameStart, nameStart + nameLength));
      } catch {
        throw malformed("Custom section name is not UTF-8", nameStart);
      }
      span.dataStart = nameStart + nameLength;
    }
    sections.push(span);
    offset = end;
  }
  return sections;
}

/** The data of every custom section called `name`, in module order. */
export function readCustomSections(bytes: Uint8Array, name: string): Uint8Array[] {
  return listSections(bytes)
    .filter((s) => s.id === CUSTOM_SECTION_ID && s.name === name)
    .map((s) => bytes.subarray(s.dataStart!, s.end));
}

/** Encodes one custom section (id, size, name, data). */
export function encodeCustomSection(name: string, data: Uint8Array): Uint8Array {
  const nameBytes = utf8Encoder.encode(name);
  const nameLength = encodeU32(nameBytes.length);
  const payloadSize = nameLength.length + nameBytes.length + data.length;
  const size = encodeU32(payloadSize);
  const out = new Uint8Array(1 + size.length + payloadSize);
  let offset = 0;
  out[offset++] = CUSTOM_SECTION_ID;
  out.set(size, offset);
  offset += size.length;
  out.set(nameLength, offset);
  offset += nameLength.length;
  out.set(nameBytes, offset);
  offset += nameBytes.length;
  out.set(data, offset);
  return out;
}

/** A copy of the module without the custom sections called `name`. */
export function removeCustomSections(bytes: Uint8Array, name: string): Uint8Array {
  const drop = listSections(bytes).filter((s) => s.id === CUSTOM_SECTION_ID && s.name === name);
  if (drop.length === 0) return bytes.slice();
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const s of drop) {
    parts.push(bytes.subarray(offset, s.start));
    offset = s.end;
  }
  parts.push(bytes.subarray(offset));
  return concat(parts);
}

/** A copy of the module with one custom section appended (custom sections may appear anywhere). */
export function appendCustomSection(bytes: Uint8Array, name: string, data: Uint8Array): Uint8Array {
  listSections(bytes); // refuse to append to something that is not a module
  return concat([bytes, encodeCustomSection(name, data)]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
