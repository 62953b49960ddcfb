import { BinaryReader } from "./reader.js";

export const SectionId = {
  Custom: 0,
  Type: 1,
  Import: 2,
  Function: 3,
  Table: 4,
  Memory: 5,
  Global: 6,
  Export: 7,
  Start: 8,
  Element: 9,
  Code: 10,
  Data: 11,
  DataCount: 12,
  Tag: 13,
} as const;

export type SectionId = (typeof SectionId)[keyof typeof SectionId];

/** Where each known section may appear: the tag section sits between memory and global. */
const ORDER: Record<number, number> = {
  1: 1,
  2: 2,
  3: 3,
  4: 4,
  5: 5,
  13: 6,
  6: 7,
  7: 8,
  8: 9,
  9: 10,
  12: 11,
  10: 12,
  11: 13,
};

export const SECTION_NAMES: Record<number, string> = {
  0: "custom",
  1: "type",
  2: "import",
  3: "function",
  4: "table",
  5: "memory",
  6: "global",
  7: "export",
  8: "start",
  9: "element",
  10: "code",
  11: "data",
  12: "datacount",
  13: "tag",
};

export interface SectionInfo {
  id: number;
  /** Offset of the section id byte. */
  offset: number;
  /** Offset of the first payload byte (for custom sections: of the name length). */
  start: number;
  /** Offset one past the payload. */
  end: number;
  /** Custom sections only: the name, and where the content after the name starts. */
  name?: string;
  contentStart?: number;
}

export const WASM_MAGIC = 0x6d736100;

/** Checks the 8-byte header (magic, version 1); returns the offset of the first section. */
export function readHeader(bytes: Uint8Array): number {
  if (bytes.length < 8) new BinaryReader(bytes).fail("Module is shorter than the 8-byte header", 0);
  if (bytes[0] !== 0x00 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    new BinaryReader(bytes).fail("Missing the \\0asm magic number", 0);
  }
  if (bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) {
    new BinaryReader(bytes).fail(
      `Unsupported binary version ${bytes[4]! | (bytes[5]! << 8) | (bytes[6]! << 16) | (bytes[7]! << 24)} (component or future format?)`,
      4,
    );
  }
  return 8;
}

/**
 * Splits a module into sections without decoding payloads: checks the header, each id, that every size
 * fits in the bytes left, the order of known sections and that none repeats.
 */
export function readSections(bytes: Uint8Array): SectionInfo[] {
  const r: BinaryReader = new BinaryReader(bytes, readHeader(bytes));
  const sections: SectionInfo[] = [];
  let lastRank = 0;
  while (!r.atEnd()) {
    const offset = r.pos;
    const id = r.u8();
    const sizeAt = r.pos;
    const size = r.u32();
    if (size > r.remaining) r.fail(`Section size ${size} exceeds the ${r.remaining} bytes left`, sizeAt);
    const start = r.pos;
    const end = start + size;
    if (id === SectionId.Custom) {
      const sub = new BinaryReader(bytes, start, end);
      const name = sub.name();
      sections.push({ id, offset, start, end, name, contentStart: sub.pos });
    } else {
      const rank = ORDER[id];
      if (rank === undefined) r.fail(`Unknown section id ${id}`, offset);
      if (rank === lastRank) r.fail(`Duplicate ${SECTION_NAMES[id]} section`, offset);
      if (rank < lastRank) r.fail(`The ${SECTION_NAMES[id]} section is out of order`, offset);
      lastRank = rank;
      sections.push({ id, offset, start, end });
    }
    r.pos = end;
  }
  return sections;
}
