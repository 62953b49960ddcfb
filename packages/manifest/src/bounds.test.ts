import { describe, expect, it } from "vitest";
import { codesOf, minimalManifest } from "../test/manifests.js";
import { checkBounds, MANIFEST_BOUNDS, parseJsonText } from "./bounds.js";
import { parseManifest } from "./parse.js";

function nestedObject(depth: number): Record<string, unknown> {
  let inner: Record<string, unknown> = {};
  for (let i = 0; i < depth; i++) inner = { a: inner };
  return inner;
}

describe("absurd inputs are rejected by the bounded pre-walk", () => {
  it("rejects a 50 MB JSON string as TOO_LARGE without parsing it", () => {
    const huge = `{"id":"${"x".repeat(50 * 1024 * 1024)}"}`;
    const result = parseManifest(huge);
    expect(result.success).toBe(false);
    expect(codesOf(result)).toEqual(["TOO_LARGE"]);
  });

  it("rejects a 50 MB string inside an object as TOO_LARGE, naming its path", () => {
    const manifest = { ...minimalManifest(), description: "x".repeat(50 * 1024 * 1024) };
    const result = parseManifest(manifest);
    expect(result).toMatchObject({ success: false, issues: [{ code: "TOO_LARGE", path: ["description"] }] });
  });

  it("rejects an object whose serialised size passes 1 MiB, stopping early", () => {
    const metadata: Record<string, string> = {};
    for (let i = 0; i < 200_000; i++) metadata[`key${i}`] = "value of some length";
    const result = parseManifest({ ...minimalManifest(), metadata });
    expect(codesOf(result)).toEqual(["TOO_LARGE"]);
    // the same data below the bound is fine
    expect(parseManifest({ ...minimalManifest(), metadata: { a: "x".repeat(60_000) } }).success).toBe(true);
  });

  it("rejects a huge array by size before visiting every item", () => {
    const result = parseManifest({ ...minimalManifest(), tags: new Array(5_000_000).fill(0) });
    expect(codesOf(result)).toEqual(["TOO_LARGE"]);
  });

  it("rejects a 100k-deep object as TOO_DEEP without overflowing the stack", () => {
    const result = parseManifest({ ...minimalManifest(), metadata: nestedObject(100_000) });
    expect(codesOf(result)).toEqual(["TOO_DEEP"]);
  });

  it("rejects 100k-deep JSON text as TOO_DEEP before JSON.parse builds it", () => {
    const text = `{"metadata":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    expect(codesOf(parseManifest(text))).toEqual(["TOO_DEEP"]);
  });

  it("rejects a 100k-deep array given as the whole input as TOO_DEEP", () => {
    let deep: unknown[] = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(codesOf(parseManifest(deep))).toEqual(["TOO_DEEP"]);
  });

  it("accepts nesting up to the bound and rejects one level more", () => {
    // root (1) + metadata (2) + nested levels
    const ok = { ...minimalManifest(), metadata: nestedObject(MANIFEST_BOUNDS.maxDepth - 2) };
    const tooDeep = { ...minimalManifest(), metadata: nestedObject(MANIFEST_BOUNDS.maxDepth - 1) };
    expect(checkBounds(ok)).toEqual([]);
    expect(codesOf(parseManifest(tooDeep))).toEqual(["TOO_DEEP"]);
  });

  it("ends on a cyclic object (TOO_DEEP) instead of looping", () => {
    const cyclic: Record<string, unknown> = minimalManifest();
    cyclic.metadata = { self: cyclic };
    expect(codesOf(parseManifest(cyclic))).toEqual(["TOO_DEEP"]);
  });

  it("rejects overlong keys", () => {
    const result = parseManifest({ ...minimalManifest(), metadata: { ["k".repeat(5000)]: 1 } });
    expect(codesOf(result)).toEqual(["TOO_LARGE"]);
  });

  it("counts depth in JSON text ignoring brackets inside strings", () => {
    const text = JSON.stringify({ ...minimalManifest(), description: "[[[[{{{{".repeat(100) });
    expect(parseJsonText(text).ok).toBe(true);
  });
});

describe("forbidden keys and prototype pollution", () => {
  it("rejects __proto__, constructor and prototype anywhere, with their paths", () => {
    const text = `{"id":"a","name":"A","version":"1.0.0","entryPoints":[{"functionName":"f","inputSchema":{"properties":{"__proto__":{"polluted":true}}}}],"metadata":{"x":{"constructor":{"prototype":{"polluted":true}}}},"__proto__":{"polluted":true}}`;
    const result = parseManifest(text);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.issues.every((i) => i.code === "FORBIDDEN_KEY")).toBe(true);
    expect(result.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        ["__proto__"],
        ["metadata", "x", "constructor"],
        ["entryPoints", 0, "inputSchema", "properties", "__proto__"],
      ]),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
  });

  it("rejects an own __proto__ key built in code (computed key), leaving Object.prototype clean", () => {
    const manifest = { ...minimalManifest(), metadata: { ["__proto__"]: { polluted: true } } };
    expect(Object.keys(manifest.metadata)).toContain("__proto__");
    expect(codesOf(parseManifest(manifest))).toEqual(["FORBIDDEN_KEY"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("only plain JSON data is accepted", () => {
  it.each([
    ["a function", () => 1],
    ["a symbol", Symbol("s")],
    ["a bigint", 10n],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["a Date", new Date(0)],
    ["a Map", new Map()],
  ])("rejects %s as INVALID_TYPE", (_, value) => {
    const result = parseManifest({ ...minimalManifest(), metadata: { bad: value } });
    expect(result).toMatchObject({
      success: false,
      issues: [{ code: "INVALID_TYPE", path: ["metadata", "bad"] }],
    });
  });

  it("rejects getters without running them", () => {
    let ran = false;
    const metadata = {};
    Object.defineProperty(metadata, "x", {
      enumerable: true,
      get() {
        ran = true;
        return 1;
      },
    });
    expect(codesOf(parseManifest({ ...minimalManifest(), metadata }))).toEqual(["INVALID_TYPE"]);
    expect(ran).toBe(false);
  });

  it("rejects sparse arrays and survives a throwing proxy", () => {
    const sparse: unknown[] = [];
    sparse[3] = "x";
    expect(codesOf(parseManifest({ ...minimalManifest(), tags: sparse }))).toEqual(["INVALID_TYPE"]);
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error("boom");
        },
      },
    );
    expect(codesOf(parseManifest(hostile))).toEqual(["INVALID_TYPE"]);
  });

  it("accepts objects without a prototype and JSON text with a byte order mark", () => {
    const bare = Object.assign(Object.create(null), minimalManifest());
    expect(parseManifest(bare).success).toBe(true);
    expect(parseManifest(`\uFEFF${JSON.stringify(minimalManifest())}`).success).toBe(true);
  });

  it("treats undefined properties as absent, like JSON.stringify", () => {
    expect(parseManifest({ ...minimalManifest(), description: undefined }).success).toBe(true);
  });

  it.each([
    ["null", null],
    ["an array", []],
    ["a number", 42],
    ["undefined", undefined],
  ])("rejects %s as the whole manifest", (_, value) => {
    expect(codesOf(parseManifest(value))).toEqual(["INVALID_TYPE"]);
  });

  it("reports broken JSON text as INVALID_JSON", () => {
    const result = parseManifest('{"id": "a",}');
    expect(result).toMatchObject({ success: false, issues: [{ code: "INVALID_JSON", path: [] }] });
  });
});
