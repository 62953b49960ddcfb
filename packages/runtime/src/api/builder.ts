import { ErrorCode, parseDuration, type ResourceLimitsInput, SandboxError } from "@wasm-sandbox/manifest";
import type { HostFunction } from "../host/host-functions.js";
import type { WasmSource } from "../loader/source.js";
import type { WasmPlugin } from "../plugin/sandboxed-plugin.js";
import type { CallUsage, PluginOptions } from "../plugin/types.js";
import { loadPlugin, type ManifestSource } from "./load-plugin.js";

/** What `WasmSandbox.builder()...build()` gives: call functions, then close. */
export interface Sandbox {
  readonly plugin: WasmPlugin;
  call(fn: string, args?: unknown): Promise<unknown>;
  callWithUsage(fn: string, args?: unknown): Promise<{ value: unknown; usage: CallUsage }>;
  close(): Promise<void>;
}

export class WasmSandboxBuilder {
  #source: WasmSource | undefined;
  #manifest: ManifestSource | undefined;
  #limits: Partial<ResourceLimitsInput> = {};
  #hostFunctions: Record<string, HostFunction> = {};
  #options: Omit<PluginOptions, "limits" | "hostFunctions"> = {};

  /** The module: bytes or a file path. */
  source(wasm: WasmSource): this {
    this.#source = wasm;
    return this;
  }

  /** A manifest for the module (otherwise one is inferred from its exports). */
  manifest(manifest: ManifestSource): this {
    this.#manifest = manifest;
    return this;
  }

  /** Linear memory cap: a size ("64MiB") or a number of 64 KiB pages. */
  memoryLimit(limit: string | number): this {
    this.#limits.memory = limit;
    return this;
  }

  /** Fuel per call. */
  fuel(fuel: number): this {
    this.#limits.fuel = fuel;
    return this;
  }

  /** Fuel over an instance's lifetime. */
  instanceFuel(fuel: number): this {
    this.#limits.instanceFuel = fuel;
    return this;
  }

  /** Wall-clock limit per call: ms or a duration ("5s"). */
  timeout(timeout: string | number): this {
    this.#limits.timeout = parseDuration(timeout);
    return this;
  }

  /** Wall-clock limit over an instance's calls. */
  totalTimeout(timeout: string | number): this {
    this.#limits.totalTimeout = parseDuration(timeout);
    return this;
  }

  /** Any other limits, as in a manifest. */
  limits(limits: Partial<ResourceLimitsInput>): this {
    Object.assign(this.#limits, limits);
    return this;
  }

  /**
   * Registers a host function. With an inferred manifest it is also granted; with an explicit manifest the
   * manifest's permissions.hostFunctions still decides.
   */
  hostFunction(name: string, fn: HostFunction): this {
    this.#hostFunctions[name] = fn;
    return this;
  }

  keepAlive(keep = true): this {
    this.#options.keepAlive = keep;
    return this;
  }

  env(env: Record<string, string>): this {
    this.#options.env = { ...this.#options.env, ...env };
    return this;
  }

  mount(guestPath: string, hostPath: string): this {
    this.#options.mounts = { ...this.#options.mounts, [guestPath]: hostPath };
    return this;
  }

  async build(): Promise<Sandbox> {
    if (this.#source === undefined) {
      throw new SandboxError(ErrorCode.INVALID_ARGUMENT, "WasmSandbox.builder() needs a source", {
        suggestion:
          'Call .source(bytesOrPath) before .build(), e.g. WasmSandbox.builder().source("add.wasm").',
      });
    }
    const plugin = await loadPlugin(this.#manifest, this.#source, {
      ...this.#options,
      limits: this.#limits,
      hostFunctions: this.#hostFunctions,
    });
    return {
      plugin,
      call: (fn, args = []) => plugin.execute(fn, args),
      callWithUsage: (fn, args = []) => plugin.executeWithUsage(fn, args),
      close: () => plugin.cleanup(),
    };
  }
}

/** The builder entry point: `WasmSandbox.builder().source(wasm).memoryLimit("64MiB").build()`. */
export const WasmSandbox = {
  builder(): WasmSandboxBuilder {
    return new WasmSandboxBuilder();
  },
};
