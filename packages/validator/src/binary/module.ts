import { type FunctionBody, InstructionReader, readFunctionBodies } from "./code.js";
import { BinaryReader } from "./reader.js";
import { readSections, SectionId, type SectionInfo } from "./sections.js";
import {
  type GlobalType,
  type MemoryType,
  readGlobalType,
  readLimits,
  readTableType,
  readValType,
  type TableType,
  type ValType,
} from "./types.js";

export interface FieldType {
  /** A value type, or the packed "i8" / "i16". */
  type: ValType;
  mutable: boolean;
}

interface TypeDefBase {
  /** Index of the recursion group (each type outside an explicit `rec` is its own group). */
  recGroup: number;
  /** True unless declared with a non-final `sub`. */
  final: boolean;
  supertypes: number[];
}

export interface FuncTypeDef extends TypeDefBase {
  kind: "func";
  params: ValType[];
  results: ValType[];
}
export interface StructTypeDef extends TypeDefBase {
  kind: "struct";
  fields: FieldType[];
}
export interface ArrayTypeDef extends TypeDefBase {
  kind: "array";
  field: FieldType;
}
export type TypeDef = FuncTypeDef | StructTypeDef | ArrayTypeDef;

/** Where an init or offset expression lies: `end` is one past its final `end` opcode. */
export interface ExprRange {
  start: number;
  end: number;
}

export type ExternKind = "func" | "table" | "memory" | "global" | "tag";

export type ImportDesc =
  | { kind: "func"; typeIndex: number }
  | { kind: "table"; type: TableType }
  | { kind: "memory"; type: MemoryType }
  | { kind: "global"; type: GlobalType }
  | { kind: "tag"; typeIndex: number };

export type ModuleImport = { module: string; name: string; offset: number } & ImportDesc;

export interface ModuleExport {
  name: string;
  kind: ExternKind;
  index: number;
}

export interface TableDef {
  type: TableType;
  /** Initialiser expression (typed-references encoding 0x40 0x00), if given. */
  init: ExprRange | undefined;
}

export interface GlobalDef {
  type: GlobalType;
  init: ExprRange;
}

export interface ElementSegment {
  mode: "active" | "passive" | "declarative";
  tableIndex: number;
  offset: ExprRange | undefined;
  elemType: ValType;
  count: number;
  /** True when elements are expressions rather than function indices. */
  usesExpressions: boolean;
}

export interface DataSegment {
  mode: "active" | "passive";
  memoryIndex: number;
  offset: ExprRange | undefined;
  size: number;
}

export interface CustomSection {
  name: string;
  /** Offsets of the content after the name. */
  start: number;
  end: number;
}

/** The decoded structure of a module: everything but the instructions of function bodies. */
export interface ModuleInfo {
  sections: SectionInfo[];
  types: TypeDef[];
  imports: ModuleImport[];
  /** Type index of every defined function. */
  functions: number[];
  tables: TableDef[];
  memories: MemoryType[];
  /** Type index of every defined tag. */
  tags: number[];
  globals: GlobalDef[];
  exports: ModuleExport[];
  start: number | undefined;
  elements: ElementSegment[];
  dataCount: number | undefined;
  data: DataSegment[];
  bodies: FunctionBody[];
  customSections: CustomSection[];
  importedFunctionCount: number;
  importedTableCount: number;
  importedMemoryCount: number;
  importedGlobalCount: number;
  importedTagCount: number;
}

const EXTERN_KINDS: readonly ExternKind[] = ["func", "table", "memory", "global", "tag"];

/**
 * Reads a constant expression up to and including its `end`, with the shared instruction walker. The
 * common `i32.const <leb> end` (every segment offset of a typical module) is recognised inline without
 * creating a walker; anything else, including every malformed case, goes through the walker.
 */
export function readConstExpr(r: BinaryReader): ExprRange {
  const start = r.pos;
  const bytes = r.bytes;
  if (bytes[start] === 0x41) {
    let p = start + 1;
    const limit = Math.min(p + 5, r.end);
    while (p < limit && bytes[p]! >= 0x80) p++;
    if (p < limit && p + 1 < r.end && bytes[p + 1] === 0x0b) {
      r.pos = p + 2;
      return { start, end: p + 2 };
    }
  }
  const it = new InstructionReader(r.bytes, start, r.end);
  while (it.depth > 0) it.next();
  r.pos = it.pos;
  return { start, end: it.pos };
}

function readFieldType(r: BinaryReader): FieldType {
  const b = r.peekU8();
  let type: ValType;
  if (b === 0x78 || b === 0x77) {
    r.pos++;
    type = b === 0x78 ? "i8" : "i16";
  } else {
    type = readValType(r);
  }
  const at = r.pos;
  const m = r.u8();
  if (m > 1) r.fail(`Invalid field mutability 0x${m.toString(16)}`, at);
  return { type, mutable: m === 1 };
}

