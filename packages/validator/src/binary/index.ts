/**
 * @wasm-sandbox/validator binary layer: a bounded streaming reader for WebAssembly binaries, and the
 * matching writer.
 *
 * Public names (re-export these from the package index):
 * - reading: `BinaryReader`, `readHeader`, `readSections`, `SectionId`, `SECTION_NAMES`, `readModule`,
 *   `readConstExpr`, `functionType`
 * - code: `readFunctionBodies`, `readLocals`, `InstructionReader`, `MAX_FUNCTION_LOCALS`, `Op`
 * - features: `detectFeatures`, `WASM_FEATURES`
 * - writing: `ByteWriter`, `encodeU32`
 * - types: `SectionInfo`, `ModuleInfo`, `TypeDef`, `FuncTypeDef`, `StructTypeDef`, `ArrayTypeDef`,
 *   `FieldType`, `ModuleImport`, `ImportDesc`, `ModuleExport`, `ExternKind`, `TableDef`, `GlobalDef`,
 *   `ElementSegment`, `DataSegment`, `CustomSection`, `ExprRange`, `FunctionBody`, `FunctionLocals`,
 *   `LocalGroup`, `ValType`, `Limits`, `MemoryType`, `TableType`, `GlobalType`, `WasmFeature`
 *
 * Errors: malformed bytes throw a SandboxError with code INVALID_MODULE and `context.offset`; opcodes or
 * encodings the reader does not know throw UNSUPPORTED with `context.offset` (and `context.opcode`).
 */
export type { FunctionBody, FunctionLocals, LocalGroup } from "./code.js";
export { InstructionReader, MAX_FUNCTION_LOCALS, readFunctionBodies, readLocals } from "./code.js";
export type { WasmFeature } from "./features.js";
export { detectFeatures, WASM_FEATURES } from "./features.js";
export type {
  ArrayTypeDef,
  CustomSection,
  DataSegment,
  ElementSegment,
  ExprRange,
  ExternKind,
  FieldType,
  FuncTypeDef,
  GlobalDef,
  ImportDesc,
  ModuleExport,
  ModuleImport,
  ModuleInfo,
  StructTypeDef,
  TableDef,
  TypeDef,
} from "./module.js";
export { functionType, readConstExpr, readModule } from "./module.js";
export { Op } from "./opcodes.js";
export { BinaryReader } from "./reader.js";
export type { SectionInfo } from "./sections.js";
export { readHeader, readSections, SECTION_NAMES, SectionId } from "./sections.js";
export type { GlobalType, Limits, MemoryType, TableType, ValType } from "./types.js";
export { ByteWriter, encodeU32 } from "./writer.js";
