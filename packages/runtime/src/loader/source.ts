import { readFile } from "node:fs/promises";
import { ErrorCode, NotFoundError, SandboxError } from "@wasm-sandbox/manifest";

/** Where a module comes from: its bytes, or a file path / file URL. */
export type WasmSource = Uint8Array | ArrayBuffer | string | URL;

/** Reads a module source into bytes; a missing file is NOT_FOUND, anything else INVALID_ARGUMENT. */
export async function readWasmSource(source: WasmSource): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (typeof source === "string" || source instanceof URL) {
    try {
      return new Uint8Array(await readFile(source));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") {
        throw new NotFoundError(`No WebAssembly file at ${String(source)}`, {
          cause: error,
          suggestion: "Check the path; relative paths resolve against the current working directory.",
          context: { path: String(source) },
        });
      }
      throw new SandboxError(ErrorCode.INVALID_ARGUMENT, `Cannot read ${String(source)}: ${code ?? error}`, {
        cause: error,
        suggestion: "Pass the module's bytes or a readable .wasm file path.",
        context: { path: String(source) },
      });
    }
  }
  throw new SandboxError(ErrorCode.INVALID_ARGUMENT, "A module source must be bytes or a file path", {
    suggestion: "Pass a Uint8Array, an ArrayBuffer, a path string or a file: URL.",
  });
}
