import { MAX_WASM_PAGES, ResourceExhaustedError } from "@wasm-sandbox/manifest";
import type { Limits } from "@wasm-sandbox/validator";

/** A memory or table with its declared limits and the maximum the sandbox enforces. */
export interface CappedLimits {
  /** Index in the memory (or table) index space, imports first. */
  index: number;
  min: number;
  /** The declared maximum, if any. */
  declaredMax: number | undefined;
  /** The maximum after capping: min(declared max, limit). */
  max: number;
  shared: boolean;
  index64: boolean;
}

export interface CappedTable extends CappedLimits {
  elemType: string;
}

export interface ImportedLimits {
  module: string;
  name: string;
}

/** An imported memory: the host must provide one with `max` as its maximum. */
export interface ImportedMemory extends CappedLimits, ImportedLimits {}

/** An imported table: the host must provide one whose maximum is at most `max`. */
export interface ImportedTable extends CappedTable, ImportedLimits {}

const MEMORY64_MAX_PAGES = 2 ** 48;
const U32_MAX = 0xffff_ffff;

/** Applies a cap, refusing a minimum above it (ResourceExhaustedError, in pages or elements). */
export function capLimits(
  kind: "memory" | "table",
  index: number,
  limits: Limits,
  cap: number,
): CappedLimits {
  if (limits.min > cap) {
    const unit = kind === "memory" ? "pages" : "elements";
    throw new ResourceExhaustedError(
      kind,
      cap,
      limits.min,
      `${kind === "memory" ? "Memory" : "Table"} ${index} declares a minimum of ${limits.min} ${unit}, above the cap of ${cap} ${unit}`,
      {
        context: { unit, index },
        suggestion: `Raise the ${kind} limit, or build the plugin with a smaller initial ${kind}.`,
      },
    );
  }
  // a cap above what the binary format allows would make the module invalid: clamp it to the format's limit
  const formatMax =
    kind === "memory"
      ? limits.index64
        ? MEMORY64_MAX_PAGES
        : MAX_WASM_PAGES
      : limits.index64
        ? Number.MAX_SAFE_INTEGER
        : U32_MAX;
  const effective = Math.min(cap, formatMax);
  return {
    index,
    min: limits.min,
    declaredMax: limits.max,
    max: limits.max === undefined ? effective : Math.min(limits.max, effective),
    shared: limits.shared,
    index64: limits.index64,
  };
}
