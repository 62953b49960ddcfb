import type { ModuleInfo as BinaryModuleInfo } from "./binary/index.js";
import type { FunctionSignature, GlobalDecl, MemoryDecl, TableDecl } from "./module-info.js";
import type { DecodedStructure } from "./parser-structure.js";

const KINDS = { func: "function", table: "table", memory: "memory", global: "global", tag: "tag" } as const;

const memoryType = (l: {
  min: number;
  max: number | undefined;
  shared: boolean;
  index64: boolean;
}): MemoryDecl => ({
  min: l.min,
  max: l.max,
  shared: l.shared,
  memory64: l.index64,
});

/**
 * Why wasm-parser cannot represent this module's declarations (undefined when it can): it knows only
 * function types, MVP reference types and 32-bit limits, and has no tags.
 */
export function parserBlocker(info: BinaryModuleInfo): string | undefined {
  if (info.types.some((t) => t.kind !== "func")) return "it declares GC struct or array types";
  if (info.tags.length > 0 || info.importedTagCount > 0) return "it declares exception tags";
  const limits = [
    ...info.memories,
    ...info.tables.map((t) => t.type.limits),
    ...info.imports.flatMap((i) =>
      i.kind === "memory" ? [i.type] : i.kind === "table" ? [i.type.limits] : [],
    ),
  ];
  if (limits.some((l) => l.index64)) return "it uses 64-bit memory or table limits (memory64)";
  const typed = info.types.some(
    (t) => t.kind === "func" && [...t.params, ...t.results].some((v) => v.startsWith("(ref")),
  );
  if (typed) return "it uses typed function references";
  return undefined;
}

/** The declarations as decoded by the binary reader, in the same shape as the wasm-parser adapter's. */
export function structureFromBinary(info: BinaryModuleInfo): DecodedStructure {
  // One signature object per type, shared by every import and function that uses it: a module may
  // declare 100,000 imports of one type.
  const typeSigs = info.types.map(
    (t): FunctionSignature =>
      t.kind === "func" ? { params: [...t.params], results: [...t.results] } : { params: [], results: [] },
  );
  const none: FunctionSignature = { params: [], results: [] };
  const typeSig = (typeIndex: number): FunctionSignature => typeSigs[typeIndex] ?? none;
  const out: DecodedStructure = {
    types: typeSigs,
    imports: [],
    exports: [],
    memories: [],
    tables: [],
    globals: [],
    startFunction: info.start ?? null,
    functionCount: info.functions.length,
    importedFunctionCount: info.importedFunctionCount,
    functionSignatures: [],
  };
  info.imports.forEach((imp, index) => {
    const base = { index, module: imp.module, name: imp.name };
    switch (imp.kind) {
      case "func": {
        const signature = typeSig(imp.typeIndex);
        out.imports.push({ ...base, kind: "function", signature });
        out.functionSignatures.push(signature);
        break;
      }
      case "memory": {
        const memory = memoryType(imp.type);
        out.imports.push({ ...base, kind: "memory", memory });
        out.memories.push({ ...memory, index: out.memories.length, imported: true });
        break;
      }
      case "table": {
        const table: TableDecl = {
          elementType: imp.type.elemType,
          min: imp.type.limits.min,
          max: imp.type.limits.max,
        };
        out.imports.push({ ...base, kind: "table", table });
        out.tables.push({ ...table, index: out.tables.length, imported: true });
        break;
      }
      case "global": {
        const global: GlobalDecl = { type: imp.type.valType, mutable: imp.type.mutable };
        out.imports.push({ ...base, kind: "global", global });
        out.globals.push({ ...global, index: out.globals.length, imported: true });
        break;
      }
      case "tag":
        out.imports.push({ ...base, kind: "tag", signature: typeSig(imp.typeIndex) });
        break;
    }
  });
  for (const typeIndex of info.functions) out.functionSignatures.push(typeSig(typeIndex));
  for (const t of info.tables) {
    out.tables.push({
      index: out.tables.length,
      imported: false,
      elementType: t.type.elemType,
      min: t.type.limits.min,
      max: t.type.limits.max,
    });
  }
  for (const m of info.memories)
    out.memories.push({ ...memoryType(m), index: out.memories.length, imported: false });
  for (const g of info.globals) {
    out.globals.push({
      index: out.globals.length,
      imported: false,
      type: g.type.valType,
      mutable: g.type.mutable,
    });
  }
  for (const e of info.exports) {
    const kind = KINDS[e.kind];
    if (kind === "function") {
      out.exports.push({
        name: e.name,
        kind,
        index: e.index,
        signature: out.functionSignatures[e.index] ?? none,
      });
    } else if (kind === "global") {
      const g = out.globals[e.index];
      out.exports.push({
        name: e.name,
        kind,
        index: e.index,
        ...(g ? { global: { type: g.type, mutable: g.mutable } } : {}),
      });
    } else out.exports.push({ name: e.name, kind, index: e.index });
  }
  return out;
}
