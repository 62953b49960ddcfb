import { mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { examplePlugins } from "@wasm-sandbox/example-plugins";
import { inject } from "vitest";
import { listenPlayground, type RunningPlayground } from "../src/listen.js";
import type { PlaygroundOptions } from "../src/playground.js";

export interface TestServer extends RunningPlayground {
  dataDir: string;
  /** fetch() against the server, JSON body parsed. */
  api<T = Record<string, unknown>>(path: string, init?: RequestInit): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

/** Starts the playground on an ephemeral port over a fresh data directory. */
export async function startServer(options: Partial<PlaygroundOptions> = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "playground-data-"));
  const running = await listenPlayground({ staticDir: inject("staticDir"), ...options, dataDir, port: 0 });
  return {
    ...running,
    dataDir,
    async api<T>(path: string, init?: RequestInit) {
      const response = await fetch(new URL(path, running.url), init);
      return { status: response.status, body: (await response.json()) as T };
    },
    async stop() {
      await running.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const postJson = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

/** An example plugin's manifest and module bytes, by its name ("calculator"). */
export async function example(
  name: string,
): Promise<{ manifest: Record<string, unknown>; wasm: Uint8Array<ArrayBuffer> }> {
  const all = examplePlugins();
  const found = all.find((e) => e.name === name);
  if (!found) throw new Error(`no example plugin ${name}: ${all.map((e) => e.name).join(", ")}`);
  return {
    manifest: structuredClone(found.manifest),
    wasm: Uint8Array.from(await readFile(found.wasmPath)),
  };
}
