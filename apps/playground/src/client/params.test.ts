import { describe, expect, it } from "vitest";
import { exampleFor, initialParams } from "./params.js";

describe("initial parameters", () => {
  it("prefers the schema's own example", () => {
    expect(initialParams({ inputSchema: { type: "array", examples: [[5, 3]] } })).toBe("[5,3]");
  });

  it("builds a value of the right shape otherwise", () => {
    const schema = {
      type: "array",
      prefixItems: [{ type: "integer" }, { type: "object", properties: { text: { type: "string" } } }],
    };
    expect(exampleFor(schema)).toEqual([0, { text: "hello wasm sandbox" }]);
    expect(exampleFor({ type: "array", items: { type: "number", minimum: 1 }, minItems: 2 })).toEqual([1, 1]);
  });

  it("uses sample numbers for a numeric export without a schema", () => {
    expect(initialParams({ abi: "numeric" }, { params: ["i32", "i32"] })).toBe("[5,3]");
    expect(initialParams({}, { params: [] })).toBe("[]");
  });

  it("falls back by entry kind", () => {
    expect(initialParams({})).toBe("[]");
    expect(initialParams({ abi: "command" })).toBe('{"args":[],"stdin":""}');
  });
});
