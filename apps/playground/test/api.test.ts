import { appendCustomSection, MANIFEST_SECTION, packPlugin } from "@wasm-sandbox/registry";
import { securityAudit } from "@wasm-sandbox/validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { example, postJson, startServer, type TestServer } from "./helpers.js";

interface ErrorReply {
  error: { code: string; message: string; suggestion?: string; context?: Record<string, unknown> };
}
interface ListReply {
  plugins: { id: string; version: string; name?: string }[];
}

const CALCULATOR = "examples/calculator";
const FUEL_HOG = "examples/fuel-hog";
const EXAMPLE_COUNT = 5;

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

function form(wasm: Uint8Array<ArrayBuffer>, manifest?: unknown): FormData {
  const data = new FormData();
  data.append("wasm", new Blob([wasm], { type: "application/wasm" }), "plugin.wasm");
  if (manifest !== undefined) {
    data.append(
      "manifest",
      new Blob([JSON.stringify(manifest)], { type: "application/json" }),
      "manifest.json",
    );
  }
  return data;
}

const plugin = (id: string) => `/api/plugins/${encodeURIComponent(id)}`;

describe("plugins", () => {
  it("lists the preloaded example plugins", async () => {
    const { status, body } = await server.api<ListReply>("/api/plugins");
    expect(status).toBe(200);
    const ids = body.plugins.map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining([CALCULATOR, FUEL_HOG]));
    expect(new Set(ids).size).toBeGreaterThanOrEqual(EXAMPLE_COUNT);
  });

  it("preloads idempotently: a restart on the same data directory registers nothing new", async () => {
    const before = (await server.api<ListReply>("/api/plugins")).body.plugins.length;
    const again = await startServer({ dataDir: server.dataDir, preloadExamples: true });
    try {
      expect(again.preloaded).toEqual([]);
      expect((await again.api<ListReply>("/api/plugins")).body.plugins).toHaveLength(before);
    } finally {
      await again.close();
    }
  });

  it("searches by text", async () => {
    const { status, body } = await server.api<ListReply>("/api/plugins?q=calculator");
    expect(status).toBe(200);
    const ids = body.plugins.map((p) => p.id);
    expect(ids).toContain(CALCULATOR);
    expect(ids).not.toContain(FUEL_HOG);
  });

  it("returns a plugin's manifest, versions and entry signatures, by encoded or plain namespaced id", async () => {
    interface Details {
      manifest: { id: string; entryPoints: { functionName: string }[] };
      versions: string[];
      signatures: Record<string, { params: string[]; results: string[] }>;
    }
    const found = await server.api<Details>(plugin(CALCULATOR));
    expect(found.status).toBe(200);
    expect(found.body.manifest.entryPoints.map((e) => e.functionName)).toContain("add");
    expect(found.body.versions).toEqual(["1.0.0"]);
    expect(found.body.signatures.add).toEqual({ params: ["i32", "i32"], results: ["i32"] });

    const plain = await server.api<Details>(`/api/plugins/${CALCULATOR}/1.0.0`);
    expect(plain.status).toBe(200);
    expect(plain.body.manifest.id).toBe(CALCULATOR);
    const noVersion = await server.api<Details>(`/api/plugins/${CALCULATOR}/9.9.9`);
    expect(noVersion.status).toBe(404);
  });

  it("answers NOT_FOUND with a suggestion for an unknown plugin", async () => {
    const missing = await server.api<ErrorReply>("/api/plugins/no-such-plugin");
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("NOT_FOUND");
    expect(missing.body.error.suggestion).toBeTruthy();
  });
});

