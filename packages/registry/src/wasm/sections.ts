import { encodeU32, readSections } from "@wasm-sandbox/validator";

/**
 * Custom sections: find, add and drop them. Reading the section framing (header, ids, LEB128 sizes, order)
 * is the validator's `readSections`, which throws INVALID_MODULE with the byte offset on malformed input;
 * this file only adds the writer side. Section contents are never decoded here.
 */

const CUSTOM_SECTION_ID = 0;
const utf8Encoder = new TextEncoder();

/** The data of every custom section called `name`, in module order. */
export function readCustomSections(bytes: Uint8Array, name: string): Uint8Array[] {
  return readSections(bytes)
    .filter((s) => s.id === CUSTOM_SECTION_ID && s.name === name)
    .map((s) => bytes.subarray(s.contentStart!, s.end));
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
  const drop = readSections(bytes).filter((s) => s.id === CUSTOM_SECTION_ID && s.name === name);
  if (drop.length === 0) return bytes.slice();
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const s of drop) {
    parts.push(bytes.subarray(offset, s.offset));
    offset = s.end;
  }
  parts.push(bytes.subarray(offset));
  return concat(parts);
}

/** A copy of the module with one custom section appended (custom sections may appear anywhere). */
export function appendCustomSection(bytes: Uint8Array, name: string, data: Uint8Array): Uint8Array {
  readSections(bytes); // refuse to append to something that is not a module
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
