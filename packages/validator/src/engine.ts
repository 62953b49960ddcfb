import { type TranslatedEngineError, translateEngineMessage } from "./engine-messages.js";

/** The two engine calls this package makes (typed here: the ES lib and @types/node 20 do not declare them). */
interface Engine {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
}
const engine = (globalThis as unknown as { WebAssembly: Engine }).WebAssembly;

/** `WebAssembly.validate`. */
export function engineValidates(bytes: Uint8Array): boolean {
  return engine.validate(bytes);
}

/** The engine's verdict on a module: full spec validity as V8 implements it. */
export type EngineVerdict = { valid: true } | { valid: false; error: TranslatedEngineError };

/**
 * Asks the engine. `WebAssembly.validate` is the fast path; only when it says no do we compile to get the
 * error message (and its "@+offset"), which `validate` does not give.
 */
export function engineVerdict(bytes: Uint8Array): EngineVerdict {
  if (engine.validate(bytes)) return { valid: true };
  try {
    new engine.Module(bytes);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { valid: false, error: translateEngineMessage(message) };
  }
  // validate() and Module() disagreeing would be an engine bug; report it rather than guess.
  return {
    valid: false,
    error: translateEngineMessage("WebAssembly.validate() rejected the module but compiling it succeeded"),
  };
}
