/**
 * The part of @webassemblyjs/wasm-parser 1.14 this package uses. The package ships no types; this describes
 * the AST it returns when decoding with the code, data and name sections skipped.
 */
declare module "@webassemblyjs/wasm-parser" {
  export interface DecoderOptions {
    dump?: boolean;
    ignoreCodeSection?: boolean;
    ignoreDataSection?: boolean;
    ignoreCustomNameSection?: boolean;
    errorOnUnknownSection?: boolean;
  }

  export interface NumberLiteral {
    type: "NumberLiteral";
    value: number;
    raw?: string;
  }

  export interface Signature {
    type: "Signature";
    params: { valtype: string; id?: string }[];
    results: string[];
  }

  /** `min` is undefined for limit flags this parser does not know (memory64). */
  export interface Limit {
    type: "Limit";
    min: number | undefined;
    max?: number;
    shared?: boolean;
  }

  export interface FuncImportDescr {
    type: "FuncImportDescr";
    id: string;
    signature: Signature;
  }

  export interface MemoryNode {
    type: "Memory";
    limits: Limit;
  }

  export interface TableNode {
    type: "Table";
    elementType: string;
    limits: Limit;
  }

  export interface GlobalTypeNode {
    type: "GlobalType";
    valtype: string;
    mutability: "const" | "var";
  }

  export interface ModuleImportNode {
    type: "ModuleImport";
    module: string;
    name: string;
    descr: FuncImportDescr | MemoryNode | TableNode | GlobalTypeNode;
  }

  export interface GlobalNode {
    type: "Global";
    globalType: GlobalTypeNode;
  }

  export interface FuncNode {
    type: "Func";
    signature: Signature;
  }

  export interface ModuleExportNode {
    type: "ModuleExport";
    name: string;
    descr: {
      type: "ModuleExportDescr";
      exportType: "Func" | "Table" | "Memory" | "Global";
      id: NumberLiteral;
    };
  }

  export interface StartNode {
    type: "Start";
    index: NumberLiteral;
  }

  export interface TypeInstructionNode {
    type: "TypeInstruction";
    functype: Signature;
  }

  export type ModuleField =
    | TypeInstructionNode
    | ModuleImportNode
    | FuncNode
    | TableNode
    | MemoryNode
    | GlobalNode
    | ModuleExportNode
    | StartNode;

  export interface ModuleNode {
    type: "Module";
    fields: ModuleField[];
  }

  export interface Program {
    type: "Program";
    body: ModuleNode[];
  }

  export function decode(buffer: ArrayBuffer | Uint8Array, options?: DecoderOptions): Program;
}
