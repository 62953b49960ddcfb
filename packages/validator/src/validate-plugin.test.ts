import { describe, expect, it } from "vitest";
import { codes, fixture, manifest, withCode } from "../test/helpers.js";
import { IssueCode } from "./codes.js";
import { validatePlugin } from "./validate-plugin.js";

const ep = (functionName: string, extra: Record<string, unknown> = {}) => ({ functionName, ...extra });

describe("validatePlugin: entry points", () => {
  it("passes a clean numeric plugin, saying which ABI it inferred", () => {
    const issues = validatePlugin(manifest([ep("add"), ep("scale", { abi: "numeric" })]), fixture("numeric"));
    expect(issues).toEqual([
      expect.objectContaining({
        severity: "info",
        code: IssueCode.ENTRY_ABI_INFERRED,
        location: ["entryPoints", 0, "abi"],
        message:
          'Entry point "add" has no abi; inferred "numeric" because its parameters and results are all i32/i64/f32/f64.',
      }),
    ]);
  });

  it("infers json for () -> i32 in a module importing from sandbox", () => {
    const issues = validatePlugin(manifest([ep("run")]), fixture("json"));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toMatch(/inferred "json"/);
  });

  it("infers command for WASI _start, and passes it", () => {
    const issues = validatePlugin(manifest([ep("_start")]), fixture("command"));
    expect(issues.map((i) => [i.code, i.severity])).toEqual([[IssueCode.ENTRY_ABI_INFERRED, "info"]]);
    expect(issues[0]!.message).toMatch(/inferred "command"/);
  });

  it("reports missing exports, non-function exports and signatures that fit no ABI", () => {
    const issues = validatePlugin(
      manifest([ep("missing"), ep("run"), ep("takes_ref"), ep("pair", { abi: "json" })]),
      fixture("entries"),
    );
    expect(withCode(issues, IssueCode.ENTRY_NOT_EXPORTED)[0]).toMatchObject({
      severity: "error",
      location: ["entryPoints", 0, "functionName"],
    });
    expect(withCode(issues, IssueCode.ENTRY_NOT_EXPORTED)[0]!.suggestion).toMatch(
      /takes_ref, _start, no_sandbox, pair/,
    );
    expect(withCode(issues, IssueCode.ENTRY_NOT_FUNCTION)[0]!.message).toMatch(/exported as a memory/);
    const signature = withCode(issues, IssueCode.ENTRY_SIGNATURE);
    expect(signature.map((i) => i.location)).toEqual([
      ["entryPoints", 2, "functionName"],
      ["entryPoints", 3, "functionName"],
    ]);
    expect(signature[0]!.message).toMatch(/\(externref\) -> \(i32\), which fits no ABI kind/);
    expect(signature[1]!.message).toMatch(/does not fit abi "json"/);
  });

  it("reports a json entry without sandbox imports and a command without WASI", () => {
    const issues = validatePlugin(
      manifest([ep("no_sandbox", { abi: "json" }), ep("_start", { abi: "command" })]),
      fixture("entries"),
    );
    expect(withCode(issues, IssueCode.JSON_WITHOUT_SANDBOX)).toHaveLength(1);
    expect(withCode(issues, IssueCode.COMMAND_WITHOUT_WASI)[0]!.severity).toBe("warning");
  });

  it("checks streaming entries import sandbox.emit", () => {
    const streaming = { supportsStreaming: true, executionCategory: "Streaming" };
    expect(
      codes(validatePlugin(manifest([ep("stream", { abi: "json", ...streaming })]), fixture("streaming"))),
    ).toEqual([]);
    const issues = validatePlugin(manifest([ep("run", { abi: "json", ...streaming })]), fixture("json"));
    expect(codes(issues)).toEqual([IssueCode.STREAMING_WITHOUT_EMIT]);
  });
});

