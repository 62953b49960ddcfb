import { compileWat, WABT_FEATURES } from "@wasm-sandbox/testkit";
import { encodeU32 } from "./writer.js";

/** Every proposal wabt knows, so fixtures can use any post-MVP syntax (more than Node 20 runs). */
export const ALL_FEATURES = {
  ...WABT_FEATURES,
  function_references: true,
  gc: true,
  memory64: true,
  multi_memory: true,
  extended_const: true,
  relaxed_simd: true,
} as const;

/** Compiles WAT to a binary with wabt (test helper; fixtures are compiled in the tests, never fetched). */
export function wat(source: string, features: Record<string, boolean> = ALL_FEATURES): Promise<Uint8Array> {
  return compileWat(source, { features });
}

/** Builds a module from raw section bytes: `[id, ...payload]` per section, sizes filled in. */
export function moduleBytes(...sections: [number, number[]][]): Uint8Array {
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  for (const [id, payload] of sections) out.push(id, ...encodeU32(payload.length), ...payload);
  return new Uint8Array(out);
}
