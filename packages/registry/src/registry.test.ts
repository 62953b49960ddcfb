import { describe, expect, it } from "vitest";
import { buildModule } from "../test/module-builder.js";
import { openRegistry } from "./registry.js";

const manifest = (id: string, version: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `${id} plugin`,
  version,
  entryPoints: [{ functionName: "run" }],
  ...extra,
});

describe("smoke", () => {
  it("registers and reads back", () => {
    const r = openRegistry({ path: ":memory:" });
    const wasm = buildModule();
    const res = r.registerPlugin(manifest("hello", "1.0.0"), wasm);
    expect(res.created).toBe(true);
    expect(r.getManifest("hello").version).toBe("1.0.0");
    expect(Buffer.from(r.getWasm("hello", "1.0.0")).equals(Buffer.from(wasm))).toBe(true);
    expect(r.searchPlugins({ text: "hello" })).toHaveLength(1);
    expect(r.listPlugins()).toHaveLength(1);
    r.close();
  });
});
