import { Ajv, type ErrorObject } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";

/** The JSON Schema dialects an entry point's inputSchema/outputSchema may declare with `$schema`. */
export const DRAFT_07 = "http://json-schema.org/draft-07/schema";
export const DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

// One meta-schema validator per dialect, created on first use. validateSchema never compiles or caches
// the user's schema, so checking many manifests does not grow memory.
let draft07: Ajv | undefined;
let draft2020: Ajv2020 | undefined;

function isRegex(pattern: string): boolean {
  try {
    new RegExp(pattern, "u");
    return true;
  } catch {
    return false;
  }
}

/** Keywords whose values are data, not schemas: patterns inside them are not checked. */
const DATA_KEYWORDS = new Set(["const", "enum", "default", "examples"]);

/**
 * The first `pattern` or `patternProperties` key that is not a valid (unicode) regular expression. Ajv's
 * meta-schemas declare `format: "regex"` but do not check it when validating a schema. Iterative; the input
 * was already bounded by checkBounds.
 */
function invalidPattern(schema: Record<string, unknown>): string | undefined {
  const stack: unknown[] = [schema];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== "object" || node === null) continue;
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    for (const [key, value] of Object.entries(node)) {
      if (DATA_KEYWORDS.has(key)) continue;
      if (key === "pattern" && typeof value === "string" && !isRegex(value)) return value;
      if (key === "patternProperties" && typeof value === "object" && value !== null) {
        const bad = Object.keys(value).find((p) => !isRegex(p));
        if (bad !== undefined) return bad;
      }
      stack.push(value);
    }
  }
  return undefined;
}

function validatorFor(dialect: string | undefined): Ajv | Ajv2020 | undefined {
  const id = dialect?.replace(/#$/, "");
  const options = { strict: false, allErrors: true, logger: false as const };
  if (id === undefined || id === DRAFT_07 || id === DRAFT_07.replace("http:", "https:")) {
    draft07 ??= new Ajv(options);
    return draft07;
  }
  if (id === DRAFT_2020_12) {
    draft2020 ??= new Ajv2020(options);
    return draft2020;
  }
  return undefined;
}

const describeError = (e: ErrorObject) => `${e.instancePath || "(root)"} ${e.message ?? "is invalid"}`;

/**
 * Checks that `schema` is a valid JSON Schema document of its dialect (`$schema`: draft-07 when absent, or
 * 2020-12). Returns undefined when valid, else a message naming the first problems.
 */
export function checkJsonSchema(schema: Record<string, unknown>): string | undefined {
  const dialect = schema.$schema;
  if (dialect !== undefined && typeof dialect !== "string") return "$schema must be a string";
  const ajv = validatorFor(dialect);
  if (!ajv)
    return `unsupported $schema "${dialect}": use draft-07 (${DRAFT_07}#) or 2020-12 (${DRAFT_2020_12})`;
  // Checked against the dialect's meta-schema as the instance default, so "#"/https spellings of one id agree.
  const { $schema: _dialect, ...body } = schema;
  if (ajv.validateSchema(body) === true) {
    const pattern = invalidPattern(body);
    return pattern === undefined
      ? undefined
      : `pattern ${JSON.stringify(pattern)} is not a valid regular expression`;
  }
  const errors = ajv.errors ?? [];
  const shown = errors.slice(0, 3).map(describeError).join("; ");
  return errors.length > 3 ? `${shown}; and ${errors.length - 3} more` : shown;
}
