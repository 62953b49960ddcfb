import { compileWat } from "@wasm-sandbox/testkit";

/** Validates with wabt, for proposals Node 20's engine does not accept yet (try_table, ...). */
export { validateWasm as wabtValidate } from "@wasm-sandbox/testkit";

/** Compiles WAT with Node 20's proposals; `names` keeps the $names in a name section. */
export function wat(source: string, options: { names?: boolean } = {}): Promise<Uint8Array<ArrayBuffer>> {
  return compileWat(source, { debugNames: options.names === true });
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