function readCompositeType(r: BinaryReader, recGroup: number, final: boolean, supertypes: number[]): TypeDef {
  const at = r.pos;
  const form = r.u8();
  if (form === 0x60) {
    const pc = r.vecLength(1);
    const params: ValType[] = [];
    for (let i = 0; i < pc; i++) params.push(readValType(r));
    const rc = r.vecLength(1);
    const results: ValType[] = [];
    for (let i = 0; i < rc; i++) results.push(readValType(r));
    return { kind: "func", params, results, recGroup, final, supertypes };
  }
  if (form === 0x5f) {
    const n = r.vecLength(2);
    const fields: FieldType[] = [];
    for (let i = 0; i < n; i++) fields.push(readFieldType(r));
    return { kind: "struct", fields, recGroup, final, supertypes };
  }
  if (form === 0x5e) return { kind: "array", field: readFieldType(r), recGroup, final, supertypes };
  return r.fail(`Unknown type form 0x${form.toString(16)}`, at);
}

function readSubType(r: BinaryReader, recGroup: number): TypeDef {
  const b = r.peekU8();
  if (b === 0x50 || b === 0x4f) {
    r.pos++;
    const n = r.vecLength(1);
    const supertypes: number[] = [];
    for (let i = 0; i < n; i++) supertypes.push(r.u32());
    return readCompositeType(r, recGroup, b === 0x4f, supertypes);
  }
  return readCompositeType(r, recGroup, true, []);
}

function readTypes(r: BinaryReader, out: TypeDef[]): void {
  const count = r.vecLength(1);
  for (let g = 0; g < count; g++) {
    if (r.peekU8() === 0x4e) {
      r.pos++;
      const n = r.vecLength(1);
      for (let i = 0; i < n; i++) out.push(readSubType(r, g));
    } else {
      out.push(readSubType(r, g));
    }
  }
}

function readImport(r: BinaryReader): ModuleImport {
  const offset = r.pos;
  const module = r.name();
  const name = r.name();
  const at = r.pos;
  const kind = r.u8();
  switch (kind) {
    case 0:
      return { module, name, offset, kind: "func", typeIndex: r.u32() };
    case 1:
      return { module, name, offset, kind: "table", type: readTableType(r) };
    case 2:
      return { module, name, offset, kind: "memory", type: readLimits(r) };
    case 3:
      return { module, name, offset, kind: "global", type: readGlobalType(r) };
    case 4: {
      const attrAt = r.pos;
      if (r.u8() !== 0) r.fail("Tag attribute must be 0 (exception)", attrAt);
      return { module, name, offset, kind: "tag", typeIndex: r.u32() };
    }
    default:
      return r.fail(`Unknown import kind ${kind}`, at);
  }
}

function readElementSegment(r: BinaryReader): ElementSegment {
  const at = r.pos;
  const flags = r.u32();
  if (flags > 7) r.fail(`Unknown element segment flags ${flags}`, at);
  const passiveOrDeclarative = (flags & 1) !== 0;
  const explicitTable = (flags & 2) !== 0;
  const usesExpressions = (flags & 4) !== 0;
  const mode = passiveOrDeclarative ? (explicitTable ? "declarative" : "passive") : "active";
  let tableIndex = 0;
  let offset: ExprRange | undefined;
  if (mode === "active") {
    if (explicitTable) tableIndex = r.u32();
    offset = readConstExpr(r);
  }
  let elemType: ValType = "funcref";
  if (passiveOrDeclarative || explicitTable) {
    if (usesExpressions) {
      elemType = readValType(r);
    } else {
      const kAt = r.pos;
      if (r.u8() !== 0) r.fail("Element kind must be 0 (funcref)", kAt);
    }
  }
  const count = r.vecLength(1);
  for (let i = 0; i < count; i++) {
    if (usesExpressions) readConstExpr(r);
    else r.u32();
  }
  return { mode, tableIndex, offset, elemType, count, usesExpressions };
}

/** Skips a data segment's bytes (length-checked like `byteVec`, without making a view of them). */
function skipPayload(r: BinaryReader): number {
  const len = r.vecLength(1);
  r.pos += len;
  return len;
}

function readDataSegment(r: BinaryReader): DataSegment {
  const at = r.pos;
  const flags = r.u32();
  if (flags > 2) r.fail(`Unknown data segment flags ${flags}`, at);
  if (flags === 1) return { mode: "passive", memoryIndex: 0, offset: undefined, size: skipPayload(r) };
  const memoryIndex = flags === 2 ? r.u32() : 0;
  const offset = readConstExpr(r);
  return { mode: "active", memoryIndex, offset, size: skipPayload(r) };
}

/**
 * Decodes a module's structure (all sections but the instructions). Every count is checked against the
 * bytes left before it drives a loop, and each section must be consumed exactly.
 */
