/**
 * Thrown by `proc_exit`: unwinds the guest's stack back to the embedder, which catches it and ends the call
 * cleanly with `exitCode` (0..255 by convention; the raw u32 the guest passed is kept).
 */
export class WasiExit extends Error {
  readonly exitCode: number;
  constructor(exitCode: number) {
    super(`WASI program exited with code ${exitCode}`);
    this.name = "WasiExit";
    this.exitCode = exitCode;
  }
}