describe("validate and register", () => {
  it("reports a module that is not WebAssembly, without registering it", async () => {
    const { manifest } = await example("calculator");
    const junk = new TextEncoder().encode("definitely not a wasm module");
    const { status, body } = await server.api<{ ok: boolean; issues: { code: string; severity: string }[] }>(
      "/api/validate",
      { method: "POST", body: form(junk, { ...manifest, id: "junk-plugin" }) },
    );
    expect(status).toBe(200);
    expect(body.ok).toBe(false);
    expect(body.issues.some((i) => i.severity === "error" && i.code === "BAD_MAGIC")).toBe(true);
    const listed = await server.api<ListReply>("/api/plugins");
    expect(listed.body.plugins.map((p) => p.id)).not.toContain("junk-plugin");
  });

  it("reports manifest errors with their path", async () => {
    const { wasm } = await example("calculator");
    const { body } = await server.api<{ ok: boolean; issues: { path: unknown[]; severity: string }[] }>(
      "/api/validate",
      postJson({ wasm: Buffer.from(wasm).toString("base64"), manifest: { id: "Bad Id!", entryPoints: [] } }),
    );
    expect(body.ok).toBe(false);
    expect(body.issues.some((i) => i.severity === "error" && i.path[0] === "id")).toBe(true);
  });

  it("audits a good upload before anything runs, then registers and runs it", async () => {
    const { manifest, wasm } = await example("calculator");
    const ours = { ...manifest, id: "uploaded-calculator", name: "Uploaded calculator", version: "1.0.0" };
    const checked = await server.api<{ ok: boolean; audit: { securityScore: number; issues: unknown[] } }>(
      "/api/validate",
      { method: "POST", body: form(wasm, ours) },
    );
    expect(checked.status).toBe(200);
    expect(checked.body.ok).toBe(true);
    expect(checked.body.audit.securityScore).toBeGreaterThanOrEqual(0);
    expect(checked.body.audit.securityScore).toBeLessThanOrEqual(100);
    // the server's audit is the validator's, not a number of its own
    expect(checked.body.audit.securityScore).toBe(securityAudit(ours, wasm).securityScore);
    expect(Array.isArray(checked.body.audit.issues)).toBe(true);
    // Checking stored nothing.
    expect((await server.api(plugin("uploaded-calculator"))).status).toBe(404);

    const registered = await server.api<{ ok: boolean; manifest: { id: string } }>("/api/plugins", {
      method: "POST",
      body: form(wasm, ours),
    });
    expect(registered.status).toBe(201);
    expect(registered.body.manifest.id).toBe("uploaded-calculator");
    const listed = await server.api<ListReply>("/api/plugins?q=uploaded");
    expect(listed.body.plugins.map((p) => p.id)).toContain("uploaded-calculator");

    const run = await server.api<{ value: unknown }>(
      "/api/run",
      postJson({ id: "uploaded-calculator", entry: "add", params: [20, 22] }),
    );
    expect(run.status).toBe(200);
    expect(run.body.value).toBe(42);
  });

  it("reads a manifest packed into the module's custom section, and stores the module without it", async () => {
    const { manifest, wasm } = await example("calculator");
    const packed = Uint8Array.from(packPlugin({ ...manifest, id: "packed-calculator" }, wasm));
    const checked = await server.api<{ ok: boolean; embeddedManifest: boolean; manifest: { id: string } }>(
      "/api/validate",
      { method: "POST", body: form(packed) },
    );
    expect(checked.body.ok).toBe(true);
    expect(checked.body.embeddedManifest).toBe(true);
    expect(checked.body.manifest.id).toBe("packed-calculator");

    const registered = await server.api<{ registered: { size: number } }>("/api/plugins", {
      method: "POST",
      body: form(packed),
    });
    expect(registered.status).toBe(201);
    expect(registered.body.registered.size).toBe(wasm.byteLength);
    const run = await server.api<{ value: unknown }>(
      "/api/run",
      postJson({ id: "packed-calculator", entry: "add", params: [5, 3] }),
    );
    expect(run.body.value).toBe(8);
  });

  it("reports an unreadable embedded manifest and a missing one", async () => {
    const { wasm } = await example("calculator");
    const broken = Uint8Array.from(
      appendCustomSection(wasm, MANIFEST_SECTION, new TextEncoder().encode("{ nope")),
    );
    const bad = await server.api<{ ok: boolean; issues: { code: string; severity: string }[] }>(
      "/api/validate",
      { method: "POST", body: form(broken) },
    );
    expect(bad.body.ok).toBe(false);
    expect(bad.body.issues[0]?.severity).toBe("error");

    const none = await server.api<{ ok: boolean; issues: { code: string }[] }>("/api/validate", {
      method: "POST",
      body: form(wasm),
    });
    expect(none.body.ok).toBe(false);
    expect(none.body.issues.map((i) => i.code)).toContain("MANIFEST_MISSING");
  });

  it("flags a manifest asking for more than the server's maxima", async () => {
    const { manifest, wasm } = await example("calculator");
    const greedy = { ...manifest, id: "greedy-calculator", limits: { timeout: "1h" } };
    const { body } = await server.api<{ ok: boolean; issues: { code: string; severity: string }[] }>(
      "/api/validate",
      { method: "POST", body: form(wasm, greedy) },
    );
    expect(body.ok).toBe(false);
    expect(body.issues.some((i) => i.code === "LIMIT_ABOVE_HOST" && i.severity === "error")).toBe(true);
  });

  it("refuses to register a plugin that fails its checks", async () => {
    const { manifest } = await example("calculator");
    const junk = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99]);
    const { status, body } = await server.api<ErrorReply>("/api/plugins", {
      method: "POST",
      body: form(junk, { ...manifest, id: "refused-plugin" }),
    });
    expect(status).toBe(422);
    expect(body.error.code).toBe("VALIDATION_FAILED");
    expect((await server.api(plugin("refused-plugin"))).status).toBe(404);
  });

  it("refuses a form with an unknown or repeated field instead of dropping it", async () => {
    const { manifest, wasm } = await example("calculator");
    const misspelt = form(wasm);
    misspelt.append("manfest", JSON.stringify(manifest));
    const repeated = form(wasm, manifest);
    repeated.append("manifest", JSON.stringify({ ...manifest, id: "second" }));
    for (const body of [misspelt, repeated]) {
      const { status, body: reply } = await server.api<ErrorReply>("/api/validate", { method: "POST", body });
      expect(status).toBe(400);
      expect(reply.error.code).toBe("INVALID_INPUT");
    }
  });

  it("answers 413 with a JSON error for a wasm over 16 MiB", async () => {
    const big = new Uint8Array(16 * 1024 * 1024 + 1);
    const { manifest } = await example("calculator");
    const multipart = await server.api<ErrorReply>("/api/validate", {
      method: "POST",
      body: form(big, manifest),
    });
    expect(multipart.status).toBe(413);
    expect(multipart.body.error.message).toMatch(/16 MiB/);
    expect(multipart.body.error.suggestion).toBeTruthy();

    const json = await server.api<ErrorReply>(
      "/api/validate",
      postJson({ wasm: Buffer.from(big).toString("base64"), manifest }),
    );
    expect(json.status).toBe(413);
  });

  it("answers 413 before reading a body larger than any valid upload, and for an oversized run request", async () => {
    const huge = new Uint8Array(32 * 1024 * 1024);
    const upload = await server.api<ErrorReply>("/api/plugins", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: huge,
    });
    expect(upload.status).toBe(413);
    expect(upload.body.error.suggestion).toBeTruthy();

    const run = await server.api<ErrorReply>(
      "/api/run",
      postJson({ id: CALCULATOR, entry: "add", params: ["x".repeat(2 * 1024 * 1024)] }),
    );
    expect(run.status).toBe(413);
  });

  it("answers 413 for a manifest over 1 MiB", async () => {
    const { wasm } = await example("calculator");
    const manifest = JSON.stringify({ padding: "x".repeat(1024 * 1024) });
    const data = new FormData();
    data.append("wasm", new Blob([wasm]), "plugin.wasm");
    data.append("manifest", new Blob([manifest]), "manifest.json");
    const { status, body } = await server.api<ErrorReply>("/api/validate", { method: "POST", body: data });
    expect(status).toBe(413);
    expect(body.error.message).toMatch(/manifest/);
  });
});

