/**
 * @wasm-sandbox/wasi: WASI preview1 (wasi_snapshot_preview1) in TypeScript, every capability taken from
 * the plugin manifest's permissions.
 *
 *   const wasi = createWasi({ permissions, limits, mounts: { "/data": "/srv/plugin-data" } });
 *   wasi.checkImports(namesImportedFromWasiSnapshotPreview1); // LinkError for unknown (or, strict, ungranted)
 *   const { instance } = await WebAssembly.instantiate(bytes, { wasi_snapshot_preview1: wasi.imports });
 *   wasi.bindMemory(instance.exports.memory as WebAssembly.Memory);
 *   wasi.beginCall({ args: ["--verbose"], stdin });         // argv seen by the guest: [programName, ...args]
 *   try { (instance.exports._start as () => void)(); } catch (e) { if (!(e instanceof WasiExit)) throw e; }
 *   const { stdout, stderr, usage } = wasi.endCall();
 *
 * Errors the embedder sees: WasiExit (proc_exit; read exitCode), ResourceExhaustedError kind "output"
 * (stdout + stderr passed limits.maxOutput: abort the call), TimeoutError (poll_oneoff would sleep past the
 * deadline), SandboxError INVALID_ARGUMENT from createWasi (a granted path without a mount, ...).
 */
export { COARSE_NS, DEFAULT_CLOCK_EPOCH } from "./clock.js";
export { Errno } from "./constants.js";
export { WasiExit } from "./exit.js";
export type { Capability, WasiFunctionName } from "./policy.js";
export { FUNCTIONS as WASI_FUNCTIONS, PERMISSION_NAME } from "./policy.js";
export type {
  Wasi,
  WasiCallIo,
  WasiCallResult,
  WasiDenial,
  WasiFunction,
  WasiOptions,
  WasiUsage,
} from "./types.js";
export { createWasi } from "./wasi.js";
