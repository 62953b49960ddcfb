import { Ajv } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";

type Schema = Record<string, unknown>;

const MAX_DEPTH = 32;
const NOT_DERIVABLE = Symbol("not derivable");
type Result = unknown | typeof NOT_DERIVABLE;

const isSchema = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);

const FORMATS: Record<string, string> = {
  "date-time": "2024-01-01T00:00:00Z",
  date: "2024-01-01",
  time: "00:00:00Z",
  email: "a@example.com",
  uri: "https://example.com/",
  "uri-reference": "https://example.com/",
  hostname: "example.com",
  ipv4: "127.0.0.1",
  ipv6: "::1",
  uuid: "00000000-0000-4000-8000-000000000000",
};

function resolveRef(root: Schema, ref: string): Schema | undefined {
  if (!ref.startsWith("#")) return undefined;
  let node: unknown = root;
  for (const raw of ref
    .slice(1)
    .split("/")
    .filter((p) => p !== "")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isSchema(node)) return undefined;
    node = node[key];
  }
  return isSchema(node) ? node : undefined;
}

function numberFor(s: Schema, integer: boolean): Result {
  const num = (v: unknown) => (typeof v === "number" ? v : undefined);
  const min = num(s.minimum);
  const exMin = num(s.exclusiveMinimum);
  const max = num(s.maximum);
  const exMax = num(s.exclusiveMaximum);
  const step = num(s.multipleOf) ?? (integer ? 1 : undefined);
  let value = 0;
  if (min !== undefined) value = min;
  else if (exMin !== undefined) value = exMin + (step ?? 1);
  else if (max !== undefined && max < 0) value = max;
  else if (exMax !== undefined && exMax <= 0) value = exMax - (step ?? 1);
  if (step !== undefined && step > 0) value = Math.ceil(value / step) * step;
  return integer ? Math.ceil(value) : value;
}

function stringFor(s: Schema): Result {
  const min = typeof s.minLength === "number" ? s.minLength : 0;
  if (typeof s.format === "string" && FORMATS[s.format] !== undefined) return FORMATS[s.format];
  if (min > 10_000) return NOT_DERIVABLE;
  const value = "a".repeat(min);
  if (typeof s.pattern === "string") {
    // A user's pattern may backtrack exponentially: only ever test it on a short string.
    if (min > 16) return NOT_DERIVABLE;
    try {
      if (!new RegExp(s.pattern, "u").test(value)) return NOT_DERIVABLE;
    } catch {
      return NOT_DERIVABLE;
    }
  }
  return value;
}

function generate(s: unknown, root: Schema, depth: number): Result {
  if (s === true || s === undefined) return null;
  if (!isSchema(s) || depth > MAX_DEPTH) return NOT_DERIVABLE;
  if (typeof s.$ref === "string") {
    const target = resolveRef(root, s.$ref);
    return target ? generate(target, root, depth + 1) : NOT_DERIVABLE;
  }
  if ("const" in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum.length > 0 ? s.enum[0] : NOT_DERIVABLE;
  if ("default" in s) return s.default;
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
  for (const key of ["oneOf", "anyOf"] as const) {
    const options = s[key];
    if (Array.isArray(options)) {
      for (const option of options) {
        const v = generate(option, root, depth + 1);
        if (v !== NOT_DERIVABLE) return v;
      }
      return NOT_DERIVABLE;
    }
  }
  if (Array.isArray(s.allOf)) {
    const merged: Schema = { ...s, allOf: undefined };
    for (const part of s.allOf) if (isSchema(part)) Object.assign(merged, part);
    delete merged.allOf;
    return generate(merged, root, depth + 1);
  }
  const types = Array.isArray(s.type) ? s.type : typeof s.type === "string" ? [s.type] : [];
  const type =
    types.find((t) => t !== "null") ??
    (types.length > 0 ? "null" : isSchema(s.properties) || Array.isArray(s.required) ? "object" : undefined);
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      const properties = isSchema(s.properties) ? s.properties : {};
      const required = Array.isArray(s.required) ? s.required.filter((r) => typeof r === "string") : [];
      for (const name of required) {
        const v = generate(properties[name] ?? true, root, depth + 1);
        if (v === NOT_DERIVABLE) return NOT_DERIVABLE;
        out[name] = v;
      }
      return out;
    }
    case "array": {
      const min = typeof s.minItems === "number" ? s.minItems : 0;
      if (min > 1000) return NOT_DERIVABLE;
      const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : [];
      const rest = isSchema(s.items) ? s.items : true;
      const out: unknown[] = [];
      for (let i = 0; i < min; i++) {
        const v = generate(prefix[i] ?? rest, root, depth + 1);
        if (v === NOT_DERIVABLE) return NOT_DERIVABLE;
        out.push(v);
      }
      return out;
    }
    case "string":
      return stringFor(s);
    case "integer":
      return numberFor(s, true);
    case "number":
      return numberFor(s, false);
    case "boolean":
      return false;
    case "null":
      return null;
    default:
      return null;
  }
}

let draft07: Ajv | undefined;
let draft2020: Ajv2020 | undefined;

function validatorFor(schema: Schema): Ajv | Ajv2020 {
  const options = { strict: false, logger: false as const, validateFormats: false };
  if (typeof schema.$schema === "string" && schema.$schema.includes("2020-12")) {
    draft2020 ??= new Ajv2020(options);
    return draft2020;
  }
  draft07 ??= new Ajv(options);
  return draft07;
}

/**
 * A minimal instance of a JSON Schema: const/enum/default/examples first, else by type (required
 * properties only, minItems items, minLength strings, the smallest allowed number). The result is checked
 * against the schema with ajv; undefined means no valid instance could be derived (patterns, `not`, ...).
 */
export function minimalInstance(schema: Record<string, unknown>): { value: unknown } | undefined {
  const value = generate(schema, schema, 0);
  if (value === NOT_DERIVABLE) return undefined;
  try {
    const { $schema: _dialect, ...body } = schema;
    const ajv = validatorFor(schema);
    const valid = ajv.validate(body, value);
    ajv.removeSchema(body); // do not grow the cache with every schema seen
    return valid ? { value } : undefined;
  } catch {
    return undefined;
  }
}
