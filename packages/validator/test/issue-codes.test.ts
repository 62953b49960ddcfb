import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { securityAudit } from "../src/audit.js";
import { IssueCode } from "../src/codes.js";
import { inspectModule } from "../src/inspect.js";
import type { ValidationWarning } from "../src/issues.js";
import { validateManifest } from "../src/validate-manifest.js";
import { validatePlugin } from "../src/validate-plugin.js";
import { validateWasm } from "../src/validate-wasm.js";
import { fixture, malformed, manifest } from "./helpers.js";

const wasmIssues = (name: string) => validateWasm(fixture(name)).issues;
const plugin = (name: string, entries: Parameters<typeof manifest>[0], extra = {}, options = {}) =>
  validatePlugin(manifest(entries, extra), fixture(name), options);
const audit = (permissions: object, limits: object = {}) =>
  securityAudit(manifest([{ functionName: "add" }], { permissions, limits }), fixture("numeric")).issues.map(
    (f): ValidationWarning => ({ severity: f.severity, code: f.code, message: f.description }),
  );
const m = (entries: Parameters<typeof manifest>[0], extra = {}) => validateManifest(manifest(entries, extra));

/** One fixture-backed case per issue code: the code must appear in what the case returns. */
const CASES: Record<IssueCode, () => ValidationWarning[]> = {
  EMPTY_MODULE: () => wasmIssues("malformed/empty"),
  BAD_MAGIC: () => wasmIssues("malformed/bad-magic"),
  BAD_VERSION: () => wasmIssues("malformed/component"),
  TRUNCATED: () => wasmIssues("malformed/truncated-header"),
  SECTION_SIZE_MISMATCH: () => wasmIssues("malformed/section-overrun"),
  MALFORMED_INTEGER: () => wasmIssues("malformed/leb-overflow"),
  UNKNOWN_SECTION: () => wasmIssues("malformed/unknown-section"),
  SECTION_ORDER: () => wasmIssues("malformed/duplicate-section"),
  FUNCTION_CODE_MISMATCH: () => wasmIssues("malformed/missing-code"),
  INVALID_FUNCTION_BODY: () => wasmIssues("invalid-body"),
  IMPLEMENTATION_LIMIT: () => wasmIssues("malformed/huge-local-count"),
  INVALID_MODULE: () => wasmIssues("duplicate-export"),
  DECODER_FALLBACK: () => inspectModule(fixture("tags")).issues,
  UNSUPPORTED: () => inspectModule(malformed("unknown-opcode")).issues,
  FEATURE_POLICY: () => plugin("simd", [{ functionName: "sum4" }], {}, { features: { simd: "reject" } }),
  MANIFEST_SCHEMA: () => validateManifest({ id: "Bad Id" }),
  STREAMING_MISMATCH: () => m([{ functionName: "a", executionCategory: "Streaming" }]),
  CATEGORY_TIMEOUT_MISMATCH: () =>
    m([{ functionName: "a", executionCategory: "Instant" }], { limits: { timeout: "30s" } }),
  COMMAND_ENTRY_NAME: () => m([{ functionName: "main", abi: "command" }]),
  TIMEOUT_EXCEEDS_TOTAL: () =>
    m([{ functionName: "a" }], { limits: { timeout: "40s", totalTimeout: "30s" } }),
  LIMIT_ABOVE_HOST: () => validateManifest(manifest([{ functionName: "a" }]), { limits: { fuel: 10 } }),
  ENTRY_NOT_EXPORTED: () => plugin("numeric", [{ functionName: "nope" }]),
  ENTRY_NOT_FUNCTION: () => plugin("entries", [{ functionName: "run" }]),
  ENTRY_SIGNATURE: () => plugin("entries", [{ functionName: "takes_ref" }]),
  ENTRY_ABI_INFERRED: () => plugin("numeric", [{ functionName: "add" }]),
  JSON_WITHOUT_SANDBOX: () => plugin("entries", [{ functionName: "no_sandbox", abi: "json" }]),
  COMMAND_WITHOUT_WASI: () => plugin("entries", [{ functionName: "_start", abi: "command" }]),
  STREAMING_WITHOUT_EMIT: () =>
    plugin("json", [{ functionName: "run", supportsStreaming: true, executionCategory: "Streaming" }]),
  UNKNOWN_IMPORT_MODULE: () => plugin("bad-imports", [{ functionName: "run" }]),
  UNKNOWN_IMPORT: () => plugin("bad-imports", [{ functionName: "run" }]),
  IMPORT_SIGNATURE: () => plugin("bad-imports", [{ functionName: "run" }]),
  WASI_PERMISSION: () => plugin("wasi-capabilities", [{ functionName: "_start" }]),
  SANDBOX_PERMISSION: () => plugin("bad-imports", [{ functionName: "run" }]),
  HOST_FUNCTION_NOT_PERMITTED: () => plugin("bad-imports", [{ functionName: "run" }]),
  MEMORY_UNBOUNDED: () => plugin("resources", [{ functionName: "get" }]),
  MEMORY_MIN_ABOVE_LIMIT: () => plugin("resources", [{ functionName: "get" }]),
  MEMORY_MAX_CAPPED: () => plugin("large-maxima", [{ functionName: "one" }]),
  MEMORY64: () => plugin("memory64", [{ functionName: "get" }]),
  TABLE_UNBOUNDED: () => plugin("resources", [{ functionName: "get" }]),
  TABLE_MIN_ABOVE_LIMIT: () => plugin("resources", [{ functionName: "get" }]),
  TABLE_MAX_CAPPED: () => plugin("large-maxima", [{ functionName: "one" }]),
  START_FUNCTION: () => plugin("resources", [{ functionName: "get" }]),
  MUTABLE_GLOBAL_EXPORT: () => plugin("resources", [{ functionName: "get" }]),
  SHARED_MEMORY: () => plugin("threads", [{ functionName: "bump" }]),
  NETWORK_ACCESS: () => audit({ network: { denyAll: false, allowedDomains: ["api.example.com"] } }),
  NETWORK_WILDCARD: () => audit({ network: { denyAll: false, allowedDomains: ["*.example.com"] } }),
  FILESYSTEM_READ: () => audit({ filesystem: { denyAll: false, readPaths: ["/data"] } }),
  FILESYSTEM_WRITE: () =>
    audit({ filesystem: { denyAll: false, readPaths: ["/data"], writePaths: ["/data"] } }),
  HOST_FUNCTIONS: () => audit({ hostFunctions: ["lookup"] }),
  SECRET_ENV_VAR: () => audit({ envVars: ["AWS_SECRET_ACCESS_KEY"] }),
  PRECISE_CLOCK: () => audit({ clock: "real" }),
  GENEROUS_LIMIT: () => audit({}, { fuel: 100_000_000_000 }),
};

describe("issue codes", () => {
  it("has a case for every code", () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.values(IssueCode).sort());
  });

  it.each(Object.entries(CASES))("%s is produced by its fixture case", (code, run) => {
    expect(run().map((i) => i.code)).toContain(code);
  });

  it("documents every code in the README", () => {
    const readme = join(dirname(fileURLToPath(import.meta.url)), "..", "README.md");
    expect(existsSync(readme)).toBe(true);
    const text = readFileSync(readme, "utf8");
    for (const code of Object.values(IssueCode)) expect(text, code).toContain(`\`${code}\``);
  });
});
