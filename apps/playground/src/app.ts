import { InvalidInputError } from "@wasm-sandbox/manifest";
import type { PluginRegistry } from "@wasm-sandbox/registry";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { checkUpload } from "./checks.js";
import {
  type ErrorBody,
  errorResponse,
  jsonSafe,
  PayloadTooLargeError,
  ValidationRefused,
} from "./http-errors.js";
import type { RunLimits } from "./limits.js";
import { parsePluginPath, pluginDetails } from "./plugin-info.js";
import type { PluginRunner } from "./runner.js";
import { serveStatic } from "./static-files.js";
import { maxBodyBytes, readUpload, type UploadLimits } from "./upload.js";

export interface AppParts {
  registry: PluginRegistry;
  runner: PluginRunner;
  maxLimits: Readonly<RunLimits>;
  uploadLimits: UploadLimits;
  staticDir: string;
}

/** The answer of GET /api/config. */
export interface ConfigReply {
  maxLimits: Readonly<RunLimits>;
  uploadLimits: UploadLimits;
}

/** The HTTP surface: the JSON API (documented in README.md) and the page's static files. */
export function createApp({ registry, runner, maxLimits, uploadLimits, staticDir }: AppParts): Hono {
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

  const tooLarge = (what: string, max: number) =>
    bodyLimit({
      maxSize: max,
      // The rest of the body is never read: close the connection so the client cannot reuse it mid-upload.
      onError: (c) =>
        c.json(errorResponse(new PayloadTooLargeError(what, undefined, max)).body, 413, {
          connection: "close",
        }),
    });
  const uploadBody = tooLarge("the upload", maxBodyBytes(uploadLimits));
  const runBody = tooLarge("the run request", uploadLimits.maxManifestBytes);

  app.get("/api/config", (c) => c.json<ConfigReply>({ maxLimits, uploadLimits }));

  app.get("/api/plugins", (c) => {
    const q = c.req.query("q")?.trim();
    const plugins = q ? registry.searchPlugins({ text: q }) : registry.listPlugins();
    return c.json(jsonSafe({ plugins }));
  });

  app.get("/api/plugins/*", (c) => {
    const { id, version } = parsePluginPath(rawPath(c.req.url).slice("/api/plugins/".length));
    return c.json(pluginDetails(registry, id, version));
  });

  app.post("/api/validate", uploadBody, async (c) => {
    const upload = await readUpload(c, uploadLimits);
    return c.json(checkUpload(upload, maxLimits).check);
  });

  app.post("/api/plugins", uploadBody, async (c) => {
    const upload = await readUpload(c, uploadLimits);
    const { check, wasm } = checkUpload(upload, maxLimits);
    if (!check.ok || !check.manifest) throw new ValidationRefused(check.issues);
    const registered = registry.registerPlugin(check.manifest, wasm);
    return c.json({ ...check, registered: jsonSafe(registered) }, registered.created ? 201 : 200);
  });

  app.post("/api/run", runBody, async (c) => {
    const body: unknown = await c.req.json().catch(() => undefined);
    return c.json(await runner.run(body));
  });

  app.get("/*", (c) => serveStatic(c, staticDir));
  return app;
}

/** The decoded path, keeping %2F-encoded slashes of namespaced ids ("examples%2Fcalculator") as slashes. */
function rawPath(url: string): string {
  const path = new URL(url).pathname;
  try {
    return decodeURIComponent(path);
  } catch {
    throw new InvalidInputError(`The path ${path} is not valid percent-encoding`, [], {
      suggestion: "Encode plugin ids with encodeURIComponent.",
    });
  }
}
