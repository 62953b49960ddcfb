import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { openRegistry, type Registry } from "@wasm-sandbox/registry";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { checkPlugin } from "./checks.js";
import { preloadExamples } from "./examples.js";
import {
  type ErrorBody,
  errorResponse,
  jsonSafe,
  PayloadTooLargeError,
  ValidationRefused,
} from "./http-errors.js";
import { DEFAULT_MAX_LIMITS, type RunLimits } from "./limits.js";
import { PluginRunner } from "./runner.js";
import { serveStatic } from "./static-files.js";
import { DEFAULT_UPLOAD_LIMITS, maxBodyBytes, readUpload, type UploadLimits } from "./upload.js";

export interface PlaygroundOptions {
  /** Where the registry lives (`registry.db` inside it); created when missing. */
  dataDir: string;
  /** The built page (index.html, style.css, app.js). Default: `public/` next to the running module. */
  staticDir?: string;
  /** The most a run may ask for; defaults to {@link DEFAULT_MAX_LIMITS}. */
  maxLimits?: Partial<RunLimits>;
  /** Upload caps; defaults to 16 MiB of wasm and 1 MiB of manifest. */
  uploadLimits?: Partial<UploadLimits>;
  /** Register the example plugins missing from the registry (default true). */
  preloadExamples?: boolean;
}

export interface Playground {
  /** The web app: mount it on any server (`app.fetch`). */
  app: Hono;
  registry: Registry;
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
 * embedders can mount `app.fetch` wherever they like.
 */
export async function createPlayground(options: PlaygroundOptions): Promise<Playground> {
  const maxLimits = Object.freeze({ ...DEFAULT_MAX_LIMITS, ...options.maxLimits });
  const uploadLimits = { ...DEFAULT_UPLOAD_LIMITS, ...options.uploadLimits };
  const staticDir = options.staticDir ?? join(dirname(fileURLToPath(import.meta.url)), "public");

  mkdirSync(options.dataDir, { recursive: true });
  const registry = await openRegistry({ path: join(options.dataDir, "registry.db") });
  let preloaded: string[] = [];
  try {
    if (options.preloadExamples !== false) preloaded = await preloadExamples(registry);
  } catch (error) {
    await registry.close();
    throw error;
  }
  const runner = new PluginRunner(registry, maxLimits);

  const app = new Hono();
  app.onError((error, c) => {
    const { status, body } = errorResponse(error);
    if (status === 500) console.error(error);
    return c.json(body, status);
  });
  app.notFound((c) =>
    c.json<ErrorBody>(
      { error: { code: "NOT_FOUND", message: `No route ${c.req.method} ${c.req.path}` } },
      404,
    ),
  );

  const uploads = bodyLimit({
    maxSize: maxBodyBytes(uploadLimits),
    onError: (c) => {
      const { body } = errorResponse(
        new PayloadTooLargeError("the upload", undefined, maxBodyBytes(uploadLimits)),
      );
      return c.json(body, 413);
    },
  });
  const small = bodyLimit({
    maxSize: uploadLimits.maxManifestBytes,
    onError: (c) => {
      const { body } = errorResponse(
        new PayloadTooLargeError("the request", undefined, uploadLimits.maxManifestBytes),
      );
      return c.json(body, 413);
    },
  });

  app.get("/api/config", (c) => c.json({ maxLimits, uploadLimits }));

  app.get("/api/plugins", async (c) => {
    const q = c.req.query("q")?.trim();
    const plugins = q ? await registry.searchPlugins({ text: q }) : await registry.listPlugins();
    return c.json(jsonSafe({ plugins }));
  });

  app.get("/api/plugins/:id/:version?", async (c) => {
    const manifest = await registry.getManifest(c.req.param("id"), c.req.param("version"));
    return c.json(jsonSafe({ manifest }));
  });

  app.post("/api/validate", uploads, async (c) => {
    const upload = await readUpload(c, uploadLimits);
    return c.json(await checkPlugin(upload.manifest, upload.wasm));
  });

  app.post("/api/plugins", uploads, async (c) => {
    const upload = await readUpload(c, uploadLimits);
    const check = await checkPlugin(upload.manifest, upload.wasm);
    if (!check.ok || !check.manifest) throw new ValidationRefused(check);
    await registry.registerPlugin(check.manifest, upload.wasm);
    return c.json(check, 201);
  });

  app.post("/api/run", small, async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      body = undefined;
    }
    return c.json(await runner.run(body));
  });

  app.get("/*", (c) => serveStatic(c, staticDir));

  return {
    app,
    registry,
    preloaded,
    maxLimits,
    async close() {
      await runner.close();
      await registry.close();
    },
  };
}
