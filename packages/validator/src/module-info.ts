import type { ValidationWarning } from "./issues.js";

/** A value type as text: "i32", "i64", "f32", "f64", "v128", "funcref", "externref", "(ref null 3)", ... */
export type ValueType = string;

export interface FunctionSignature {
  params: ValueType[];
  results: ValueType[];
}

export interface MemoryDecl {
  /** Initial size in 64 KiB pages. */
  min: number;
  /** Maximum size in pages; undefined = may grow until the engine's (or the sandbox's) cap. */
  max: number | undefined;
  shared: boolean;
  /** memory64: addresses and limits are 64-bit. */
  memory64: boolean;
}

export interface TableDecl {
  elementType: ValueType;
  min: number;
  max: number | undefined;
}

export interface GlobalDecl {
  type: ValueType;
  mutable: boolean;
}

export type ExternalKind = "function" | "table" | "memory" | "global" | "tag";

export interface ImportInfo {
  /** Position in the import section. */
  index: number;
  module: string;
  name: string;
  kind: ExternalKind;
  /** For function imports (and tags: the tag's parameter types). */
  signature?: FunctionSignature;
  memory?: MemoryDecl;
  table?: TableDecl;
  global?: GlobalDecl;
}

export interface ExportInfo {
  name: string;
  kind: ExternalKind;
  /** Index in the export kind's index space (imports first). */
  index: number;
  /** For function exports. */
  signature?: FunctionSignature;
  /** For global exports. */
  global?: GlobalDecl;
}

export interface MemoryInfo extends MemoryDecl {
  index: number;
  imported: boolean;
}

export interface TableInfo extends TableDecl {
  index: number;
  imported: boolean;
}

export interface GlobalInfo extends GlobalDecl {
  index: number;
  imported: boolean;
}

export interface CustomSectionInfo {
  name: string;
  /** Payload size in bytes, including the name. */
  size: number;
  /** Offset of the section id byte. */
  offset: number;
}

/** What a module declares, decoded without executing or compiling anything. */
export interface ModuleInfo {
  /** Bytes in the module. */
  size: number;
  imports: ImportInfo[];
  exports: ExportInfo[];
  memories: MemoryInfo[];
  tables: TableInfo[];
  globals: GlobalInfo[];
  /** Function index of the start function, or null. */
  startFunction: number | null;
  customSections: CustomSectionInfo[];
  /** Functions defined in the module (imports not counted). */
  functionCount: number;
  /** Functions imported. */
  importedFunctionCount: number;
  /** Bytes of the code section's payload (0 when there is none). */
  codeSize: number;
  /** Post-MVP features the module uses (from the instruction walk and the declarations). */
  features: string[];
  /**
   * Which decoder produced the structure: `wasm-parser` (@webassemblyjs/wasm-parser), `binary-reader`
   * (this package's reader, for encodings wasm-parser cannot handle), or `none` when the bytes are too
   * malformed to decode (see `issues`).
   */
  decoder: "wasm-parser" | "binary-reader" | "none";
  /** Problems found while decoding (empty for a well-formed module). */
  issues: ValidationWarning[];
}
