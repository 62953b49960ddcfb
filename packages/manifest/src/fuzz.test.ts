import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validManifestInput } from "../test/arbitraries.js";
import { toSnakeCaseManifest } from "./keys.js";
import { parseManifest } from "./parse.js";

/** A valid manifest with one value somewhere replaced by arbitrary data. */
const corruptedManifest = fc
  .tuple(validManifestInput, fc.nat(), fc.anything({ maxDepth: 2 }))
  .map(([input, pick, junk]) => {
    const copy = JSON.parse(JSON.stringify(input)) as Record<string, unknown>;
    const holders: Record<string, unknown>[] = [];
    const stack: unknown[] = [copy];
    while (stack.length > 0) {
      const node = stack.pop();
      if (typeof node === "object" && node !== null) {
        holders.push(node as Record<string, unknown>);
        stack.push(...Object.values(node));
      }
    }
    const holder = holders[pick % holders.length]!;
    const keys = Object.keys(holder);
    if (keys.length > 0) holder[keys[pick % keys.length]!] = junk;
    return copy;
  });

function expectWellFormed(result: ReturnType<typeof parseManifest>) {
  if (result.success) return;
  expect(result.issues.length).toBeGreaterThan(0);
  for (const issue of result.issues) {
    expect(typeof issue.code).toBe("string");
    expect(typeof issue.message).toBe("string");
    expect(Array.isArray(issue.path)).toBe(true);
  }
}

describe("parseManifest never throws (property)", () => {
  it("for arbitrary values", () => {
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withMap: true, withSet: true, withDate: true }),
        (value) => {
          expectWellFormed(parseManifest(value));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("for arbitrary strings and JSON texts", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        expectWellFormed(parseManifest(text));
      }),
      { numRuns: 300 },
    );
  });

  it("for valid manifests with one value replaced by junk, leaving Object.prototype clean", () => {
    fc.assert(
      fc.property(corruptedManifest, (input) => {
        expectWellFormed(parseManifest(input));
        expectWellFormed(parseManifest(JSON.stringify(input)));
      }),
      { numRuns: 300 },
    );
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});

describe("snake_case input (property)", () => {
  it("a manifest written in snake_case parses to the same manifest as in camelCase", () => {
    fc.assert(
      fc.property(validManifestInput, (input) => {
        const camel = parseManifest(input);
        const snake = parseManifest(JSON.stringify(toSnakeCaseManifest(input)));
        expect(camel.success && snake.success).toBe(true);
        if (camel.success && snake.success) expect(snake.manifest).toEqual(camel.manifest);
      }),
      { numRuns: 200 },
    );
  });
});
