import { ErrorCode, SandboxError } from "@wasm-sandbox/manifest";

/** What the validator accepts as module bytes. A Node `Buffer` is a Uint8Array (other typed arrays are refused). */
export type WasmBytes = Uint8Array | ArrayBuffer;

/**
 * Views the input as a Uint8Array without copying. Anything else is misuse by the host program, the one
 * case where the validator throws (a SandboxError with code INVALID_ARGUMENT).
 */
export function toBytes(input: unknown, what = "bytes"): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  const got = describe(input);
  throw new SandboxError(ErrorCode.INVALID_ARGUMENT, `Expected ${what} as a Uint8Array, got ${got}`, {
    suggestion: "Pass the module as a Uint8Array, Buffer or ArrayBuffer (e.g. from fs.readFileSync).",
    context: { received: got },
  });
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  return typeof value;
}
