import { BinaryReader, encodeU32, SectionId, type SectionInfo } from "./binary/index.js";

/** Sections wasm-parser needs for declarations: type, import, function, table, memory, global, export, start. */
const DECLARATION_SECTIONS: ReadonlySet<number> = new Set([
  SectionId.Type,
  SectionId.Import,
  SectionId.Function,
  SectionId.Table,
  SectionId.Memory,
  SectionId.Global,
  SectionId.Export,
  SectionId.Start,
]);

/** A function body that type-checks for any signature: no locals, `unreachable`, `end`. */
const STUB_BODY = [0x03, 0x00, 0x00, 0x0b];

/** The function count the function section declares (0 without one). */
export function declaredFunctionCount(bytes: Uint8Array, sections: readonly SectionInfo[]): number {
  const fn = sections.find((s) => s.id === SectionId.Function);
  if (!fn) return 0;
  return new BinaryReader(bytes, fn.start, fn.end).vecLength(1);
}

/**
 * A copy of the module with only its declarations and a stub body per function: small (no code, data or
 * custom sections), so the engine validates it in microseconds. Only a stub the engine accepts is handed
 * to wasm-parser, which trusts every length it reads and can exhaust memory on hostile ones.
 */
export function declarationsModule(bytes: Uint8Array, sections: readonly SectionInfo[]): Uint8Array {
  const kept = sections.filter((s) => DECLARATION_SECTIONS.has(s.id));
  const functions = declaredFunctionCount(bytes, sections);
  const codeHead = functions > 0 ? encodeU32(functions) : [];
  const codePayload = codeHead.length + functions * STUB_BODY.length;
  const codeSection = functions > 0 ? [SectionId.Code, ...encodeU32(codePayload)] : [];
  let size = 8 + codeSection.length + (functions > 0 ? codePayload : 0);
  for (const s of kept) size += s.end - s.offset;

  const out = new Uint8Array(size);
  out.set(bytes.subarray(0, 8), 0);
  let pos = 8;
  // Declaration sections keep their relative order; the code section follows them all (start is id 8 < 10).
  for (const s of kept) {
    out.set(bytes.subarray(s.offset, s.end), pos);
    pos += s.end - s.offset;
  }
  if (functions > 0) {
    out.set(codeSection, pos);
    pos += codeSection.length;
    out.set(codeHead, pos);
    pos += codeHead.length;
    for (let i = 0; i < functions; i++, pos += 4) out.set(STUB_BODY, pos);
  }
  return out;
}
