import {
  type InstrumentResult as Instrumented,
  instrumentModule,
  RESERVED_MODULE,
} from "../instrument/index.js";

export interface InstrumentLimits {
  memoryPages: number;
  tableElements: number;
  meterFuel: boolean;
}

export interface InstrumentResult {
  /** The final bytes. */
  bytes: Uint8Array;
  /** The import module under which the fuel meter's imports must be provided, when metered. */
  fuelModule: string | undefined;
  /** Imported memories with the maximum the sandbox must give them. */
  importedMemories: Instrumented["importedMemories"];
}

/** The import module name reserved for the fuel meter; a guest may never import from it. */
export const RESERVED_FUEL_MODULE = RESERVED_MODULE;

/**
 * The single instrumentation step: every memory and table capped (a declared minimum above the cap is
 * RESOURCE_EXHAUSTED), fuel metering inserted, the reserved import module refused (LINK_ERROR).
 */
export function instrumentForLimits(bytes: Uint8Array, limits: InstrumentLimits): InstrumentResult {
  const result = instrumentModule(bytes, {
    maxMemoryPages: limits.memoryPages,
    maxTableElements: limits.tableElements,
    meterFuel: limits.meterFuel,
  });
  return {
    bytes: result.bytes,
    fuelModule: result.fuelImports?.module,
    importedMemories: result.importedMemories,
  };
}
