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

describe("parseSize edge cases", () => {
  it("is case-insensitive, allows spaces, and treats a bare number as bytes", () => {
    expect(parseSize("64mib")).toBe(64 * 1024 * 1024);
    expect(parseSize(" 1 GiB ")).toBe(1024 ** 3);
    expect(parseSize("1TB")).toBe(1e12);
    expect(parseSize("512")).toBe(512);
    expect(parseSize("0")).toBe(0);
    expect(parseSize("0.5KB")).toBe(500);
  });
  it("rejects fractions of a byte, overflow and wrong types", () => {
    for (const bad of ["1.0001KB", "99999999999TiB", "1e3", "0x10", "MiB", "1 2 MiB"]) {
      expect(() => parseSize(bad), bad).toThrowError(expect.objectContaining({ code: "INVALID_UNIT" }));
    }
    for (const bad of [1.5, Number.POSITIVE_INFINITY, Number.NaN, null, {}]) {
      expect(() => parseSize(bad as number)).toThrowError(expect.objectContaining({ code: "INVALID_UNIT" }));
    }
  });
  it("says what to write instead", () => {
    try {
      parseSize("64 parsecs");
      expect.unreachable();
    } catch (error) {
      expect((error as SandboxError).suggestion).toMatch(/MiB/);
    }
  });
});

describe("parseDuration edge cases", () => {
  it("reads every unit, fractions and compounds with spaces", () => {
    expect(parseDuration("1.5s")).toBe(1500);
    expect(parseDuration("2m")).toBe(120_000);
    expect(parseDuration("2min")).toBe(120_000);
    expect(parseDuration("1h 30m 15s")).toBe(5_415_000);
    expect(parseDuration("100ns")).toBeCloseTo(0.0001);
    expect(parseDuration("250µs")).toBe(0.25);
    expect(parseDuration("5s 250ms")).toBe(5250);
    expect(parseDuration(" 75 ")).toBe(75);
    expect(parseDuration("0ms")).toBe(0);
  });
  it("rejects trailing garbage, unknown units, overlong strings and wrong types", () => {
    for (const bad of ["5s5", "5 s x", "1mins", "1d", "1e3ms", "-5ms", "5".repeat(80), "ms"]) {
      expect(() => parseDuration(bad), bad).toThrowError(expect.objectContaining({ code: "INVALID_UNIT" }));
    }
    for (const bad of [Number.POSITIVE_INFINITY, null, []]) {
      expect(() => parseDuration(bad as number)).toThrowError(
        expect.objectContaining({ code: "INVALID_UNIT" }),
      );
    }
  });
});
