import { createHash } from "node:crypto";

/** sha256 of the bytes as lower-case hex: the content address of a wasm blob. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
