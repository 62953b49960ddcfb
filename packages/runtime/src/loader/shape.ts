import { functionType, readModule } from "@wasm-sandbox/validator";

// The module's shape (imports, exports, signatures, memories) as the runtime needs it, read by the
// validator's binary reader (its declarations-only decoder, fast on large modules): the runtime never parses
// wasm itself.

export interface FuncSignature {
  params: readonly string[];
  results: readonly string[];
}

export interface MemoryShape {
  initial: number;
  maximum: number | undefined;
  shared: boolean;
  index64: boolean;
}

export type ShapeImport =
  | { module: string; name: string; kind: "function"; type: FuncSignature }
  | { module: string; name: string; kind: "memory"; memory: MemoryShape }
  | { module: string; name: string; kind: "table" | "global" | "tag" };

export interface ShapeExport {
  name: string;
  kind: "function" | "table" | "memory" | "global" | "tag";
  /** Present for functions. */
  type?: FuncSignature;
}

export interface ModuleShape {
  imports: readonly ShapeImport[];
  exports: readonly ShapeExport[];
  /** Memories the module defines itself (not imported). */
  memories: readonly MemoryShape[];
  hasStart: boolean;
}

const NO_SIGNATURE: FuncSignature = { params: [], results: [] };

/** Reads a module's shape; malformed bytes are the validator's INVALID_MODULE error. */
export function inspectShape(bytes: Uint8Array): ModuleShape {
  const info = readModule(bytes);
  const signature = (typeIndex: number): FuncSignature => {
    const t = info.types[typeIndex];
    return t?.kind === "func" ? { params: t.params, results: t.results } : NO_SIGNATURE;
  };
  const memoryShape = (m: { min: number; max: number | undefined; shared: boolean; index64: boolean }) => ({
    initial: m.min,
    maximum: m.max,
    shared: m.shared,
    index64: m.index64,
  });
  const imports = info.imports.map((imp): ShapeImport => {
    if (imp.kind === "func") {
      return { module: imp.module, name: imp.name, kind: "function", type: signature(imp.typeIndex) };
    }
    if (imp.kind === "memory") {
      return { module: imp.module, name: imp.name, kind: "memory", memory: memoryShape(imp.type) };
    }
    return { module: imp.module, name: imp.name, kind: imp.kind };
  });
  const exports = info.exports.map((exp): ShapeExport => {
    if (exp.kind !== "func") return { name: exp.name, kind: exp.kind };
    const t = functionType(info, exp.index);
    return {
      name: exp.name,
      kind: "function",
      type: t ? { params: t.params, results: t.results } : NO_SIGNATURE,
    };
  });
  return { imports, exports, memories: info.memories.map(memoryShape), hasStart: info.start !== undefined };
}
