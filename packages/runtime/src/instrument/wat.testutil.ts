import initWabt from "wabt";

type Wabt = Awaited<ReturnType<typeof initWabt>>;
let wabt: Promise<Wabt> | undefined;

/** Proposals Node 20 ships, enabled for fixtures. */
const FEATURES = {
  exceptions: true,
  mutable_globals: true,
  sat_float_to_int: true,
  sign_extension: true,
  simd: true,
  threads: true,
  multi_value: true,
  tail_call: true,
  bulk_memory: true,
  reference_types: true,
};

/** Compiles WAT with wabt (fixtures are compiled in the tests, never fetched). */
export async function wat(
  source: string,
  options: { names?: boolean } = {},
): Promise<Uint8Array<ArrayBuffer>> {
  wabt ??= initWabt();
  const mod = (await wabt).parseWat("fixture.wat", source, FEATURES);
  try {
    if (options.names) mod.resolveNames();
    return new Uint8Array(
      mod.toBinary({ write_debug_names: options.names === true }).buffer,
    ) as Uint8Array<ArrayBuffer>;
  } finally {
    mod.destroy();
  }
}

export type Outcome = { ok: true; value: unknown } | { ok: false; error: string };

/** Calls an export and captures its result or the trap message (for differential comparisons). */
export function outcome(fn: () => unknown): Outcome {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e) };
  }
}

export function instantiate(bytes: Uint8Array<ArrayBuffer>, imports: object = {}): WebAssembly.Exports {
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), imports as WebAssembly.Imports).exports;
}

/** Validates with wabt, for proposals Node 20's engine does not accept yet (try_table, ...). */
export async function wabtValidate(bytes: Uint8Array): Promise<void> {
  wabt ??= initWabt();
  const mod = (await wabt).readWasm(bytes, { ...FEATURES, readDebugNames: false });
  try {
    mod.validate();
  } finally {
    mod.destroy();
  }
}
