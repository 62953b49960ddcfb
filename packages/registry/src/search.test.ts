import { ErrorCode } from "@wasm-sandbox/manifest";
import { beforeAll, describe, expect, it } from "vitest";
import { manifest, thrown } from "../test/helpers.js";
import { buildModule } from "../test/module-builder.js";
import { openRegistry, type PluginRegistry } from "./registry.js";

let r: PluginRegistry;

beforeAll(() => {
  r = openRegistry({ path: ":memory:" });
  const wasm = buildModule();
  const add = (id: string, version: string, extra: Record<string, unknown>) =>
    r.registerPlugin(manifest(id, version, extra), wasm);
  add("image-resize", "1.0.0", {
    name: "Image Resize",
    description: "Scales PNG and JPEG images",
    author: "Pixel Co",
    tags: ["image", "png"],
  });
  add("image-resize", "2.0.0", {
    name: "Image Resize",
    description: "Scales PNG, JPEG and WebP images quickly",
    author: "Pixel Co",
    tags: ["image", "png", "webp"],
    permissions: { filesystem: { denyAll: false, readPaths: ["/in"], writePaths: ["/in/out"] } },
  });
  add("thumbnailer", "0.3.0", {
    name: "Thumbnailer",
    description: "Makes small previews of an image",
    author: "someone else",
    tags: ["preview"],
    permissions: { network: { denyAll: false, allowedDomains: ["cdn.example.com"] }, clock: "frozen" },
  });
  add("text-stats", "1.1.0", {
    name: "Text Stats",
    description: "Counts words, NEAR duplicates and DROP caps in text",
    author: "pixel co",
    tags: ["text"],
    permissions: { envVars: ["LANG"], hostFunctions: ["kv.get"], random: "seeded", randomSeed: 1 },
  });
});

const ids = (query: Parameters<PluginRegistry["searchPlugins"]>[0]) =>
  r.searchPlugins(query).map((p) => `${p.id}@${p.version}`);

