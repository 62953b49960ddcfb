import type { EntryPointAbi } from "@wasm-sandbox/manifest";
import type { FunctionSignature, ModuleInfo } from "./module-info.js";
import { SANDBOX_MODULE, sameSignature } from "./sandbox-abi.js";
import { WASI_MODULE } from "./wasi-preview1.js";

const NUMERIC = new Set(["i32", "i64", "f32", "f64"]);
const JSON_SIGNATURE: FunctionSignature = { params: [], results: ["i32"] };
const COMMAND_SIGNATURE: FunctionSignature = { params: [], results: [] };

export const importsFrom = (info: ModuleInfo, module: string): boolean =>
  info.imports.some((i) => i.module === module);

export const isNumericSignature = (s: FunctionSignature): boolean =>
  s.params.every((t) => NUMERIC.has(t)) && s.results.every((t) => NUMERIC.has(t));

/** Which ABI kind an entry point has when the manifest does not say, and why; undefined when none fits. */
export function inferAbi(
  functionName: string,
  signature: FunctionSignature,
  info: ModuleInfo,
): { abi: EntryPointAbi; reason: string } | undefined {
  if (functionName === "_start" && sameSignature(signature, COMMAND_SIGNATURE)) {
    return {
      abi: "command",
      reason: importsFrom(info, WASI_MODULE)
        ? "it is the WASI `_start` () -> () of a module that imports WASI"
        : "it is named `_start` with signature () -> ()",
    };
  }
  if (sameSignature(signature, JSON_SIGNATURE) && importsFrom(info, SANDBOX_MODULE)) {
    return { abi: "json", reason: "it is () -> i32 in a module that imports from `sandbox`" };
  }
  if (isNumericSignature(signature)) {
    return { abi: "numeric", reason: "its parameters and results are all i32/i64/f32/f64" };
  }
  return undefined;
}

/** Why a signature does not fit an ABI kind, or undefined when it fits. */
export function abiMismatch(abi: EntryPointAbi, signature: FunctionSignature): string | undefined {
  switch (abi) {
    case "numeric":
      return isNumericSignature(signature)
        ? undefined
        : "numeric entries take and return only i32, i64, f32 and f64 values";
    case "json":
      return sameSignature(signature, JSON_SIGNATURE)
        ? undefined
        : "json entries are () -> i32: they read input with sandbox.input_read and return a status";
    case "command":
      return sameSignature(signature, COMMAND_SIGNATURE)
        ? undefined
        : "command entries are the WASI `_start` () -> ()";
  }
}
