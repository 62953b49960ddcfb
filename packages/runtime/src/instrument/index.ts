/**
 * Bytecode instrumentation for the sandbox: memory/table caps and deterministic fuel metering.
 *
 * - `instrumentModule(bytes, { maxMemoryPages, maxTableElements, meterFuel? })` returns
 *   `{ bytes, memories, tables, importedMemories, importedTables, fuelImports }`.
 * - `FuelMeter`: merge `meter.imports` into the import object, then per call `meter.begin({ budget,
 *   lifetimeRemaining?, deadline?, sliceSize? })`, run the guest (instantiate inside begin/end too, so
 *   the start function is metered), and `meter.end()` for the fuel consumed.
 * - `RESERVED_MODULE` ("__wasm_sandbox"): guests importing from it are refused with LINK_ERROR.
 *
 * Fuel model: 1 unit per instruction (block/loop/end/else/try/catch markers are free), plus 1 per 16
 * bytes for memory.copy/fill/init and 1 per element for table.copy/fill/init, charged at run time.
 */
export type { CappedLimits, CappedTable, ImportedMemory, ImportedTable } from "./caps.js";
export { FUEL_GLOBAL, OUT_OF_FUEL, RESERVED_MODULE } from "./constants.js";
export type { FuelCall, FuelMeterImports } from "./fuel-meter.js";
export { FuelMeter } from "./fuel-meter.js";
export type { FuelImports, InstrumentOptions, InstrumentResult } from "./instrument.js";
export { instrumentModule } from "./instrument.js";
