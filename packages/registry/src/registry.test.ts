import { ErrorCode, SandboxError } from "@wasm-sandbox/manifest";
import { describe, expect, it, vi } from "vitest";
import { closing, manifest, thrown } from "../test/helpers.js";
import { buildModule } from "../test/module-builder.js";
import { sha256Hex } from "./digest.js";
import { openRegistry } from "./registry.js";
import type { RegisteredEvent, UnregisteredEvent } from "./types.js";

const track = closing();
const memory = () => track(openRegistry({ path: ":memory:" }));

describe("registerPlugin", () => {
  it("stores the manifest normalised and the bytes verbatim", () => {
    const r = memory();
    const wasm = buildModule({ exports: ["run", "other"] });
    const result = r.registerPlugin(
      manifest("acme/echo", "1.2.0", { tags: ["text"], limits: { memory: "1MiB", timeout: "2s" } }),
      wasm,
    );
    expect(result).toMatchObject({ id: "acme/echo", version: "1.2.0", created: true, size: wasm.length });
    expect(result.digest).toBe(sha256Hex(wasm));
    const stored = r.getManifest("acme/echo");
    expect(stored.limits.memory).toBe(16);
    expect(stored.limits.timeout).toBe(2000);
    expect(Buffer.from(r.getWasm("acme/echo", "1.2.0")).equals(Buffer.from(wasm))).toBe(true);
  });

  it("accepts the manifest as JSON text", () => {
    const r = memory();
    r.registerPlugin(JSON.stringify(manifest("json-text", "1.0.0")), buildModule());
    expect(r.getManifest("json-text").name).toBe("json-text plugin");
  });

  it("refuses an invalid manifest with INVALID_MANIFEST and the issues", () => {
    const r = memory();
    const error = thrown(() => r.registerPlugin({ id: "Bad Id!", version: "one" }, buildModule()));
    expect(error.code).toBe(ErrorCode.INVALID_MANIFEST);
    expect((error.issues as unknown[]).length).toBeGreaterThan(1);
    expect(error.suggestion).toBeTruthy();
    expect(r.listPlugins()).toEqual([]);
  });

  it("refuses bytes that are not wasm with VALIDATION_FAILED", () => {
    const r = memory();
    for (const bytes of [
      new Uint8Array(0),
      new TextEncoder().encode("hello, not wasm"),
      Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 99),
    ]) {
      const error = thrown(() => r.registerPlugin(manifest("nope", "1.0.0"), bytes));
      expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
      expect((error.issues as unknown[]).length).toBeGreaterThan(0);
      expect(error.suggestion).toBeTruthy();
    }
    expect(r.listPlugins()).toEqual([]);
  });

  it("refuses a non-byte argument with INVALID_ARGUMENT", () => {
    const r = memory();
    const error = thrown(() =>
      r.registerPlugin(manifest("nope", "1.0.0"), "AGFzbQ==" as unknown as Uint8Array),
    );
    expect(error.code).toBe(ErrorCode.INVALID_ARGUMENT);
  });

  it("refuses a manifest whose entry point the module does not export, naming it", () => {
    const r = memory();
    const m = manifest("missing-entry", "1.0.0", {
      entryPoints: [{ functionName: "run" }, { functionName: "transform" }],
    });
    const error = thrown(() => r.registerPlugin(m, buildModule({ exports: ["run"] })));
    expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(error.message).toContain("transform");
    expect(error.issues).toContainEqual(
      expect.objectContaining({ code: "ENTRY_NOT_EXPORTED", path: ["entryPoints", 1, "functionName"] }),
    );
    expect(() => r.getManifest("missing-entry")).toThrowError(expect.objectContaining({ code: "NOT_FOUND" }));
  });

  it("refuses imports the permissions do not grant, and limits above the host's caps", () => {
    const r = memory();
    const evil = thrown(() =>
      r.registerPlugin(manifest("importer", "1.0.0"), buildModule({ imports: [["evil", "steal"]] })),
    );
    expect(evil.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(evil.message).toContain("evil");
    const capped = track(openRegistry({ path: ":memory:", validator: { limits: { memory: 16 } } }));
    const greedy = thrown(() =>
      capped.registerPlugin(manifest("greedy", "1.0.0", { limits: { memory: "64MiB" } }), buildModule()),
    );
    expect(greedy.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(greedy.issues).toContainEqual(expect.objectContaining({ code: "LIMIT_ABOVE_HOST" }));
    expect(
      capped.registerPlugin(manifest("modest", "1.0.0", { limits: { memory: "1MiB" } }), buildModule())
        .created,
    ).toBe(true);
  });

  it("treats an identical re-registration as a no-op and anything different as a CONFLICT", () => {
    const r = memory();
    const wasm = buildModule();
    const onRegistered = vi.fn();
    r.on("registered", onRegistered);
    expect(r.registerPlugin(manifest("dup", "1.0.0"), wasm).created).toBe(true);
    // Same manifest with its keys in another order, same bytes in another buffer: identical.
    const { name, id, ...rest } = manifest("dup", "1.0.0");
    expect(r.registerPlugin({ ...rest, name, id }, Uint8Array.from(wasm)).created).toBe(false);
    expect(onRegistered).toHaveBeenCalledTimes(1);

    const otherBytes = thrown(() => r.registerPlugin(manifest("dup", "1.0.0"), buildModule({ returns: 7 })));
    expect(otherBytes.code).toBe(ErrorCode.CONFLICT);
    expect(otherBytes.suggestion).toMatch(/bump the version/);
    const otherManifest = thrown(() =>
      r.registerPlugin(manifest("dup", "1.0.0", { description: "changed" }), wasm),
    );
    expect(otherManifest.code).toBe(ErrorCode.CONFLICT);
    const buildMetadata = thrown(() => r.registerPlugin(manifest("dup", "1.0.0+build.5"), wasm));
    expect(buildMetadata.code).toBe(ErrorCode.CONFLICT);
    expect(r.getManifest("dup").description).toBe("");
  });

  it("returns warnings without refusing", () => {
    const r = memory();
    const result = r.registerPlugin(
      manifest("warned", "1.0.0", { limits: { max_fuel: 1000 } }),
      buildModule(),
    );
    expect(result.created).toBe(true);
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ severity: "warning", code: "ALIASED_KEY" }),
    );
    expect(result.warnings.every((w) => w.severity === "warning" || w.severity === "info")).toBe(true);
    // Re-registering returns the warnings stored with the first registration.
    expect(
      r.registerPlugin(manifest("warned", "1.0.0", { limits: { max_fuel: 1000 } }), buildModule()).warnings,
    ).toEqual(result.warnings);
  });
});

