/**
 * What the runtime needs from a WASI preview1 implementation (@wasm-sandbox/wasi's `createWasi`).
 * Kept as an interface so the linker does not depend on how WASI is built.
 */
export interface WasiLink {
  readonly imports: Record<string, Function>;
  checkImports(names: readonly string[]): void;
  bindMemory(memory: WebAssembly.Memory): void;
  beginCall(io?: { args?: string[]; env?: Record<string, string>; stdin?: Uint8Array }): void;
  endCall(): {
    stdout: Uint8Array;
    stderr: Uint8Array;
    usage: {
      filesOpened: number;
      bytesRead: number;
      bytesWritten: number;
      securityEvents: number;
      denied: readonly { function: string; permission: string }[];
    };
  };
}

export const WASI_MODULE = "wasi_snapshot_preview1";
