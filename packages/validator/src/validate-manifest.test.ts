import { describe, expect, it } from "vitest";
import { codes, manifest, withCode } from "../test/helpers.js";
import { IssueCode } from "./codes.js";
import { validateManifest } from "./validate-manifest.js";

describe("validateManifest", () => {
  it("accepts a plain manifest (as data or JSON text) with no issues", () => {
    const m = manifest([{ functionName: "run", abi: "json" }]);
    expect(validateManifest(m)).toEqual([]);
    expect(validateManifest(JSON.stringify(m))).toEqual([]);
  });

  it("reports schema failures with the manifest package's code and path", () => {
    const issues = validateManifest({ id: "x", name: "", version: "one", entryPoints: [] });
    expect(issues.every((i) => i.code === IssueCode.MANIFEST_SCHEMA && i.severity === "error")).toBe(true);
    expect(issues.map((i) => i.location)).toContainEqual(["version"]);
    expect(issues.find((i) => Array.isArray(i.location) && i.location[0] === "version")!.manifestCode).toBe(
      "INVALID_SEMVER",
    );
  });

  it("never throws for bad data: broken JSON text, null, a number", () => {
    expect(validateManifest("{ not json")[0]).toMatchObject({
      code: IssueCode.MANIFEST_SCHEMA,
      manifestCode: "INVALID_JSON",
    });
    expect(validateManifest(null)[0]).toMatchObject({ code: IssueCode.MANIFEST_SCHEMA, severity: "error" });
    expect(validateManifest(42)[0]).toMatchObject({ code: IssueCode.MANIFEST_SCHEMA, severity: "error" });
  });

  it("passes the manifest package's duplicate and permission checks through", () => {
    const issues = validateManifest(
      manifest([{ functionName: "a" }, { functionName: "a" }], {
        permissions: { network: { allowedDomains: ["api.example.com"] } },
      }),
    );
    expect(issues.map((i) => i.manifestCode).sort()).toEqual([
      "CONFLICTING_PERMISSIONS",
      "DUPLICATE_ENTRY_POINT",
    ]);
  });

  it("reports streaming flags that disagree with the category", () => {
    const issues = validateManifest(
      manifest([
        { functionName: "a", executionCategory: "Streaming" },
        { functionName: "b", supportsStreaming: true, executionCategory: "Fast" },
        { functionName: "c", supportsStreaming: true, executionCategory: "Streaming" },
      ]),
    );
    expect(withCode(issues, IssueCode.STREAMING_MISMATCH).map((i) => i.location)).toEqual([
      ["entryPoints", 0, "supportsStreaming"],
      ["entryPoints", 1, "executionCategory"],
    ]);
  });

  it("reports categories that contradict the timeout", () => {
    const instant = validateManifest(
      manifest([{ functionName: "a", executionCategory: "Instant" }], { limits: { timeout: "30s" } }),
    );
    expect(withCode(instant, IssueCode.CATEGORY_TIMEOUT_MISMATCH)[0]!.message).toMatch(/"Instant".*30000 ms/);
    const long = validateManifest(
      manifest([{ functionName: "a", executionCategory: "LongRunning" }], { limits: { timeout: "100ms" } }),
    );
    expect(withCode(long, IssueCode.CATEGORY_TIMEOUT_MISMATCH)[0]!.message).toMatch(/"LongRunning".*100 ms/);
    const fine = validateManifest(
      manifest([{ functionName: "a", executionCategory: "Instant" }], { limits: { timeout: "50ms" } }),
    );
    expect(fine).toEqual([]);
  });

  it("requires command entries to be _start", () => {
    const issues = validateManifest(manifest([{ functionName: "main", abi: "command" }]));
    expect(codes(issues)).toEqual([IssueCode.COMMAND_ENTRY_NAME]);
    expect(validateManifest(manifest([{ functionName: "_start", abi: "command" }]))).toEqual([]);
  });

  it("warns when the per-call timeout exceeds the total", () => {
    const issues = validateManifest(
      manifest([{ functionName: "a" }], { limits: { timeout: "10s", totalTimeout: "5s" } }),
    );
    expect(codes(issues)).toEqual([IssueCode.TIMEOUT_EXCEEDS_TOTAL]);
  });

  it("checks limits against the host's caps", () => {
    const issues = validateManifest(manifest([{ functionName: "a" }], { limits: { memory: "16MiB" } }), {
      limits: { memory: 512, fuel: 1_000_000, instanceFuel: 5_000_000 },
    });
    expect(withCode(issues, IssueCode.LIMIT_ABOVE_HOST).map((i) => i.location)).toEqual([
      ["limits", "fuel"],
      ["limits", "instanceFuel"],
    ]);
  });
});
