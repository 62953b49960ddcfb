import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createPlugin, loadPlugin, run } from "../src/index.js";
import { exampleManifest, manifest, rejection, wasm } from "./helpers.js";

describe("numeric entries", () => {
  it("runs the calculator example: add(5, 3) = 8 and friends", async () => {
    const plugin = await loadPlugin(exampleManifest("calculator"), wasm("calculator"));
    expect(await plugin.execute("add", [5, 3])).toBe(8);
    expect(await plugin.execute("subtract", [5, 3])).toBe(2);
    expect(await plugin.execute("multiply", [-4, 3])).toBe(-12);
    expect(await plugin.execute("divide", [17, 5])).toBe(3);
    expect(await plugin.execute("power", [2, 10])).toBe(1024);
    expect(await plugin.execute("factorial", [10])).toBe(3628800);
    expect(await plugin.execute("factorial", [20])).toBe(2432902008176640000n);
    expect(await plugin.execute("factorial", [25n])).toBe(7034535277573963776n);
  });

  it("infers a manifest from the exports when none is given", async () => {
    expect(await run(wasm("numeric"), "add", [5, 3])).toBe(8);
    expect(await run(wasm("numeric"), "add64", [2n ** 60n, 1])).toBe(2n ** 60n + 1n);
    expect(await run(wasm("numeric"), "mulf32", [1.5, 2])).toBe(3);
    expect(await run(wasm("numeric"), "swap", [7, 9])).toEqual([9, 7]);
    expect(await run(wasm("numeric"), "nothing", [])).toBeNull();
  });

  it("range-checks parameters before the guest runs", async () => {
    const plugin = createPlugin(undefined, wasm("numeric"));
    for (const params of [[1], [1, 2, 3], ["1", 2], [1.5, 2], [2 ** 32, 0], [-(2 ** 31) - 1, 0], [null, 1]]) {
      await rejection(plugin.execute("add", params), "INVALID_INPUT");
    }
    await rejection(plugin.execute("add64", [2 ** 60, 1]), "INVALID_INPUT");
    await rejection(plugin.execute("add64", [2n ** 64n, 1]), "INVALID_INPUT");
    await rejection(plugin.execute("mulf32", [1n, 2]), "INVALID_INPUT");
    await rejection(plugin.execute("add", { a: 1 }), "INVALID_INPUT");
    expect(() => plugin.validateParameters("add", [1, "x"])).toThrow(/Parameter 1/);
    expect(() => plugin.validateParameters("add", [1, 2])).not.toThrow();
    expect(plugin.healthCheck().metrics.calls).toBe(0);
    // Unsigned i32 values are accepted and wrap like wasm does.
    expect(await plugin.execute("add", [4294967295, 1])).toBe(0);
  });

  it("gives the same results as calling the export directly (differential)", async () => {
    const raw = new WebAssembly.Instance(new WebAssembly.Module(wasm("numeric") as Uint8Array<ArrayBuffer>))
      .exports as Record<string, (...a: unknown[]) => unknown>;
    const plugin = createPlugin(undefined, wasm("numeric"), { keepAlive: true });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        async (a, b) => {
          expect(await plugin.execute("add", [a, b])).toBe(raw.add!(a, b));
        },
      ),
      { numRuns: 200 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        async (a, b) => {
          expect(BigInt((await plugin.execute("add64", [a, b])) as bigint)).toBe(raw.add64!(a, b));
        },
      ),
      { numRuns: 200 },
    );
    await fc.assert(
      fc.asyncProperty(fc.double(), fc.double(), async (a, b) => {
        expect(Object.is(await plugin.execute("divf64", [a, b]), raw.divf64!(a, b))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("gives each call a fresh instance unless keepAlive is set", async () => {
    const m = manifest("counter", [{ name: "bump", abi: "numeric" }]);
    const fresh = createPlugin(m, wasm("numeric"));
    expect([await fresh.execute("bump"), await fresh.execute("bump")]).toEqual([1, 1]);
    const kept = createPlugin(m, wasm("numeric"), { keepAlive: true });
    expect([await kept.execute("bump"), await kept.execute("bump"), await kept.execute("bump")]).toEqual([
      1, 2, 3,
    ]);
    expect(kept.healthCheck().metrics.instancesCreated).toBe(1);
  });

  it("rejects entry points that do not exist or do not fit their ABI", async () => {
    await rejection(() => createPlugin(manifest("missing", ["nope"]), wasm("numeric")), "NOT_FOUND");
    await rejection(
      () => createPlugin(manifest("wrong", [{ name: "add", abi: "json" }]), wasm("numeric")),
      "VALIDATION_FAILED",
    );
    const plugin = createPlugin(undefined, wasm("numeric"));
    await rejection(plugin.execute("subtract", [1, 2]), "NOT_FOUND");
  });
});
