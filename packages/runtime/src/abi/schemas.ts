import { Ajv, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { LruCache } from "../loader/module-cache.js";

const DRAFT_2020 = /draft\/2020-12/;
let draft07: Ajv | undefined;
let draft2020: Ajv2020 | undefined;
// Compiled once per distinct schema, whatever number of plugins share it.
const compiled = new LruCache<string, ValidateFunction>(256);

/** A compiled validator for an entry's inputSchema or outputSchema (JSON Schema draft-07 or 2020-12). */
export function compileSchema(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  const known = compiled.get(key);
  if (known) return known;
  const is2020 = typeof schema.$schema === "string" && DRAFT_2020.test(schema.$schema);
  let validate: ValidateFunction;
  if (is2020) {
    draft2020 ??= new Ajv2020({ allErrors: false, strict: false, addUsedSchema: false });
    validate = draft2020.compile(schema);
  } else {
    draft07 ??= new Ajv({ allErrors: false, strict: false, addUsedSchema: false });
    validate = draft07.compile(schema);
  }
  compiled.set(key, validate);
  return validate;
}

/** The first problem Ajv found, as one line. */
export function schemaProblem(validate: ValidateFunction): { path: string; message: string } {
  const first = validate.errors?.[0];
  return { path: first?.instancePath || "/", message: first?.message ?? "does not match the schema" };
}
