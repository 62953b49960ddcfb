import { describe, expect, it } from "vitest";
import { minimalInstance } from "./schema-instance.js";

describe("minimalInstance", () => {
  it.each([
    [
      { type: "object", properties: { a: { type: "string" }, b: { type: "integer" } }, required: ["a"] },
      { a: "" },
    ],
    [
      {
        type: "object",
        properties: { n: { type: "integer", minimum: 3 }, s: { type: "string", minLength: 2 } },
        required: ["n", "s"],
      },
      { n: 3, s: "aa" },
    ],
    [{ type: "number", exclusiveMinimum: 0, maximum: 10 }, 1],
    [{ type: "integer", maximum: -5 }, -5],
    [{ type: "integer", minimum: 1, multipleOf: 4 }, 4],
    [{ enum: ["red", "green"] }, "red"],
    [{ const: 42 }, 42],
    [{ type: "array", items: { type: "boolean" }, minItems: 2 }, [false, false]],
    [{ type: ["null", "string"] }, ""],
    [{ type: "string", format: "email" }, "a@example.com"],
    [{ oneOf: [{ type: "string", pattern: "^x+$", minLength: 1 }, { type: "integer" }] }, 0],
    [
      {
        $defs: { p: { type: "object", required: ["x"], properties: { x: { const: 1 } } } },
        $ref: "#/$defs/p",
      },
      { x: 1 },
    ],
    [
      {
        $schema: "https://json-schema.org/draft/2020-12/schema",
        type: "array",
        prefixItems: [{ type: "integer" }, { type: "string" }],
        minItems: 2,
      },
      [0, ""],
    ],
  ])("derives a valid instance of %j", (schema, expected) => {
    expect(minimalInstance(schema)).toEqual({ value: expected });
  });

  it("returns undefined when no valid instance can be derived", () => {
    expect(minimalInstance({ type: "string", pattern: "^[0-9]{3}$" })).toBeUndefined();
    expect(minimalInstance({ not: {} })).toBeUndefined();
    expect(minimalInstance({ $ref: "#/nowhere" })).toBeUndefined();
  });
});
