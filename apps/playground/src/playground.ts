import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { openRegistry, type PluginRegistry } from "@wasm-sandbox/registry";
import type { Hono } from "hono";
import { createApp } from "./app.js";
import { preloadExamples } from "./examples.js";
import { DEFAULT_MAX_LIMITS, type RunLimits } from "./limits.js";
import { PluginRunner } from "./runner.js";
import { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from "./upload.js";

export interface PlaygroundOptions {
  /** Where the registry lives (`registry.db` inside it); created when missing. */
  dataDir: string;
  /** The built page (index.html, style.css, app.js). Default: `public/` next to the running module. */
  staticDir?: string;
  /** The most a run may ask for; defaults to {@link DEFAULT_MAX_LIMITS}. */
  maxLimits?: Partial<RunLimits>;
  /** Upload caps; defaults to 16 MiB of wasm and 1 MiB of manifest. */
  uploadLimits?: Partial<UploadLimits>;
  /** Register the example plugins (default true); already registered ones are left alone. */
  preloadExamples?: boolean;
}

export interface Playground {
  /** The web app: mount `app.fetch` on any server. */
  app: Hono;
  registry: PluginRegistry;
  /** Example plugins registered by this start (empty when they were already there). */
  preloaded: string[];
  /** The effective server maxima. */
  maxLimits: Readonly<RunLimits>;
  /** Releases loaded plugins and closes the registry. The app must not be used afterwards. */
  close(): Promise<void>;
}

/**
 * The reference host: composes the registry (storage), the validator (checks before anything runs) and
 * the runtime (limited execution) behind a JSON API and a page. Knows nothing about sockets, so tests and
 * embedders mount `app.fetch` wherever they like (see listen.ts for the Node server).
 */
export async function createPlayground(options: PlaygroundOptions): Promise<Playground> {
  const maxLimits = Object.freeze({ ...DEFAULT_MAX_LIMITS, ...options.maxLimits });
  const uploadLimits = { ...DEFAULT_UPLOAD_LIMITS, ...options.uploadLimits };
  const staticDir = options.staticDir ?? join(dirname(fileURLToPath(import.meta.url)), "public");

  mkdirSync(options.dataDir, { recursive: true });
  const registry = openRegistry({ path: join(options.dataDir, "registry.db") });
  let preloaded: string[] = [];
  try {
    if (options.preloadExamples !== false) preloaded = await preloadExamples(registry);
  } catch (error) {
    registry.close();
    throw error;
  }
  const runner = new PluginRunner(registry, maxLimits);
  const app = createApp({ registry, runner, maxLimits, uploadLimits, staticDir });

  return {
    app,
    registry,
    preloaded,
    maxLimits,
    async close() {
      await runner.close();
      registry.close();
    },
  };
}
