import { describe, expect, it } from "vitest";
import { checkNumericParams, isNumericSignature, numericResult } from "./numeric.js";

describe("numeric ABI", () => {
  it("accepts in-range values and converts i64 to bigint", () => {
    const params = [1, -1];
    expect(checkNumericParams("f", ["i32", "i32"], params)).toBe(params);
    expect(checkNumericParams("f", ["i64", "f64"], [5, 0.5])).toEqual([5n, 0.5]);
    expect(checkNumericParams("f", ["i64"], [2n ** 64n - 1n])).toEqual([2n ** 64n - 1n]);
  });

  it("rejects wrong counts, types and ranges with INVALID_INPUT", () => {
    for (const [types, params] of [
      [["i32"], []],
      [["i32"], [2 ** 32]],
      [["i32"], [0.5]],
      [["i64"], [2 ** 53]],
      [["i64"], [-(2n ** 63n) - 1n]],
      [["f32"], ["1"]],
    ] as [string[], unknown[]][]) {
      expect(() => checkNumericParams("f", types, params)).toThrow(
        expect.objectContaining({ code: "INVALID_INPUT" }),
      );
    }
  });

  it("maps results: null, number, safe bigint to number, large bigint kept, multi-value array", () => {
    expect(numericResult(undefined, 0)).toBeNull();
    expect(numericResult(7, 1)).toBe(7);
    expect(numericResult(7n, 1)).toBe(7);
    expect(numericResult(2n ** 60n, 1)).toBe(2n ** 60n);
    expect(numericResult([1, 2n], 2)).toEqual([1, 2]);
    expect(isNumericSignature(["i32", "f64"], ["i64"])).toBe(true);
    expect(isNumericSignature(["externref"], [])).toBe(false);
  });
});
