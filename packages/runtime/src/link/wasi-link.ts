import type { Wasi } from "@wasm-sandbox/wasi";

/** The WASI preview1 provider a plugin links against: @wasm-sandbox/wasi's `createWasi` result. */
export type WasiLink = Wasi;

export const WASI_MODULE = "wasi_snapshot_preview1";
