import { join } from "node:path";
import { ErrorCode, SandboxError } from "@wasm-sandbox/manifest";
import { describe, expect, it } from "vitest";
import { closing, manifest, tempDir, thrown } from "../test/helpers.js";
import { buildModule } from "../test/module-builder.js";
import { openRegistry } from "./registry.js";
import { assertResolved } from "./resolve.js";

const track = closing();
const wasm = buildModule();
const dep = (name: string, versionRequirement: string, extra: Record<string, unknown> = {}) => ({
  name,
  versionRequirement,
  ...extra,
});

function registry(plugins: [string, string, ReturnType<typeof dep>[]][]) {
  const r = track(openRegistry({ path: ":memory:" }));
  for (const [id, version, dependencies] of plugins)
    r.registerPlugin(manifest(id, version, { dependencies }), wasm);
  return r;
}

const order = (r: ReturnType<typeof registry>, id: string, version?: string) =>
  r.getDependencies(id, version).order.map((p) => `${p.id}@${p.version}`);

describe("getDependencies", () => {
  it("resolves transitively in load order, highest satisfying versions, for a chosen root version", () => {
    const r = registry([
      ["app", "1.0.0", [dep("ui", "^2.0.0"), dep("core", "^1.0.0")]],
      ["app", "2.0.0", [dep("core", "^2.0.0")]],
      ["ui", "2.0.0", [dep("core", ">=1.1.0")]],
      ["ui", "2.3.0", [dep("core", ">=1.2.0")]],
      ["core", "1.1.0", []],
      ["core", "1.2.5", []],
      ["core", "2.0.0", []],
    ]);
    expect(order(r, "app", "1.0.0")).toEqual(["core@1.2.5", "ui@2.3.0", "app@1.0.0"]);
    expect(order(r, "app", "^1.0.0")).toEqual(["core@1.2.5", "ui@2.3.0", "app@1.0.0"]);
    expect(order(r, "app")).toEqual(["core@2.0.0", "app@2.0.0"]);
    expect(r.getDependencies("app", "1.0.0").order[0]).toEqual({
      id: "core",
      version: "1.2.5",
      depth: 1,
      path: ["app@1.0.0", "core@1.2.5"],
    });
  });

  it("reports a cycle among registered plugins with its chain, and assertResolved throws DEPENDENCY_ERROR", () => {
    const r = registry([
      ["a", "1.0.0", [dep("b", "1")]],
      ["b", "1.0.0", [dep("c", "1")]],
      ["c", "1.0.0", [dep("a", "1")]],
    ]);
    const resolution = r.getDependencies("a");
    expect(resolution.ok).toBe(false);
    expect(resolution.problems).toEqual([
      expect.objectContaining({ kind: "cycle", cycle: ["a@1.0.0", "b@1.0.0", "c@1.0.0", "a@1.0.0"] }),
    ]);
    const error = thrown(() => assertResolved(resolution));
    expect(SandboxError.is(error, ErrorCode.DEPENDENCY_ERROR)).toBe(true);
    expect(error.message).toContain("a@1.0.0 > b@1.0.0 > c@1.0.0 > a@1.0.0");
    expect((error.context as { problems: unknown[] }).problems).toHaveLength(1);
  });

  it("reports a diamond with conflicting ranges with both paths", () => {
    const r = registry([
      ["top", "1.0.0", [dep("left", "1"), dep("right", "1")]],
      ["left", "1.0.0", [dep("base", "~1.2.0")]],
      ["right", "1.0.0", [dep("base", "^1.5.0")]],
      ["base", "1.2.9", []],
      ["base", "1.6.0", []],
    ]);
    const { problems, order: loaded } = r.getDependencies("top");
    expect(problems).toEqual([
      expect.objectContaining({
        kind: "conflict",
        name: "base",
        available: ["1.6.0", "1.2.9"],
        requirements: [
          expect.objectContaining({ range: "~1.2.0", path: ["top@1.0.0", "left@1.0.0", "base"] }),
          expect.objectContaining({ range: "^1.5.0", path: ["top@1.0.0", "right@1.0.0", "base"] }),
        ],
      }),
    ]);
    expect(loaded.map((p) => p.id)).toEqual(["left", "right", "top"]);
  });

  it("skips a missing optional dependency and reports a missing required one", () => {
    const r = registry([
      ["solo", "1.0.0", [dep("nice-to-have", "*", { optional: true }), dep("needed", "^1.0.0")]],
    ]);
    const resolution = r.getDependencies("solo");
    expect(resolution.skipped).toEqual([
      expect.objectContaining({ name: "nice-to-have", reason: "missing" }),
    ]);
    expect(resolution.problems).toEqual([
      expect.objectContaining({
        kind: "missing",
        name: "needed",
        message: expect.stringContaining("solo@1.0.0 > needed"),
      }),
    ]);
  });

  it("sees changes made by this registry and by other connections (the resolver's cache is invalidated)", () => {
    const path = join(tempDir(), "deps.db");
    const reader = track(openRegistry({ path }));
    const writer = track(openRegistry({ path }));
    reader.registerPlugin(manifest("lib", "1.0.0"), wasm);
    reader.registerPlugin(manifest("app", "1.0.0", { dependencies: [dep("lib", "^1.0.0")] }), wasm);
    expect(order(reader, "app")).toEqual(["lib@1.0.0", "app@1.0.0"]);
    writer.registerPlugin(manifest("lib", "1.1.0"), wasm);
    expect(order(reader, "app")).toEqual(["lib@1.1.0", "app@1.0.0"]);
    reader.unregisterPlugin("lib", "1.1.0");
    expect(order(reader, "app")).toEqual(["lib@1.0.0", "app@1.0.0"]);
    writer.unregisterPlugin("lib", undefined, { force: true });
    expect(reader.getDependencies("app").problems).toEqual([expect.objectContaining({ kind: "missing" })]);
  });

  it("NOT_FOUND for an unknown root", () => {
    const r = registry([]);
    expect(thrown(() => r.getDependencies("ghost")).code).toBe(ErrorCode.NOT_FOUND);
  });
});
