import { describe, expect, it } from "vitest";
import { codesOf, minimalManifest } from "../test/manifests.js";
import { ManifestError, SandboxError } from "./errors.js";
import { assertManifest, parseManifest } from "./parse.js";

const withPermissions = (permissions: Record<string, unknown>) => ({ ...minimalManifest(), permissions });
const withLimits = (limits: Record<string, unknown>) => ({ ...minimalManifest(), limits });
const issuesOf = (input: unknown) => {
  const result = parseManifest(input);
  if (result.success) throw new Error("expected the manifest to be rejected");
  return result.issues;
};

describe("secure defaults", () => {
  it("fills every absent field with the least privilege and the default limits", () => {
    const manifest = assertManifest(minimalManifest());
    expect(manifest.permissions).toEqual({
      network: {
        allowedDomains: [],
        allowedPorts: [],
        maxConnections: 4,
        denyAll: true,
        loopbackOnly: false,
      },
      filesystem: {
        readPaths: [],
        writePaths: [],
        tempDirAccess: false,
        maxFileSize: 10_485_760,
        denyAll: true,
      },
      envVars: [],
      hostFunctions: [],
      clock: "real",
      random: "secure",
      maxThreads: 0,
      processSpawn: false,
    });
    expect(manifest.limits).toMatchObject({
      memory: 160,
      fuel: 10_000_000,
      timeout: 5000,
      totalTimeout: 30_000,
    });
    expect(manifest.entryPoints[0]).toEqual({
      functionName: "run",
      displayName: "",
      description: "",
      supportsStreaming: false,
      executionCategory: "Standard",
    });
    expect(manifest.minSandboxVersion).toBe("*");
  });

  it("converts units to pages, bytes and milliseconds", () => {
    const manifest = assertManifest(
      withLimits({ memory: "64MiB", timeout: "250ms", totalTimeout: "1m", maxOutput: "2KiB", maxLog: "1KB" }),
    );
    expect(manifest.limits).toMatchObject({
      memory: 1024,
      timeout: 250,
      totalTimeout: 60_000,
      maxOutput: 2048,
      maxLog: 1000,
    });
  });

  it("accepts JSON text as well as objects", () => {
    const result = parseManifest(JSON.stringify(minimalManifest()));
    expect(result).toMatchObject({ success: true, warnings: [] });
  });

  it("does not modify its input", () => {
    const input = { ...minimalManifest(), limits: { max_fuel: 5 } };
    const before = JSON.stringify(input);
    parseManifest(input);
    expect(JSON.stringify(input)).toBe(before);
  });
});

describe("assertManifest", () => {
  it("returns the manifest or throws a ManifestError with code INVALID_MANIFEST holding the issues", () => {
    expect(assertManifest(minimalManifest()).id).toBe("acme/echo");
    let thrown: unknown;
    try {
      assertManifest({ ...minimalManifest(), version: "one" });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ManifestError);
    expect(SandboxError.is(thrown, "INVALID_MANIFEST")).toBe(true);
    const error = thrown as ManifestError;
    expect(error.issues).toEqual([expect.objectContaining({ code: "INVALID_SEMVER", path: ["version"] })]);
    expect(error.message).toContain("at version");
    expect(error.suggestion).toBeTruthy();
  });
});

describe("required fields and types", () => {
  it("reports each missing required field as REQUIRED", () => {
    const issues = issuesOf({});
    expect(issues.map((i) => [i.code, i.path.join(".")])).toEqual(
      expect.arrayContaining([
        ["REQUIRED", "id"],
        ["REQUIRED", "name"],
        ["REQUIRED", "version"],
        ["REQUIRED", "entryPoints"],
      ]),
    );
  });

  it("reports wrong types as INVALID_TYPE and bad shapes as INVALID_FORMAT", () => {
    expect(codesOf(parseManifest({ ...minimalManifest(), tags: "a,b" }))).toEqual(["INVALID_TYPE"]);
    expect(codesOf(parseManifest({ ...minimalManifest(), id: "Not An Id" }))).toEqual(["INVALID_FORMAT"]);
    expect(codesOf(parseManifest({ ...minimalManifest(), repository: "ftp://example.com/x" }))).toEqual([
      "INVALID_FORMAT",
    ]);
    expect(codesOf(parseManifest(withPermissions({ envVars: ["NOT-A-NAME"] })))).toEqual(["INVALID_FORMAT"]);
  });

  it("requires at least one entry point", () => {
    expect(issuesOf({ ...minimalManifest(), entryPoints: [] })).toEqual([
      expect.objectContaining({ code: "TOO_SMALL", path: ["entryPoints"] }),
    ]);
  });

  it("rejects overlong strings with TOO_LARGE", () => {
    expect(codesOf(parseManifest({ ...minimalManifest(), name: "n".repeat(300) }))).toEqual(["TOO_LARGE"]);
  });

  it("reports enum mistakes as INVALID_VALUE", () => {
    const input = { ...minimalManifest(), entryPoints: [{ functionName: "f", executionCategory: "Slow" }] };
    expect(issuesOf(input)).toEqual([
      expect.objectContaining({ code: "INVALID_VALUE", path: ["entryPoints", 0, "executionCategory"] }),
    ]);
  });
});

