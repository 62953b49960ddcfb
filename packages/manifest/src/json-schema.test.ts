import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { minimalManifest } from "../test/manifests.js";
import { generateManifestJsonSchema, manifestJsonSchema } from "./json-schema.js";
import { PluginManifestSchema } from "./schema.js";

const committed = readFileSync(new URL("../schema.json", import.meta.url), "utf8");

describe("schema.json", () => {
  it("matches the zod source (run `pnpm --filter @wasm-sandbox/manifest generate-schema` after schema changes)", () => {
    expect(committed).toBe(`${JSON.stringify(generateManifestJsonSchema(), null, 2)}\n`);
    expect(JSON.parse(committed)).toEqual(manifestJsonSchema);
  });

  it("is a valid 2020-12 schema that accepts manifests with units and rejects bad ones", () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const validate = ajv.compile(JSON.parse(committed));
    expect(validate(minimalManifest())).toBe(true);
    expect(validate({ ...minimalManifest(), limits: { memory: "64MiB", timeout: "5s", fuel: 1000 } })).toBe(
      true,
    );
    expect(validate({ ...minimalManifest(), limits: { memory: 70_000 } })).toBe(false);
    expect(validate({ ...minimalManifest(), limits: { fuel: 0 } })).toBe(false);
    expect(validate({ ...minimalManifest(), permissions: { processSpawn: true } })).toBe(false);
    expect(validate({ ...minimalManifest(), permissions: { maxThreads: 2 } })).toBe(false);
    expect(validate({ ...minimalManifest(), bogus: 1 })).toBe(false);
    const { entryPoints: _, ...noEntries } = minimalManifest();
    expect(validate(noEntries)).toBe(false);
  });

  it("is exactly z.toJSONSchema of the zod source in input mode, with defaults and unit strings", () => {
    expect(JSON.parse(committed)).toEqual(z.toJSONSchema(PluginManifestSchema, { io: "input" }));
    const props = manifestJsonSchema.properties as Record<string, { properties: Record<string, unknown> }>;
    const limits = props.limits!.properties;
    expect(limits.fuel).toMatchObject({ default: 10_000_000, minimum: 1 });
    expect(limits.memory).toEqual({
      anyOf: [
        expect.objectContaining({ type: "integer", minimum: 1, maximum: 65_536 }),
        expect.objectContaining({ type: "string" }),
      ],
    });
    expect(manifestJsonSchema.title).toBe("wasm-sandbox plugin manifest");
  });
});
