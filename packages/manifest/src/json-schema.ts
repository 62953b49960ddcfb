import { z } from "zod";
import { PluginManifestSchema } from "./schema.js";

/** Where the generated schema says it lives (the file ships as @wasm-sandbox/manifest/schema.json). */
export const MANIFEST_SCHEMA_ID = "https://unpkg.com/@wasm-sandbox/manifest/schema.json";

/**
 * The JSON Schema (2020-12) of a manifest's input form, generated from the zod source: units strings are
 * allowed where the schema accepts them, defaults are shown. It describes the canonical camelCase spelling;
 * parseManifest also accepts the snake_case keys and limit aliases listed in the README. Semantic checks
 * (duplicates, conflicting permissions, valid inner JSON Schemas, ...) are beyond JSON Schema and are made
 * by parseManifest only.
 */
export function generateManifestJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(PluginManifestSchema, {
    io: "input",
    target: "draft-2020-12",
    // zod leaves out defaults of fields that convert units (their default is an output value); the defaults
    // are plain numbers, which are valid input too, so show them.
    override: ({ zodSchema, jsonSchema }) => {
      const def = zodSchema._zod.def;
      if (def.type === "default" && jsonSchema.default === undefined) {
        jsonSchema.default = (def as z.core.$ZodDefaultDef).defaultValue as never;
      }
    },
  });
  const { $schema, ...body } = generated as Record<string, unknown>;
  return {
    $schema,
    $id: MANIFEST_SCHEMA_ID,
    title: "wasm-sandbox plugin manifest",
    description: "A WebAssembly plugin's identity, entry points, permissions, limits and dependencies.",
    ...body,
  };
}

/** The manifest JSON Schema as an object (the same content as @wasm-sandbox/manifest/schema.json). */
export const manifestJsonSchema: Readonly<Record<string, unknown>> = generateManifestJsonSchema();
