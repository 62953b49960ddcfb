import { ErrorCode, SandboxError } from "@wasm-sandbox/manifest";

/** A malformed binary: the error carries the byte offset where decoding failed (`context.offset`). */
export function malformed(message: string, offset: number): SandboxError {
  return new SandboxError(ErrorCode.INVALID_MODULE, `${message} at byte offset ${offset}`, {
    context: { offset },
    suggestion:
      "The bytes are not a well-formed WebAssembly module: rebuild the plugin with a current toolchain.",
  });
}

/** A recognised encoding the reader does not handle (a proposal V8 does not ship, or a future opcode). */
export function unsupported(
  message: string,
  offset: number,
  context: Record<string, unknown> = {},
): SandboxError {
  return new SandboxError(ErrorCode.UNSUPPORTED, `${message} at byte offset ${offset}`, {
    context: { offset, ...context },
    suggestion: "Compile the plugin without this WebAssembly proposal, or upgrade wasm-sandbox.",
  });
}