describe("reading", () => {
  it("getManifest picks the highest version in a range, prereleases only when asked", () => {
    const r = memory();
    for (const v of ["1.0.0", "1.4.2", "2.0.0-beta.1", "1.10.0", "0.9.0"])
      r.registerPlugin(manifest("ver", v), buildModule());
    expect(r.getManifest("ver").version).toBe("2.0.0-beta.1");
    expect(r.getManifest("ver", "^1.0.0").version).toBe("1.10.0");
    expect(r.getManifest("ver", "~1.4.0").version).toBe("1.4.2");
    expect(r.getManifest("ver", "1.0.0").version).toBe("1.0.0");
    expect(r.getManifest("ver", ">=2.0.0-beta.0").version).toBe("2.0.0-beta.1");
    expect(r.getWasm("ver", "<1.0.0")).toBeInstanceOf(Uint8Array);
    expect(r.getWasm("ver").length).toBeGreaterThan(8); // the highest version
  });

  it("finds versions with build metadata by their precedence", () => {
    const r = memory();
    r.registerPlugin(manifest("built", "2.0.0+build.7"), buildModule());
    expect(r.getManifest("built", "2.0.0").version).toBe("2.0.0+build.7");
    expect(r.getManifest("built", "^2.0.0").version).toBe("2.0.0+build.7");
    expect(r.getWasm("built", "2.0.0+build.7")).toBeInstanceOf(Uint8Array);
    expect(r.listPlugins()[0]!.versions).toEqual(["2.0.0+build.7"]);
    expect(r.unregisterPlugin("built", "2.0.0+build.7").versions).toEqual(["2.0.0+build.7"]);
  });

  it("NOT_FOUND carries a suggestion: the registered versions, or a near id", () => {
    const r = memory();
    r.registerPlugin(manifest("acme/text-tools", "1.0.0"), buildModule());
    const version = thrown(() => r.getManifest("acme/text-tools", "^2.0.0"));
    expect(version.code).toBe(ErrorCode.NOT_FOUND);
    expect(version.suggestion).toContain("1.0.0");
    const id = thrown(() => r.getWasm("text-tools", "1.0.0"));
    expect(id.code).toBe(ErrorCode.NOT_FOUND);
    expect(id.suggestion).toContain("acme/text-tools");
    const typo = thrown(() => r.getManifest("acme/txet-tools"));
    expect(typo.suggestion).toBe('Did you mean "acme/text-tools"?');
    const none = thrown(() => r.getManifest("zzz"));
    expect(none.suggestion).toMatch(/registerPlugin/);
  });

  it("refuses malformed ids and ranges with INVALID_ARGUMENT", () => {
    const r = memory();
    expect(thrown(() => r.getManifest("../etc/passwd")).code).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(thrown(() => r.getManifest("ok", "not a range")).code).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(thrown(() => r.getWasm("ok", 3 as unknown as string)).code).toBe(ErrorCode.INVALID_ARGUMENT);
  });

  it("listPlugins shows each plugin's highest version and all versions in order", () => {
    const r = memory();
    for (const v of ["1.0.0", "2.0.0", "1.5.0"])
      r.registerPlugin(manifest("b-plugin", v, { author: "Ann" }), buildModule());
    r.registerPlugin(manifest("a-plugin", "0.1.0", { tags: ["x"] }), buildModule());
    const list = r.listPlugins();
    expect(list.map((p) => [p.id, p.version, p.versions])).toEqual([
      ["a-plugin", "0.1.0", ["0.1.0"]],
      ["b-plugin", "2.0.0", ["1.0.0", "1.5.0", "2.0.0"]],
    ]);
    expect(list[1]).toMatchObject({
      author: "Ann",
      tags: [],
      capabilities: ["clock", "clock:real", "random", "random:secure"],
    });
  });
});

