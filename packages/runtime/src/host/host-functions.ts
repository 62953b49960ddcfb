import {
  ErrorCode,
  LinkError,
  type PluginManifest,
  SandboxError,
  SecurityViolationError,
} from "@wasm-sandbox/manifest";
import type { CallState } from "../abi/call-state.js";
import type { FuncSignature } from "../loader/shape.js";
import type { NetworkGuard } from "./network-guard.js";

/** What a host function learns about its caller. */
export interface HostCallContext {
  readonly pluginId: string;
  readonly instanceId: string;
  /** The entry point running now. */
  readonly entry: string;
  readonly manifest: PluginManifest;
  /** The plugin's network permissions as a guard: call `network.check(url)` before any request. */
  readonly network: NetworkGuard;
  /** When the current call must end (a `performance.now()` timestamp): bound any waiting by it. */
  readonly deadline: number;
}

/**
 * A synchronous function the embedder exposes to plugins. Through `sandbox.host_call` it gets the guest's
 * JSON input (parsed) and the call context, and returns a JSON-serialisable result. Imported directly from the
 * `host` module as a typed wasm function it gets the wasm arguments themselves, then the context
 * (`(a, b, context) => a + b`), and returns a number (or a bigint for an i64 result).
 */
// biome-ignore lint/suspicious/noExplicitAny: typed imports receive wasm numbers, host_call receives JSON
export type HostFunction = (...args: any[]) => unknown;

/** Negative results of `sandbox.host_call`. */
export const HostCallStatus = {
  /** The manifest permits the name but the embedder registered no such function. */
  NOT_REGISTERED: -1,
  /** The guest's input was not valid UTF-8 JSON. */
  BAD_INPUT: -2,
  /** The host function threw a plain error. */
  FAILED: -3,
  /** The result could not be serialised to JSON. */
  BAD_RESULT: -4,
} as const;

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** Rejects what cannot run synchronously inside a guest call. */
export function checkHostFunctions(functions: Record<string, HostFunction>): void {
  for (const [name, fn] of Object.entries(functions)) {
    if (typeof fn !== "function") {
      throw new SandboxError(ErrorCode.INVALID_ARGUMENT, `Host function "${name}" is not a function`, {
        suggestion: "Register functions of the form (input, context) => result.",
      });
    }
    if (fn.constructor.name === "AsyncFunction") {
      throw new SandboxError(ErrorCode.UNSUPPORTED, `Host function "${name}" is async`, {
        suggestion:
          "In-process plugins call host functions synchronously: register a synchronous function (do async work before or after the call).",
      });
    }
  }
}

/** The host functions one plugin may reach, with the checks of its manifest. */
export class HostFunctionTable {
  readonly #permitted: ReadonlySet<string>;

  constructor(
    readonly functions: Readonly<Record<string, HostFunction>>,
    readonly manifest: PluginManifest,
    readonly context: HostCallContext,
    readonly state: CallState,
  ) {
    this.#permitted = new Set(manifest.permissions.hostFunctions);
  }

