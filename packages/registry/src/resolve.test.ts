import semver from "semver";
import { describe, expect, it } from "vitest";
import { type DeclaredDependency, type DependencySource, resolveDependencies } from "./resolve.js";

type Graph = Record<
  string,
  Record<string, Record<string, string | { range: string; optional?: boolean; type?: "System" | "Service" }>>
>;

/** A fake source: `{ app: { "1.0.0": { lib: "^1.0.0" } } }`. */
function source(graph: Graph): DependencySource {
  return {
    versions: (id) => Object.keys(graph[id] ?? {}).sort(semver.rcompare),
    dependencies: (id, version) =>
      Object.entries(graph[id]![version]!).map(([name, spec]): DeclaredDependency => {
        const s = typeof spec === "string" ? { range: spec } : spec;
        return {
          name,
          versionRequirement: s.range,
          optional: s.optional ?? false,
          dependencyType: s.type ?? "Plugin",
        };
      }),
  };
}

const ids = (r: ReturnType<typeof resolveDependencies>) => r.order.map((p) => `${p.id}@${p.version}`);

describe("resolveDependencies", () => {
  it("orders transitive dependencies first and picks the highest satisfying versions", () => {
    const r = resolveDependencies(
      source({
        app: { "1.0.0": { lib: "^1.0.0", log: "~2.1.0" } },
        lib: { "1.0.0": {}, "1.4.0": { log: ">=2.0.0" }, "2.0.0": {} },
        log: { "2.0.5": {}, "2.1.3": {}, "2.2.0": {} },
      }),
      "app",
      "1.0.0",
    );
    expect(r.ok).toBe(true);
    expect(ids(r)).toEqual(["log@2.1.3", "lib@1.4.0", "app@1.0.0"]);
    expect(r.order.find((p) => p.id === "log")!.path).toEqual(["app@1.0.0", "log@2.1.3"]);
  });

  it("settles a diamond on the one version every dependent accepts", () => {
    const r = resolveDependencies(
      source({
        app: { "1.0.0": { a: "1", b: "1" } },
        a: { "1.0.0": { d: ">=1.0.0" } },
        b: { "1.0.0": { d: "<1.5.0" } },
        d: { "1.0.0": {}, "1.4.0": {}, "1.9.0": {} },
      }),
      "app",
      "1.0.0",
    );
    expect(r.problems).toEqual([]);
    expect(r.order.find((p) => p.id === "d")!.version).toBe("1.4.0");
    expect(ids(r).at(-1)).toBe("app@1.0.0");
  });

  it("reports a diamond with conflicting ranges, with both paths", () => {
    const r = resolveDependencies(
      source({
        app: { "1.0.0": { a: "1", b: "1" } },
        a: { "1.0.0": { d: "^1.0.0" } },
        b: { "1.0.0": { d: "^2.0.0" } },
        d: { "1.2.0": {}, "2.3.0": {} },
      }),
      "app",
      "1.0.0",
    );
    expect(r.ok).toBe(false);
    expect(r.problems).toHaveLength(1);
    const problem = r.problems[0]!;
    expect(problem.kind).toBe("conflict");
    if (problem.kind !== "conflict") throw new Error("unreachable");
    expect(problem.requirements.map((q) => q.path)).toEqual([
      ["app@1.0.0", "a@1.0.0", "d"],
      ["app@1.0.0", "b@1.0.0", "d"],
    ]);
    expect(problem.available).toEqual(["2.3.0", "1.2.0"]);
    expect(ids(r)).not.toContain("d@1.2.0");
  });

  it("reports cycles with the chain", () => {
    const r = resolveDependencies(
      source({
        app: { "1.0.0": { a: "*" } },
        a: { "1.0.0": { b: "*" } },
        b: { "1.0.0": { a: "*" } },
      }),
      "app",
      "1.0.0",
    );
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      expect.objectContaining({ kind: "cycle", cycle: ["a@1.0.0", "b@1.0.0", "a@1.0.0"] }),
    ]);
    expect(ids(r)).toEqual(["b@1.0.0", "a@1.0.0", "app@1.0.0"]);
  });

  it("reports a cycle through the root", () => {
    const r = resolveDependencies(
      source({ app: { "1.0.0": { a: "*" } }, a: { "1.0.0": { app: "^1.0.0" } } }),
      "app",
      "1.0.0",
    );
    expect(r.problems.map((p) => p.kind)).toEqual(["cycle"]);
  });

  it("reports missing required dependencies and skips missing optional ones, with paths", () => {
    const r = resolveDependencies(
      source({
        app: { "1.0.0": { a: "1", extra: { range: "^1.0.0", optional: true } } },
        a: { "1.0.0": { ghost: "^3.0.0", old: "^9.0.0" } },
        old: { "1.0.0": {} },
      }),
      "app",
      "1.0.0",
    );
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      expect.objectContaining({
        kind: "missing",
        name: "ghost",
        requirements: [expect.objectContaining({ path: ["app@1.0.0", "a@1.0.0", "ghost"] })],
      }),
      expect.objectContaining({ kind: "unsatisfied", name: "old", available: ["1.0.0"] }),
    ]);
    expect(r.skipped).toEqual([
      expect.objectContaining({
        name: "extra",
        reason: "missing",
        requirements: [expect.objectContaining({ path: ["app@1.0.0", "extra"] })],
      }),
    ]);
    expect(ids(r)).toEqual(["a@1.0.0", "app@1.0.0"]);
  });

  it("includes an optional dependency that is present", () => {
    const r = resolveDependencies(
      source({ app: { "1.0.0": { extra: { range: "^1.0.0", optional: true } } }, extra: { "1.1.0": {} } }),
      "app",
      "1.0.0",
    );
    expect(ids(r)).toEqual(["extra@1.1.0", "app@1.0.0"]);
    expect(r.skipped).toEqual([]);
  });

  it("reports System and Service dependencies without resolving them", () => {
    const r = resolveDependencies(
      source({ app: { "1.0.0": { postgres: { range: ">=14.0.0", type: "Service" } } } }),
      "app",
      "1.0.0",
    );
    expect(r.ok).toBe(true);
    expect(r.external).toEqual([
      {
        name: "postgres",
        dependencyType: "Service",
        range: ">=14.0.0",
        optional: false,
        path: ["app@1.0.0", "postgres"],
      },
    ]);
  });

  it("revisits a choice when a later requirement rules it out", () => {
    // lib@2 is picked first (highest for "*"), but util@1 (reached through lib@2) requires lib <2.
    const r = resolveDependencies(
      source({
        app: { "1.0.0": { lib: "*", util: "*" } },
        lib: { "1.0.0": {}, "2.0.0": {} },
        util: { "1.0.0": { lib: "<2.0.0" } },
      }),
      "app",
      "1.0.0",
    );
    expect(r.problems).toEqual([]);
    expect(ids(r)).toEqual(["lib@1.0.0", "util@1.0.0", "app@1.0.0"]);
  });

  it("handles a 5,000-deep chain without recursion", () => {
    const graph: Graph = {};
    for (let i = 0; i < 5000; i++) graph[`p${i}`] = { "1.0.0": i < 4999 ? { [`p${i + 1}`]: "^1.0.0" } : {} };
    const r = resolveDependencies(source(graph), "p0", "1.0.0");
    expect(r.ok).toBe(true);
    expect(r.order).toHaveLength(5000);
    expect(r.order[0]!.id).toBe("p4999");
    expect(r.order[0]!.depth).toBe(4999);
  });
});
