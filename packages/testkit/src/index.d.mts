/** wabt feature flags (the `wabt` package's feature names). */
export type WabtFeatures = Readonly<Record<string, boolean>>;

export interface CompileWatOptions {
  /** Proposals to accept; default WABT_FEATURES. `{}` means wabt's own defaults. */
  features?: WabtFeatures;
  /** File name wabt puts in error messages; default "fixture.wat". */
  fileName?: string;
  /** Resolve symbolic names before writing (implied by debugNames). */
  resolveNames?: boolean;
  /** Write a name section with the WAT's $names. */
  debugNames?: boolean;
  /** Validate with the same features before writing (default false: some fixtures are invalid on purpose). */
  validate?: boolean;
}

export interface ValidateWasmOptions {
  /** Proposals to accept; default WABT_FEATURES. */
  features?: WabtFeatures;
}

export interface WabtKit {
  compile(source: string, options?: CompileWatOptions): Uint8Array<ArrayBuffer>;
  /** Throws wabt's error text when the binary does not decode or validate. */
  validate(bytes: Uint8Array, options?: ValidateWasmOptions): void;
}

export declare const WABT_FEATURES: Readonly<{
  exceptions: true;
  mutable_globals: true;
  sat_float_to_int: true;
  sign_extension: true;
  simd: true;
  threads: true;
  multi_value: true;
  tail_call: true;
  bulk_memory: true;
  reference_types: true;
}>;

export declare function loadWabtKit(): Promise<WabtKit>;
export declare function compileWat(
  source: string,
  options?: CompileWatOptions,
): Promise<Uint8Array<ArrayBuffer>>;
export declare function validateWasm(bytes: Uint8Array, options?: ValidateWasmOptions): Promise<void>;

/** Runs `fn` and returns what it threw (fails if it returns). */
export declare function caught(fn: () => unknown): unknown;
/** Runs `fn` and returns what it threw, narrowed by `is`; anything else it threw is rethrown. */
export declare function caught<T>(fn: () => unknown, is: (e: unknown) => e is T): T;

/** A copy of `seed` with each `[at, value]` byte edit written at `at % length` (for fuzzing decoders). */
export declare function mutate(
  seed: Uint8Array,
  edits: ReadonlyArray<readonly [at: number, value: number]>,
): Uint8Array<ArrayBuffer>;
