import initWabt from "wabt";
import { encodeU32 } from "./writer.js";

type Wabt = Awaited<ReturnType<typeof initWabt>>;
let wabt: Promise<Wabt> | undefined;

/** Every proposal wabt knows, so fixtures can use any post-MVP syntax. */
export const ALL_FEATURES = {
  exceptions: true,
  mutable_globals: true,
  sat_float_to_int: true,
  sign_extension: true,
  simd: true,
  threads: true,
  function_references: true,
  multi_value: true,
  tail_call: true,
  bulk_memory: true,
  reference_types: true,
  gc: true,
  memory64: true,
  multi_memory: true,
  extended_const: true,
  relaxed_simd: true,
} as const;

/** Compiles WAT to a binary with wabt (test helper; fixtures are compiled in the tests, never fetched). */
export async function wat(
  source: string,
  features: Record<string, boolean> = ALL_FEATURES,
): Promise<Uint8Array> {
  wabt ??= initWabt();
  const w = await wabt;
  const mod = w.parseWat("fixture.wat", source, features);
  try {
    return new Uint8Array(mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}

/** Builds a module from raw section bytes: `[id, ...payload]` per section, sizes filled in. */
export function moduleBytes(...sections: [number, number[]][]): Uint8Array {
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  for (const [id, payload] of sections) out.push(id, ...encodeU32(payload.length), ...payload);
  return new Uint8Array(out);
}
