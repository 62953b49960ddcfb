import { describe, expect, it } from "vitest";
import { fixture, malformed } from "../test/helpers.js";
import { IssueCode } from "./codes.js";
import { validateWasm } from "./validate-wasm.js";

describe("validateWasm", () => {
  it.each(["numeric", "json", "command", "simd", "threads", "tags", "multi-table", "resources"])(
    "accepts the valid fixture %s with no issues",
    (name) => {
      expect(validateWasm(fixture(name))).toEqual({ valid: true, issues: [] });
    },
  );

  it.each([
    ["empty", IssueCode.EMPTY_MODULE, undefined],
    ["bad-magic", IssueCode.BAD_MAGIC, 0],
    ["component", IssueCode.BAD_VERSION, 4],
    ["truncated-header", IssueCode.TRUNCATED, 4],
    ["section-overrun", IssueCode.SECTION_SIZE_MISMATCH, undefined],
    ["section-size-lies", IssueCode.SECTION_SIZE_MISMATCH, 14],
    ["leb-overflow", IssueCode.MALFORMED_INTEGER, 21],
    ["unknown-section", IssueCode.UNKNOWN_SECTION, 10],
    ["duplicate-section", IssueCode.SECTION_ORDER, 16],
    ["missing-code", IssueCode.FUNCTION_CODE_MISMATCH, 18],
    ["huge-local-count", IssueCode.IMPLEMENTATION_LIMIT, 23],
    ["unknown-opcode", IssueCode.INVALID_FUNCTION_BODY, 23],
  ])("reports malformed/%s as %s", (name, code, offset) => {
    const result = validateWasm(malformed(name));
    expect(result.valid).toBe(false);
    const first = result.issues[0]!;
    expect(first).toMatchObject({ severity: "error", code });
    if (offset !== undefined) expect(first.location).toMatchObject({ offset });
    expect(first.message).not.toMatch(/WebAssembly\.Module\(\)|@\+/);
    expect(first.suggestion).toBeTruthy();
  });

  it("reports an invalid function body with its index and a plain sentence", () => {
    const result = validateWasm(fixture("invalid-body"));
    expect(result.valid).toBe(false);
    expect(result.issues[0]).toMatchObject({
      code: IssueCode.INVALID_FUNCTION_BODY,
      location: { section: "code", functionIndex: 0 },
    });
    expect(result.issues[0]!.message).toMatch(/value of type i64 where .* needs i32/);
  });

  it("reports other engine rejections as INVALID_MODULE in plain words", () => {
    const result = validateWasm(fixture("duplicate-export"));
    expect(result.issues[0]).toMatchObject({
      code: IssueCode.INVALID_MODULE,
      location: { section: "export" },
    });
    expect(result.issues[0]!.message).toBe('Two exports share the name "x"; export names must be unique.');
  });

  it("reports a proposal the engine does not enable as UNSUPPORTED", () => {
    const result = validateWasm(fixture("memory64"));
    expect(result.valid).toBe(false);
    expect(result.issues[0]).toMatchObject({ severity: "error", code: IssueCode.UNSUPPORTED });
  });

  it("adds the structural reader's more specific finding when the engine's words are vague", () => {
    // V8 says "expected section length"; the reader knows the LEB128 itself is too long.
    const bytes = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]);
    const result = validateWasm(bytes);
    expect(result.issues.map((i) => i.code)).toEqual([IssueCode.TRUNCATED, IssueCode.MALFORMED_INTEGER]);
  });
});