  #invoke(name: string, fn: HostFunction, args: readonly unknown[]): unknown {
    let result: unknown;
    try {
      result = fn(...args);
    } catch (error) {
      if (SandboxError.is(error)) this.state.fail(error);
      throw error;
    }
    if (result !== null && typeof (result as { then?: unknown })?.then === "function") {
      this.state.fail(
        new SandboxError(ErrorCode.UNSUPPORTED, `Host function "${name}" returned a Promise`, {
          suggestion:
            "Host functions run synchronously inside the guest's call: return a value, not a Promise.",
          context: this.state.where(),
        }),
      );
    }
    return result;
  }

  /** `sandbox.host_call`: JSON in, JSON out; a name the manifest does not list fails the call. */
  callJson(namePtr: number, nameLen: number, inPtr: number, inLen: number): number {
    const state = this.state;
    // Permitted names are at most 256 characters: never decode more than that from the guest.
    const name = state.text(namePtr, Math.min(nameLen >>> 0, 1024));
    if (!this.#permitted.has(name)) {
      state.fail(
        new SecurityViolationError(
          `Plugin "${this.manifest.id}" called host function "${name}", which its manifest does not permit`,
          {
            suggestion: `Add "${name}" to permissions.hostFunctions in the manifest if the plugin should reach it.`,
            context: { ...state.where(), hostFunction: name, permission: "permissions.hostFunctions" },
          },
        ),
      );
    }
    const fn = Object.hasOwn(this.functions, name) ? this.functions[name] : undefined;
    if (fn === undefined) return HostCallStatus.NOT_REGISTERED;
    let input: unknown;
    try {
      input = inLen === 0 ? null : JSON.parse(decoder.decode(state.view(inPtr, inLen)));
    } catch (error) {
      if (SandboxError.is(error)) throw error;
      return HostCallStatus.BAD_INPUT;
    }
    let result: unknown;
    try {
      result = this.#invoke(name, fn, [input, this.context]);
    } catch (error) {
      if (SandboxError.is(error)) throw error;
      return HostCallStatus.FAILED;
    }
    let text: string | undefined;
    try {
      text = JSON.stringify(result ?? null);
    } catch {
      return HostCallStatus.BAD_RESULT;
    }
    const bytes = encoder.encode(text);
    state.hostResult = bytes;
    return bytes.byteLength;
  }

  /** `sandbox.host_result_read`: copies the last host result into guest memory. */
  readResult(ptr: number): number {
    const result = this.state.hostResult;
    if (result === undefined) return 0;
    this.state.view(ptr, result.byteLength).set(result);
    return result.byteLength;
  }

  /** A typed import from the `host` module; refused at link time unless permitted and registered. */
  typedImport(name: string, signature: FuncSignature): (...args: unknown[]) => unknown {
    const grant = `permissions.hostFunctions ("${name}")`;
    if (!this.#permitted.has(name)) {
      throw new LinkError(`Import host.${name} is not permitted: the manifest does not list it in ${grant}`, {
        suggestion: `Add "${name}" to permissions.hostFunctions and register it with the runtime.`,
        context: { import: `host.${name}`, permission: "permissions.hostFunctions" },
      });
    }
    const fn = Object.hasOwn(this.functions, name) ? this.functions[name] : undefined;
    if (fn === undefined) {
      throw new LinkError(`Import host.${name} is permitted but no host function "${name}" is registered`, {
        suggestion: `Register it: loadPlugin(manifest, bytes, { hostFunctions: { "${name}": fn } }).`,
        context: { import: `host.${name}`, permission: "permissions.hostFunctions" },
      });
    }
    if (signature.results.length > 1 || signature.results.some((t) => !NUMERIC.has(t))) {
      throw new LinkError(
        `Import host.${name} has an unsupported result type (${signature.results.join(", ")})`,
        {
          suggestion:
            "Typed host imports return at most one i32, i64, f32 or f64; use sandbox.host_call for JSON.",
          context: { import: `host.${name}` },
        },
      );
    }
    const result = signature.results[0];
    const state = this.state;
    const toWasm =
      result === undefined
        ? () => undefined
        : result === "i64"
          ? (v: unknown) => BigInt.asIntN(64, typeof v === "bigint" ? v : BigInt(Math.trunc(Number(v) || 0)))
          : (v: unknown) => Number(v);
    const context = this.context;
    return (...args: unknown[]) => {
      let value: unknown;
      try {
        args.push(context);
        value = this.#invoke(name, fn, args);
      } catch (error) {
        if (SandboxError.is(error)) throw error;
        state.fail(
          new SandboxError(
            ErrorCode.INTERNAL,
            `Host function "${name}" threw: ${(error as Error)?.message ?? error}`,
            {
              cause: error,
              suggestion: "Fix the host function; errors it throws end the plugin's call.",
              context: { ...state.where(), hostFunction: name },
            },
          ),
        );
      }
      return toWasm(value);
    };
  }
}

const NUMERIC = new Set(["i32", "i64", "f32", "f64"]);
