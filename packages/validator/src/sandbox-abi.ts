import type { PluginManifest } from "@wasm-sandbox/manifest";
import type { FunctionSignature } from "./module-info.js";

/** The guest ABI v1 import module (see ARCHITECTURE.md). */
export const SANDBOX_MODULE = "sandbox";
/** Typed host functions are imported from this module, by the name listed in permissions.hostFunctions. */
export const HOST_MODULE = "host";
/** The runtime's fuel meter; a plugin importing it would reach the sandbox's own accounting. */
export const RESERVED_FUEL_MODULE = "__wasm_sandbox";

/** What makes a `sandbox` import useful. */
export type SandboxGrant = "always" | "hostFunctions" | "streaming";

interface SandboxFunction {
  signature: FunctionSignature;
  grant: SandboxGrant;
}

const i32 = (n: number) => Array.from({ length: n }, () => "i32");
const f = (params: number, results: number, grant: SandboxGrant = "always"): SandboxFunction => ({
  signature: { params: i32(params), results: i32(results) },
  grant,
});

/** Every import of guest ABI v1, all i32, and what grants it. */
export const SANDBOX_ABI: Readonly<Record<string, SandboxFunction>> = {
  input_size: f(0, 1),
  input_read: f(1, 1),
  output_write: f(2, 1),
  error: f(2, 0),
  log: f(3, 0),
  host_call: f(4, 1, "hostFunctions"),
  host_result_read: f(1, 1, "hostFunctions"),
  emit: f(2, 1, "streaming"),
};

export function sandboxFunction(name: string): SandboxFunction | undefined {
  return Object.hasOwn(SANDBOX_ABI, name) ? SANDBOX_ABI[name] : undefined;
}

/** The manifest setting that makes a grant real, or undefined when the manifest gives it. */
export function missingSandboxGrant(manifest: PluginManifest, grant: SandboxGrant): string | undefined {
  switch (grant) {
    case "always":
      return undefined;
    case "hostFunctions":
      return manifest.permissions.hostFunctions.length > 0 ? undefined : "permissions.hostFunctions";
    case "streaming":
      return manifest.entryPoints.some((e) => e.supportsStreaming)
        ? undefined
        : "an entry point with supportsStreaming: true";
  }
}

export const sameSignature = (a: FunctionSignature, b: FunctionSignature): boolean =>
  a.params.length === b.params.length &&
  a.results.length === b.results.length &&
  a.params.every((t, i) => t === b.params[i]) &&
  a.results.every((t, i) => t === b.results[i]);

export const describeSignature = (s: FunctionSignature): string =>
  `(${s.params.join(", ")}) -> (${s.results.join(", ")})`;