describe("semver", () => {
  it.each(["1.0", "v1.0.0", "=1.0.0", " 1.0.0", "latest", "1.0.0.0", "01.0.0"])(
    "rejects version %s as INVALID_SEMVER",
    (version) => {
      expect(codesOf(parseManifest({ ...minimalManifest(), version }))).toEqual(["INVALID_SEMVER"]);
    },
  );

  it("accepts prerelease and build versions", () => {
    expect(parseManifest({ ...minimalManifest(), version: "1.0.0-rc.1+build.5" }).success).toBe(true);
  });

  it("rejects bad ranges as INVALID_RANGE in minSandboxVersion and dependencies", () => {
    expect(codesOf(parseManifest({ ...minimalManifest(), minSandboxVersion: ">=banana" }))).toEqual([
      "INVALID_RANGE",
    ]);
    const dependencies = [{ name: "acme/other", versionRequirement: "^^1" }];
    expect(issuesOf({ ...minimalManifest(), dependencies })).toEqual([
      expect.objectContaining({ code: "INVALID_RANGE", path: ["dependencies", 0, "versionRequirement"] }),
    ]);
  });
});

describe("limits", () => {
  it.each([
    [{ memory: 65_537 }, "memory"],
    [{ memory: 0 }, "memory"],
    [{ memory: "8GiB" }, "memory"],
    [{ fuel: 0 }, "fuel"],
    [{ fuel: -5 }, "fuel"],
    [{ timeout: 0 }, "timeout"],
    [{ timeout: "0s" }, "timeout"],
    [{ totalTimeout: -1 }, "totalTimeout"],
    [{ timeout: "900h" }, "timeout"],
    [{ totalTimeout: 3_000_000_000 }, "totalTimeout"],
    [{ maxOutput: 0 }, "maxOutput"],
    [{ maxOutput: "0KiB" }, "maxOutput"],
    [{ instanceFuel: 0 }, "instanceFuel"],
    [{ maxOpenFiles: -1 }, "maxOpenFiles"],
  ])("rejects %j as OUT_OF_RANGE", (limits, key) => {
    const issues = issuesOf(withLimits(limits));
    expect(issues).toEqual([expect.objectContaining({ code: "OUT_OF_RANGE", path: ["limits", key] })]);
  });

  it("accepts the extremes of the ranges", () => {
    const manifest = assertManifest(withLimits({ memory: 65_536, fuel: 1, timeout: 0.5 }));
    expect(manifest.limits).toMatchObject({ memory: 65_536, fuel: 1, timeout: 0.5 });
  });

  it("rejects unreadable units as INVALID_UNIT with the unit's own suggestion", () => {
    const issues = issuesOf(withLimits({ maxOutput: "64 parsecs", timeout: "soon", memory: "100KiB" }));
    expect(issues.map((i) => [i.code, i.path.at(-1)])).toEqual([
      ["INVALID_UNIT", "memory"],
      ["INVALID_UNIT", "timeout"],
      ["INVALID_UNIT", "maxOutput"],
    ]);
    expect(issues[2]!.suggestion).toMatch(/KiB/);
  });

  it("refuses threads and process spawning with clear messages", () => {
    const issues = issuesOf(withPermissions({ maxThreads: 4, processSpawn: true }));
    expect(issues).toEqual([
      expect.objectContaining({ code: "OUT_OF_RANGE", path: ["permissions", "maxThreads"] }),
      expect.objectContaining({ code: "INVALID_VALUE", path: ["permissions", "processSpawn"] }),
    ]);
    expect(issues[0]!.message).toMatch(/threads are not supported/);
    expect(issues[1]!.message).toMatch(/process spawning is never granted/);
  });
});

