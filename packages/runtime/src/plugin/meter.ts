import type { SandboxError } from "@wasm-sandbox/manifest";
import { FuelMeter } from "../instrument/index.js";
import type { InstrumentResult } from "../loader/instrumentation.js";

export interface MeterBegin {
  /** Fuel this call may use. */
  budget: number;
  /** Fuel left in the instance's lifetime budget, when it has one. */
  lifetimeRemaining?: number;
  /** performance.now() after which the call is aborted with TIMEOUT. */
  deadline: number;
  /** Largest fuel slice between two deadline checks. */
  sliceSize: number;
}

/** Per-call fuel and deadline accounting for one plugin (one meter, reused by every call). */
export interface CallMeter {
  /** The import module and values to link, when the module is instrumented for fuel. */
  readonly link: { module: string; imports: Record<string, WebAssembly.ImportValue> } | undefined;
  begin(options: MeterBegin): void;
  /** Ends the call; returns the fuel it consumed (also when the meter stopped the guest). */
  end(): number;
  /** The error with which the meter stopped the last call, even if the guest swallowed it. */
  readonly tripped: SandboxError | undefined;
}

class MeteredCall implements CallMeter {
  readonly #meter = new FuelMeter();
  readonly link: CallMeter["link"];
  tripped: SandboxError | undefined = undefined;

  constructor(module: string) {
    this.link = { module, imports: this.#meter.imports[module as keyof FuelMeter["imports"]] };
  }

  begin(options: MeterBegin): void {
    this.tripped = undefined;
    this.#meter.begin(options);
  }

  end(): number {
    try {
      return this.#meter.end();
    } catch (error) {
      this.tripped = error as SandboxError;
      return this.#meter.consumed;
    }
  }
}

class UnmeteredCall implements CallMeter {
  readonly link = undefined;
  readonly tripped = undefined;
  begin(): void {}
  end(): number {
    return 0;
  }
}

/** The meter for a prepared module: a FuelMeter when the instrumenter metered it. */
export function createMeter(instrumentation: Pick<InstrumentResult, "fuelModule">): CallMeter {
  return instrumentation.fuelModule === undefined
    ? new UnmeteredCall()
    : new MeteredCall(instrumentation.fuelModule);
}
