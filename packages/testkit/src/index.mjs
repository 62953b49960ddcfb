// Plain ESM (no build step) so node scripts (fixture builders, bench runners) and vitest tests share it.
// Types: index.d.mts.
import initWabt from "wabt";

/** The post-MVP proposals Node 20's engine accepts; the default feature set for every WAT compile. */
export const WABT_FEATURES = Object.freeze({
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
});

let loading;

/** wabt's compiler, loaded once per process; its methods are synchronous (for timed loops and scripts). */
export function loadWabtKit() {
  loading ??= initWabt().then(createKit);
  return loading;
}

function createKit(wabt) {
  return {
    compile(source, options = {}) {
      const features = options.features ?? WABT_FEATURES;
      const mod = wabt.parseWat(options.fileName ?? "fixture.wat", source, features);
      try {
        if (options.resolveNames || options.debugNames) mod.resolveNames();
        if (options.validate) mod.validate(features);
        const { buffer } = mod.toBinary({ write_debug_names: options.debugNames === true });
        return new Uint8Array(buffer);
      } finally {
        mod.destroy();
      }
    },
    validate(bytes, options = {}) {
      const mod = wabt.readWasm(bytes, { ...(options.features ?? WABT_FEATURES), readDebugNames: false });
      try {
        mod.validate();
      } finally {
        mod.destroy();
      }
    },
  };
}

/** Compiles WAT to a binary with wabt (fixtures are compiled from sources in the repo, never fetched). */
export async function compileWat(source, options) {
  return (await loadWabtKit()).compile(source, options);
}

/** Validates a binary with wabt, for proposals Node 20's engine does not accept yet (try_table, ...). */
export async function validateWasm(bytes, options) {
  (await loadWabtKit()).validate(bytes, options);
}

/** Runs `fn` and returns what it threw, rethrowing it if `is` rejects it; a call that returns fails. */
export function caught(fn, is = () => true) {
  try {
    fn();
  } catch (e) {
    if (is(e)) return e;
    throw e;
  }
  throw new Error("expected a throw");
}

/** A copy of `seed` with each `[at, value]` byte edit written at `at % length` (for fuzzing decoders). */
export function mutate(seed, edits) {
  const bytes = seed.slice();
  for (const [at, value] of edits) bytes[at % bytes.length] = value;
  return bytes;
}
