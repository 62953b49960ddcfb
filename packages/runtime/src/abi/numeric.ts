import { InvalidInputError } from "@wasm-sandbox/manifest";

const NUMERIC = new Set(["i32", "i64", "f32", "f64"]);

/** True when every parameter and result is a plain wasm number type. */
export function isNumericSignature(params: readonly string[], results: readonly string[]): boolean {
  return params.every((t) => NUMERIC.has(t)) && results.every((t) => NUMERIC.has(t));
}

const I64_MIN = -(2n ** 63n);
const U64_MAX = 2n ** 64n - 1n;

function badParam(
  entry: string,
  index: number,
  type: string,
  value: unknown,
  why: string,
): InvalidInputError {
  const shown = typeof value === "bigint" ? `${value}n` : (JSON.stringify(value) ?? String(value));
  return new InvalidInputError(
    `Parameter ${index} of ${entry} must be ${why} (${type}), got ${shown}`,
    [{ code: "PARAM_TYPE", path: [index], message: `expected ${type}: ${why}` }],
    {
      suggestion:
        type === "i64"
          ? "Pass a bigint, or an integer within Number.MAX_SAFE_INTEGER."
          : type === "i32"
            ? "Pass an integer between -2147483648 and 4294967295."
            : "Pass a number.",
      context: { entryPoint: entry, index, type },
    },
  );
}

/**
 * Checks numeric parameters against the signature and returns the values to pass to wasm (the same array
 * unless an i64 needs converting to bigint). i32 accepts the signed and unsigned ranges.
 */
export function checkNumericParams(
  entry: string,
  types: readonly string[],
  params: readonly unknown[],
): unknown[] {
  if (params.length !== types.length) {
    throw new InvalidInputError(
      `${entry} takes ${types.length} parameter(s) (${types.join(", ")}), got ${params.length}`,
      [{ code: "PARAM_COUNT", path: [], message: `expected ${types.length} parameters` }],
      { suggestion: `Pass an array of ${types.length} number(s).`, context: { entryPoint: entry } },
    );
  }
  let out = params as unknown[];
  for (let i = 0; i < types.length; i++) {
    const value = params[i];
    const type = types[i];
    if (type === "i32") {
      if (
        typeof value !== "number" ||
        !Number.isInteger(value) ||
        value < -2147483648 ||
        value > 4294967295
      ) {
        throw badParam(entry, i, type, value, "an integer in the 32-bit range");
      }
    } else if (type === "i64") {
      let big: bigint;
      if (typeof value === "bigint") big = value;
      else if (typeof value === "number" && Number.isSafeInteger(value)) big = BigInt(value);
      else throw badParam(entry, i, type, value, "a bigint or a safe integer");
      if (big < I64_MIN || big > U64_MAX) throw badParam(entry, i, type, value, "within the 64-bit range");
      if (out === params) out = params.slice();
      out[i] = big;
    } else if (typeof value !== "number") {
      throw badParam(entry, i, type!, value, "a number");
    }
  }
  return out;
}

/** A wasm i64 result as a number when it is a safe integer, else as a bigint. */
function fromWasm(value: unknown): unknown {
  if (typeof value === "bigint") {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }
  return value;
}

/** Maps a raw export result: `null` for none, the value for one, an array for several. */
export function numericResult(raw: unknown, resultCount: number): unknown {
  if (resultCount === 0) return null;
  if (resultCount === 1) return fromWasm(raw);
  return (raw as unknown[]).map(fromWasm);
}
