/**
 * A starting value for an entry point's parameters, from its JSON Schema: the schema's own example or
 * default when it has one, else a value of the right shape.
 */
export function exampleFor(schema: unknown, depth = 0): unknown {
  if (typeof schema !== "object" || schema === null || depth > 8) return null;
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
  if ("example" in s) return s.example;
  if ("default" in s) return s.default;
  if ("const" in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case "array": {
      if (Array.isArray(s.prefixItems)) return s.prefixItems.map((item) => exampleFor(item, depth + 1));
      if (Array.isArray(s.items)) return s.items.map((item) => exampleFor(item, depth + 1));
      const min = typeof s.minItems === "number" ? Math.min(s.minItems, 8) : 0;
      return Array.from({ length: min }, () => exampleFor(s.items, depth + 1));
    }
    case "object": {
      const props = (s.properties ?? {}) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, exampleFor(v, depth + 1)]));
    }
    case "integer":
    case "number":
      return typeof s.minimum === "number" ? s.minimum : 0;
    case "string":
      return "hello wasm sandbox";
    case "boolean":
      return false;
    default:
      return null;
  }
}

/** Sample arguments for a numeric export without a schema, so a first run shows a real result. */
const SAMPLE_NUMBERS = [5, 3, 2, 1];

/** The parameters text a person sees first for an entry point. */
export function initialParams(
  entry: { inputSchema?: Record<string, unknown>; abi?: string },
  signature?: { params: string[] },
): string {
  if (entry.inputSchema) return JSON.stringify(exampleFor(entry.inputSchema));
  if (entry.abi === "command") return JSON.stringify({ args: [], stdin: "" });
  if (signature?.params.every((t) => /^[if](32|64)$/.test(t))) {
    return JSON.stringify(signature.params.map((_, i) => SAMPLE_NUMBERS[i % SAMPLE_NUMBERS.length]));
  }
  return "[]";
}
