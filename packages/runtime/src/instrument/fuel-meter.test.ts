import { ErrorCode, ResourceExhaustedError, SandboxError, TimeoutError } from "@wasm-sandbox/manifest";
import { caught } from "@wasm-sandbox/testkit";
import { describe, expect, it } from "vitest";
import { FuelMeter, instrumentModule } from "./index.js";
import { instantiate, wat } from "./wat.testutil.js";

const caps = { maxMemoryPages: 16, maxTableElements: 16 };

async function metered(source: string, meter: FuelMeter, budget = 1e9): Promise<WebAssembly.Exports> {
  const { bytes } = instrumentModule(await wat(source), caps);
  meter.begin({ budget });
  try {
    return instantiate(bytes, meter.imports);
  } finally {
    meter.end();
  }
}

const LOOPS = `(module
  (func $spin (loop $l (br $l)))
  (func (export "plain") (loop $l (br $l)))
  (func (export "helper") (call $spin))
  (func $rec (export "recurse") (return_call $rec))
  (func (export "countdown") (param i32) (result i32)
    (loop $l (local.set 0 (i32.sub (local.get 0) (i32.const 1))) (br_if $l (local.get 0)))
    (local.get 0)))`;

describe("FuelMeter", () => {
  it("stops infinite loops (plain, in a helper, tail recursion) by fuel exhaustion", async () => {
    const meter = new FuelMeter();
    const ex = await metered(LOOPS, meter);
    for (const name of ["plain", "helper", "recurse"]) {
      meter.begin({ budget: 5_000_000 });
      const e = caught(() => (ex[name] as () => void)());
      expect(e).toBeInstanceOf(ResourceExhaustedError);
      expect((e as ResourceExhaustedError).kind).toBe("fuel");
      expect((e as ResourceExhaustedError).limit).toBe(5_000_000);
      expect((e as ResourceExhaustedError).used).toBeGreaterThan(5_000_000);
      expect(caught(() => meter.end())).toBe(e);
    }
  });

  it("stops infinite loops by the wall-clock deadline within a few milliseconds", async () => {
    const meter = new FuelMeter();
    const ex = await metered(LOOPS, meter);
    for (const name of ["plain", "helper", "recurse"]) {
      const start = performance.now();
      meter.begin({ budget: Number.POSITIVE_INFINITY, deadline: start + 50 });
      const e = caught(() => (ex[name] as () => void)());
      const late = performance.now() - (start + 50);
      expect(SandboxError.is(e, ErrorCode.TIMEOUT)).toBe(true);
      expect((e as TimeoutError).limitMs).toBeCloseTo(50, 0);
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThan(100); // generous for a loaded 2-core machine; typically ~1 ms
      expect(caught(() => meter.end())).toBe(e);
    }
  });

  it("meters the start function: an infinite loop there is stopped during instantiation", async () => {
    const { bytes } = instrumentModule(await wat(`(module (func $s (loop (br 0))) (start $s))`), caps);
    const meter = new FuelMeter();
    meter.begin({ budget: 1_000_000 });
    const e = caught(() => instantiate(bytes, meter.imports));
    expect(SandboxError.is(e, ErrorCode.RESOURCE_EXHAUSTED)).toBe(true);
    expect(caught(() => meter.end())).toBe(e);
    meter.begin({ budget: Number.POSITIVE_INFINITY, deadline: performance.now() + 30 });
    expect(
      SandboxError.is(
        caught(() => instantiate(bytes, meter.imports)),
        ErrorCode.TIMEOUT,
      ),
    ).toBe(true);
    expect(() => meter.end()).toThrow(TimeoutError);
  });

  it("counts fuel exactly and identically whatever the slice size", async () => {
    const meter = new FuelMeter();
    const ex = await metered(LOOPS, meter);
    const countdown = ex.countdown as (n: number) => number;
    const used: number[] = [];
    for (const sliceSize of [10_000, 10_007, 123_456, 1_000_000, 1e12]) {
      meter.begin({ budget: 1e12, sliceSize });
      expect(countdown(300_000)).toBe(0);
      used.push(meter.end());
    }
    expect(new Set(used).size).toBe(1);
    // loop body: local.get, i32.const, i32.sub, local.set, local.get, br_if = 6 per iteration; plus the tail
    expect(used[0]).toBe(6 * 300_000 + 1);
  });

  it("fails exactly when consumption passes the budget at a check point", async () => {
    const meter = new FuelMeter();
    const ex = await metered(LOOPS, meter);
    const countdown = ex.countdown as (n: number) => number;
    meter.begin({ budget: 6 * 1000 + 1 });
    expect(countdown(1000)).toBe(0);
    expect(meter.end()).toBe(6001);
    meter.begin({ budget: 6 * 1000 });
    // the overdraft happens in the last iteration, after the last check point: the call completes
    expect(countdown(1000)).toBe(0);
    expect(meter.end()).toBe(6001);
    meter.begin({ budget: 5990 });
    expect(
      SandboxError.is(
        caught(() => countdown(1000)),
        ErrorCode.RESOURCE_EXHAUSTED,
      ),
    ).toBe(true);
    expect(() => meter.end()).toThrow(ResourceExhaustedError);
  });

  it("enforces the lifetime budget when it is the smaller one", async () => {
    const meter = new FuelMeter();
    const ex = await metered(LOOPS, meter);
    meter.begin({ budget: 1e9, lifetimeRemaining: 20_000 });
    const e = caught(() => (ex.countdown as (n: number) => number)(100_000)) as ResourceExhaustedError;
    expect(e.limit).toBe(20_000);
    expect(e.context.budget).toBe("lifetime");
    expect(() => meter.end()).toThrow(ResourceExhaustedError);
  });

  it("cannot be outrun by a guest that catches the meter's exception", async () => {
    const meter = new FuelMeter();
    const ex = await metered(
      `(module
        (func $spin (loop (br 0)))
        (func (export "swallow") (result i32)
          (loop $again
            (try (do (call $spin)) (catch_all))
            (br $again))
          i32.const 7))`,
      meter,
    );
    meter.begin({ budget: 100_000 });
    const e = caught(() => (ex.swallow as () => number)());
    expect(SandboxError.is(e, ErrorCode.RESOURCE_EXHAUSTED)).toBe(true);
    expect(caught(() => meter.end())).toBe(e);
  });

  it("refuses misuse: nested begin and negative budgets", () => {
    const meter = new FuelMeter();
    meter.begin({ budget: 10 });
    expect(
      SandboxError.is(
        caught(() => meter.begin({ budget: 10 })),
        ErrorCode.INVALID_ARGUMENT,
      ),
    ).toBe(true);
    expect(meter.end()).toBe(0);
    expect(
      SandboxError.is(
        caught(() => meter.begin({ budget: -1 })),
        ErrorCode.INVALID_ARGUMENT,
      ),
    ).toBe(true);
  });
});
