import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  ErrorCode,
  ManifestError,
  type PluginManifest,
  parseManifest,
  SandboxError,
} from "@wasm-sandbox/manifest";
import { canonicalJson } from "./canonical-json.js";
import { appendCustomSection, readCustomSections, removeCustomSections } from "./wasm/sections.js";

/** The custom section that carries a plugin's manifest (UTF-8 JSON) inside its .wasm file. */
export const MANIFEST_SECTION = "wasm-sandbox.manifest";
/** File names of the directory form. */
export const MANIFEST_FILE = "plugin.json";
export const WASM_FILE = "plugin.wasm";

export interface PluginPackage {
  /** The manifest, parsed and normalised. */
  manifest: PluginManifest;
  /** The module without the manifest section. */
  wasm: Uint8Array;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function parsed(input: unknown): PluginManifest {
  const result = parseManifest(input);
  if (!result.success) throw new ManifestError(result.issues);
  return result.manifest;
}

/**
 * One .wasm file holding both the module and its manifest (custom section "wasm-sandbox.manifest"). Any
 * manifest section already present is replaced, so packing is idempotent.
 */
export function packPlugin(manifest: unknown, wasm: Uint8Array): Uint8Array {
  const normalised = parsed(manifest);
  const stripped = removeCustomSections(wasm, MANIFEST_SECTION);
  return appendCustomSection(stripped, MANIFEST_SECTION, new TextEncoder().encode(canonicalJson(normalised)));
}

/** Splits a packed .wasm into its manifest and the module without the manifest section. */
export function unpackPlugin(bytes: Uint8Array): PluginPackage {
  const sections = readCustomSections(bytes, MANIFEST_SECTION);
  if (sections.length === 0) {
    throw new SandboxError(
      ErrorCode.INVALID_MANIFEST,
      `The module has no "${MANIFEST_SECTION}" custom section`,
      {
        suggestion:
          "Pack the plugin with packPlugin(manifest, wasm), or import the directory form (plugin.json + plugin.wasm).",
      },
    );
  }
  if (sections.length > 1) {
    throw new SandboxError(
      ErrorCode.INVALID_MANIFEST,
      `The module has ${sections.length} "${MANIFEST_SECTION}" sections; exactly one is allowed`,
      { suggestion: "Repack the plugin with packPlugin(), which replaces any existing manifest section." },
    );
  }
  let text: string;
  try {
    text = utf8.decode(sections[0]);
  } catch {
    throw new SandboxError(
      ErrorCode.INVALID_MANIFEST,
      `The "${MANIFEST_SECTION}" section is not UTF-8 text`,
      {
        suggestion: "Repack the plugin with packPlugin().",
      },
    );
  }
  return { manifest: parsed(text), wasm: removeCustomSections(bytes, MANIFEST_SECTION) };
}

async function readOrThrow(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SandboxError(
      code === "ENOENT" ? ErrorCode.NOT_FOUND : ErrorCode.STORAGE_ERROR,
      `Cannot read ${path}: ${(error as Error).message}`,
      {
        cause: error,
        suggestion: `A plugin directory holds ${MANIFEST_FILE} and ${WASM_FILE}; a plugin file is one packed .wasm.`,
        context: { path, errno: code },
      },
    );
  }
}

/** Reads a plugin from a directory holding `plugin.json` and `plugin.wasm`. */
export async function readPluginDirectory(dir: string): Promise<PluginPackage> {
  const [json, wasm] = await Promise.all([
    readOrThrow(join(dir, MANIFEST_FILE)),
    readOrThrow(join(dir, WASM_FILE)),
  ]);
  let text: string;
  try {
    text = utf8.decode(json);
  } catch {
    throw new SandboxError(ErrorCode.INVALID_MANIFEST, `${join(dir, MANIFEST_FILE)} is not UTF-8 text`, {
      suggestion: "Save plugin.json as UTF-8 JSON.",
    });
  }
  return { manifest: parsed(text), wasm };
}

/** Reads a packed plugin file (one .wasm with the manifest section). */
export async function readPluginFile(path: string): Promise<PluginPackage> {
  return unpackPlugin(await readOrThrow(path));
}

async function writeAtomically(path: string, data: Uint8Array | string): Promise<void> {
  // Write then rename, so a crash never leaves a half-written file under the final name.
  const temp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    throw new SandboxError(ErrorCode.STORAGE_ERROR, `Cannot write ${path}: ${(error as Error).message}`, {
      cause: error,
      suggestion: "Check that the directory exists and is writable.",
      context: { path },
    });
  }
}

/** Writes `plugin.json` (normalised manifest, pretty-printed) and `plugin.wasm` into `dir` (created if needed). */
export async function writePluginDirectory(dir: string, manifest: unknown, wasm: Uint8Array): Promise<void> {
  const normalised = parsed(manifest);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new SandboxError(ErrorCode.STORAGE_ERROR, `Cannot create ${dir}: ${(error as Error).message}`, {
      cause: error,
      suggestion: "Check that the parent directory exists and is writable.",
      context: { path: dir },
    });
  }
  await writeAtomically(join(dir, WASM_FILE), wasm);
  await writeAtomically(join(dir, MANIFEST_FILE), `${JSON.stringify(normalised, null, 2)}\n`);
}

/** Writes one packed .wasm file (module + manifest section). */
export async function writePluginFile(path: string, manifest: unknown, wasm: Uint8Array): Promise<void> {
  await writeAtomically(path, packPlugin(manifest, wasm));
}