describe("duplicates and self-dependency", () => {
  it("rejects two entry points with one functionName", () => {
    const input = { ...minimalManifest(), entryPoints: [{ functionName: "run" }, { functionName: "run" }] };
    expect(issuesOf(input)).toEqual([
      expect.objectContaining({ code: "DUPLICATE_ENTRY_POINT", path: ["entryPoints", 1, "functionName"] }),
    ]);
  });

  it("rejects two dependencies with one name", () => {
    const dependencies = [
      { name: "acme/a", versionRequirement: "^1.0.0" },
      { name: "acme/a", versionRequirement: "^2.0.0" },
    ];
    expect(issuesOf({ ...minimalManifest(), dependencies })).toEqual([
      expect.objectContaining({ code: "DUPLICATE_DEPENDENCY", path: ["dependencies", 1, "name"] }),
    ]);
  });

  it("rejects a plugin that depends on itself", () => {
    const dependencies = [{ name: "acme/echo", versionRequirement: "*" }];
    expect(issuesOf({ ...minimalManifest(), dependencies })).toEqual([
      expect.objectContaining({ code: "SELF_DEPENDENCY", path: ["dependencies", 0, "name"] }),
    ]);
  });
});

describe("filesystem permissions", () => {
  const fs = (filesystem: Record<string, unknown>) => withPermissions({ filesystem });

  it("accepts write paths equal to or inside a read path", () => {
    const manifest = assertManifest(
      fs({
        denyAll: false,
        readPaths: ["/data", "/cache/"],
        writePaths: ["/data/out", "/cache", "/data/./x"],
      }),
    );
    expect(manifest.permissions.filesystem.writePaths).toEqual(["/data/out", "/cache", "/data/./x"]);
  });

  it("rejects a write path outside every read path (by whole segments)", () => {
    const issues = issuesOf(
      fs({ denyAll: false, readPaths: ["/data"], writePaths: ["/database", "/data/ok"] }),
    );
    expect(issues).toEqual([
      expect.objectContaining({
        code: "WRITE_NOT_READABLE",
        path: ["permissions", "filesystem", "writePaths", 0],
      }),
    ]);
    expect(issues[0]!.suggestion).toContain("readPaths");
  });

  it.each(["/data/../etc", "/..", "/data/..\\..\\etc"])("rejects %s as PATH_TRAVERSAL", (path) => {
    const issues = issuesOf(fs({ denyAll: false, readPaths: [path] }));
    expect(issues.map((i) => i.code)).toContain("PATH_TRAVERSAL");
  });

  it("rejects relative paths and NUL bytes as INVALID_PATH", () => {
    expect(codesOf(parseManifest(fs({ denyAll: false, readPaths: ["data"] })))).toEqual(["INVALID_PATH"]);
    expect(codesOf(parseManifest(fs({ denyAll: false, readPaths: ["/da\0ta"] })))).toEqual(["INVALID_PATH"]);
  });

  it("refuses paths listed while denyAll is true (nothing is accepted and ignored)", () => {
    const issues = issuesOf(fs({ readPaths: ["/data"], tempDirAccess: true }));
    expect(issues.map((i) => [i.code, i.path.at(-1)])).toEqual([
      ["CONFLICTING_PERMISSIONS", "readPaths"],
      ["CONFLICTING_PERMISSIONS", "tempDirAccess"],
    ]);
    expect(issues[0]!.suggestion).toMatch(/denyAll to false/);
    const written = issuesOf(fs({ readPaths: ["/data"], writePaths: ["/data"] }));
    expect(written.map((i) => [i.code, i.path.at(-1)])).toEqual([
      ["CONFLICTING_PERMISSIONS", "readPaths"],
      ["CONFLICTING_PERMISSIONS", "writePaths"],
    ]);
  });
});

