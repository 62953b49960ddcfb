import { ErrorCode, parseDuration, SandboxError } from "@wasm-sandbox/manifest";
import type { WasmSource } from "../loader/source.js";
import type { PluginOptions } from "../plugin/types.js";
import { loadPlugin } from "./load-plugin.js";

/**
 * Runs one exported function of a module under the secure defaults: `await run("add.wasm", "add", [5, 3])`.
 * Without a manifest, one is inferred from the exports (no permissions, default limits). The compiled module
 * is cached, so repeated runs only pay for instantiation.
 */
export async function run(
  wasm: WasmSource,
  fn: string,
  args: unknown = [],
  options: PluginOptions = {},
): Promise<unknown> {
  const plugin = await loadPlugin(undefined, wasm, options);
  try {
    return await plugin.execute(fn, args);
  } finally {
    await plugin.cleanup();
  }
}

/**
 * `run` with a wall-clock limit: milliseconds or a duration string ("2s", "250ms"). The time limit governs:
 * unless `options.limits.fuel` says otherwise, the call's fuel is not capped, so a runaway guest ends with
 * TIMEOUT after the given time (not earlier with fuel exhaustion).
 */
export async function runWithTimeout(
  wasm: WasmSource,
  fn: string,
  args: unknown,
  timeout: number | string,
  options: PluginOptions = {},
): Promise<unknown> {
  const ms = parseDuration(timeout);
  if (options.limits?.timeout !== undefined) {
    // one of the two would be ignored
    throw new SandboxError(ErrorCode.INVALID_ARGUMENT, "runWithTimeout got a timeout twice", {
      suggestion:
        "Give the time limit as runWithTimeout's argument only, not also in options.limits.timeout.",
      context: { timeout, optionsTimeout: options.limits.timeout },
    });
  }
  return run(wasm, fn, args, {
    ...options,
    limits: { fuel: Number.MAX_SAFE_INTEGER, ...options.limits, timeout: ms },
  });
}
