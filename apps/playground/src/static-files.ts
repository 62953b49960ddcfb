import { readFile } from "node:fs/promises";
import { extname, join } from "node:path";
import type { Context } from "hono";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
};

/** Only these names are served, so no request path can reach outside the static directory. */
const FILES = new Set(["index.html", "style.css", "app.js", "app.js.map", "favicon.svg"]);

/** Serves the page's files from `dir` (the built client: dist/public). */
export async function serveStatic(c: Context, dir: string): Promise<Response> {
  const name = c.req.path === "/" ? "index.html" : c.req.path.slice(1);
  if (!FILES.has(name))
    return c.json({ error: { code: "NOT_FOUND", message: `No file ${c.req.path}` } }, 404);
  let body: Buffer;
  try {
    body = await readFile(join(dir, name));
  } catch {
    return c.json(
      {
        error: {
          code: "NOT_FOUND",
          message: `${name} is missing from ${dir}`,
          suggestion: "Build the app first: pnpm --filter @wasm-sandbox/playground build",
        },
      },
      404,
    );
  }
  return c.body(new Uint8Array(body), 200, {
    "content-type": TYPES[extname(name)] ?? "application/octet-stream",
    "cache-control": "no-cache",
  });
}
