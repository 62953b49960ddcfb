import { describe, expect, it } from "vitest";
import { examplePlugins, loadExampleWasm } from "./index.js";

describe("example plugins", () => {
  it("lists each plugin with its manifest and a compiled module that the engine accepts", async () => {
    const plugins = examplePlugins();
    expect(plugins.map((p) => p.name)).toEqual([
      "calculator",
      "fuel-hog",
      "json-transform",
      "memory-hog",
      "text-processor",
    ]);
    for (const plugin of plugins) {
      expect(plugin.id).toBe(`examples/${plugin.name}`);
      const bytes = await loadExampleWasm(plugin.name);
      expect(WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>)).toBe(true);
    }
  });

  it("calculator.add computes 5 + 3 = 8 when run directly", async () => {
    const module = new WebAssembly.Module((await loadExampleWasm("calculator")) as Uint8Array<ArrayBuffer>);
    const instance = new WebAssembly.Instance(module);
    const add = instance.exports.add as (a: number, b: number) => number;
    expect(add(5, 3)).toBe(8);
  });

  it("rejects names that could escape the build directory", async () => {
    await expect(loadExampleWasm("../secret")).rejects.toThrow(/Not an example name/);
    await expect(loadExampleWasm("missing-plugin")).rejects.toThrow(/not built/);
  });
});
