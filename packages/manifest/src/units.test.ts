import { describe, expect, it } from "vitest";
import { SandboxError } from "./errors.js";
import { parseDuration, parseSize } from "./units.js";

describe("parseSize", () => {
  it("reads binary and decimal units", () => {
    expect(parseSize("64MiB")).toBe(64 * 1024 * 1024);
    expect(parseSize("10 MB")).toBe(10_000_000);
    expect(parseSize("1.5KiB")).toBe(1536);
    expect(parseSize(123)).toBe(123);
  });
  it("rejects nonsense with INVALID_UNIT", () => {
    for (const bad of ["lots", "64 parsecs", "-1MiB", "0.3B", "", "9".repeat(100)]) {
      expect(() => parseSize(bad)).toThrowError(expect.objectContaining({ code: "INVALID_UNIT" }));
    }
    expect(() => parseSize(-1)).toThrow(SandboxError);
  });
});

describe("parseDuration", () => {
  it("reads units and compounds", () => {
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("5s")).toBe(5000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("500us")).toBe(0.5);
    expect(parseDuration(42)).toBe(42);
  });
  it("rejects nonsense with INVALID_UNIT", () => {
    for (const bad of ["soon", "5 fortnights", "", "s", Number.NaN, -5]) {
      expect(() => parseDuration(bad as string)).toThrowError(
        expect.objectContaining({ code: "INVALID_UNIT" }),
      );
    }
  });
});
