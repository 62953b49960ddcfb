import { describe, expect, it } from "vitest";
import { createPlugin, type LogEvent } from "../src/index.js";
import { exampleManifest, manifest, rejection, wasm } from "./helpers.js";

describe("json entries", () => {
  const text = () => createPlugin(exampleManifest("text-processor"), wasm("text-processor"));
  const transform = () => createPlugin(exampleManifest("json-transform"), wasm("json-transform"));

  it("runs the text processor over JSON", async () => {
    const plugin = text();
    expect(await plugin.execute("word_count", ["one two\nthree  four"])).toEqual({
      words: 4,
      characters: 19,
      lines: 2,
    });
    expect(await plugin.execute("uppercase", ["héllo wörld"])).toBe("HÉLLO WÖRLD");
    expect(await plugin.execute("reverse_words", ["a b c"])).toBe("c b a");
    const usage = plugin.lastUsage!;
    expect(usage.outputBytes).toBe(7);
    expect(usage.peakMemoryBytes).toBeGreaterThanOrEqual(65536);
  });

  it("runs the JSON transform", async () => {
    const plugin = transform();
    expect(await plugin.execute("pick", [{ a: 1, b: "x", c: [true, null] }, ["c", "a", "zz"]])).toEqual({
      c: [true, null],
      a: 1,
    });
    expect(await plugin.execute("flatten", [{ a: { b: { c: 1 }, d: 'e"q' }, f: [] }])).toEqual({
      "a.b.c": 1,
      "a.d": 'e"q',
      f: [],
    });
    expect(await plugin.execute("stats", [[1, 2, 3, 4.5]])).toEqual({
      count: 4,
      sum: 10.5,
      min: 1,
      max: 4.5,
      mean: 2.625,
    });
  });

  it("checks inputSchema before the guest runs", async () => {
    const plugin = text();
    const error = await rejection(plugin.execute("word_count", [42]), "INVALID_INPUT");
    expect(error.message).toMatch(/inputSchema/);
    await rejection(plugin.execute("word_count", ["a", "b"]), "INVALID_INPUT");
    await rejection(plugin.execute("word_count", "not an array"), "INVALID_INPUT");
    expect(plugin.lastUsage).toBeUndefined();
  });

  it("turns a guest-reported error into PLUGIN_ERROR with the guest's message", async () => {
    const plugin = transform();
    const error = await rejection(plugin.execute("stats", [[]]), "PLUGIN_ERROR");
    expect(error.message).toBe("stats needs at least one number");
    // The instance survives a plugin error: the next call works.
    expect(await plugin.execute("stats", [[2]])).toMatchObject({ count: 1, mean: 2 });
  });

  it("checks results against outputSchema", async () => {
    const m = manifest("echo", [
      { name: "echo", abi: "json", extra: { outputSchema: { type: "array", maxItems: 1 } } },
    ]);
    const plugin = createPlugin(m, wasm("echo"));
    expect(await plugin.execute("echo", [1])).toEqual([1]);
    const error = await rejection(plugin.execute("echo", [1, 2]), "PLUGIN_ERROR");
    expect(error.message).toMatch(/outputSchema/);
  });

  it("round-trips large payloads through the echo guest", async () => {
    const plugin = createPlugin(undefined, wasm("echo"));
    const big = ["x".repeat(200_000), { nested: Array.from({ length: 1000 }, (_, i) => i) }];
    expect(await plugin.execute("echo", big)).toEqual(big);
  });

  it("decodes UTF-8 output split across writes", async () => {
    const plugin = createPlugin(undefined, wasm("split-output"));
    expect(await plugin.execute("split")).toBe("héllo €");
    // A sequence cut off for good becomes U+FFFD rather than failing the host.
    expect(await plugin.execute("truncated")).toBe("h\uFFFD");
  });

  it("delivers log lines to listeners, bounded by maxLog", async () => {
    const plugin = text();
    const lines: LogEvent[] = [];
    plugin.on("log", (line) => lines.push(line));
    await plugin.execute("word_count", ["x"]);
    expect(lines).toEqual([
      expect.objectContaining({ level: "info", message: "counted words", entry: "word_count" }),
    ]);
    expect(plugin.lastUsage!.logBytes).toBe("counted words".length);
  });

  it("streams emitted items", async () => {
    const plugin = text();
    const items: unknown[] = [];
    for await (const item of plugin.stream("split_words", ["alpha beta gamma"])) items.push(item);
    expect(items).toEqual(["alpha", "beta", "gamma"]);
    expect(await plugin.execute("split_words", ["one two"])).toEqual(["one", "two"]);
    const stream = createPlugin(
      manifest("stream", [
        { name: "three", abi: "json", extra: { supportsStreaming: true } },
        { name: "fails", abi: "json", extra: { supportsStreaming: true } },
      ]),
      wasm("stream"),
    );
    const got: unknown[] = [];
    for await (const item of stream.stream("three")) got.push(item);
    expect(got).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    const partial: unknown[] = [];
    await rejection(async () => {
      for await (const item of stream.stream("fails")) partial.push(item);
    }, "PLUGIN_ERROR");
    expect(partial).toEqual([{ n: 1 }]);
  });
});
