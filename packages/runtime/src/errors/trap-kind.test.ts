import { describe, expect, it } from "vitest";
import { trapKindOf } from "./trap-kind.js";

describe("trapKindOf", () => {
  it.each([
    ["unreachable", "unreachable"],
    ["memory access out of bounds", "out-of-bounds"],
    ["WebAssembly.Instance(): data segment is out of bounds", "out-of-bounds"],
    ["divide by zero", "divide-by-zero"],
    ["remainder by zero", "divide-by-zero"],
    ["divide result unrepresentable", "integer-overflow"],
    ["float unrepresentable in integer range", "invalid-conversion"],
    ["null function or function signature mismatch", "indirect-call-type-mismatch"],
    ["table index is out of bounds", "undefined-element"],
    ["dereferencing a null pointer", "null-reference"],
    ["operation does not support unaligned accesses", "misaligned-access"],
    ["something new", "unknown"],
  ])("maps %j to %s", (message, kind) => {
    expect(trapKindOf(message)).toBe(kind);
  });
});
