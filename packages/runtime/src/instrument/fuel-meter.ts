import { ErrorCode, ResourceExhaustedError, SandboxError, TimeoutError } from "@wasm-sandbox/manifest";
import { FUEL_GLOBAL, OUT_OF_FUEL, RESERVED_MODULE } from "./constants.js";

export interface FuelCall {
  /** Fuel this call may consume (Infinity for none). */
  budget: number;
  /** Fuel left for the instance's lifetime, if it has such a budget. */
  lifetimeRemaining?: number;
  /** Wall-clock deadline as a `performance.now()` timestamp (ms); Infinity for none. */
  deadline?: number;
  /** Largest slice handed out before the host looks at the clock again (default 1,000,000). */
  sliceSize?: number;
}

export interface FuelMeterImports {
  [RESERVED_MODULE]: { [FUEL_GLOBAL]: WebAssembly.Global; [OUT_OF_FUEL]: () => void };
}

const DEFAULT_SLICE = 1_000_000;
const MIN_SLICE = 10_000;
/** Target time between two clock checks: keeps deadline overshoot around a millisecond. */
const SLICE_TARGET_MS = 0.5;
/** After a trip the counter is pinned far below zero so every later check calls out again. */
const TRIPPED = -(2n ** 62n);

/**
 * The host half of fuel metering. The instrumented guest charges each straight-line segment to the
 * imported `fuel` global and calls `out_of_fuel` at a function entry or loop header once it is negative.
 * The meter hands out fuel in slices: when one runs out it either throws (budget spent: fuel exhausted;
 * deadline passed: timeout) or refills. Consumption is the sum of the charges executed, so it is the same
 * on every run whatever the slice sizes; exhaustion is raised at the first check point after the budget
 * is exceeded, also independent of slicing.
 *
 * Usage per call: `begin(...)`, call the guest (or instantiate, so a start function is metered too), then
 * `end()` for the fuel consumed. A guest that swallows the meter's exception (catch_all) cannot get
 * further: once tripped, every check point throws again, and `end()` rethrows the trip error.
 */
export class FuelMeter {
  readonly global: WebAssembly.Global;
  readonly imports: FuelMeterImports;
  private active = false;
  private limit = 0;
  private budgetLimited = true;
  private given = 0;
  private deadline = Number.POSITIVE_INFINITY;
  private startedAt = 0;
  private maxSlice = DEFAULT_SLICE;
  private slice = DEFAULT_SLICE;
  private sliceStartedAt = 0;
  private tripError: SandboxError | undefined;
  private tripConsumed = 0;

  constructor() {
    this.global = new WebAssembly.Global({ value: "i64", mutable: true }, 0n);
    this.imports = {
      [RESERVED_MODULE]: { [FUEL_GLOBAL]: this.global, [OUT_OF_FUEL]: () => this.outOfFuel() },
    };
  }

  /** True between begin() and end(). */
  get running(): boolean {
    return this.active;
  }

  /** Fuel consumed so far in the current (or last) call. */
  get consumed(): number {
    if (this.tripError) return this.tripConsumed;
    return this.given - Number(this.global.value as bigint);
  }

  begin(call: FuelCall): void {
    if (this.active) {
      throw new SandboxError(
        ErrorCode.INVALID_ARGUMENT,
        "FuelMeter.begin() called while a call is already metered",
        {
          suggestion: "Call end() after each guest call; nested guest calls share the outer call's meter.",
        },
      );
    }
    const { budget, lifetimeRemaining } = call;
    if (!(budget >= 0) || (lifetimeRemaining !== undefined && !(lifetimeRemaining >= 0))) {
      throw new SandboxError(ErrorCode.INVALID_ARGUMENT, "Fuel budgets must be non-negative numbers", {
        context: { budget, lifetimeRemaining },
      });
    }
    this.budgetLimited = lifetimeRemaining === undefined || budget <= lifetimeRemaining;
    this.limit = Math.min(budget, lifetimeRemaining ?? Number.POSITIVE_INFINITY);
    this.deadline = call.deadline ?? Number.POSITIVE_INFINITY;
    this.maxSlice = Math.max(MIN_SLICE, Math.floor(call.sliceSize ?? DEFAULT_SLICE));
    this.slice = Math.min(this.slice, this.maxSlice);
    this.tripError = undefined;
    this.tripConsumed = 0;
    this.given = 0;
    this.startedAt = performance.now();
    this.active = true;
    this.grant(0, this.startedAt);
  }

  /** Ends the call and returns the fuel it consumed; rethrows the trip error if the meter stopped the guest. */
  end(): number {
    const consumed = this.consumed;
    this.active = false;
    this.global.value = 0n;
    this.given = 0;
    if (this.tripError) throw this.tripError;
    return consumed;
  }

  private grant(consumed: number, now: number): void {
    const amount = Math.min(this.slice, this.limit - consumed);
    this.given = consumed + amount;
    this.global.value = BigInt(amount);
    this.sliceStartedAt = now;
  }

  private trip(error: SandboxError, consumed: number): never {
    this.tripError = error;
    this.tripConsumed = consumed;
    this.global.value = TRIPPED;
    throw error;
  }

  private outOfFuel(): void {
    if (this.tripError) throw this.tripError;
    if (!this.active) {
      this.global.value = TRIPPED;
      throw new SandboxError(ErrorCode.INTERNAL, "The guest ran without an active fuel meter", {
        suggestion: "Call FuelMeter.begin() before instantiating or calling an instrumented module.",
      });
    }
    const consumed = this.given - Number(this.global.value as bigint);
    if (consumed > this.limit) {
      const kindOfLimit = this.budgetLimited ? "call" : "lifetime";
      this.trip(
        new ResourceExhaustedError(
          "fuel",
          this.limit,
          consumed,
          `Plugin exhausted its ${kindOfLimit} fuel budget (limit ${this.limit}, used ${consumed})`,
          { context: { budget: kindOfLimit } },
        ),
        consumed,
      );
    }
    const now = performance.now();
    if (now > this.deadline) {
      this.trip(new TimeoutError(this.deadline - this.startedAt, now - this.startedAt), consumed);
    }
    // Keep each slice near SLICE_TARGET_MS so the deadline is seen soon after it passes.
    const took = now - this.sliceStartedAt;
    if (took > SLICE_TARGET_MS * 2) this.slice = Math.max(MIN_SLICE, Math.floor(this.slice / 2));
    else if (took < SLICE_TARGET_MS / 2) this.slice = Math.min(this.maxSlice, this.slice * 2);
    this.grant(consumed, now);
  }
}