describe("unregisterPlugin", () => {
  it("removes one version or all, and frees blobs no longer used", () => {
    const r = memory();
    for (const v of ["1.0.0", "1.1.0", "2.0.0"])
      r.registerPlugin(manifest("gone", v), buildModule({ returns: Number(v[0]) }));
    expect(r.unregisterPlugin("gone", "1.1.0")).toEqual({ id: "gone", versions: ["1.1.0"] });
    expect(r.getManifest("gone", "^1.0.0").version).toBe("1.0.0");
    expect(r.unregisterPlugin("gone")).toEqual({ id: "gone", versions: ["1.0.0", "2.0.0"] });
    expect(thrown(() => r.getManifest("gone")).code).toBe(ErrorCode.NOT_FOUND);
    expect(thrown(() => r.unregisterPlugin("gone")).code).toBe(ErrorCode.NOT_FOUND);
    expect(thrown(() => r.unregisterPlugin("gone", "1.x" as string)).code).toBe(ErrorCode.INVALID_ARGUMENT);
  });

  it("refuses to remove what a registered plugin requires, unless forced", () => {
    const r = memory();
    r.registerPlugin(manifest("lib", "1.0.0"), buildModule());
    r.registerPlugin(manifest("lib", "1.2.0"), buildModule());
    r.registerPlugin(
      manifest("app", "1.0.0", { dependencies: [{ name: "lib", versionRequirement: "^1.1.0" }] }),
      buildModule(),
    );
    r.registerPlugin(
      manifest("extra", "1.0.0", {
        dependencies: [{ name: "lib", versionRequirement: "^1.0.0", optional: true }],
      }),
      buildModule(),
    );
    // 1.0.0 does not satisfy app's ^1.1.0, so removing it harms nobody.
    expect(r.unregisterPlugin("lib", "1.0.0").versions).toEqual(["1.0.0"]);
    const refused = thrown(() => r.unregisterPlugin("lib", "1.2.0"));
    expect(refused.code).toBe(ErrorCode.DEPENDENCY_ERROR);
    expect(refused.message).toContain("app@1.0.0");
    expect(refused.suggestion).toMatch(/force/);
    expect((refused.context as { dependents: unknown[] }).dependents).toEqual([
      { id: "app", version: "1.0.0", range: "^1.1.0" },
    ]);
    expect(r.getManifest("lib").version).toBe("1.2.0");
    expect(r.unregisterPlugin("lib", { force: true }).versions).toEqual(["1.2.0"]);
    expect(r.getDependencies("app").problems).toEqual([
      expect.objectContaining({ kind: "missing", name: "lib" }),
    ]);
  });
});

