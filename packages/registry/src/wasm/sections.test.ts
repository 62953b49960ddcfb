import { readSections, validateWasm } from "@wasm-sandbox/validator";
import { describe, expect, it } from "vitest";
import { thrown } from "../../test/helpers.js";
import { buildModule } from "../../test/module-builder.js";
import { appendCustomSection, readCustomSections, removeCustomSections } from "./sections.js";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("custom sections", () => {
  it("appends, reads and removes a section; the module stays valid", () => {
    const module = buildModule({ exports: ["a", "b"] });
    const data = bytes("x".repeat(300)); // a size that needs a two-byte LEB128
    const withSection = appendCustomSection(module, "wasm-sandbox.manifest", data);
    expect(validateWasm(withSection).valid).toBe(true);
    expect(readCustomSections(withSection, "wasm-sandbox.manifest")).toEqual([data]);
    expect(readCustomSections(withSection, "other")).toEqual([]);
    expect(
      Buffer.from(removeCustomSections(withSection, "wasm-sandbox.manifest")).equals(Buffer.from(module)),
    ).toBe(true);
    expect(readSections(withSection).map((s) => s.id)).toEqual([1, 3, 7, 10, 0]);
  });

  it("keeps other custom sections when removing one name", () => {
    const module = buildModule({ marker: "keep" });
    const twice = appendCustomSection(appendCustomSection(module, "n", bytes("1")), "n", bytes("2"));
    expect(readCustomSections(twice, "n").map((d) => new TextDecoder().decode(d))).toEqual(["1", "2"]);
    const stripped = removeCustomSections(twice, "n");
    expect(readCustomSections(stripped, "marker")).toEqual([bytes("keep")]);
    expect(stripped.length).toBe(module.length);
  });

  it("refuses bytes that are not a module, and broken framing, with INVALID_MODULE", () => {
    for (const bad of [
      new Uint8Array(0),
      bytes("not wasm at all"),
      Uint8Array.of(0, 0x61, 0x73, 0x6d, 2, 0, 0, 0),
      Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01),
      Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 50, 0),
      Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0, 2, 9, 0x61),
    ]) {
      const error = thrown(() => readCustomSections(bad, "x"));
      expect(error.code).toBe("INVALID_MODULE");
      expect(error.suggestion).toBeTruthy();
      expect(thrown(() => appendCustomSection(bad, "x", bytes("y"))).code).toBe("INVALID_MODULE");
    }
  });
});
