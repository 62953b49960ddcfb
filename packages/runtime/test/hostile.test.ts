import type { TrapError } from "@wasm-sandbox/manifest";
import { describe, expect, it } from "vitest";
import { createPlugin, loadPlugin } from "../src/index.js";
import { wat } from "../src/instrument/wat.testutil.js";
import { exampleManifest, exhaustion, manifest, rejection, wasm } from "./helpers.js";

// Every hostile module gets its typed error, the host keeps running, and the next call works.

describe("hostile plugins", () => {
  it("stops runaway recursion as RESOURCE_EXHAUSTED stack", async () => {
    const plugin = createPlugin(manifest("rec", ["recurse", "ok"]), wasm("recursion-bomb"));
    const error = await exhaustion(plugin.execute("recurse", [0]), "stack");
    expect(error.context).toMatchObject({ entryPoint: "recurse", instanceId: plugin.instanceId });
    expect(await plugin.execute("ok")).toBe(1);
  });

  it.each([
    ["unreachable", [], "unreachable"],
    ["out_of_bounds", [], "out-of-bounds"],
    ["divide_by_zero", [0], "divide-by-zero"],
    ["integer_overflow", [], "integer-overflow"],
    ["invalid_conversion", [], "invalid-conversion"],
    ["indirect_mismatch", [], "indirect-call-type-mismatch"],
  ])("maps the %s trap to TRAP %s and recovers", async (entry, params, trapKind) => {
    const plugin = createPlugin(undefined, wasm("traps"), { keepAlive: true });
    const error = await rejection(plugin.execute(entry, params), "TRAP");
    expect((error as TrapError).trapKind).toBe(trapKind);
    expect(plugin.healthCheck().metrics.lastErrorCode).toBe("TRAP");
    expect(await plugin.execute("ok")).toBe(1);
    expect(plugin.lastUsage?.freshInstance).toBe(true);
  });

  it("reports the calculator's divide by zero as a trap", async () => {
    const plugin = await loadPlugin(exampleManifest("calculator"), wasm("calculator"));
    const error = await rejection(plugin.execute("divide", [1, 0]), "TRAP");
    expect((error as TrapError).trapKind).toBe("divide-by-zero");
    expect(await plugin.execute("add", [5, 3])).toBe(8);
  });

  it("bounds 1 GB of output and of logs", async () => {
    const m = manifest("bomb", [
      { name: "flood_output", abi: "json" },
      { name: "flood_log", abi: "json" },
      { name: "ok", abi: "numeric" },
    ]);
    const plugin = createPlugin(m, wasm("output-bomb"), { limits: { maxOutput: "1MiB", maxLog: "256KiB" } });
    const output = await exhaustion(plugin.execute("flood_output"), "output");
    expect(output.limit).toBe(1024 * 1024);
    expect(output.used).toBeGreaterThan(output.limit);
    const log = await exhaustion(plugin.execute("flood_log"), "log");
    expect(log.limit).toBe(256 * 1024);
    expect(await plugin.execute("ok")).toBe(1);
  });

  it("never reads or writes outside guest memory", async () => {
    const m = manifest("over", [
      { name: "overread", abi: "json" },
      { name: "overwrite", abi: "json" },
      { name: "negative_pointer", abi: "json" },
      { name: "ok", abi: "numeric" },
    ]);
    const plugin = createPlugin(m, wasm("input-overread"));
    const read = (await rejection(plugin.execute("overread", ["a long enough input"]), "TRAP")) as TrapError;
    expect(read.trapKind).toBe("out-of-bounds");
    expect(read.context).toMatchObject({ pointer: 65534, memoryBytes: 65536 });
    const write = (await rejection(plugin.execute("overwrite"), "TRAP")) as TrapError;
    expect(write.trapKind).toBe("out-of-bounds");
    const negative = (await rejection(plugin.execute("negative_pointer"), "TRAP")) as TrapError;
    expect(negative.context).toMatchObject({ pointer: 2 ** 32 - 16 });
    expect(await plugin.execute("ok")).toBe(1);
  });

  it("refuses undeclared host imports, WASI without permission (strict), unknown and reserved imports at link time", async () => {
    const host = await rejection(() => createPlugin(undefined, wasm("undeclared-host")), "LINK_ERROR");
    expect(host.message).toMatch(/host\.read_secret/);
    expect(host.context).toMatchObject({
      import: "host.read_secret",
      permission: "permissions.hostFunctions",
    });
    const wasi = await rejection(
      () =>
        createPlugin(manifest("wasi", [{ name: "_start", abi: "command" }]), wasm("wasi-unpermitted"), {
          strictWasi: true,
        }),
      "LINK_ERROR",
    );
    expect(wasi.message).toMatch(/wasi_snapshot_preview1\.path_open/);
    const unknown = await rejection(() => createPlugin(undefined, wasm("unknown-import")), "LINK_ERROR");
    expect(unknown.message).toMatch(/env\.mystery/);
    expect(unknown.suggestion).toMatch(/permissions\.hostFunctions/);
    const reserved = await rejection(() => createPlugin(undefined, wasm("reserved-import")), "LINK_ERROR");
    expect(reserved.message).toMatch(/__wasm_sandbox/);
  });

  it("refuses sandbox imports named after Object.prototype members as LINK_ERROR", async () => {
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      const bytes = await wat(`(module (import "sandbox" "${name}" (func)) (func (export "run")))`);
      const error = await rejection(() => createPlugin(undefined, bytes), "LINK_ERROR");
      expect(error.context.import).toBe(`sandbox.${name}`);
    }
  });

  it("keeps its verdict when the guest catches the sandbox's exceptions", async () => {
    const m = manifest("evade", [
      { name: "evade_meter", abi: "json" },
      { name: "evade_output", abi: "json" },
    ]);
    const plugin = createPlugin(m, wasm("evade-catch"), { limits: { fuel: 100_000, maxOutput: "128KiB" } });
    await exhaustion(plugin.execute("evade_meter"), "fuel");
    const output = await exhaustion(plugin.execute("evade_output"), "output");
    expect(output.limit).toBe(128 * 1024);
  });

  it("reports a trapping start function as TRAP on every call, without harming the host", async () => {
    const plugin = createPlugin(undefined, wasm("start-trap"));
    for (let i = 0; i < 2; i++) {
      const error = (await rejection(plugin.execute("run"), "TRAP")) as TrapError;
      expect(error.trapKind).toBe("start-function");
      expect(error.context.startTrapKind).toBe("unreachable");
    }
    await rejection(plugin.initialize(), "TRAP");
  });

  it("fails cleanly when a data segment lies beyond memory", async () => {
    const plugin = createPlugin(undefined, wasm("data-beyond-cap"));
    const error = (await rejection(plugin.execute("run"), "TRAP")) as TrapError;
    expect(error.context.startTrapKind).toBe("out-of-bounds");
  });

  it("refuses memory declared above the cap at load", async () => {
    await exhaustion(() => createPlugin(undefined, wasm("memory-min-over-cap")), "memory");
    const raised = createPlugin(undefined, wasm("memory-min-over-cap"), { limits: { memory: 2000 } });
    expect(await raised.execute("run")).toBe(1);
  });
});