describe("events", () => {
  it("emits registered and unregistered after the change, and unsubscribes", () => {
    const r = memory();
    const seen: string[] = [];
    const off = r.on("registered", (e: RegisteredEvent) => {
      // The listener sees the committed state.
      expect(r.getManifest(e.id, e.version).id).toBe(e.id);
      seen.push(`+${e.id}@${e.version}:${e.manifest.name}`);
    });
    r.on("unregistered", (e: UnregisteredEvent) => seen.push(`-${e.id}@${e.version}${e.forced ? "!" : ""}`));
    r.registerPlugin(manifest("ev", "1.0.0"), buildModule());
    r.registerPlugin(manifest("ev", "2.0.0"), buildModule());
    off();
    r.registerPlugin(manifest("ev", "3.0.0"), buildModule());
    r.unregisterPlugin("ev", "1.0.0");
    r.unregisterPlugin("ev", undefined, { force: true });
    expect(seen).toEqual([
      "+ev@1.0.0:ev plugin",
      "+ev@2.0.0:ev plugin",
      "-ev@1.0.0",
      "-ev@3.0.0!",
      "-ev@2.0.0!",
    ]);
  });

  it("a failed registration emits nothing; a throwing listener does not undo the change", () => {
    const r = memory();
    const listener = vi.fn(() => {
      throw new Error("listener bug");
    });
    r.on("registered", listener);
    const warning = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    thrown(() => r.registerPlugin(manifest("bad", "1.0.0"), new Uint8Array(4)));
    expect(listener).not.toHaveBeenCalled();
    r.registerPlugin(manifest("good", "1.0.0"), buildModule());
    expect(listener).toHaveBeenCalledTimes(1);
    expect(warning).toHaveBeenCalledWith(expect.stringContaining("listener bug"), expect.anything());
    warning.mockRestore();
    expect(r.getManifest("good").version).toBe("1.0.0");
  });

  it("refuses unknown events", () => {
    const r = memory();
    expect(thrown(() => r.on("changed" as "registered", () => {})).code).toBe(ErrorCode.INVALID_ARGUMENT);
  });
});

describe("close", () => {
  it("makes later calls fail with INVALID_ARGUMENT, and is idempotent", () => {
    const r = openRegistry({ path: ":memory:" });
    r.close();
    r.close();
    expect(r.closed).toBe(true);
    const error = thrown(() => r.listPlugins());
    expect(SandboxError.is(error, ErrorCode.INVALID_ARGUMENT)).toBe(true);
  });

  it("openRegistry refuses bad options", () => {
    expect(thrown(() => openRegistry({} as { path: string })).code).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(thrown(() => openRegistry({ path: ":memory:", busyTimeoutMs: -1 })).code).toBe(
      ErrorCode.INVALID_ARGUMENT,
    );
  });
});
