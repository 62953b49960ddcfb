import { ErrorCode, SandboxError } from "@wasm-sandbox/manifest";
import { describe, expect, it } from "vitest";
import { fixture, instantiate, manifest } from "../test/helpers.js";
import { benchmark } from "./benchmark.js";

type Exports = Record<string, unknown>;

/** A real wasm instance behind the structural { manifest, execute } shape (no runtime involved). */
function wasmPlugin(bytes: Uint8Array, m: unknown) {
  const exports: Exports = instantiate(bytes);
  const memory = exports.memory as { buffer: ArrayBuffer };
  const calls: [string, unknown][] = [];
  return {
    calls,
    manifest: m,
    execute(entry: string, params: unknown) {
      calls.push([entry, params]);
      return (exports[entry] as (...a: unknown[]) => unknown)(...(params as unknown[]));
    },
    get lastUsage() {
      return { peakMemoryBytes: memory.buffer.byteLength };
    },
  };
}

describe("benchmark", () => {
  it("measures numeric entries with parameters derived from the module's signatures", async () => {
    const plugin = wasmPlugin(
      fixture("numeric"),
      manifest([{ functionName: "add" }, { functionName: "scale" }]),
    );
    const result = await benchmark(plugin, { module: fixture("numeric"), iterations: 15, warmup: 2 });
    expect(Object.keys(result.entryPoints)).toEqual(["add"]);
    const add = result.entryPoints.add!;
    expect(add).toMatchObject({
      iterations: 15,
      memorySource: "plugin",
      memoryUsage: 65536,
      inputSource: "signature",
    });
    expect(add.avgExecutionTime).toBeGreaterThanOrEqual(0);
    expect(add.p95ExecutionTime).toBeGreaterThanOrEqual(add.avgExecutionTime * 0);
    expect(add.throughput).toBeGreaterThan(0);
    expect(plugin.calls[0]).toEqual(["add", [2, 2]]);
    expect(plugin.calls.find((c) => c[0] === "scale")).toEqual(["scale", [1.5, 2]]);
    // Small numbers follow the runtime's convention (i64 as a safe integer); a raw instance wants a BigInt.
    expect(result.skipped.scale).toMatch(/^the call failed \(.*BigInt/);
    expect(result.performanceScore).toBeGreaterThan(0);
    expect(result.memoryScore).toBe(100 - Math.round((65536 / (160 * 65536)) * 100));
    // 1 page of 160 is under 10% of the limit: the report says so.
    expect(result.optimizations.some((o) => /least privilege/.test(o))).toBe(true);
  });

  it("skips entries with no derivable input and says why", async () => {
    const plugin = wasmPlugin(
      fixture("numeric"),
      manifest([
        { functionName: "add" },
        { functionName: "run", abi: "json" },
        { functionName: "pattern", inputSchema: { type: "string", pattern: "^[0-9]{4}$" } },
      ]),
    );
    const result = await benchmark(plugin, { iterations: 2, warmup: 0 });
    expect(result.entryPoints).toEqual({});
    expect(result.skipped.add).toMatch(/no inputSchema, no options.inputs and no known signature/);
    expect(result.skipped.run).toMatch(/no inputSchema/);
    expect(result.skipped.pattern).toMatch(/inputSchema/);
  });

  it("derives a minimal valid input from inputSchema, accepts async execute, reports failed calls as skipped", async () => {
    const seen: unknown[] = [];
    const plugin = {
      manifest: manifest([
        {
          functionName: "greet",
          abi: "json",
          inputSchema: {
            type: "object",
            required: ["name", "times"],
            properties: { name: { type: "string", minLength: 1 }, times: { type: "integer", minimum: 1 } },
          },
        },
        { functionName: "broken", abi: "json", inputSchema: { type: "object" } },
      ]),
      async execute(entry: string, params: unknown) {
        seen.push(params);
        if (entry === "broken") throw new SandboxError(ErrorCode.TRAP, "unreachable executed");
        return { hello: params };
      },
    };
    const result = await benchmark(plugin, { iterations: 3, warmup: 1 });
    expect(seen[0]).toEqual({ name: "a", times: 1 });
    expect(result.entryPoints.greet).toMatchObject({
      inputSource: "inputSchema",
      memorySource: "heap-delta",
      iterations: 3,
    });
    expect(result.skipped.broken).toBe("the call failed (TRAP: unreachable executed)");
  });

  it("uses options.inputs, cycling through them", async () => {
    const plugin = wasmPlugin(fixture("numeric"), manifest([{ functionName: "add", abi: "numeric" }]));
    await benchmark(plugin, {
      inputs: {
        add: [
          [1, 2],
          [3, 4],
        ],
      },
      iterations: 4,
      warmup: 0,
    });
    expect(plugin.calls.map((c) => c[1])).toEqual([
      [1, 2],
      [3, 4],
      [1, 2],
      [3, 4],
    ]);
  });

  it("scores slow entries against their category and suggests a better one", async () => {
    const plugin = {
      manifest: manifest([
        { functionName: "slow", executionCategory: "Instant", inputSchema: { type: "null" } },
      ]),
      execute: () => new Promise((resolve) => setTimeout(resolve, 15)),
    };
    const result = await benchmark(plugin, { iterations: 3, warmup: 0 });
    expect(result.entryPoints.slow!.p95ExecutionTime).toBeGreaterThanOrEqual(10);
    expect(result.performanceScore).toBeLessThan(20);
    expect(result.optimizations[0]).toMatch(
      /over the 1 ms budget of "Instant": speed it up or declare executionCategory "(Standard|Fast)"/,
    );
  });

  it("gives up on a call that never settles instead of hanging", async () => {
    const plugin = {
      manifest: manifest([{ functionName: "stuck", inputSchema: { type: "null" } }]),
      execute: () => new Promise(() => {}),
    };
    const result = await benchmark(plugin, { iterations: 1, warmup: 0, callTimeoutMs: 50 });
    expect(result.skipped.stuck).toMatch(/did not settle within 50 ms/);
  });

  it("throws INVALID_ARGUMENT for something that is not a plugin", async () => {
    await expect(benchmark({} as never)).rejects.toSatisfy((e) =>
      SandboxError.is(e, ErrorCode.INVALID_ARGUMENT),
    );
    await expect(benchmark({ manifest: { id: 1 }, execute: () => 0 })).rejects.toSatisfy((e) =>
      SandboxError.is(e, ErrorCode.INVALID_ARGUMENT),
    );
  });
});
