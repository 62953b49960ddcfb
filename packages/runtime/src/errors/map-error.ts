import {
  ErrorCode,
  LinkError,
  PluginError,
  ResourceExhaustedError,
  SandboxError,
  TrapError,
  WASM_PAGE_SIZE,
} from "@wasm-sandbox/manifest";
import { WasiExit } from "@wasm-sandbox/wasi";
import { trapKindOf } from "./trap-kind.js";

/** Where a failure happened, added to every error's context. */
export interface FailureSite {
  instanceId: string;
  pluginId: string;
  entry: string;
  /** The call's memory, to tell an out-of-memory abort from another trap. */
  memory?: WebAssembly.Memory | undefined;
  /** The memory cap in pages. */
  memoryPages?: number;
}

/** V8's default native stack (--stack-size, in KiB); what a runaway recursion exhausts. */
const V8_STACK_BYTES = 984 * 1024;

function atMemoryCap(site: FailureSite): boolean {
  if (!site.memory || site.memoryPages === undefined) return false;
  return site.memory.buffer.byteLength >= site.memoryPages * WASM_PAGE_SIZE;
}

/**
 * Turns anything thrown while a guest ran into a typed SandboxError: traps get their kind, a blown stack is
 * RESOURCE_EXHAUSTED "stack", errors already typed keep their class. Never loses the original (`cause`).
 */
export function toSandboxError(error: unknown, site: FailureSite): SandboxError {
  const where = { instanceId: site.instanceId, pluginId: site.pluginId, entryPoint: site.entry };
  if (SandboxError.is(error)) {
    if (error.context.entryPoint !== undefined) return error;
    // Errors raised below the runtime (meter, WASI, host imports) learn where they happened.
    Object.defineProperty(error, "context", { value: Object.freeze({ ...where, ...error.context }) });
    return error;
  }
  if (error instanceof WasiExit) {
    return new PluginError(`Plugin "${site.pluginId}" exited with code ${error.exitCode} in ${site.entry}`, {
      cause: error,
      context: { ...where, exitCode: error.exitCode },
      suggestion:
        "The plugin called proc_exit outside a command entry; declare the entry as a command or fix the plugin.",
    });
  }
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return new ResourceExhaustedError(
      "stack",
      V8_STACK_BYTES,
      V8_STACK_BYTES,
      `Plugin "${site.pluginId}" exhausted the call stack in ${site.entry} (runaway recursion)`,
      {
        cause: error,
        context: where,
        suggestion: "Make the plugin recurse less deeply (use a loop or an explicit stack).",
      },
    );
  }
  if (error instanceof WebAssembly.RuntimeError) {
    const trapKind = trapKindOf(error.message);
    if (trapKind === "unreachable" && atMemoryCap(site)) {
      const limit = site.memoryPages! * WASM_PAGE_SIZE;
      return new ResourceExhaustedError(
        "memory",
        limit,
        site.memory!.buffer.byteLength,
        `Plugin "${site.pluginId}" aborted in ${site.entry} with its memory at the cap of ${limit} bytes`,
        { cause: error, context: where },
      );
    }
    return new TrapError(trapKind, `Plugin "${site.pluginId}" trapped in ${site.entry}: ${error.message}`, {
      cause: error,
      context: where,
    });
  }
  if (error instanceof WebAssembly.LinkError) {
    return new LinkError(`Plugin "${site.pluginId}" could not be linked: ${error.message}`, {
      cause: error,
      context: where,
      suggestion: "Provide every import the module declares, with the declared type.",
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new SandboxError(ErrorCode.INTERNAL, `Unexpected failure in ${site.entry}: ${message}`, {
    cause: error,
    context: where,
    suggestion: "This is a bug in the sandbox or a host function; report it with the cause attached.",
  });
}
