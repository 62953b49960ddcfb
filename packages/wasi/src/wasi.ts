import { ErrorCode, LinkError, SandboxError } from "@wasm-sandbox/manifest";

import { ErrnoError, errnoFromHost } from "./errno.js";
import { fdImports } from "./fd-imports.js";
import { WasiHost } from "./host.js";
import { ioImports } from "./io-imports.js";
import { miscImports } from "./misc-imports.js";
import { pathImports } from "./path-imports.js";
import { FUNCTIONS, grants, isWasiFunction, PERMISSION_NAME } from "./policy.js";
import type { Wasi, WasiFunction, WasiOptions } from "./types.js";

type Impl = (...args: never[]) => number;

const u = (value: never): never => (typeof value === "number" ? ((value >>> 0) as never) : value);

/**
 * Wraps an implementation so the guest only ever sees an errno: ErrnoError and host (node:fs) errors become
 * their errno, while WasiExit and SandboxErrors (output exhausted, timeout) propagate to the embedder.
 */
function guard(host: WasiHost, name: string, impl: Impl): WasiFunction {
  const mem = host.memory;
  const wrapped = (
    a: never,
    b: never,
    c: never,
    d: never,
    e: never,
    f: never,
    g: never,
    h: never,
    i: never,
  ) => {
    mem.refresh();
    try {
      // Every i32 parameter of preview1 is unsigned (fds, pointers, sizes, flags), but JS receives i32 signed.
      return impl(u(a), u(b), u(c), u(d), u(e), u(f), u(g), u(h), u(i));
    } catch (error) {
      if (error instanceof ErrnoError) return error.errno;
      const errno = errnoFromHost(error);
      if (errno !== undefined) return errno;
      if (error instanceof RangeError || error instanceof TypeError) {
        throw new SandboxError(ErrorCode.INTERNAL, `WASI ${name} failed inside the host: ${error.message}`, {
          cause: error,
          suggestion:
            "This is a bug in @wasm-sandbox/wasi; please report it with the plugin that triggered it.",
          context: { function: name },
        });
      }
      throw error;
    }
  };
  Object.defineProperty(wrapped, "name", { value: name });
  return wrapped as WasiFunction;
}

/**
 * Creates a WASI preview1 implementation whose every capability comes from `options.permissions`.
 * Throws SandboxError INVALID_ARGUMENT for a granted filesystem path with no mount, a missing mount
 * directory, or random "seeded" without a seed.
 */
export function createWasi(options: WasiOptions): Wasi {
  const host = new WasiHost(options);
  const impls: Record<string, Impl> = {
    ...ioImports(host),
    ...fdImports(host),
    ...pathImports(host),
    ...miscImports(host),
  };
  const imports: Record<string, WasiFunction> = {};
  for (const name of Object.keys(FUNCTIONS)) {
    const impl = impls[name];
    if (impl === undefined) throw new SandboxError(ErrorCode.INTERNAL, `WASI function ${name} is missing`);
    imports[name] = guard(host, name, impl);
  }
  Object.freeze(imports);

  return {
    imports,
    checkImports(names) {
      for (const name of names) {
        if (!isWasiFunction(name)) {
          throw new LinkError(`wasi_snapshot_preview1.${name} is not a WASI preview1 function`, {
            suggestion:
              "Build the plugin for wasm32-wasip1 (WASI preview1); other WASI versions are not supported.",
            context: { module: "wasi_snapshot_preview1", name },
          });
        }
        const capability = FUNCTIONS[name];
        if (options.strict === true && capability !== "none" && !grants(options.permissions, capability)) {
          const permission = PERMISSION_NAME[capability];
          throw new LinkError(
            `wasi_snapshot_preview1.${name} needs ${permission}, which the manifest does not grant`,
            {
              suggestion: `Grant ${permission} in the manifest, or rebuild the plugin without ${name}.`,
              context: { module: "wasi_snapshot_preview1", name, permission },
            },
          );
        }
      }
    },
    bindMemory(memory) {
      if (!(memory instanceof WebAssembly.Memory)) {
        throw new SandboxError(ErrorCode.INVALID_ARGUMENT, "bindMemory needs a WebAssembly.Memory", {
          suggestion: 'Pass instance.exports.memory; a WASI module must export its memory as "memory".',
        });
      }
      if (host.memory.bind(memory)) host.resetInstance();
    },
    beginCall: (io) => host.beginCall(io),
    endCall: () => host.endCall(),
  };
}
