import { ErrorCode, SandboxError } from "./errors.js";

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
};

// Bounded input length keeps these regexes linear and rejects absurd strings fast.
const MAX_UNIT_STRING = 64;
const SIZE_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/;
const DURATION_PART = /(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|min|m|h)/gy;

function unitError(kind: "size" | "duration", input: unknown, why: string, suggestion: string): SandboxError {
  return new SandboxError(ErrorCode.INVALID_UNIT, `Invalid ${kind} ${JSON.stringify(input)}: ${why}`, {
    suggestion,
    context: { input },
  });
}

const SIZE_HINT = 'Write a whole number of bytes or a number with a unit: "512KiB", "64MiB", "1GiB", "10MB".';
const DURATION_HINT = 'Write milliseconds as a number or a number with a unit: "250ms", "5s", "2m", "1h30m".';

/**
 * Parses a size into bytes: a non-negative integer (bytes) or a string such as "64MiB", "10 MB", "512KiB".
 * Binary units (KiB, MiB, GiB, TiB) are powers of 1024, decimal units (KB, MB, GB, TB) powers of 1000.
 * Throws a SandboxError with code INVALID_UNIT for anything else.
 */
export function parseSize(input: string | number): number {
  if (typeof input === "number") {
    if (!Number.isSafeInteger(input) || input < 0) {
      throw unitError("size", input, "a number of bytes must be a non-negative whole number", SIZE_HINT);
    }
    return input;
  }
  if (typeof input !== "string") throw unitError("size", input, "expected a string or a number", SIZE_HINT);
  if (input.length > MAX_UNIT_STRING)
    throw unitError("size", input.slice(0, 32), "the string is too long", SIZE_HINT);
  const match = SIZE_PATTERN.exec(input);
  if (!match) throw unitError("size", input, "not a number followed by a unit", SIZE_HINT);
  const unitText = match[2]!.toLowerCase() || "b";
  const unit = SIZE_UNITS[unitText];
  if (unit === undefined) {
    throw unitError(
      "size",
      input,
      `unknown unit "${match[2]}"`,
      `Use one of B, KB, MB, GB, TB, KiB, MiB, GiB, TiB. ${SIZE_HINT}`,
    );
  }
  const bytes = Number(match[1]) * unit;
  if (!Number.isSafeInteger(bytes)) {
    throw unitError(
      "size",
      input,
      Number.isFinite(bytes) && bytes < Number.MAX_SAFE_INTEGER
        ? "it is not a whole number of bytes"
        : "it is too large",
      SIZE_HINT,
    );
  }
  return bytes;
}

/**
 * Parses a duration into milliseconds: a non-negative number (milliseconds) or a string such as "250ms",
 * "5s", "2m", "1h30m", "1.5s", "500us". Throws a SandboxError with code INVALID_UNIT for anything else.
 */
export function parseDuration(input: string | number): number {
  if (typeof input === "number") {
    if (!Number.isFinite(input) || input < 0) {
      throw unitError("duration", input, "milliseconds must be a finite, non-negative number", DURATION_HINT);
    }
    return input;
  }
  if (typeof input !== "string")
    throw unitError("duration", input, "expected a string or a number", DURATION_HINT);
  if (input.length > MAX_UNIT_STRING)
    throw unitError("duration", input.slice(0, 32), "the string is too long", DURATION_HINT);
  const text = input.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return parseDuration(Number(text));
  let total = 0;
  let position = 0;
  DURATION_PART.lastIndex = 0;
  while (position < text.length) {
    DURATION_PART.lastIndex = position;
    const match = DURATION_PART.exec(text);
    if (!match) {
      throw unitError(
        "duration",
        input,
        `cannot read "${text.slice(position)}"`,
        `Use the units ns, us, ms, s, m, h. ${DURATION_HINT}`,
      );
    }
    total += Number(match[1]) * DURATION_UNITS[match[2]!]!;
    position = DURATION_PART.lastIndex;
    while (text[position] === " ") position++;
  }
  if (text.length === 0) throw unitError("duration", input, "it is empty", DURATION_HINT);
  if (!Number.isFinite(total)) throw unitError("duration", input, "it is too large", DURATION_HINT);
  return total;
}

/** A WebAssembly page: 64 KiB. */
export const WASM_PAGE_SIZE = 65_536;
/** The most pages a 32-bit memory can have (4 GiB). */
export const MAX_WASM_PAGES = 65_536;