describe("searchPlugins", () => {
  it("finds words in name, description and tags, ranking name matches first", () => {
    expect(ids({ text: "image" })).toEqual(["image-resize@2.0.0", "thumbnailer@0.3.0"]);
    expect(ids({ text: "webp" })).toEqual(["image-resize@2.0.0"]);
    expect(ids({ text: "preview" })).toEqual(["thumbnailer@0.3.0"]);
    const hits = r.searchPlugins({ text: "image" });
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
  });

  it("matches the last word as a prefix, for search-as-you-type", () => {
    expect(ids({ text: "thumb" })).toEqual(["thumbnailer@0.3.0"]);
    expect(ids({ text: "text st" })).toEqual(["text-stats@1.1.0"]);
    expect(ids({ text: "st text" })).toEqual([]);
  });

  it("requires every word and ignores case and diacritics", () => {
    expect(ids({ text: "IMAGE previews" })).toEqual(["thumbnailer@0.3.0"]);
    expect(ids({ text: "imagé" })).toEqual(["image-resize@2.0.0", "thumbnailer@0.3.0"]);
    expect(ids({ text: "image nothing-like-this" })).toEqual([]);
  });

  it("shows per plugin the highest version matching every filter", () => {
    expect(ids({ text: "jpeg" })).toEqual(["image-resize@2.0.0"]);
    expect(ids({ text: "jpeg", requiredCapabilities: ["filesystem"] })).toEqual(["image-resize@2.0.0"]);
    expect(ids({ tags: ["png"] })).toEqual(["image-resize@2.0.0"]);
    expect(ids({ text: "images", minVersion: "1.5.0" })).toEqual(["image-resize@2.0.0"]);
    expect(ids({ text: "images", minVersion: "2.0.1" })).toEqual([]);
  });

  it("combines author, tags, minVersion and capabilities", () => {
    expect(ids({ author: "PIXEL CO" })).toEqual(["image-resize@2.0.0", "text-stats@1.1.0"]);
    expect(ids({ author: "pixel co", tags: ["TEXT"] })).toEqual(["text-stats@1.1.0"]);
    expect(ids({ tags: ["image", "webp"] })).toEqual(["image-resize@2.0.0"]);
    expect(ids({ minVersion: "1.0.0" })).toEqual(["image-resize@2.0.0", "text-stats@1.1.0"]);
    expect(ids({})).toHaveLength(3);
  });

  it("filters on the capability vocabulary", () => {
    expect(ids({ requiredCapabilities: ["network"] })).toEqual(["thumbnailer@0.3.0"]);
    expect(ids({ requiredCapabilities: ["network:CDN.example.com"] })).toEqual(["thumbnailer@0.3.0"]);
    expect(ids({ requiredCapabilities: ["network:other.example.com"] })).toEqual([]);
    expect(ids({ requiredCapabilities: ["filesystem:write", "filesystem:read"] })).toEqual([
      "image-resize@2.0.0",
    ]);
    expect(ids({ requiredCapabilities: ["env:LANG", "hostFunctions:kv.get", "random:seeded"] })).toEqual([
      "text-stats@1.1.0",
    ]);
    expect(ids({ requiredCapabilities: ["clock:frozen"] })).toEqual(["thumbnailer@0.3.0"]);
    expect(ids({ requiredCapabilities: ["clock"] })).toEqual(["image-resize@2.0.0", "text-stats@1.1.0"]);
    expect(ids({ requiredCapabilities: ["random"] })).toEqual(["image-resize@2.0.0", "thumbnailer@0.3.0"]);
    expect(ids({ requiredCapabilities: ["hostFunctions"] })).toEqual(["text-stats@1.1.0"]);
  });

  it("treats SQL and FTS syntax in the text as plain words", () => {
    const tables = () => r.listPlugins().length;
    for (const text of [
      "'; DROP TABLE plugins; --",
      "'; DROP TABLE versions; --",
      '"unbalanced',
      "NEAR(",
      "NEAR(image text, 2)",
      "*",
      "image*",
      "name:image",
      "image OR text",
      "^image",
      "(",
      ")",
      "-",
      "AND",
      "\u0000",
      "' OR 1=1 --",
    ]) {
      expect(() => r.searchPlugins({ text }), text).not.toThrow();
    }
    expect(tables()).toBe(3);
    // Operators are words: "DROP" and "NEAR" match the plugin whose description contains them.
    expect(ids({ text: "'; DROP TABLE plugins; --" })).toEqual([]);
    expect(ids({ text: "drop caps" })).toEqual(["text-stats@1.1.0"]);
    expect(ids({ text: "NEAR(" })).toEqual(["text-stats@1.1.0"]);
    expect(ids({ text: "image OR text" })).toEqual([]);
    // A column filter is two words: "name" occurs nowhere, "resize:image" matches the plugin with both.
    expect(ids({ text: "name:image" })).toEqual([]);
    expect(ids({ text: "resize:image" })).toEqual(["image-resize@2.0.0"]);
    expect(ids({ text: '"unbalanced' })).toEqual([]);
    // No word at all: no text condition.
    expect(ids({ text: "*" })).toHaveLength(3);
  });

  it("refuses malformed queries with INVALID_ARGUMENT and a suggestion", () => {
    for (const query of [
      { requiredCapabilities: ["teleport"] },
      { requiredCapabilities: ["clock:sideways"] },
      { requiredCapabilities: ["env:"] },
      { minVersion: "latest" },
      { text: 42 },
      { tags: "image" },
      { limit: 0 },
      { limit: 1.5 },
      { colour: "red" },
      { text: "x".repeat(5000) },
    ]) {
      const error = thrown(() => r.searchPlugins(query as never));
      expect(error.code, JSON.stringify(query).slice(0, 60)).toBe(ErrorCode.INVALID_ARGUMENT);
      expect(error.suggestion).toBeTruthy();
    }
    expect(thrown(() => r.searchPlugins(null as never)).code).toBe(ErrorCode.INVALID_ARGUMENT);
  });

  it("takes a string as shorthand for { text }", () => {
    expect(r.searchPlugins("webp").map((p) => p.id)).toEqual(["image-resize"]);
  });

  it("applies the limit", () => {
    expect(ids({ limit: 1 })).toHaveLength(1);
  });
});
