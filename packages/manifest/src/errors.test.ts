import { describe, expect, it, vi } from "vitest";
import { ErrorCode, ManifestError, ResourceExhaustedError, SandboxError, TimeoutError } from "./errors.js";

describe("SandboxError.is", () => {
  it("recognises errors from a second, separately loaded copy of the module", async () => {
    vi.resetModules();
    // The query string makes vitest load and evaluate a second, independent copy of the module, like a
    // duplicate install would.
    // @ts-expect-error: TypeScript does not resolve module specifiers with a query string.
    const second = (await import("./errors.js?duplicate-install")) as typeof import("./errors.js");
    expect(second.SandboxError).not.toBe(SandboxError);
    const foreign = new second.ResourceExhaustedError("fuel", 100, 101);
    expect(foreign instanceof SandboxError).toBe(false);
    expect(SandboxError.is(foreign)).toBe(true);
    expect(SandboxError.is(foreign, ErrorCode.RESOURCE_EXHAUSTED)).toBe(true);
    expect(SandboxError.is(foreign, ErrorCode.TIMEOUT)).toBe(false);
    expect(second.SandboxError.is(new TimeoutError(10, 12))).toBe(true);
  });

  it("recognises any object carrying the global brand (as another copy would create it)", () => {
    const branded = Object.defineProperty({ code: "TRAP", message: "x" }, Symbol.for("@wasm-sandbox/error"), {
      value: true,
    });
    expect(SandboxError.is(branded, "TRAP")).toBe(true);
  });

  it("rejects look-alikes without the brand", () => {
    const lookAlike = Object.assign(new Error("x"), { code: "TRAP" });
    expect(SandboxError.is(lookAlike)).toBe(false);
    expect(SandboxError.is({ code: "TRAP" })).toBe(false);
    expect(SandboxError.is(null)).toBe(false);
    expect(SandboxError.is("TRAP")).toBe(false);
  });
});

describe("error classes", () => {
  it("carry code, context and a suggestion, and serialise to JSON", () => {
    const error = new ResourceExhaustedError("memory", 160, 161);
    expect(error).toBeInstanceOf(SandboxError);
    expect(error.name).toBe("ResourceExhaustedError");
    expect(error.code).toBe("RESOURCE_EXHAUSTED");
    expect(error.context).toEqual({ kind: "memory", limit: 160, used: 161 });
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      code: "RESOURCE_EXHAUSTED",
      suggestion: expect.any(String),
    });
  });

  it("ManifestError summarises its issues", () => {
    const error = new ManifestError([
      { code: "REQUIRED", path: ["id"], message: "required field is missing", suggestion: "Add an id." },
      { code: "REQUIRED", path: ["name"], message: "required field is missing" },
    ]);
    expect(error.code).toBe("INVALID_MANIFEST");
    expect(error.message).toBe("Invalid manifest at id: required field is missing (and 1 more)");
    expect(error.suggestion).toBe("Add an id.");
    expect(error.issues).toHaveLength(2);
  });
});
