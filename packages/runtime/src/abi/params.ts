import { InvalidInputError } from "@wasm-sandbox/manifest";
import type { ResolvedEntry } from "./entries.js";
import { checkNumericParams } from "./numeric.js";
import { schemaProblem } from "./schemas.js";

/**
 * Checks a call's parameters before the guest runs and returns what the guest receives: the wasm arguments
 * (numeric), the JSON text of the parameters (json), or "" (command; its io is read by the WASI runner).
 */
export function checkParams(
  entry: ResolvedEntry,
  params: unknown,
  instanceId: string,
): readonly unknown[] | string {
  if (entry.kind === "command") {
    if (params === undefined || (Array.isArray(params) && params.length === 0)) return "";
    const io = params as { args?: unknown; env?: unknown; stdin?: unknown };
    const ok =
      typeof params === "object" &&
      params !== null &&
      !Array.isArray(params) &&
      Object.keys(params).every((k) => k === "args" || k === "env" || k === "stdin") &&
      (io.args === undefined || (Array.isArray(io.args) && io.args.every((a) => typeof a === "string"))) &&
      (io.env === undefined ||
        (typeof io.env === "object" &&
          io.env !== null &&
          Object.values(io.env).every((v) => typeof v === "string"))) &&
      (io.stdin === undefined || typeof io.stdin === "string" || io.stdin instanceof Uint8Array);
    if (!ok) {
      throw new InvalidInputError(
        `Command entry ${entry.name} takes { args?: string[], env?: {...}, stdin?: string | Uint8Array }`,
        [],
        {
          suggestion: 'Pass e.g. { args: ["--help"], stdin: "text" }.',
          context: { entryPoint: entry.name },
        },
      );
    }
    return "";
  }
  if (!Array.isArray(params)) {
    throw new InvalidInputError(`Parameters of ${entry.name} must be an array`, [], {
      suggestion: `Pass the parameters as an array, e.g. execute("${entry.name}", [a, b]).`,
      context: { entryPoint: entry.name, instanceId: instanceId },
    });
  }
  if (entry.input && !entry.input(params)) {
    const problem = schemaProblem(entry.input);
    throw new InvalidInputError(
      `Parameters of ${entry.name} do not match its inputSchema: ${problem.path} ${problem.message}`,
      [{ code: "INPUT_SCHEMA", path: [problem.path], message: problem.message }],
      {
        suggestion: "Pass parameters matching the entry's inputSchema in the manifest.",
        context: { entryPoint: entry.name, instanceId: instanceId },
      },
    );
  }
  if (entry.kind === "numeric") {
    return entry.plainParams && plainNumbers(entry.params, params)
      ? params
      : checkNumericParams(entry.name, entry.params, params);
  }
  let text: string;
  try {
    text = JSON.stringify(params);
  } catch (error) {
    throw new InvalidInputError(
      `Parameters of ${entry.name} cannot be written as JSON: ${(error as Error).message}`,
      [],
      {
        cause: error,
        suggestion: "Pass JSON values only (no bigint, no cycles).",
        context: { entryPoint: entry.name },
      },
    );
  }
  return text;
}

/** True when i32/f32/f64 parameters can go to wasm as they are (the hot path: no copy, no closure). */
function plainNumbers(types: readonly string[], params: readonly unknown[]): boolean {
  if (params.length !== types.length) return false;
  for (let i = 0; i < params.length; i++) {
    const value = params[i];
    if (typeof value !== "number") return false;
    if (types[i] === "i32" && (value | 0) !== value && value >>> 0 !== value) return false;
  }
  return true;
}
