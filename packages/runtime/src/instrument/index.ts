/**
 * Bytecode instrumentation for the sandbox: memory/table caps and deterministic fuel metering.
 *
 * - `instrumentModule(bytes, { maxMemoryPages, maxTableElements, meterFuel? })` returns
 *   `{ bytes, memories, tables, importedMemories, importedTables, fuelImports }` (limits in pages /
 *   elements; `max` is what is enforced, `declaredMax` what the module said). Throws
 *   ResourceExhaustedError (kind memory/table) for a declared minimum above the cap, LinkError for a guest
 *   importing from RESERVED_MODULE, INVALID_MODULE/UNSUPPORTED for bytes the reader refuses.
 * - `FuelMeter`: merge `meter.imports` into the import object, then per call `meter.begin({ budget,
 *   lifetimeRemaining?, deadline?, sliceSize? })`, run the guest (instantiate inside begin/end too, so
 *   the start function is metered), and `meter.end()` for the fuel consumed (it rethrows the trip error
 *   if the meter stopped the guest, even when the guest caught it). Nested guest calls made from host
 *   functions share the outer call's meter: do not call begin() for them.
 * - `RESERVED_MODULE` ("__wasm_sandbox"), `FUEL_GLOBAL`, `OUT_OF_FUEL`: the names of the two imports.
 *
 * Fuel model (the same on every run, whatever the slice size): 1 unit per instruction (block, loop, end,
 * else, try, catch, catch_all, delegate, try_table markers are free), plus at run time 1 per 16 bytes of
 * memory.copy/fill/init and 1 per element of table.copy/fill/init; an atomic wait costs 1,000,000 and
 * its timeout is clamped to 1 ms. The code after a conditional branch is prepaid with the code before
 * it. A trap other than `unreachable` loses the trapping function's charges since its last call or
 * branch out, the same on every run. Exhaustion is raised at the first check point (function entry of
 * a function that calls, loop header) after the budget is exceeded; a call that ends between check
 * points can report slightly more than its budget.
 */
export type { CappedLimits, CappedTable, ImportedMemory, ImportedTable } from "./caps.js";
export { FUEL_GLOBAL, OUT_OF_FUEL, RESERVED_MODULE } from "./constants.js";
export type { FuelCall, FuelMeterImports } from "./fuel-meter.js";
export { FuelMeter } from "./fuel-meter.js";
export type { FuelImports, InstrumentOptions, InstrumentResult } from "./instrument.js";
export { instrumentModule } from "./instrument.js";
