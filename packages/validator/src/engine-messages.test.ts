import { describe, expect, it } from "vitest";
import { IssueCode } from "./codes.js";
import { splitEngineMessage, translateEngineMessage } from "./engine-messages.js";

describe("splitEngineMessage", () => {
  it("separates V8's @+offset suffix from the text", () => {
    expect(splitEngineMessage("WebAssembly.Module(): unexpected section <Type> @+16")).toEqual({
      raw: "unexpected section <Type>",
      offset: 16,
    });
    expect(splitEngineMessage("WebAssembly.Module(): BufferSource argument is empty")).toEqual({
      raw: "BufferSource argument is empty",
      offset: undefined,
    });
  });
});

describe("translateEngineMessage", () => {
  it("names the function, its export name and the problem in plain words", () => {
    const t = translateEngineMessage(
      'WebAssembly.Module(): Compiling function #2:"foo" failed: type error in fallthru[0] (expected i32, got f32) @+54',
    );
    expect(t.code).toBe(IssueCode.INVALID_FUNCTION_BODY);
    expect(t.location).toEqual({ offset: 54, section: "code", functionIndex: 2 });
    expect(t.message).toBe(
      'Function 2 ("foo") is invalid: it leaves a value of type f32 where its block or function result needs i32 (result 0).',
    );
    expect(t.message).not.toMatch(/fallthru/);
  });

  it.each([
    ["WebAssembly.Module(): expected magic word 00 61 73 6d, found 7f 45 4c 46 @+0", IssueCode.BAD_MAGIC],
    ["WebAssembly.Module(): expected version 01 00 00 00, found 0d 00 01 00 @+4", IssueCode.BAD_VERSION],
    ["WebAssembly.Module(): expected 4 bytes, fell off end @+4", IssueCode.TRUNCATED],
    ["WebAssembly.Module(): extra bits in varint @+21", IssueCode.MALFORMED_INTEGER],
    [
      "WebAssembly.Module(): imports count of 1000000 exceeds internal limit of 100000 @+10",
      IssueCode.IMPLEMENTATION_LIMIT,
    ],
    [
      "WebAssembly.Module(): Compiling function #0 failed: local count too large @+23",
      IssueCode.IMPLEMENTATION_LIMIT,
    ],
    ["WebAssembly.Module(): something nobody has seen before @+3", IssueCode.INVALID_MODULE],
  ])("classifies %s", (message, code) => {
    const t = translateEngineMessage(message);
    expect(t.code).toBe(code);
    expect(t.suggestion.length).toBeGreaterThan(10);
  });

  it.each([
    [
      "WebAssembly.Module(): no signature at index 7 (3 signatures) @+40",
      "refers to type 7, but the module declares only 3",
    ],
    [
      "WebAssembly.Module(): function index 9 out of bounds (2 entries) @+40",
      "refers to function 9, but the module has only 2",
    ],
    ["WebAssembly.Module(): unknown import kind 0x07 @+40", "An import has kind 0x07"],
    [
      "WebAssembly.Module(): maximum memory size (1 pages) is less than initial (2 pages) @+12",
      "maximum (1 pages) is smaller",
    ],
    [
      "WebAssembly.Module(): Compiling function #3 failed: f32.store[1] expected type f32, found local.get of type i32 @+90",
      "Function 3 is invalid: it passes the i32 result of local.get as operand 1 of f32.store, which expects f32.",
    ],
    [
      "WebAssembly.Module(): Compiling function #0 failed: immutable global #2 cannot be assigned @+30",
      "assigns to global 2, which is immutable",
    ],
  ])("translates %s", (message, expected) => {
    const t = translateEngineMessage(message);
    expect(t.message).toContain(expected);
    expect(t.message).not.toMatch(/engine reports|rejects the module/);
  });

  it("recognises a component binary and says what to do", () => {
    const t = translateEngineMessage(
      "WebAssembly.Module(): expected version 01 00 00 00, found 0d 00 01 00 @+4",
    );
    expect(t.message).toMatch(/component/);
    expect(t.suggestion).toMatch(/core module/);
  });
});
