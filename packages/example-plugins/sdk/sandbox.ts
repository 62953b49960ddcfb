// The wasm-sandbox guest SDK for AssemblyScript: the `sandbox` imports of guest ABI v1 wrapped as strings.
// AssemblyScript imports a bare `declare function` from the module named after this file ("sandbox"),
// under the function's own name; a plugin imports only what it uses.

declare function input_size(): i32;
declare function input_read(ptr: usize): i32;
declare function output_write(ptr: usize, len: i32): i32;
declare function error(ptr: usize, len: i32): void;
declare function log(level: i32, ptr: usize, len: i32): void;
declare function emit(ptr: usize, len: i32): i32;
declare function host_call(namePtr: usize, nameLen: i32, inPtr: usize, inLen: i32): i32;
declare function host_result_read(ptr: usize): i32;

/** The call's input: the UTF-8 JSON text of the parameters array. */
export function readInput(): string {
  const size = input_size();
  const buffer = new ArrayBuffer(size);
  input_read(changetype<usize>(buffer));
  return String.UTF8.decode(buffer);
}

/** Appends text to the call's output (the host parses the whole output as JSON). */
export function writeOutput(text: string): void {
  const bytes = String.UTF8.encode(text);
  output_write(changetype<usize>(bytes), bytes.byteLength);
}

/** Sets the call's error message; return the result of this from the entry point (non-zero = error). */
export function fail(message: string): i32 {
  const bytes = String.UTF8.encode(message);
  error(changetype<usize>(bytes), bytes.byteLength);
  return 1;
}

export const LOG_DEBUG: i32 = 0;
export const LOG_INFO: i32 = 1;
export const LOG_WARN: i32 = 2;
export const LOG_ERROR: i32 = 3;

export function logMessage(level: i32, message: string): void {
  const bytes = String.UTF8.encode(message);
  log(level, changetype<usize>(bytes), bytes.byteLength);
}

/** Streams one JSON item to the caller now. */
export function emitJson(json: string): void {
  const bytes = String.UTF8.encode(json);
  emit(changetype<usize>(bytes), bytes.byteLength);
}

/** Calls a host function with JSON input; returns its JSON result, or null when the host refused. */
export function hostCall(name: string, inputJson: string): string | null {
  const nameBytes = String.UTF8.encode(name);
  const inputBytes = String.UTF8.encode(inputJson);
  const size = host_call(
    changetype<usize>(nameBytes),
    nameBytes.byteLength,
    changetype<usize>(inputBytes),
    inputBytes.byteLength,
  );
  if (size < 0) return null;
  const result = new ArrayBuffer(size);
  host_result_read(changetype<usize>(result));
  return String.UTF8.decode(result);
}
