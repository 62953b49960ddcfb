import { NotFoundError, type PluginManifest } from "@wasm-sandbox/manifest";
import type { PluginRegistry } from "@wasm-sandbox/registry";
import { loadPlugin, type WasmPlugin } from "@wasm-sandbox/runtime";
import { z } from "zod";
import { jsonSafe, requestInvalid } from "./http-errors.js";
import { effectiveLimits, type RunLimits, RunLimitsInputSchema } from "./limits.js";

export const RunRequestSchema = z.strictObject({
  id: z.string().min(1).max(256),
  version: z.string().min(1).max(256).optional(),
  entry: z.string().min(1).max(256),
  /** The call's parameters: an array for numeric and json entries, an object for command entries. */
  params: z.unknown().default([]),
  limits: RunLimitsInputSchema.optional(),
});

export type RunRequest = z.input<typeof RunRequestSchema>;

/** A successful run: the plugin's value, what the call cost, and the limits it ran under. */
export interface RunResult {
  id: string;
  version: string;
  entry: string;
  value: unknown;
  usage: Record<string, unknown>;
  limits: RunLimits;
}

/** How many loaded plugins (per id, version and limits) stay warm between runs. */
const CACHE_SIZE = 16;

/**
 * Runs registered plugins under per-run limits. Loaded plugins are cached by id, version and limits, so a
 * second run skips instrumentation; the runtime gives every call after a trap or abort a fresh instance.
 */
export class PluginRunner {
  readonly #registry: PluginRegistry;
  readonly #max: Readonly<RunLimits>;
  readonly #cache = new Map<string, Promise<WasmPlugin>>();

  constructor(registry: PluginRegistry, max: Readonly<RunLimits>) {
    this.#registry = registry;
    this.#max = max;
  }

  async run(body: unknown): Promise<RunResult> {
    const parsed = RunRequestSchema.safeParse(body);
    if (!parsed.success) throw requestInvalid("run request", parsed.error);
    const request = parsed.data;
    const manifest = this.#registry.getManifest(request.id, request.version);
    if (!manifest.entryPoints.some((e) => e.functionName === request.entry)) {
      throw new NotFoundError(`${manifest.id}@${manifest.version} has no entry point "${request.entry}"`, {
        suggestion: `Use one of: ${manifest.entryPoints.map((e) => e.functionName).join(", ")}.`,
        context: { id: manifest.id, version: manifest.version, entry: request.entry },
      });
    }
    const limits = effectiveLimits(manifest.limits, request.limits ?? {}, this.#max);
    const plugin = await this.#load(manifest, limits);
    const { value, usage } = await plugin.executeWithUsage(request.entry, request.params);
    return jsonSafe({
      id: manifest.id,
      version: manifest.version,
      entry: request.entry,
      value,
      usage: { ...usage },
      limits,
    });
  }

  #load(manifest: PluginManifest, limits: RunLimits): Promise<WasmPlugin> {
    const key = JSON.stringify([manifest.id, manifest.version, limits]);
    const cached = this.#cache.get(key);
    if (cached) {
      // Re-insert so the map's order is least recently used first.
      this.#cache.delete(key);
      this.#cache.set(key, cached);
      return cached;
    }
    const loading = (async () => {
      const wasm = this.#registry.getWasm(manifest.id, manifest.version);
      return loadPlugin(manifest, wasm, { limits });
    })();
    // A failed load is not cached: the next run reports the error afresh.
    loading.catch(() => this.#cache.delete(key));
    this.#cache.set(key, loading);
    while (this.#cache.size > CACHE_SIZE) {
      const [oldest, entry] = this.#cache.entries().next().value as [string, Promise<WasmPlugin>];
      this.#cache.delete(oldest);
      void entry.then((p) => p.close?.()).catch(() => {});
    }
    return loading;
  }

  async close(): Promise<void> {
    const entries = [...this.#cache.values()];
    this.#cache.clear();
    await Promise.allSettled(entries.map(async (entry) => (await entry).close?.()));
  }
}
