import type { InstrumentResult } from "../loader/instrumentation.js";

export interface MeterBegin {
  /** Fuel this call may use. */
  budget: number;
  /** Fuel left in the instance's lifetime budget, when it has one. */
  lifetimeRemaining?: number;
  /** performance.now() after which the call is aborted with TIMEOUT. */
  deadline: number;
  /** Fuel handed out per slice: the granularity of deadline checks. */
  sliceSize: number;
}

/** Per-call fuel and deadline accounting for one plugin (reused across calls). */
export interface CallMeter {
  /** The import module and values to link, when the module is instrumented for fuel. */
  readonly link: { module: string; imports: Record<string, WebAssembly.ImportValue> } | undefined;
  begin(options: MeterBegin): void;
  /** Ends the call; returns the fuel it consumed. */
  end(): number;
}

/** Meters nothing: for modules the instrumenter did not meter. */
class UnmeteredCall implements CallMeter {
  readonly link = undefined;
  begin(): void {}
  end(): number {
    return 0;
  }
}

/** The meter for a prepared module: the instrumenter's FuelMeter when it metered the module. */
export function createMeter(instrumentation: InstrumentResult): CallMeter {
  // The instrumenter's FuelMeter plugs in here once it lands; see loader/instrumentation.ts.
  void instrumentation;
  return new UnmeteredCall();
}
