import { ErrorCode, SandboxError } from "@wasm-sandbox/manifest";
import { hasErrors, inspectModule } from "@wasm-sandbox/validator";

// The module's shape (imports, exports, signatures, memories) as the runtime needs it, read by the
// validator: the runtime never parses wasm itself.

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

/** Reads a module's shape; malformed bytes are INVALID_MODULE with the validator's first problem. */
export function inspectShape(bytes: Uint8Array): ModuleShape {
  const info = inspectModule(bytes);
  if (info.decoder === "none" || hasErrors(info.issues)) {
    const first =
      info.issues.find((i) => i.severity === "error" || i.severity === "critical") ?? info.issues[0];
    throw new SandboxError(
      ErrorCode.INVALID_MODULE,
      `Not a valid WebAssembly module: ${first?.message ?? "undecodable"}`,
      {
        suggestion: first?.suggestion ?? "Pass the bytes of a complete .wasm binary.",
        context: { issues: info.issues.slice(0, 5).map((i) => ({ code: i.code, message: i.message })) },
      },
    );
  }
  const memoryShape = (m: { min: number; max: number | undefined; shared: boolean; memory64: boolean }) => ({
    initial: m.min,
    maximum: m.max,
    shared: m.shared,
    index64: m.memory64,
  });
  const imports = info.imports.map((imp): ShapeImport => {
    if (imp.kind === "function") {
      return { module: imp.module, name: imp.name, kind: "function", type: imp.signature ?? NO_SIGNATURE };
    }
    if (imp.kind === "memory" && imp.memory) {
      return { module: imp.module, name: imp.name, kind: "memory", memory: memoryShape(imp.memory) };
    }
    return { module: imp.module, name: imp.name, kind: imp.kind === "memory" ? "table" : imp.kind };
  });
  const exports = info.exports.map(
    (exp): ShapeExport =>
      exp.kind === "function"
        ? { name: exp.name, kind: "function", type: exp.signature ?? NO_SIGNATURE }
        : { name: exp.name, kind: exp.kind },
  );
  return {
    imports,
    exports,
    memories: info.memories.filter((m) => !m.imported).map(memoryShape),
    hasStart: info.startFunction !== null,
  };
}
