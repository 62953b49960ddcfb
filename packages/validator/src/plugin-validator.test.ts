import { ErrorCode, SandboxError, type ValidationFailedError } from "@wasm-sandbox/manifest";
import { describe, expect, it } from "vitest";
import { codes, fixture, manifest } from "../test/helpers.js";
import { IssueCode } from "./codes.js";
import { PluginValidator } from "./plugin-validator.js";

describe("PluginValidator", () => {
  const strict = new PluginValidator({
    features: { threads: "reject", simd: "reject" },
    limits: { memory: 64 },
  });

  it("applies its feature policy and limits to every check", () => {
    expect(codes(strict.validatePlugin(manifest([{ functionName: "sum4" }]), fixture("simd")))).toContain(
      IssueCode.FEATURE_POLICY,
    );
    expect(codes(strict.validateManifest(manifest([{ functionName: "a" }])))).toEqual([
      IssueCode.LIMIT_ABOVE_HOST,
    ]);
    const audit = strict.securityAudit(manifest([{ functionName: "bump" }]), fixture("threads"));
    expect(audit.issues.map((i) => i.code)).toEqual(
      expect.arrayContaining([IssueCode.FEATURE_POLICY, IssueCode.SHARED_MEMORY]),
    );
  });

  it("check() combines manifest semantics and plugin cross-checks", () => {
    const v = new PluginValidator();
    const verdict = v.check(
      manifest([{ functionName: "add", executionCategory: "Streaming" }]),
      fixture("numeric"),
    );
    expect(verdict.valid).toBe(false);
    expect(codes(verdict.issues)).toEqual(
      expect.arrayContaining([IssueCode.STREAMING_MISMATCH, IssueCode.ENTRY_ABI_INFERRED]),
    );
    expect(v.check(manifest([{ functionName: "add" }]), fixture("numeric")).valid).toBe(true);
  });

  it("assertValid returns the parsed manifest or throws VALIDATION_FAILED with every issue", () => {
    const v = new PluginValidator();
    expect(v.assertValid(manifest([{ functionName: "add" }]), fixture("numeric")).limits.memory).toBe(160);
    let thrown: unknown;
    try {
      v.assertValid(manifest([{ functionName: "nope" }]), fixture("numeric"));
    } catch (error) {
      thrown = error;
    }
    expect(SandboxError.is(thrown, ErrorCode.VALIDATION_FAILED)).toBe(true);
    expect((thrown as ValidationFailedError).issues[0]).toMatchObject({
      code: IssueCode.ENTRY_NOT_EXPORTED,
      path: ["entryPoints", 0, "functionName"],
    });
  });

  it("exposes the module-only checks", () => {
    const v = new PluginValidator();
    expect(v.validateWasm(fixture("numeric")).valid).toBe(true);
    expect(v.inspectModule(fixture("numeric")).functionCount).toBe(2);
  });
});