export function readModule(bytes: Uint8Array): ModuleInfo {
  const info: ModuleInfo = {
    sections: readSections(bytes),
    types: [],
    imports: [],
    functions: [],
    tables: [],
    memories: [],
    tags: [],
    globals: [],
    exports: [],
    start: undefined,
    elements: [],
    dataCount: undefined,
    data: [],
    bodies: [],
    customSections: [],
    importedFunctionCount: 0,
    importedTableCount: 0,
    importedMemoryCount: 0,
    importedGlobalCount: 0,
    importedTagCount: 0,
  };
  for (const s of info.sections) {
    const r: BinaryReader = new BinaryReader(bytes, s.start, s.end);
    switch (s.id) {
      case SectionId.Custom:
        info.customSections.push({ name: s.name ?? "", start: s.contentStart ?? s.start, end: s.end });
        continue;
      case SectionId.Type:
        readTypes(r, info.types);
        break;
      case SectionId.Import: {
        const n = r.vecLength(4);
        for (let i = 0; i < n; i++) {
          const imp = readImport(r);
          info.imports.push(imp);
          if (imp.kind === "func") info.importedFunctionCount++;
          else if (imp.kind === "table") info.importedTableCount++;
          else if (imp.kind === "memory") info.importedMemoryCount++;
          else if (imp.kind === "global") info.importedGlobalCount++;
          else info.importedTagCount++;
        }
        break;
      }
      case SectionId.Function: {
        const n = r.vecLength(1);
        for (let i = 0; i < n; i++) info.functions.push(r.u32());
        break;
      }
      case SectionId.Table: {
        const n = r.vecLength(2);
        for (let i = 0; i < n; i++) {
          if (r.peekU8() === 0x40) {
            const at = r.pos;
            r.pos++;
            if (r.u8() !== 0) r.fail("Expected 0x00 after 0x40 in a table with an initialiser", at);
            const type = readTableType(r);
            info.tables.push({ type, init: readConstExpr(r) });
          } else {
            info.tables.push({ type: readTableType(r), init: undefined });
          }
        }
        break;
      }
      case SectionId.Memory: {
        const n = r.vecLength(2);
        for (let i = 0; i < n; i++) info.memories.push(readLimits(r));
        break;
      }
      case SectionId.Tag: {
        const n = r.vecLength(2);
        for (let i = 0; i < n; i++) {
          const at = r.pos;
          if (r.u8() !== 0) r.fail("Tag attribute must be 0 (exception)", at);
          info.tags.push(r.u32());
        }
        break;
      }
      case SectionId.Global: {
        const n = r.vecLength(3);
        for (let i = 0; i < n; i++) {
          const type = readGlobalType(r);
          info.globals.push({ type, init: readConstExpr(r) });
        }
        break;
      }
      case SectionId.Export: {
        const n = r.vecLength(3);
        for (let i = 0; i < n; i++) {
          const name = r.name();
          const at = r.pos;
          const k = r.u8();
          const kind = EXTERN_KINDS[k];
          if (kind === undefined) r.fail(`Unknown export kind ${k}`, at);
          info.exports.push({ name, kind, index: r.u32() });
        }
        break;
      }
      case SectionId.Start:
        info.start = r.u32();
        break;
      case SectionId.Element: {
        const n = r.vecLength(2);
        for (let i = 0; i < n; i++) info.elements.push(readElementSegment(r));
        break;
      }
      case SectionId.DataCount:
        info.dataCount = r.u32();
        break;
      case SectionId.Code:
        info.bodies = readFunctionBodies(bytes, s);
        r.pos = s.end;
        break;
      case SectionId.Data: {
        const n = r.vecLength(2);
        for (let i = 0; i < n; i++) info.data.push(readDataSegment(r));
        break;
      }
    }
    if (!r.atEnd()) r.fail(`The ${s.id} section has ${r.remaining} unread bytes (its size does not match)`);
  }
  if (info.functions.length !== info.bodies.length) {
    new BinaryReader(bytes).fail(
      `Function section declares ${info.functions.length} functions but the code section has ${info.bodies.length} bodies`,
      info.sections.find((s) => s.id === SectionId.Code)?.offset ?? bytes.length,
    );
  }
  if (info.dataCount !== undefined && info.dataCount !== info.data.length) {
    new BinaryReader(bytes).fail(
      `Data count section says ${info.dataCount} segments but the data section has ${info.data.length}`,
      info.sections.find((s) => s.id === SectionId.Data)?.offset ?? bytes.length,
    );
  }
  return info;
}

/** The signature of function `index` (imports first), or undefined when the index or type is out of range. */
export function functionType(info: ModuleInfo, index: number): FuncTypeDef | undefined {
  let typeIndex: number | undefined;
  if (index < info.importedFunctionCount) {
    let seen = 0;
    for (const imp of info.imports) {
      if (imp.kind === "func" && seen++ === index) typeIndex = imp.typeIndex;
    }
  } else {
    typeIndex = info.functions[index - info.importedFunctionCount];
  }
  const t = typeIndex === undefined ? undefined : info.types[typeIndex];
  return t?.kind === "func" ? t : undefined;
}