describe("validatePlugin: imports", () => {
  const issues = validatePlugin(manifest([ep("run", { abi: "json" })]), fixture("bad-imports"));

  it("groups imports from modules nothing provides into one error per module", () => {
    const unknown = withCode(issues, IssueCode.UNKNOWN_IMPORT_MODULE);
    expect(unknown.map((i) => i.message)).toEqual([
      expect.stringMatching(/reaches into the sandbox's fuel meter/),
      expect.stringMatching(/imports 2 function\(s\) from "env" \(abort, seed\)/),
    ]);
    expect(unknown[1]!.suggestion).toMatch(/standalone/);
  });

  it("rejects unknown ABI and WASI names, wrong signatures and non-function imports", () => {
    const unknown = withCode(issues, IssueCode.UNKNOWN_IMPORT).map((i) => i.message);
    expect(unknown).toEqual([
      expect.stringMatching(/sandbox\.nope is not part of guest ABI v1/),
      expect.stringMatching(/not_a_wasi_function is not a wasi_snapshot_preview1 function/),
      expect.stringMatching(/env\.counter is a global/),
    ]);
    const signatures = withCode(issues, IssueCode.IMPORT_SIGNATURE).map((i) => i.message);
    expect(signatures).toEqual([
      "Import sandbox.input_size is declared (i32) -> (i32) but the ABI defines () -> (i32), so linking fails.",
      "Import wasi_snapshot_preview1.fd_write is declared (i32, i32) -> (i32) but WASI preview1 defines (i32, i32, i32, i32) -> (i32), so linking fails.",
    ]);
  });

  it("names the permission a sandbox import needs", () => {
    const missing = withCode(issues, IssueCode.SANDBOX_PERMISSION);
    expect(missing.map((i) => [i.severity, i.location])).toEqual([
      ["warning", { section: "import", importIndex: 4 }],
      ["warning", { section: "import", importIndex: 5 }],
    ]);
    expect(missing[0]!.message).toMatch(/sandbox\.host_call .* without permissions\.hostFunctions/);
    expect(missing[1]!.message).toMatch(/sandbox\.emit .* supportsStreaming/);
    const granted = validatePlugin(
      manifest([ep("run", { abi: "json" })], { permissions: { hostFunctions: ["lookup"] } }),
      fixture("bad-imports"),
    );
    expect(withCode(granted, IssueCode.SANDBOX_PERMISSION)).toHaveLength(1);
  });

  it("requires typed host imports to be listed in permissions.hostFunctions", () => {
    const host = withCode(issues, IssueCode.HOST_FUNCTION_NOT_PERMITTED);
    expect(host).toHaveLength(1);
    expect(host[0]!.message).toMatch(/host\.lookup .* permissions\.hostFunctions/);
    const granted = validatePlugin(
      manifest([ep("run", { abi: "json" })], { permissions: { hostFunctions: ["lookup"] } }),
      fixture("bad-imports"),
    );
    expect(withCode(granted, IssueCode.HOST_FUNCTION_NOT_PERMITTED)).toEqual([]);
  });

  it("warns about WASI imports the permissions leave powerless, naming the permission", () => {
    const wasi = validatePlugin(manifest([ep("_start")]), fixture("wasi-capabilities"));
    const byName = Object.fromEntries(
      withCode(wasi, IssueCode.WASI_PERMISSION).map((i) => [
        /\.(\w+) /.exec(i.message)![1],
        [i.severity, i.message],
      ]),
    );
    expect(Object.keys(byName).sort()).toEqual([
      "environ_get",
      "fd_pwrite",
      "path_open",
      "proc_raise",
      "sock_send",
    ]);
    expect(byName.environ_get![0]).toBe("warning");
    expect(byName.environ_get![1]).toMatch(/permissions\.envVars/);
    expect(byName.path_open![1]).toMatch(/permissions\.filesystem/);
    expect(byName.sock_send![1]).toMatch(/permissions\.network/);
    // fd_write serves stdio and needs nothing; clock and random are real and secure by default.
    expect(wasi.some((i) => /fd_write|clock_time_get|random_get/.test(i.message))).toBe(false);
  });

  it("notes WASI functions that work but are restricted, and is quiet once granted", () => {
    const permissions = {
      envVars: ["HOME"],
      clock: "frozen" as const,
      random: "seeded" as const,
      randomSeed: 7,
      network: { denyAll: false, allowedDomains: ["api.example.com"] },
      filesystem: { denyAll: false, readPaths: ["/data"], writePaths: ["/data"] },
    };
    const wasi = validatePlugin(manifest([ep("_start")], { permissions }), fixture("wasi-capabilities"));
    expect(
      withCode(wasi, IssueCode.WASI_PERMISSION).map((i) => [i.severity, /\.(\w+) /.exec(i.message)![1]]),
    ).toEqual([
      ["info", "clock_time_get"],
      ["info", "random_get"],
      ["warning", "proc_raise"],
    ]);
  });
});

describe("validatePlugin: memories, tables, globals, start", () => {
  it("checks sizes against the limits and flags start functions and mutable exported globals", () => {
    const issues = validatePlugin(manifest([ep("get")]), fixture("resources"));
    expect(codes(issues).sort()).toEqual(
      [
        IssueCode.ENTRY_ABI_INFERRED,
        IssueCode.MEMORY_MIN_ABOVE_LIMIT,
        IssueCode.MEMORY_UNBOUNDED,
        IssueCode.MUTABLE_GLOBAL_EXPORT,
        IssueCode.START_FUNCTION,
        IssueCode.TABLE_MIN_ABOVE_LIMIT,
        IssueCode.TABLE_UNBOUNDED,
      ].sort(),
    );
    expect(withCode(issues, IssueCode.MEMORY_MIN_ABOVE_LIMIT)[0]!.message).toMatch(
      /200 pages .* limit of 160 pages/,
    );
    const roomy = validatePlugin(
      manifest([ep("get")], { limits: { memory: 256, tableElements: 20_000 } }),
      fixture("resources"),
    );
    expect(codes(roomy)).not.toContain(IssueCode.MEMORY_MIN_ABOVE_LIMIT);
    expect(codes(roomy)).not.toContain(IssueCode.TABLE_MIN_ABOVE_LIMIT);
  });

  it("notes maxima above the limits, which the runtime lowers", () => {
    const issues = validatePlugin(manifest([ep("one")]), fixture("large-maxima"));
    expect(withCode(issues, IssueCode.MEMORY_MAX_CAPPED)[0]).toMatchObject({ severity: "info" });
    expect(withCode(issues, IssueCode.TABLE_MAX_CAPPED)[0]).toMatchObject({ severity: "info" });
  });

  it("checks module sizes against the host's cap when it is lower", () => {
    const issues = validatePlugin(manifest([ep("add")]), fixture("numeric"), { limits: { memory: 8 } });
    expect(withCode(issues, IssueCode.MEMORY_MAX_CAPPED)[0]!.message).toMatch(/lowers that to 8 pages/);
  });

  it("rejects shared memory while maxThreads is 0", () => {
    const issues = validatePlugin(manifest([ep("bump")]), fixture("threads"));
    expect(withCode(issues, IssueCode.SHARED_MEMORY)[0]).toMatchObject({
      severity: "error",
      location: { section: "memory", memoryIndex: 0 },
    });
  });

  it("rejects 64-bit memories", () => {
    const issues = validatePlugin(manifest([ep("get")]), fixture("memory64"));
    expect(codes(issues)).toContain(IssueCode.UNSUPPORTED);
    expect(withCode(issues, IssueCode.MEMORY64)[0]!.severity).toBe("error");
  });

  it("applies the feature policy", () => {
    const reject = validatePlugin(manifest([ep("sum4")]), fixture("simd"), { features: { simd: "reject" } });
    expect(withCode(reject, IssueCode.FEATURE_POLICY)[0]).toMatchObject({ severity: "error" });
    const warn = validatePlugin(manifest([ep("sum4")]), fixture("simd"), { features: { simd: "warn" } });
    expect(withCode(warn, IssueCode.FEATURE_POLICY)[0]).toMatchObject({ severity: "warning" });
    expect(
      withCode(validatePlugin(manifest([ep("sum4")]), fixture("simd")), IssueCode.FEATURE_POLICY),
    ).toEqual([]);
    const off = validatePlugin(manifest([ep("sum4")]), fixture("simd"), { features: { simd: false } });
    expect(withCode(off, IssueCode.FEATURE_POLICY)[0]).toMatchObject({ severity: "error" });
  });
});

describe("validatePlugin: bad inputs", () => {
  it("reports an invalid module and a broken manifest without throwing", () => {
    const issues = validatePlugin({ id: "Not Valid" }, fixture("invalid-body"));
    expect(issues[0]).toMatchObject({ code: IssueCode.INVALID_FUNCTION_BODY, severity: "error" });
    expect(withCode(issues, IssueCode.MANIFEST_SCHEMA).length).toBeGreaterThan(0);
    expect(withCode(issues, IssueCode.MANIFEST_SCHEMA)[0]!.manifestCode).toBeTruthy();
  });
});
