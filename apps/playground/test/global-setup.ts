import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "tsup";
import type { TestProject } from "vitest/node";
import { clientBuild } from "../scripts/client-build.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The page built for this test run (index.html, style.css, app.js). */
    staticDir: string;
  }
}

let dir: string | undefined;

/**
 * Builds the page once per test run into a scratch directory with the same options as `build`, so tests
 * need no prior build (turbo runs `test` without `build`) and serve exactly what `npm start` serves.
 */
export async function setup(project: TestProject): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), "playground-client-"));
  await build(clientBuild(dir, join(dirname(fileURLToPath(import.meta.url)), "..")));
  project.provide("staticDir", dir);
}

export function teardown(): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
