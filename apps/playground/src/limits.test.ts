import { SandboxError } from "@wasm-sandbox/manifest";
import { describe, expect, it } from "vitest";
import { effectiveLimits, RunLimitsInputSchema } from "./limits.js";

const max = { memory: 1024, fuel: 1_000_000, timeout: 10_000 };

describe("run limits", () => {
  it("accepts the manifest's units", () => {
    expect(RunLimitsInputSchema.parse({ memory: "1MiB", timeout: "2s", fuel: 5 })).toEqual({
      memory: 16,
      timeout: 2000,
      fuel: 5,
    });
    expect(RunLimitsInputSchema.safeParse({ memory: 0 }).success).toBe(false);
    expect(RunLimitsInputSchema.safeParse({ stack: 1 }).success).toBe(false);
  });

  it("uses overrides, else the manifest's limits lowered to the maxima", () => {
    const manifest = { memory: 4096, fuel: 500, timeout: 3_600_000 };
    expect(effectiveLimits(manifest, { fuel: 900 }, max)).toEqual({
      memory: 1024,
      fuel: 900,
      timeout: 10_000,
    });
  });

  it("refuses an override above the maximum with a suggestion", () => {
    let caught: unknown;
    try {
      effectiveLimits({ memory: 1, fuel: 1, timeout: 1 }, { timeout: 3_600_000 }, max);
    } catch (error) {
      caught = error;
    }
    expect(SandboxError.is(caught, "INVALID_INPUT")).toBe(true);
    expect((caught as SandboxError).suggestion).toBe("Ask for at most 10000 ms.");
  });
});
