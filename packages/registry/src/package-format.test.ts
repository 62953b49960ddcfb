import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ErrorCode } from "@wasm-sandbox/manifest";
import { describe, expect, it } from "vitest";
import { closing, manifest, tempDir } from "../test/helpers.js";
import { buildModule } from "../test/module-builder.js";
import { MANIFEST_SECTION, packPlugin, readPluginDirectory, unpackPlugin } from "./package-format.js";
import { openRegistry } from "./registry.js";
import { exportPlugin, importPlugin } from "./transfer.js";
import { appendCustomSection } from "./wasm/sections.js";

const track = closing();

describe("packed .wasm", () => {
  it("round-trips manifest and module; packing twice replaces the section", () => {
    const wasm = buildModule();
    const m = manifest("packed", "1.0.0", { tags: ["a"], limits: { memory: "2MiB" } });
    const packed = packPlugin(m, wasm);
    expect(packPlugin(m, packed)).toEqual(packed);
    const { manifest: out, wasm: module } = unpackPlugin(packed);
    expect(out).toMatchObject({ id: "packed", version: "1.0.0", tags: ["a"], limits: { memory: 32 } });
    expect(Buffer.from(module).equals(Buffer.from(wasm))).toBe(true);
  });

  it("refuses modules without, with two, or with a broken manifest section", () => {
    const wasm = buildModule();
    expect(() => unpackPlugin(wasm)).toThrowError(
      expect.objectContaining({ code: ErrorCode.INVALID_MANIFEST }),
    );
    const one = new TextEncoder().encode(JSON.stringify(manifest("x", "1.0.0")));
    const two = appendCustomSection(appendCustomSection(wasm, MANIFEST_SECTION, one), MANIFEST_SECTION, one);
    expect(() => unpackPlugin(two)).toThrowError(
      expect.objectContaining({ code: ErrorCode.INVALID_MANIFEST }),
    );
    const notJson = appendCustomSection(wasm, MANIFEST_SECTION, new TextEncoder().encode("{oops"));
    expect(() => unpackPlugin(notJson)).toThrowError(
      expect.objectContaining({ code: ErrorCode.INVALID_MANIFEST }),
    );
    const notUtf8 = appendCustomSection(wasm, MANIFEST_SECTION, Uint8Array.of(0xff, 0xfe));
    expect(() => unpackPlugin(notUtf8)).toThrowError(
      expect.objectContaining({ code: ErrorCode.INVALID_MANIFEST }),
    );
    expect(() => unpackPlugin(new Uint8Array(3))).toThrowError(
      expect.objectContaining({ code: "INVALID_MODULE" }),
    );
  });
});

describe("import and export", () => {
  it("exports to a packed file and a directory and imports both into another registry, bytes identical", async () => {
    const dir = tempDir();
    const source = track(openRegistry({ path: ":memory:" }));
    const wasm = buildModule({ exports: ["run", "other"] });
    const registered = source.registerPlugin(
      manifest("acme/port", "1.2.3", {
        description: "travels",
        dependencies: [{ name: "lib", versionRequirement: "^1.0.0" }],
      }),
      wasm,
    );
    await exportPlugin(source, "acme/port", "1.2.3", join(dir, "port.wasm"));
    await exportPlugin(source, "acme/port", "^1.0.0", join(dir, "port-dir"), { format: "directory" });
    expect(JSON.parse(readFileSync(join(dir, "port-dir", "plugin.json"), "utf8")).description).toBe(
      "travels",
    );

    const fromFile = track(openRegistry({ path: ":memory:" }));
    expect((await importPlugin(fromFile, join(dir, "port.wasm"))).digest).toBe(registered.digest);
    const fromDir = track(openRegistry({ path: ":memory:" }));
    expect((await importPlugin(fromDir, join(dir, "port-dir"))).digest).toBe(registered.digest);
    for (const r of [fromFile, fromDir]) {
      expect(r.getManifest("acme/port")).toEqual(source.getManifest("acme/port"));
      expect(Buffer.from(r.getWasm("acme/port", "1.2.3")).equals(Buffer.from(wasm))).toBe(true);
    }
    // Importing the same plugin again is the identical-registration no-op.
    expect((await importPlugin(fromFile, join(dir, "port-dir"))).created).toBe(false);
  });

  it("reports missing files and bad manifests with typed errors", async () => {
    const dir = tempDir();
    const r = track(openRegistry({ path: ":memory:" }));
    await expect(importPlugin(r, join(dir, "nothing-here"))).rejects.toMatchObject({
      code: ErrorCode.NOT_FOUND,
    });
    mkdirSync(join(dir, "half"));
    writeFileSync(join(dir, "half", "plugin.json"), JSON.stringify(manifest("half", "1.0.0")));
    await expect(readPluginDirectory(join(dir, "half"))).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
    writeFileSync(join(dir, "half", "plugin.wasm"), buildModule());
    writeFileSync(join(dir, "half", "plugin.json"), '{"id": "half"');
    await expect(importPlugin(r, join(dir, "half"))).rejects.toMatchObject({
      code: ErrorCode.INVALID_MANIFEST,
    });
    writeFileSync(join(dir, "plain.wasm"), buildModule());
    await expect(importPlugin(r, join(dir, "plain.wasm"))).rejects.toMatchObject({
      code: ErrorCode.INVALID_MANIFEST,
    });
    await expect(
      exportPlugin(r, "half", "1.0.0", join(dir, "x"), { format: "zip" as "wasm" }),
    ).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
    expect(r.listPlugins()).toEqual([]);
  });
});
