import { describe, expect, it } from "vitest";
import { closing, manifest } from "../test/helpers.js";
import { buildModule } from "../test/module-builder.js";
import { openRegistry } from "./registry.js";

const track = closing();

describe("10,000 versions of one plugin", () => {
  it("registers them all and still answers ranges, search, dependencies and removal correctly", () => {
    const r = track(openRegistry({ path: ":memory:" }));
    const wasm = buildModule();
    for (let major = 0; major < 10; major++) {
      for (let minor = 0; minor < 100; minor++) {
        for (let patch = 0; patch < 10; patch++) {
          r.registerPlugin(manifest("many", `${major}.${minor}.${patch}`, { tags: [`m${major}`] }), wasm);
        }
      }
    }
    r.registerPlugin(
      manifest("user", "1.0.0", { dependencies: [{ name: "many", versionRequirement: ">=3.5.0 <3.50.0" }] }),
      wasm,
    );
    expect(r.getManifest("many").version).toBe("9.99.9");
    expect(r.getManifest("many", "~4.10.0").version).toBe("4.10.9");
    expect(r.getManifest("many", "<0.0.3").version).toBe("0.0.2");
    expect(r.getManifest("many", "5.55.5").version).toBe("5.55.5");
    const [listed] = r.listPlugins();
    expect(listed!.versions).toHaveLength(10_000);
    expect(listed!.versions.slice(0, 3)).toEqual(["0.0.0", "0.0.1", "0.0.2"]);
    expect(r.searchPlugins({ text: "many", tags: ["m7"] }).map((h) => h.version)).toEqual(["7.99.9"]);
    expect(r.searchPlugins({ text: "many", minVersion: "9.99.9" }).map((h) => h.version)).toEqual(["9.99.9"]);
    expect(r.getDependencies("user").order.map((p) => `${p.id}@${p.version}`)).toEqual([
      "many@3.49.9",
      "user@1.0.0",
    ]);
    expect(r.unregisterPlugin("many", "3.49.9").versions).toEqual(["3.49.9"]);
    expect(r.getDependencies("user").order[0]!.version).toBe("3.49.8");
  }, 120_000);
});
