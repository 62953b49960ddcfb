import { RESERVED_FUEL_MODULE } from "@wasm-sandbox/validator";

/**
 * The import module reserved for the sandbox's own imports. A guest that imports from it is refused, so
 * nothing the guest names can alias the fuel counter. The validator owns the name, so its static check and
 * this instrumenter can never disagree.
 */
export const RESERVED_MODULE = RESERVED_FUEL_MODULE;
/** The imported mutable i64 global holding the fuel left in the current slice. */
export const FUEL_GLOBAL = "fuel";
/** The imported function `[] -> []` the guest calls at a check point once the slice is overdrawn. */
export const OUT_OF_FUEL = "out_of_fuel";

/** Fuel charged per 2^MEMORY_BYTES_SHIFT bytes moved by memory.copy / memory.fill / memory.init. */
export const MEMORY_BYTES_SHIFT = 4;
/** Fuel charged per 2^TABLE_ELEMS_SHIFT elements moved by table.copy / table.fill / table.init. */
export const TABLE_ELEMS_SHIFT = 0;

/**
 * memory.atomic.wait timeouts are clamped to this many nanoseconds (negative = infinite included), so a
 * guest cannot block the host thread past the meter's reach; each wait costs WAIT_FUEL.
 */
export const MAX_WAIT_NS = 1_000_000;
export const WAIT_FUEL = 1_000_000;
