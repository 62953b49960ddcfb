import type { CallState } from "../abi/call-state.js";
import type { HostFunctionTable } from "../host/host-functions.js";

/** The `sandbox` module's functions, bound once to a plugin's call state. */
export function sandboxImports(state: CallState, hosts: HostFunctionTable): Record<string, Function> {
  return {
    input_size: () => state.inputSize,
    input_read: (ptr: number) => state.readInput(ptr),
    output_write: (ptr: number, len: number) => {
      state.addOutput(ptr, len);
      return 0;
    },
    error: (ptr: number, len: number) => {
      state.errorMessage = state.text(ptr, Math.min(len >>> 0, 64 * 1024));
    },
    log: (level: number, ptr: number, len: number) => state.addLog(level, ptr, len),
    emit: (ptr: number, len: number) => {
      state.addItem(ptr, len);
      return 0;
    },
    host_call: (namePtr: number, nameLen: number, inPtr: number, inLen: number) =>
      hosts.callJson(namePtr, nameLen, inPtr, inLen),
    host_result_read: (ptr: number) => hosts.readResult(ptr),
  };
}
