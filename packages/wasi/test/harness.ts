import {
  type Permissions,
  PermissionsSchema,
  type ResourceLimits,
  ResourceLimitsSchema,
} from "@wasm-sandbox/manifest";
import { createWasi, type WasiCallIo, WasiExit, type WasiOptions, type WasiUsage } from "../src/index.js";

export type PermissionsInput = Parameters<typeof PermissionsSchema.parse>[0];
export type LimitsInput = Parameters<typeof ResourceLimitsSchema.parse>[0];

export function permissions(input: PermissionsInput = {}): Permissions {
  return PermissionsSchema.parse(input);
}
export function limits(input: LimitsInput = {}): ResourceLimits {
  return ResourceLimitsSchema.parse(input);
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  usage: WasiUsage;
  error: unknown;
}

export interface RunOptions extends Partial<Omit<WasiOptions, "permissions" | "limits">> {
  permissions?: PermissionsInput;
  limits?: LimitsInput;
  io?: WasiCallIo;
}

const decoder = new TextDecoder();

/** Runs a WASI command module under createWasi with plain WebAssembly.instantiate (no runtime package). */
export async function runWasi(bytes: Uint8Array<ArrayBuffer>, options: RunOptions = {}): Promise<RunResult> {
  const { permissions: p, limits: l, io, ...rest } = options;
  const wasi = createWasi({ ...rest, permissions: permissions(p), limits: limits(l) });
  const module = await WebAssembly.compile(bytes);
  wasi.checkImports(
    WebAssembly.Module.imports(module)
      .filter((i) => i.module === "wasi_snapshot_preview1")
      .map((i) => i.name),
  );
  const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wasi.imports });
  wasi.bindMemory(instance.exports.memory as WebAssembly.Memory);
  wasi.beginCall(io);
  let exitCode = 0;
  let error: unknown;
  try {
    (instance.exports._start as () => void)();
  } catch (e) {
    if (e instanceof WasiExit) exitCode = e.exitCode;
    else error = e;
  }
  const out = wasi.endCall();
  return {
    exitCode,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr),
    usage: out.usage,
    error,
  };
}
