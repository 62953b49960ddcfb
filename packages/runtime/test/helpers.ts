import { examplePlugins, loadExampleWasmSync } from "@wasm-sandbox/example-plugins";
import {
  type EntryPointAbi,
  type ErrorCode,
  type ResourceExhaustedError,
  SandboxError,
} from "@wasm-sandbox/manifest";
import { expect } from "vitest";

export const wasm = (name: string): Uint8Array => loadExampleWasmSync(name);

export function exampleManifest(name: string): Record<string, unknown> {
  const found = examplePlugins().find((p) => p.name === name);
  if (!found) throw new Error(`no example plugin ${name}`);
  return found.manifest;
}

/** A manifest for a fixture: entries by name (with an optional ABI), plus any top-level overrides. */
export function manifest(
  id: string,
  entries: (string | { name: string; abi?: EntryPointAbi; extra?: Record<string, unknown> })[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: `test/${id}`,
    name: id,
    version: "1.0.0",
    entryPoints: entries.map((e) =>
      typeof e === "string"
        ? { functionName: e }
        : { functionName: e.name, ...(e.abi ? { abi: e.abi } : {}), ...e.extra },
    ),
    ...extra,
  };
}

/** Awaits a rejection and checks it is a SandboxError with the code (and context fields) given. */
export async function rejection(
  promise: Promise<unknown> | (() => unknown),
  code: ErrorCode,
): Promise<SandboxError> {
  let error: unknown;
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (e) {
    error = e;
  }
  expect(error, `expected a ${code} SandboxError`).toBeDefined();
  if (!SandboxError.is(error)) throw error;
  expect(error.code, error.message).toBe(code);
  expect(error.suggestion).toBeTruthy();
  return error;
}

/** Expects a RESOURCE_EXHAUSTED rejection of the given kind (see `rejection`) and returns it. */
export async function exhaustion(
  promise: Promise<unknown> | (() => unknown),
  kind: ResourceExhaustedError["kind"],
): Promise<ResourceExhaustedError> {
  const error = (await rejection(promise, "RESOURCE_EXHAUSTED")) as ResourceExhaustedError;
  expect(error.kind).toBe(kind);
  return error;
}
