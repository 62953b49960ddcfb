import type { ResourceExhaustedError, TimeoutError } from "@wasm-sandbox/manifest";
import { describe, expect, it } from "vitest";
import { createPlugin, WasmSandbox } from "../src/index.js";
import { exampleManifest, exhaustion, manifest, rejection, wasm } from "./helpers.js";

const hog = (limits: Record<string, unknown>, keepAlive = false) =>
  createPlugin(exampleManifest("fuel-hog"), wasm("fuel-hog"), { limits, keepAlive });

describe("limits", () => {
  it("reports the fuel of every call, the same on every run", async () => {
    const plugin = hog({});
    await plugin.execute("burn", [1000]);
    const first = plugin.lastUsage!.fuel;
    await plugin.execute("burn", [1000]);
    expect(plugin.lastUsage!.fuel).toBe(first);
    await plugin.execute("burn", [2000]);
    expect(plugin.lastUsage!.fuel).toBeGreaterThan(first);
    expect(first).toBeGreaterThan(1000);
  });

  it("stops an infinite loop with RESOURCE_EXHAUSTED fuel, with limit and used", async () => {
    const plugin = hog({ fuel: 50_000, timeout: "10s" });
    const error = await exhaustion(plugin.execute("spin"), "fuel");
    expect(error.limit).toBe(50_000);
    expect(error.used).toBeGreaterThan(50_000);
    expect(error.context.entryPoint).toBe("spin");
    expect(plugin.lastUsage!.fuel).toBe(error.used);
    expect(await plugin.execute("burn", [10])).toBe(10);
  });

  it("stops an infinite loop on the main thread shortly after the deadline", async () => {
    const plugin = hog({ fuel: Number.MAX_SAFE_INTEGER, timeout: "200ms" });
    const started = performance.now();
    const error = (await rejection(plugin.execute("spin"), "TIMEOUT")) as TimeoutError;
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(199);
    // Generous margin for a noisy 2-core machine; the bench measures the real overshoot.
    expect(took).toBeLessThan(1500);
    expect(error.context.kind).toBe("call");
    expect(await plugin.execute("burn", [10])).toBe(10);
  });

  it("stops a start function that never returns", async () => {
    const plugin = createPlugin(undefined, wasm("start-loop"), { limits: { fuel: 100_000 } });
    await exhaustion(plugin.execute("run"), "fuel");
    const timed = createPlugin(undefined, wasm("start-loop"), {
      limits: { fuel: Number.MAX_SAFE_INTEGER, timeout: 100 },
    });
    await rejection(timed.execute("run"), "TIMEOUT");
  });

  it("enforces a lifetime fuel budget per instance, then starts afresh", async () => {
    const plugin = hog({ fuel: 1_000_000, instanceFuel: 100_000 }, true);
    await plugin.execute("burn", [2000]);
    const perCall = plugin.lastUsage!.fuel;
    let calls = 1;
    let error: ResourceExhaustedError | undefined;
    while (!error && calls < 20) {
      try {
        await plugin.execute("burn", [2000]);
        calls++;
      } catch (e) {
        error = e as ResourceExhaustedError;
      }
    }
    expect(error?.code).toBe("RESOURCE_EXHAUSTED");
    expect(error?.kind).toBe("fuel");
    expect(calls).toBe(Math.floor(100_000 / perCall));
    expect(await plugin.execute("burn", [2000])).toBe(2000);
    expect(plugin.healthCheck().resourceUsage.instanceFuel).toBe(perCall);
  });

  it("enforces totalTimeout over an instance's calls", async () => {
    const plugin = hog({ fuel: Number.MAX_SAFE_INTEGER, timeout: "1s", totalTimeout: "300ms" }, true);
    const started = performance.now();
    let error: TimeoutError | undefined;
    for (let i = 0; i < 100 && !error; i++) {
      try {
        await plugin.execute("burn", [20_000_000]);
      } catch (e) {
        error = e as TimeoutError;
      }
    }
    expect(error?.code).toBe("TIMEOUT");
    expect(error?.context.kind).toBe("total");
    expect(error?.limitMs).toBe(300);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(await plugin.execute("burn", [10])).toBe(10);
  });

  it("caps memory: growth is refused at the limit, an allocator abort there is RESOURCE_EXHAUSTED memory", async () => {
    const plugin = createPlugin(exampleManifest("memory-hog"), wasm("memory-hog"));
    expect(await plugin.execute("grow_until_refused")).toBe(32);
    expect(plugin.lastUsage!.peakMemoryBytes).toBe(2 * 1024 * 1024);
    const error = await exhaustion(plugin.execute("grow_or_die"), "memory");
    expect(error.limit).toBe(2 * 1024 * 1024);
    expect(await plugin.execute("grow_until_refused")).toBe(32);
  });

  it("provides imported memory with the cap as its maximum", async () => {
    const sandbox = await WasmSandbox.builder().source(wasm("imported-memory")).memoryLimit("1MiB").build();
    expect(await sandbox.call("grow_all")).toBe(16);
  });

  it("caps tables", async () => {
    const plugin = createPlugin(manifest("tables", ["grow", "ok"]), wasm("table-bomb"), {
      limits: { tableElements: 5000 },
    });
    expect(await plugin.execute("grow")).toBe(4001);
    await exhaustion(() => createPlugin(undefined, wasm("table-huge")), "table");
  });

  it("applies per-call limits from the call context", async () => {
    const plugin = hog({ fuel: 10_000_000 });
    await rejection(plugin.execute("burn", [100_000], { limits: { fuel: 1000 } }), "RESOURCE_EXHAUSTED");
    expect(await plugin.execute("burn", [100_000])).toBe(100_000);
  });
});
