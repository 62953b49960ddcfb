import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { caught } from "@wasm-sandbox/testkit";
import { afterEach, onTestFinished } from "vitest";
import type { PluginRegistry } from "../src/registry.js";

/** A minimal valid manifest for `buildModule()`'s default export "run". */
export function manifest(id: string, version: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    name: `${id} plugin`,
    version,
    entryPoints: [{ functionName: "run" }],
    ...extra,
  };
}

/** A fresh temporary directory, removed when the calling test finishes (call it inside a test). */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "wasm-sandbox-registry-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Closes registries opened during a test. */
export function closing(): (r: PluginRegistry) => PluginRegistry {
  const open: PluginRegistry[] = [];
  afterEach(() => {
    for (const r of open.splice(0)) r.close();
  });
  return (r) => {
    open.push(r);
    return r;
  };
}

/** Runs `fn` and returns what it threw (fails the test if it did not throw). */
export function thrown(fn: () => unknown): Record<string, unknown> {
  return caught(fn) as Record<string, unknown>;
}
