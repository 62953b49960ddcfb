import { join } from "node:path";
import type { Options } from "tsup";

/**
 * The page's build: the browser bundle (src/client -> app.js) plus the static files (src/public), written
 * to `outDir`. Used by tsup.config.ts (dist/public) and by the test setup (a scratch directory), so the
 * tests serve exactly what `npm start` serves. `root` is the app directory (apps/playground).
 */
export function clientBuild(outDir: string, root = process.cwd()): Options {
  return {
    name: "client",
    entry: { app: join(root, "src/client/main.ts") },
    outDir,
    format: ["esm"],
    platform: "browser",
    target: "es2022",
    outExtension: () => ({ js: ".js" }),
    publicDir: join(root, "src/public"),
    sourcemap: true,
    clean: false,
    splitting: false,
    dts: false,
    silent: true,
  };
}