describe("network permissions", () => {
  const net = (network: Record<string, unknown>) => withPermissions({ network });

  it("refuses domains and ports listed while denyAll is true", () => {
    const issues = issuesOf(net({ allowedDomains: ["api.example.com"], allowedPorts: [8080] }));
    expect(issues.map((i) => [i.code, i.path.at(-1)])).toEqual([
      ["CONFLICTING_PERMISSIONS", "allowedDomains"],
      ["CONFLICTING_PERMISSIONS", "allowedPorts"],
    ]);
    expect(issues[0]!.suggestion).toMatch(/denyAll to false/);
    const loopback = issuesOf(net({ loopbackOnly: true }));
    expect(loopback.map((i) => [i.code, i.path.at(-1)])).toEqual([
      ["CONFLICTING_PERMISSIONS", "loopbackOnly"],
    ]);
  });

  it("refuses non-loopback domains with loopbackOnly", () => {
    const issues = issuesOf(
      net({ denyAll: false, loopbackOnly: true, allowedDomains: ["localhost", "example.com"] }),
    );
    expect(issues).toEqual([
      expect.objectContaining({
        code: "CONFLICTING_PERMISSIONS",
        path: ["permissions", "network", "allowedDomains", 1],
      }),
    ]);
  });

  it("normalises domains to lowercase and rejects URLs", () => {
    const manifest = assertManifest(
      net({ denyAll: false, allowedDomains: ["API.Example.com", "*.cdn.net"] }),
    );
    expect(manifest.permissions.network.allowedDomains).toEqual(["api.example.com", "*.cdn.net"]);
    for (const bad of ["https://x.com/", "*.com", "300.1.1.1"]) {
      expect(codesOf(parseManifest(net({ denyAll: false, allowedDomains: [bad] }))), bad).toEqual([
        "INVALID_FORMAT",
      ]);
    }
  });
});

describe("random and clock", () => {
  it("requires randomSeed for seeded randomness", () => {
    expect(issuesOf(withPermissions({ random: "seeded" }))).toEqual([
      expect.objectContaining({ code: "REQUIRED", path: ["permissions", "randomSeed"] }),
    ]);
    expect(assertManifest(withPermissions({ random: "seeded", randomSeed: 7 })).permissions.randomSeed).toBe(
      7,
    );
  });

  it("refuses a randomSeed that would be ignored", () => {
    expect(issuesOf(withPermissions({ randomSeed: 7 }))).toEqual([
      expect.objectContaining({ code: "CONFLICTING_PERMISSIONS", path: ["permissions", "randomSeed"] }),
    ]);
  });
});

describe("entry point JSON Schemas", () => {
  const entry = (extra: Record<string, unknown>) => ({
    ...minimalManifest(),
    entryPoints: [{ functionName: "run", ...extra }],
  });

  it("accepts valid draft-07 and 2020-12 schemas", () => {
    const draft07 = {
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      properties: { text: { type: "string", pattern: "^a+$" } },
      definitions: { x: { type: "number" } },
      additionalItems: false,
    };
    const draft2020 = {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "array",
      prefixItems: [{ type: "string" }],
      $defs: { x: { type: "number" } },
    };
    const manifest = assertManifest(entry({ inputSchema: draft07, outputSchema: draft2020 }));
    expect(manifest.entryPoints[0]!.inputSchema).toEqual(draft07);
    expect(assertManifest(entry({ inputSchema: { type: "string" } })).entryPoints[0]!.inputSchema).toEqual({
      type: "string",
    });
  });

  it.each([
    [{ type: "strin" }],
    [{ type: 5 }],
    [{ properties: [] }],
    [{ required: "name" }],
    [{ minLength: -1 }],
    [{ pattern: "(" }],
    [{ properties: { a: { patternProperties: { "[": {} } } } }],
    [{ $schema: "https://json-schema.org/draft/2020-12/schema", prefixItems: {} }],
    [{ $schema: "http://json-schema.org/draft-07/schema#", items: 3 }],
    [{ $schema: "http://example.com/my-dialect" }],
  ])("rejects %j as INVALID_JSON_SCHEMA", (schema) => {
    expect(issuesOf(entry({ outputSchema: schema }))).toEqual([
      expect.objectContaining({ code: "INVALID_JSON_SCHEMA", path: ["entryPoints", 0, "outputSchema"] }),
    ]);
  });

  it("checks the schema by its own dialect: prefixItems must be an array only in 2020-12", () => {
    const asDraft07 = { $schema: "http://json-schema.org/draft-07/schema#", prefixItems: {} };
    expect(parseManifest(entry({ inputSchema: asDraft07 })).success).toBe(true);
    // data keywords may hold any string, including ones that are not regular expressions
    expect(parseManifest(entry({ inputSchema: { const: { pattern: "(" } } })).success).toBe(true);
  });
});

describe("issues collect across the manifest", () => {
  it("reports independent problems together", () => {
    const input = {
      ...minimalManifest(),
      version: "x",
      limits: { fuel: 0 },
      bogus: 1,
    };
    expect(codesOf(parseManifest(input)).sort()).toEqual(["INVALID_SEMVER", "OUT_OF_RANGE", "UNKNOWN_KEY"]);
  });
});
