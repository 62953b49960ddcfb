import { InvalidInputError } from "@wasm-sandbox/manifest";
import type { Context } from "hono";
import { z } from "zod";
import { PayloadTooLargeError, requestInvalid } from "./http-errors.js";

/** Upload size caps. */
export interface UploadLimits {
  /** Largest accepted `.wasm`, in bytes. */
  maxWasmBytes: number;
  /** Largest accepted manifest JSON, in bytes. */
  maxManifestBytes: number;
}

export const DEFAULT_UPLOAD_LIMITS: Readonly<UploadLimits> = Object.freeze({
  maxWasmBytes: 16 * 1024 * 1024,
  maxManifestBytes: 1024 * 1024,
});

/** What an upload carries: the module and, unless it is embedded in the module, a manifest. */
export interface Upload {
  wasm: Uint8Array;
  /** The manifest as the user wrote it (parsed JSON), or undefined when none was sent. */
  manifest: unknown;
}

/** The largest request body worth reading: base64 wasm plus a manifest plus framing. */
export function maxBodyBytes(limits: UploadLimits): number {
  return Math.ceil(limits.maxWasmBytes / 3) * 4 + limits.maxManifestBytes + 64 * 1024;
}

const JsonUploadSchema = z.strictObject({
  wasm: z.base64({ message: "wasm must be the module's bytes in base64" }),
  manifest: z.union([z.record(z.string(), z.unknown()), z.string()]).optional(),
});

/**
 * Reads an upload from multipart form data (`wasm` file, optional `manifest` file or text) or from JSON
 * (`{ wasm: base64, manifest?: object | string }`), enforcing the size caps per part.
 */
export async function readUpload(c: Context, limits: UploadLimits): Promise<Upload> {
  const type = c.req.header("content-type") ?? "";
  if (type.startsWith("multipart/form-data")) return readMultipart(c, limits);
  if (type.startsWith("application/json")) return readJson(c, limits);
  throw new InvalidInputError(`Unsupported content type "${type}"`, [], {
    suggestion: "Send multipart/form-data with a `wasm` file, or JSON with base64 `wasm`.",
  });
}

async function readMultipart(c: Context, limits: UploadLimits): Promise<Upload> {
  const form = await c.req.parseBody({ all: true });
  // like the JSON form's strict schema: a misspelt or repeated field would otherwise be dropped unseen
  for (const [name, value] of Object.entries(form)) {
    if (name !== "wasm" && name !== "manifest") {
      throw new InvalidInputError(`The form has an unknown field "${name}"`, [], {
        suggestion: "Send a `wasm` file and, optionally, a `manifest` file or text; nothing else.",
      });
    }
    if (Array.isArray(value)) {
      throw new InvalidInputError(`The form has the field "${name}" more than once`, [], {
        suggestion: "Send each field once.",
      });
    }
  }
  const wasm = form.wasm;
  if (!(wasm instanceof File)) {
    throw new InvalidInputError("The form has no `wasm` file", [], {
      suggestion: "Attach the module as a file field named `wasm`.",
    });
  }
  if (wasm.size > limits.maxWasmBytes) throw new PayloadTooLargeError("wasm", wasm.size, limits.maxWasmBytes);
  const field = form.manifest;
  let manifestText: string | undefined;
  if (field instanceof File) {
    if (field.size > limits.maxManifestBytes) {
      throw new PayloadTooLargeError("manifest", field.size, limits.maxManifestBytes);
    }
    manifestText = await field.text();
  } else if (typeof field === "string" && field.trim() !== "") {
    manifestText = field;
  }
  return {
    wasm: new Uint8Array(await wasm.arrayBuffer()),
    manifest: manifestText === undefined ? undefined : parseManifestText(manifestText, limits),
  };
}

async function readJson(c: Context, limits: UploadLimits): Promise<Upload> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new InvalidInputError("The request body is not valid JSON", [], {
      suggestion: 'Send a JSON object such as { "wasm": "<base64>", "manifest": { ... } }.',
    });
  }
  const parsed = JsonUploadSchema.safeParse(body);
  if (!parsed.success) throw requestInvalid("upload", parsed.error);
  const wasm = Buffer.from(parsed.data.wasm, "base64");
  if (wasm.byteLength > limits.maxWasmBytes) {
    throw new PayloadTooLargeError("wasm", wasm.byteLength, limits.maxWasmBytes);
  }
  const { manifest } = parsed.data;
  if (typeof manifest === "string") return { wasm, manifest: parseManifestText(manifest, limits) };
  if (manifest !== undefined) {
    const size = Buffer.byteLength(JSON.stringify(manifest));
    if (size > limits.maxManifestBytes)
      throw new PayloadTooLargeError("manifest", size, limits.maxManifestBytes);
  }
  return { wasm: new Uint8Array(wasm), manifest };
}

function parseManifestText(text: string, limits: UploadLimits): unknown {
  const size = Buffer.byteLength(text);
  if (size > limits.maxManifestBytes)
    throw new PayloadTooLargeError("manifest", size, limits.maxManifestBytes);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`The manifest is not valid JSON: ${(error as Error).message}`, [], {
      suggestion: "Check the manifest file with a JSON linter; it must be one JSON object.",
    });
  }
}
