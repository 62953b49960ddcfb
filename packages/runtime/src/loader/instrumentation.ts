import { ResourceExhaustedError, WASM_PAGE_SIZE } from "@wasm-sandbox/manifest";
import type { ModuleShape } from "./shape.js";

export interface InstrumentLimits {
  memoryPages: number;
  tableElements: number;
  meterFuel: boolean;
}

export interface InstrumentResult {
  /** The final bytes (the input itself when nothing had to change). */
  bytes: Uint8Array;
  /** The import module under which the fuel meter's functions must be provided, when metered. */
  fuelModule: string | undefined;
  /** True when the caps are enforced on the module's own memories and tables by rewriting. */
  capsRewritten: boolean;
}

/** The import module name reserved for the fuel meter; a guest may never import from it. */
export const RESERVED_FUEL_MODULE = "__wasm_sandbox";

/**
 * The single instrumentation step: cap memories and tables and meter fuel.
 * Until the instrumenter lands this checks the declared minimums against the caps only.
 */
export function instrumentForLimits(
  bytes: Uint8Array,
  shape: ModuleShape,
  limits: InstrumentLimits,
): InstrumentResult {
  for (const memory of shape.memories) {
    if (memory.initial > limits.memoryPages) {
      throw new ResourceExhaustedError(
        "memory",
        limits.memoryPages * WASM_PAGE_SIZE,
        memory.initial * WASM_PAGE_SIZE,
        `The module declares ${memory.initial} pages of memory up front, above the cap of ${limits.memoryPages} pages`,
        { suggestion: "Raise limits.memory, or build the plugin with a smaller initial memory." },
      );
    }
  }
  return { bytes, fuelModule: undefined, capsRewritten: false };
}
