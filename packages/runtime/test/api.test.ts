import { exampleWasmPath } from "@wasm-sandbox/example-plugins";
import { describe, expect, it } from "vitest";
import {
  type CallEvent,
  createPlugin,
  loadPlugin,
  run,
  runWithTimeout,
  WasmPlugin,
  WasmSandbox,
} from "../src/index.js";
import { exampleManifest, manifest, rejection, wasm } from "./helpers.js";

describe("progressive API", () => {
  it("run() takes a path or bytes and infers the manifest", async () => {
    expect(await run(exampleWasmPath("calculator"), "add", [5, 3])).toBe(8);
    expect(await run(wasm("calculator"), "multiply", [6, 7])).toBe(42);
    expect(await runWithTimeout(wasm("calculator"), "add", [1, 2], "2s")).toBe(3);
    await rejection(run("/no/such/file.wasm", "add", [1, 2]), "NOT_FOUND");
    await rejection(run(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99]), "add", []), "INVALID_MODULE");
    await rejection(run(new Uint8Array([1, 2, 3]), "add", []), "INVALID_MODULE");
    await rejection(runWithTimeout(wasm("calculator"), "add", [1, 2], "soon"), "INVALID_UNIT");
    await rejection(
      runWithTimeout(wasm("calculator"), "add", [1, 2], "2s", { limits: { timeout: "1s" } }),
      "INVALID_ARGUMENT",
    );
    const started = performance.now();
    const timeout = await rejection(runWithTimeout(wasm("fuel-hog"), "spin", [], "300ms"), "TIMEOUT");
    expect(timeout.context.limitMs).toBe(300);
    expect(performance.now() - started).toBeGreaterThanOrEqual(299);
  });

  it("builder applies memory, fuel and timeout settings", async () => {
    const sandbox = await WasmSandbox.builder()
      .source(wasm("calculator"))
      .memoryLimit("2MiB")
      .fuel(1_000_000)
      .timeout("5s")
      .build();
    expect(await sandbox.call("add", [5, 3])).toBe(8);
    const context = (sandbox.plugin as InstanceType<typeof WasmPlugin>).context;
    expect(context.limits).toMatchObject({ memory: 32, fuel: 1_000_000, timeout: 5000 });
    await sandbox.close();
    await rejection(sandbox.call("add", [1, 1]), "INVALID_ARGUMENT");
    await rejection(WasmSandbox.builder().build(), "INVALID_ARGUMENT");
    await rejection(
      WasmSandbox.builder().source(wasm("calculator")).memoryLimit("3KiB").build(),
      "INVALID_ARGUMENT",
    );
  });

  it("loadPlugin rejects unknown options and bad limits with typed errors", async () => {
    const m = exampleManifest("calculator");
    await rejection(loadPlugin(m, wasm("calculator"), { sandboxed: false } as never), "INVALID_ARGUMENT");
    await rejection(loadPlugin(m, wasm("calculator"), { limits: { fuel: -1 } }), "INVALID_ARGUMENT");
    await rejection(loadPlugin(m, wasm("calculator"), { fuelSliceSize: 1 }), "INVALID_ARGUMENT");
    await rejection(loadPlugin({ ...m, id: "Bad Id" }, wasm("calculator")), "INVALID_MANIFEST");
    await rejection(loadPlugin(m, wasm("calculator"), { mounts: { "/data": "/tmp" } }), "INVALID_ARGUMENT");
    await rejection(loadPlugin(m, wasm("calculator"), { env: { MODE: "test" } }), "INVALID_ARGUMENT");
  });

  it("is a WasmPlugin with context, usage, events and health", async () => {
    const plugin = await loadPlugin(exampleManifest("calculator"), wasm("calculator"), {
      metadata: { tenant: "t1" },
    });
    expect(plugin).toBeInstanceOf(WasmPlugin);
    await plugin.initialize({ metadata: { phase: "warm" } });
    const events: CallEvent[] = [];
    const off = plugin.on("call", (event) => events.push(event));
    const { value, usage } = await plugin.executeWithUsage("add", [2, 2]);
    expect(value).toBe(4);
    expect(usage).toMatchObject({ outputBytes: 0, peakMemoryBytes: 65536 });
    expect(usage.wallTimeMs).toBeGreaterThanOrEqual(0);
    await rejection(plugin.execute("divide", [1, 0]), "TRAP");
    off();
    await plugin.execute("add", [1, 1]);
    expect(events.map((e) => [e.entry, e.ok, e.errorCode])).toEqual([
      ["add", true, undefined],
      ["divide", false, "TRAP"],
    ]);
    expect(events[0]).toMatchObject({
      pluginId: "examples/calculator",
      instanceId: plugin.instanceId,
      metadata: { tenant: "t1" },
    });
    const health = plugin.healthCheck();
    expect(health.status).toBe("Healthy");
    expect(health.metrics).toMatchObject({ calls: 3, failures: 1, consecutiveFailures: 0 });
    expect(health.timestamp).toBeInstanceOf(Date);
    await plugin.cleanup();
    expect(plugin.healthCheck().status).toBe("Error");
    await rejection(plugin.execute("add", [1, 1]), "INVALID_ARGUMENT");
  });

  it("reports Warning after a failure and Error after repeated failures", async () => {
    const plugin = createPlugin(undefined, wasm("traps"));
    await rejection(plugin.execute("unreachable"), "TRAP");
    expect(plugin.healthCheck().status).toBe("Warning");
    await rejection(plugin.execute("unreachable"), "TRAP");
    await rejection(plugin.execute("unreachable"), "TRAP");
    expect(plugin.healthCheck()).toMatchObject({ status: "Error", metrics: { consecutiveFailures: 3 } });
    await plugin.execute("ok");
    expect(plugin.healthCheck().status).toBe("Healthy");
  });

  it("reports Unresponsive after a timeout and emits the failed call's usage", async () => {
    const plugin = createPlugin(exampleManifest("fuel-hog"), wasm("fuel-hog"), {
      limits: { fuel: Number.MAX_SAFE_INTEGER, timeout: 100 },
    });
    const events: CallEvent[] = [];
    plugin.on("call", (event) => events.push(event));
    await rejection(plugin.execute("spin"), "TIMEOUT");
    expect(plugin.healthCheck().status).toBe("Unresponsive");
    expect(events[0]).toMatchObject({ entry: "spin", ok: false, errorCode: "TIMEOUT" });
    expect(events[0]!.usage.fuel).toBeGreaterThan(0);
    expect(events[0]!.durationMs).toBeGreaterThanOrEqual(99);
    await plugin.execute("burn", [1]);
    expect(plugin.healthCheck().status).toBe("Healthy");
  });

  it("executeSync runs without a Promise", () => {
    const plugin = createPlugin(manifest("sync", ["add"]), wasm("numeric"), { keepAlive: true });
    expect(plugin.executeSync("add", [20, 22])).toBe(42);
  });
});

