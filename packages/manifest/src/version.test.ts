import { describe, expect, it } from "vitest";
import { SandboxError } from "./errors.js";
import { SANDBOX_VERSION, satisfiesSandboxVersion } from "./version.js";

const needs = (minSandboxVersion: string) => ({ minSandboxVersion });

describe("satisfiesSandboxVersion", () => {
  it("is checked against SANDBOX_VERSION (0.1.0) by default", () => {
    expect(SANDBOX_VERSION).toBe("0.1.0");
    expect(satisfiesSandboxVersion(needs("*"))).toBe(true);
    expect(satisfiesSandboxVersion(needs("^0.1.0"))).toBe(true);
    expect(satisfiesSandboxVersion(needs(">=0.2.0"))).toBe(false);
  });

  it("reads a plain version as a minimum, as the original design's min_sandbox_version", () => {
    expect(satisfiesSandboxVersion(needs("0.1.0"), "0.1.0")).toBe(true);
    expect(satisfiesSandboxVersion(needs("0.1.0"), "0.4.2")).toBe(true);
    expect(satisfiesSandboxVersion(needs("0.4.0"), "0.3.9")).toBe(false);
  });

  it("applies ranges", () => {
    expect(satisfiesSandboxVersion(needs("^0.1.0"), "0.1.7")).toBe(true);
    expect(satisfiesSandboxVersion(needs("^0.1.0"), "0.2.0")).toBe(false);
    expect(satisfiesSandboxVersion(needs(">=0.1.0 <1.0.0"), "1.0.0")).toBe(false);
    expect(satisfiesSandboxVersion(needs("~1.2 || ^2"), "2.5.0")).toBe(true);
  });

  it("orders prereleases by semver instead of excluding them", () => {
    expect(satisfiesSandboxVersion(needs(">=0.1.0"), "0.2.0-beta.1")).toBe(true);
    expect(satisfiesSandboxVersion(needs("^1.0.0"), "1.0.0-rc.1")).toBe(false);
    expect(satisfiesSandboxVersion(needs("1.0.0-rc.1"), "1.0.0-rc.2")).toBe(true);
    expect(satisfiesSandboxVersion(needs("1.0.0-rc.2"), "1.0.0-rc.1")).toBe(false);
    expect(satisfiesSandboxVersion(needs("^0.1.0"), "0.2.0-alpha")).toBe(false);
  });

  it("throws INVALID_ARGUMENT for invalid versions or ranges (misuse)", () => {
    expect(() => satisfiesSandboxVersion(needs("*"), "latest")).toThrowError(
      expect.objectContaining({ code: "INVALID_ARGUMENT" }),
    );
    let thrown: unknown;
    try {
      satisfiesSandboxVersion(needs(">=banana"), "0.1.0");
    } catch (error) {
      thrown = error;
    }
    expect(SandboxError.is(thrown, "INVALID_ARGUMENT")).toBe(true);
  });
});
