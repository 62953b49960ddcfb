import { z } from "zod";
import { PluginManifestSchema } from "./schema.js";

/**
 * The JSON Schema (2020-12) of a manifest's input form: exactly `z.toJSONSchema(PluginManifestSchema,
 * { io: "input" })`, so unit strings are allowed where the schema accepts them. It describes the canonical
 * camelCase spelling; parseManifest also accepts the snake_case keys and limit aliases listed in the
 * README. Semantic checks (duplicates, conflicting permissions, valid inner JSON Schemas, ...) and the
 * defaults of unit fields (zod omits defaults of converting fields in input mode) are beyond it.
 */
export function generateManifestJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(PluginManifestSchema, { io: "input" }) as Record<string, unknown>;
}

/** The manifest JSON Schema as an object (the same content as @wasm-sandbox/manifest/schema.json). */
export const manifestJsonSchema: Readonly<Record<string, unknown>> = generateManifestJsonSchema();
