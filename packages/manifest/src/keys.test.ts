import { describe, expect, it } from "vitest";
import { codesOf, minimalManifest } from "../test/manifests.js";
import { assertManifest, parseManifest } from "./parse.js";

/** A manifest written the way the original design serialised it. */
const snakeManifest = {
  id: "acme/text-tools",
  name: "Text tools",
  version: "0.4.0",
  description: "String helpers",
  min_sandbox_version: "0.1.0",
  entry_points: [
    {
      function_name: "upper",
      display_name: "Upper case",
      description: "Upper-cases text",
      input_schema: {
        type: "object",
        properties: { some_text: { type: "string" } },
        required: ["some_text"],
      },
      output_schema: { type: "string" },
      supports_streaming: true,
      execution_category: "Fast",
    },
  ],
  dependencies: [
    { name: "acme/base", version_requirement: "^1.0.0", optional: true, dependency_type: "System" },
  ],
  metadata: { performance_tier: "high", nested_map: { inner_key: 1 } },
  permissions: {
    network: {
      allowed_domains: ["api.example.com"],
      allowed_ports: [443],
      max_connections: 2,
      deny_all: false,
    },
    filesystem: {
      read_paths: ["/data"],
      write_paths: ["/data/out"],
      temp_dir_access: true,
      max_file_size: "1MiB",
      deny_all: false,
    },
    env_vars: ["HOME"],
    host_functions: ["kv.get"],
    max_threads: 0,
    process_spawn: false,
    random: "seeded",
    random_seed: 42,
  },
  limits: { memory: 16, table_elements: 100, total_timeout: "10s", max_read_bytes: 1024, max_open_files: 4 },
};

describe("snake_case input", () => {
  it("accepts the original design's snake_case and returns camelCase", () => {
    const result = parseManifest(snakeManifest);
    expect(result).toMatchObject({ success: true, warnings: [] });
    if (!result.success) return;
    const m = result.manifest;
    expect(m.minSandboxVersion).toBe("0.1.0");
    expect(m.entryPoints[0]).toMatchObject({
      functionName: "upper",
      displayName: "Upper case",
      supportsStreaming: true,
      executionCategory: "Fast",
    });
    expect(m.dependencies[0]).toEqual({
      name: "acme/base",
      versionRequirement: "^1.0.0",
      optional: true,
      dependencyType: "System",
    });
    expect(m.permissions.network).toMatchObject({ allowedDomains: ["api.example.com"], denyAll: false });
    expect(m.permissions.filesystem).toMatchObject({ writePaths: ["/data/out"], maxFileSize: 1_048_576 });
    expect(m.permissions).toMatchObject({ envVars: ["HOME"], hostFunctions: ["kv.get"], randomSeed: 42 });
    expect(m.limits).toMatchObject({ memory: 16, tableElements: 100, totalTimeout: 10_000, maxOpenFiles: 4 });
  });

  it("never renames keys inside metadata, inputSchema or outputSchema", () => {
    const m = assertManifest(snakeManifest);
    expect(m.metadata).toEqual({ performance_tier: "high", nested_map: { inner_key: 1 } });
    expect(m.entryPoints[0]!.inputSchema).toEqual(snakeManifest.entry_points[0]!.input_schema);
  });

  it("gives the same manifest for the camelCase and the snake_case spelling", () => {
    const camel = assertManifest(snakeManifest);
    expect(assertManifest(JSON.stringify(camel))).toEqual(camel);
  });

  it("reports one field given in both spellings as CONFLICTING_KEYS", () => {
    const input = { ...minimalManifest(), entryPoints: [{ functionName: "a", function_name: "b" }] };
    const result = parseManifest(input);
    expect(result).toMatchObject({
      success: false,
      issues: [{ code: "CONFLICTING_KEYS", path: ["entryPoints", 0, "functionName"] }],
    });
    expect(codesOf(parseManifest({ ...minimalManifest(), entry_points: [{ functionName: "x" }] }))).toEqual([
      "CONFLICTING_KEYS",
    ]);
  });
});

describe("limit aliases", () => {
  it.each([
    ["max_memory_pages", 32, "memory", 32],
    ["maxMemoryPages", 32, "memory", 32],
    ["max_fuel", 500, "fuel", 500],
    ["max_execution_time", "2s", "timeout", 2000],
    ["max_execution_time_ms", 1500, "timeout", 1500],
    ["maxExecutionTimeMs", 1500, "timeout", 1500],
  ])("accepts %s as %s with a warning naming the canonical key", (alias, value, canonical, expected) => {
    const result = parseManifest({ ...minimalManifest(), limits: { [alias]: value } });
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect((result.manifest.limits as Record<string, unknown>)[canonical]).toBe(expected);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        code: "ALIASED_KEY",
        path: ["limits", alias],
        suggestion: expect.stringContaining(canonical),
      }),
    ]);
  });

  it("reports an alias given together with its canonical key as CONFLICTING_KEYS", () => {
    const result = parseManifest({ ...minimalManifest(), limits: { fuel: 1, max_fuel: 2 } });
    expect(result).toMatchObject({
      success: false,
      issues: [{ code: "CONFLICTING_KEYS", path: ["limits", "fuel"] }],
    });
  });

  it("accepts aliases only in limits", () => {
    const result = parseManifest({ ...minimalManifest(), max_fuel: 5 });
    expect(codesOf(result)).toEqual(["UNKNOWN_KEY"]);
  });
});

describe("unknown keys", () => {
  it("suggests the closest key for a typo (did you mean functionName?)", () => {
    const input = { ...minimalManifest(), entryPoints: [{ functon_name: "run" }] };
    const result = parseManifest(input);
    expect(result.success).toBe(false);
    if (result.success) return;
    const unknown = result.issues.find((i) => i.code === "UNKNOWN_KEY")!;
    expect(unknown.path).toEqual(["entryPoints", 0, "functon_name"]);
    expect(unknown.suggestion).toMatch(/did you mean functionName\?/i);
  });

  it.each([
    [{ permisions: {} }, ["permisions"], "permissions"],
    [{ limits: { fuell: 5 } }, ["limits", "fuell"], "fuel"],
    [
      { permissions: { network: { alowedDomains: [] } } },
      ["permissions", "network", "alowedDomains"],
      "allowedDomains",
    ],
    [
      { permissions: { filesystem: { readpaths: [] } } },
      ["permissions", "filesystem", "readpaths"],
      "readPaths",
    ],
    [{ Version: "1.0.0" }, ["Version"], "version"],
  ])("suggests for %j", (extra, path, suggestion) => {
    const result = parseManifest({ ...minimalManifest(), ...extra });
    expect(result).toMatchObject({ success: false });
    if (result.success) return;
    const unknown = result.issues.find((i) => i.code === "UNKNOWN_KEY")!;
    expect(unknown.path).toEqual(path);
    expect(unknown.suggestion).toBe(`Did you mean ${suggestion}?`);
  });

  it("lists the known keys when nothing is close", () => {
    const result = parseManifest({ ...minimalManifest(), zzzzzzzz: 1 });
    expect(result).toMatchObject({
      success: false,
      issues: [{ code: "UNKNOWN_KEY", suggestion: expect.stringContaining("entryPoints") }],
    });
  });
});
