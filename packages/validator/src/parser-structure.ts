/// <reference path="./wasm-parser.d.ts" />
import { decode, type Limit, type Signature } from "@webassemblyjs/wasm-parser";
import type { ExternalKind, FunctionSignature, ModuleInfo, ValueType } from "./module-info.js";

/** The declarations part of ModuleInfo, which both decoders produce, plus what they need to build it. */
export interface DecodedStructure
  extends Pick<
    ModuleInfo,
    | "imports"
    | "exports"
    | "memories"
    | "tables"
    | "globals"
    | "startFunction"
    | "functionCount"
    | "importedFunctionCount"
  > {
  types: FunctionSignature[];
  /** Signature of each function in the function index space (imports first). */
  functionSignatures: FunctionSignature[];
}

/** wasm-parser could not represent this module faithfully; the caller falls back to the binary reader. */
export class ParserLimitation extends Error {}

const VALTYPE_NAMES: Record<string, ValueType> = { anyfunc: "funcref" };
const valtype = (t: string): ValueType => VALTYPE_NAMES[t] ?? t;
const signature = (s: Signature): FunctionSignature => ({
  params: s.params.map((p) => valtype(p.valtype)),
  results: s.results.map(valtype),
});

function limits(l: Limit, what: string): { min: number; max: number | undefined } {
  // wasm-parser leaves `min` undefined for limit encodings it does not know (memory64, table64).
  if (typeof l.min !== "number")
    throw new ParserLimitation(`${what} limits use an encoding wasm-parser cannot read`);
  return { min: l.min, max: typeof l.max === "number" ? l.max : undefined };
}

const EXPORT_KINDS: Record<string, ExternalKind> = {
  Func: "function",
  Table: "table",
  Memory: "memory",
  Global: "global",
};

/**
 * Decodes declarations with @webassemblyjs/wasm-parser. Only ever called on a structure-only module the
 * engine has validated (see structure.ts): wasm-parser trusts lengths and can exhaust memory otherwise.
 */
export function decodeWithParser(bytes: Uint8Array): DecodedStructure {
  const program = decode(bytes, {
    ignoreCodeSection: true,
    ignoreDataSection: true,
    ignoreCustomNameSection: true,
  });
  const module = program.body[0];
  if (!module) throw new ParserLimitation("wasm-parser returned no module");

  const out: DecodedStructure = {
    types: [],
    imports: [],
    exports: [],
    memories: [],
    tables: [],
    globals: [],
    startFunction: null,
    functionCount: 0,
    importedFunctionCount: 0,
    functionSignatures: [],
  };

  // wasm-parser gives every function a new signature node over its type's shared params/result arrays:
  // map each type once (a module has thousands of functions and few types).
  const byParams = new Map<unknown, { results: unknown; sig: FunctionSignature }>();
  const funcSignature = (s: Signature): FunctionSignature => {
    const hit = byParams.get(s.params);
    if (hit !== undefined && hit.results === s.results) return hit.sig;
    const sig = signature(s);
    byParams.set(s.params, { results: s.results, sig });
    return sig;
  };

  for (const field of module.fields) {
    switch (field.type) {
      case "TypeInstruction":
        out.types.push(signature(field.functype));
        break;
      case "ModuleImport": {
        const base = { index: out.imports.length, module: field.module, name: field.name };
        const d = field.descr;
        if (d.type === "FuncImportDescr") {
          const sig = signature(d.signature);
          out.imports.push({ ...base, kind: "function", signature: sig });
          out.functionSignatures.push(sig);
          out.importedFunctionCount++;
        } else if (d.type === "Memory") {
          const memory = { ...limits(d.limits, "memory"), shared: d.limits.shared === true, memory64: false };
          out.imports.push({ ...base, kind: "memory", memory });
          out.memories.push({ ...memory, index: out.memories.length, imported: true });
        } else if (d.type === "Table") {
          const table = { elementType: valtype(d.elementType), ...limits(d.limits, "table") };
          out.imports.push({ ...base, kind: "table", table });
          out.tables.push({ ...table, index: out.tables.length, imported: true });
        } else {
          const global = { type: valtype(d.valtype), mutable: d.mutability === "var" };
          out.imports.push({ ...base, kind: "global", global });
          out.globals.push({ ...global, index: out.globals.length, imported: true });
        }
        break;
      }
      case "Func":
        out.functionSignatures.push(funcSignature(field.signature));
        out.functionCount++;
        break;
      case "Table":
        out.tables.push({
          index: out.tables.length,
          imported: false,
          elementType: valtype(field.elementType),
          ...limits(field.limits, "table"),
        });
        break;
      case "Memory":
        out.memories.push({
          index: out.memories.length,
          imported: false,
          ...limits(field.limits, "memory"),
          shared: field.limits.shared === true,
          memory64: false,
        });
        break;
      case "Global":
        out.globals.push({
          index: out.globals.length,
          imported: false,
          type: valtype(field.globalType.valtype),
          mutable: field.globalType.mutability === "var",
        });
        break;
      case "Start":
        out.startFunction = field.index.value;
        break;
      case "ModuleExport": {
        const kind = EXPORT_KINDS[field.descr.exportType];
        if (kind === undefined) throw new ParserLimitation(`unknown export kind ${field.descr.exportType}`);
        out.exports.push({ name: field.name, kind, index: field.descr.id.value });
        break;
      }
    }
  }
  for (const e of out.exports) {
    if (e.kind === "function") {
      const sig = out.functionSignatures[e.index];
      if (sig === undefined) throw new ParserLimitation(`export "${e.name}" names an unknown function`);
      e.signature = { params: [...sig.params], results: [...sig.results] }; // its own copy: sigs are shared
    } else if (e.kind === "global") {
      const g = out.globals[e.index];
      if (g === undefined) throw new ParserLimitation(`export "${e.name}" names an unknown global`);
      e.global = { type: g.type, mutable: g.mutable };
    }
  }
  return out;
}
