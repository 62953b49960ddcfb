import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validManifestInput } from "../test/arbitraries.js";
import { toSnakeCaseManifest } from "./keys.js";
import { parseManifest } from "./parse.js";

const parsedOrFail = (input: unknown) => {
  const result = parseManifest(input);
  if (!result.success) throw new Error(`rejected: ${JSON.stringify(result.issues)}`);
  return result;
};

describe("round trip (property)", () => {
  it("accepts every generated valid manifest without warnings", () => {
    fc.assert(
      fc.property(validManifestInput, (input) => {
        expect(parsedOrFail(input).warnings).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("a parsed manifest survives JSON.stringify -> parseManifest unchanged", () => {
    fc.assert(
      fc.property(validManifestInput, (input) => {
        const { manifest } = parsedOrFail(input);
        expect(parsedOrFail(JSON.stringify(manifest)).manifest).toEqual(manifest);
      }),
      { numRuns: 300 },
    );
  });

  it("a parsed manifest survives snake_case serialisation -> parseManifest unchanged", () => {
    fc.assert(
      fc.property(validManifestInput, (input) => {
        const { manifest } = parsedOrFail(input);
        const snake = JSON.stringify(toSnakeCaseManifest(manifest));
        expect(snake).not.toContain('"entryPoints"');
        expect(parsedOrFail(snake).manifest).toEqual(manifest);
      }),
      { numRuns: 300 },
    );
  });

  it("JSON text and the equivalent object parse to the same manifest", () => {
    fc.assert(
      fc.property(validManifestInput, (input) => {
        expect(parsedOrFail(JSON.stringify(input)).manifest).toEqual(parsedOrFail(input).manifest);
      }),
      { numRuns: 100 },
    );
  });
});