describe("run", () => {
  it("runs add(5, 3) = 8 and reports the call's usage", async () => {
    const { status, body } = await server.api<{ value: unknown; usage: Record<string, unknown> }>(
      "/api/run",
      postJson({ id: CALCULATOR, entry: "add", params: [5, 3] }),
    );
    expect(status).toBe(200);
    expect(body.value).toBe(8);
    expect(Object.keys(body.usage).length).toBeGreaterThan(0);
  });

  it("stops the infinite loop with TIMEOUT within its limit, and other requests complete meanwhile", async () => {
    const entry = "spin";
    const timeout = 1000;
    const started = Date.now();
    const run = server.api<ErrorReply>(
      "/api/run",
      postJson({ id: FUEL_HOG, entry, params: [], limits: { timeout, fuel: 10_000_000_000 } }),
    );
    const other = server.api<ListReply>("/api/plugins").then((r) => ({ ...r, at: Date.now() - started }));
    const [hog, list] = await Promise.all([run, other]);
    const elapsed = Date.now() - started;
    expect(hog.status).toBe(422);
    expect(hog.body.error.code).toBe("TIMEOUT");
    expect(hog.body.error.suggestion).toBeTruthy();
    // It really ran up to its limit, and was stopped well before anything like an unbounded loop.
    expect(elapsed).toBeGreaterThanOrEqual(timeout - 50);
    expect(elapsed).toBeLessThan(timeout + 4000);
    // The other request was not held up beyond the plugin's own time limit.
    expect(list.status).toBe(200);
    expect(list.at).toBeLessThan(timeout + 4000);
  });

  it("stops the infinite loop with RESOURCE_EXHAUSTED when fuel runs out first", async () => {
    const entry = "spin";
    const { status, body } = await server.api<ErrorReply>(
      "/api/run",
      postJson({ id: FUEL_HOG, entry, params: [], limits: { fuel: 100_000, timeout: 5000 } }),
    );
    expect(status).toBe(422);
    expect(body.error.code).toBe("RESOURCE_EXHAUSTED");
    expect(body.error.context?.kind).toBe("fuel");
  });

  it("runs a json entry, collects a streaming entry's items, and returns the plugin's log", async () => {
    const TEXT = "examples/text-processor";
    const counted = await server.api<{ value: unknown; logs: { level: string; message: string }[] }>(
      "/api/run",
      postJson({ id: TEXT, entry: "word_count", params: ["hello big world"] }),
    );
    expect(counted.status).toBe(200);
    expect(counted.body.value).toEqual({ words: 3, characters: 15, lines: 1 });
    expect(counted.body.logs.length).toBeGreaterThan(0);

    const streamed = await server.api<{ value: unknown }>(
      "/api/run",
      postJson({ id: TEXT, entry: "split_words", params: ["hello big world"] }),
    );
    expect(streamed.body.value).toEqual(["hello", "big", "world"]);
  });

  it("reports a trap with its kind", async () => {
    const { status, body } = await server.api<ErrorReply>(
      "/api/run",
      postJson({ id: CALCULATOR, entry: "divide", params: [5, 0] }),
    );
    expect(status).toBe(422);
    expect(body.error.code).toBe("TRAP");
    expect(body.error.context?.trapKind).toBe("divide-by-zero");
    // The next call gets a fresh instance and works.
    const next = await server.api<{ value: unknown }>(
      "/api/run",
      postJson({ id: CALCULATOR, entry: "divide", params: [9, 3] }),
    );
    expect(next.body.value).toBe(3);
  });

  it("caps the memory hog at the run's memory limit", async () => {
    const MEMORY_HOG = "examples/memory-hog";
    const grown = await server.api<{ value: unknown; usage: { peakMemoryBytes: number } }>(
      "/api/run",
      postJson({ id: MEMORY_HOG, entry: "grow_until_refused", params: [], limits: { memory: 8 } }),
    );
    expect(grown.status).toBe(200);
    expect(grown.body.value).toBe(8);
    expect(grown.body.usage.peakMemoryBytes).toBe(8 * 65536);

    const died = await server.api<ErrorReply>(
      "/api/run",
      postJson({ id: MEMORY_HOG, entry: "grow_or_die", params: [], limits: { memory: "1MiB" } }),
    );
    expect(died.status).toBe(422);
    expect(died.body.error.code).toBe("RESOURCE_EXHAUSTED");
    expect(died.body.error.context).toMatchObject({ kind: "memory", limit: 1024 * 1024 });
  });

  it("refuses limits above the server's maxima", async () => {
    const { status, body } = await server.api<ErrorReply>(
      "/api/run",
      postJson({ id: CALCULATOR, entry: "add", params: [1, 2], limits: { timeout: 3_600_000 } }),
    );
    expect(status).toBe(400);
    expect(body.error.code).toBe("INVALID_INPUT");
    expect(body.error.suggestion).toMatch(/10000 ms/);
  });

  it("answers a malformed run request with INVALID_INPUT and an unknown entry with NOT_FOUND", async () => {
    const bad = await server.api<ErrorReply>("/api/run", postJson({ id: CALCULATOR }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("INVALID_INPUT");
    expect(bad.body.error.message).toMatch(/entry/);

    const unknown = await server.api<ErrorReply>(
      "/api/run",
      postJson({ id: CALCULATOR, entry: "nope", params: [] }),
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.suggestion).toMatch(/add/);
  });

  it("answers wrong parameters with the runtime's typed error", async () => {
    const { status, body } = await server.api<ErrorReply>(
      "/api/run",
      postJson({ id: CALCULATOR, entry: "add", params: ["five", 3] }),
    );
    expect(status).toBe(400);
    expect(body.error.code).toBe("INVALID_INPUT");
  });
});
