import { NotFoundError, type PluginManifest } from "@wasm-sandbox/manifest";
import type { PluginRegistry } from "@wasm-sandbox/registry";
import { type CallUsage, type LogLine, loadPlugin, type WasmPlugin } from "@wasm-sandbox/runtime";
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
  /** The runtime's account of the call: fuel, peakMemoryBytes, wallTimeMs, outputBytes, logBytes, ... */
  usage: Partial<CallUsage>;
  limits: RunLimits;
  /** What the plugin logged during the call (bounded by its maxLog limit). */
  logs: LogLine[];
}

/** How many loaded plugins (per id, version and memory cap) stay warm between runs. */
const CACHE_SIZE = 16;

/**
 * Runs registered plugins under per-run limits. Memory caps are fixed when a module is instrumented, so
 * loaded plugins are cached by id, version and memory; fuel and timeout are per call. The runtime gives
 * every call a fresh instance (no state leaks from one person's run into the next).
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
    const entry = manifest.entryPoints.find((e) => e.functionName === request.entry);
    if (!entry) {
      throw new NotFoundError(`${manifest.id}@${manifest.version} has no entry point "${request.entry}"`, {
        suggestion: `Use one of: ${manifest.entryPoints.map((e) => e.functionName).join(", ")}.`,
        context: { id: manifest.id, version: manifest.version, entry: request.entry },
      });
    }
    const limits = effectiveLimits(manifest.limits, request.limits ?? {}, this.#max);
    const plugin = await this.#load(manifest, limits.memory);
    const context = { limits: { fuel: limits.fuel, timeout: limits.timeout } };
    let value: unknown;
    let usage: CallUsage | undefined;
    // Calls are synchronous on this thread, so every log event between on() and off() is this call's.
    const logs: LogLine[] = [];
    const stopLogging = plugin.on("log", ({ level, message }) => logs.push({ level, message }));
    try {
      if (entry.supportsStreaming) {
        // A streaming entry's items, collected into one array for the page.
        const items: unknown[] = [];
        for await (const item of plugin.stream(entry.functionName, request.params, context)) items.push(item);
        value = items;
        usage = plugin.lastUsage;
      } else {
        ({ value, usage } = await plugin.executeWithUsage(entry.functionName, request.params, context));
      }
    } finally {
      stopLogging();
    }
    return jsonSafe({
      id: manifest.id,
      version: manifest.version,
      entry: entry.functionName,
      value,
      usage: { ...usage },
      limits,
      logs,
    });
  }

  #load(manifest: PluginManifest, memory: number): Promise<WasmPlugin> {
    const key = JSON.stringify([manifest.id, manifest.version, memory]);
    const cached = this.#cache.get(key);
    if (cached) {
      // Re-insert so the map's order is least recently used first.
      this.#cache.delete(key);
      this.#cache.set(key, cached);
      return cached;
    }
    const wasm = this.#registry.getWasm(manifest.id, manifest.version);
    const loading = loadPlugin(manifest, wasm, { limits: { memory } });
    // A failed load is not cached: the next run reports the error afresh.
    loading.catch(() => this.#cache.delete(key));
    this.#cache.set(key, loading);
    while (this.#cache.size > CACHE_SIZE) {
      const [oldest, entry] = this.#cache.entries().next().value as [string, Promise<WasmPlugin>];
      this.#cache.delete(oldest);
      entry.then((p) => p.cleanup()).catch(() => {});
    }
    return loading;
  }

  async close(): Promise<void> {
    const entries = [...this.#cache.values()];
    this.#cache.clear();
    await Promise.allSettled(entries.map(async (entry) => (await entry).cleanup()));
  }
}
