import { describe, expect, it } from "vitest";
import { closestMatch, editDistance } from "./suggest.js";

describe("editDistance", () => {
  it("counts insertions, deletions, substitutions and adjacent transpositions as one edit", () => {
    expect(editDistance("function", "function")).toBe(0);
    expect(editDistance("functon", "function")).toBe(1);
    expect(editDistance("functionn", "function")).toBe(1);
    expect(editDistance("funcsion", "function")).toBe(1);
    expect(editDistance("fucntion", "function")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });
});

describe("closestMatch", () => {
  const keys = ["functionName", "displayName", "description", "inputSchema", "outputSchema"];
  it("ignores case and underscores", () => {
    expect(closestMatch("FUNCTION_NAME", keys)).toBe("functionName");
    expect(closestMatch("functon_name", keys)).toBe("functionName");
  });
  it("returns nothing for unrelated words and very long keys", () => {
    expect(closestMatch("banana", keys)).toBeUndefined();
    expect(closestMatch("x".repeat(500), keys)).toBeUndefined();
  });
  it("does not suggest across short keys with many edits", () => {
    expect(closestMatch("ab", ["id", "name"])).toBeUndefined();
    expect(closestMatch("di", ["id"])).toBe("id");
  });
});
