import { createHash } from "node:crypto";
import { ErrorCode, SandboxError } from "@wasm-sandbox/manifest";
import { type InstrumentLimits, type InstrumentResult, instrumentForLimits } from "./instrumentation.js";
import { compiledModules, LruCache } from "./module-cache.js";
import { inspectShape, type ModuleShape } from "./shape.js";

/** A module ready to instantiate under one set of limits. Shared by every plugin loading the same bytes. */
export interface PreparedModule {
  module: WebAssembly.Module;
  /** The shape of the module as written (before instrumentation): what the guest imports and exports. */
  shape: ModuleShape;
  /** sha256 (hex) of the bytes as given. */
  sourceDigest: string;
  /** sha256 (hex) of the final, instrumented bytes: the compile cache key. */
  digest: string;
  /** What linking needs from instrumentation (the instrumented bytes themselves are not kept). */
  instrumentation: Omit<InstrumentResult, "bytes">;
  /** Bytes of the final module. */
  size: number;
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

// Instrumenting is the expensive step on large modules: remember its outcome per source and limits.
const prepared = new LruCache<string, PreparedModule>(64);

function compile(bytes: Uint8Array, digest: string): WebAssembly.Module {
  const cached = compiledModules.get(digest);
  if (cached) return cached;
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  } catch (error) {
    throw new SandboxError(
      ErrorCode.INVALID_MODULE,
      `Not a valid WebAssembly module: ${(error as Error).message}`,
      {
        cause: error,
        suggestion:
          "Check that the file is a complete .wasm binary built for the WebAssembly features Node 20 supports.",
        context: { digest },
      },
    );
  }
  compiledModules.set(digest, module);
  return module;
}

/**
 * Bytes -> a compiled, instrumented module: shape read by the validator, memory/table caps and fuel
 * metering applied by instrumentation, compiled once per distinct final bytes (LRU cache).
 */
export function prepareModule(bytes: Uint8Array, limits: InstrumentLimits): PreparedModule {
  if (bytes.byteLength < 8) {
    throw new SandboxError(
      ErrorCode.INVALID_MODULE,
      `Not a WebAssembly module: only ${bytes.byteLength} bytes`,
      {
        suggestion: "Pass the bytes of a compiled .wasm file.",
      },
    );
  }
  const sourceDigest = sha256(bytes);
  const key = `${sourceDigest}:${limits.memoryPages}:${limits.tableElements}:${limits.meterFuel}`;
  const known = prepared.get(key);
  if (known) return known;
  const shape = inspectShape(bytes);
  const instrumentation = instrumentForLimits(bytes, limits);
  const digest = sha256(instrumentation.bytes);
  const module = compile(instrumentation.bytes, digest);
  const result: PreparedModule = {
    module,
    shape,
    sourceDigest,
    digest,
    instrumentation: {
      fuelModule: instrumentation.fuelModule,
      importedMemories: instrumentation.importedMemories,
    },
    size: instrumentation.bytes.byteLength,
  };
  prepared.set(key, result);
  return result;
}

export type { ModuleShape };

/** Forgets every prepared and compiled module (for cold-start measurements and memory pressure). */
export function clearModuleCaches(): void {
  prepared.clear();
  compiledModules.clear();
}