describe("call context", () => {
  it("accepts the plugin's own ExecutionContext and per-call limits, refuses load-time limits", async () => {
    const plugin = createPlugin(exampleManifest("fuel-hog"), wasm("fuel-hog"));
    const context = (plugin as InstanceType<typeof WasmPlugin>).context;
    expect(context).toMatchObject({ instanceId: plugin.instanceId, manifest: { id: "examples/fuel-hog" } });
    expect(await plugin.execute("burn", [5], context)).toBe(5);
    await plugin.initialize(context);
    await rejection(plugin.initialize({ limits: { ...context.limits, memory: 1 } }), "INVALID_ARGUMENT");
    expect(
      await plugin.execute("burn", [5], { limits: { timeout: 2000 }, metadata: { requestId: "r1" } }),
    ).toBe(5);
    await rejection(plugin.execute("burn", [5], { limits: { memory: 1 } }), "INVALID_ARGUMENT");
    await rejection(plugin.execute("burn", [5], { limits: { fuel: -5 } }), "INVALID_ARGUMENT");
    await rejection(plugin.execute("burn", [5], { instanceId: "someone-else" }), "INVALID_ARGUMENT");
  });

  it("refuses what a context would have ignored", async () => {
    const plugin = createPlugin(exampleManifest("fuel-hog"), wasm("fuel-hog"));
    const { manifest } = plugin;
    // initialize runs the start function under the plugin's limits, not per-call ones
    await rejection(
      plugin.initialize({ limits: { ...plugin.context.limits, fuel: 10 } }),
      "INVALID_ARGUMENT",
    );
    // a limit outside `limits`, a look-alike manifest, an environment for a plugin without WASI
    await rejection(plugin.execute("burn", [5], { fuel: 10 } as never), "INVALID_ARGUMENT");
    const widened = { ...manifest, permissions: { ...manifest.permissions, hostFunctions: ["x"] } };
    await rejection(plugin.execute("burn", [5], { manifest: widened }), "INVALID_ARGUMENT");
    await rejection(plugin.execute("burn", [5], { environment: { MODE: "test" } }), "INVALID_ARGUMENT");
    await rejection(plugin.initialize({ environment: { MODE: "test" } }), "INVALID_ARGUMENT");
    expect(await plugin.execute("burn", [5], { manifest, environment: {} })).toBe(5);
  });
});
