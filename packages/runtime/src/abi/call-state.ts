import { ResourceExhaustedError, type SandboxError, TrapError } from "@wasm-sandbox/manifest";
import type { FailureSite } from "../errors/map-error.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: false });

export type LogLevel = "debug" | "info" | "warn" | "error";
const LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];

export interface LogLine {
  level: LogLevel;
  message: string;
}

/**
 * Everything one call of the guest reads and writes through the `sandbox` imports. One object per plugin,
 * reset per call, so the imports are built once and the hot path allocates nothing for them.
 */
export class CallState {
  memory: WebAssembly.Memory | undefined = undefined;
  /** The call's input as text (json entries); encoded straight into guest memory by input_read. */
  inputText = "";
  /** Its UTF-8 size in bytes. */
  inputSize = 0;
  /** Output decoded as it is written; a UTF-8 sequence split across two writes waits in `#pending`. */
  outputText = "";
  outputWrites = 0;
  outputBytes = 0;
  #pending: Uint8Array | undefined = undefined;
  logBytes = 0;
  errorMessage: string | undefined = undefined;
  hostResult: Uint8Array | undefined = undefined;
  /** Items from `emit`, when the call is not streamed to a listener. */
  items: unknown[] = [];
  onItem: ((item: unknown) => void) | undefined = undefined;
  onLog: ((line: LogLine) => void) | undefined = undefined;
  /** The first limit or security failure of the call; re-thrown even if the guest swallows it. */
  abort: SandboxError | undefined = undefined;
  maxOutput: number;
  maxLog: number;

  constructor(
    readonly site: FailureSite,
    limits: { maxOutput: number; maxLog: number },
  ) {
    this.maxOutput = limits.maxOutput;
    this.maxLog = limits.maxLog;
  }

  begin(entry: string, inputText: string): void {
    this.site.entry = entry;
    this.inputText = inputText;
    this.inputSize = inputText.length === 0 ? 0 : Buffer.byteLength(inputText, "utf8");
    if (this.outputWrites !== 0) {
      this.outputText = "";
      this.outputWrites = 0;
      this.#pending = undefined;
    }
    this.outputBytes = 0;
    this.logBytes = 0;
    this.errorMessage = undefined;
    this.hostResult = undefined;
    if (this.items.length !== 0) this.items = [];
    this.abort = undefined;
  }

  /** Where the call is, for error context. */
  where(): Record<string, unknown> {
    return { instanceId: this.site.instanceId, pluginId: this.site.pluginId, entryPoint: this.site.entry };
  }

  /** Throws (and remembers) a failure that ends the call. */
  fail(error: SandboxError): never {
    this.abort ??= error;
    throw error;
  }

  /** A view of guest memory, bounds-checked: a pointer outside memory is a trap, never a host read. */
  view(ptr: number, len: number): Uint8Array {
    const memory = this.memory;
    if (memory === undefined) {
      return this.fail(
        new TrapError("out-of-bounds", "The plugin passed a pointer but exports no memory", {
          suggestion: 'Export the module\'s memory as "memory".',
          context: this.where(),
        }),
      );
    }
    const buffer = memory.buffer;
    const start = ptr >>> 0;
    const length = len >>> 0;
    if (start + length > buffer.byteLength) {
      return this.fail(
        new TrapError(
          "out-of-bounds",
          `The plugin passed memory [${start}, ${start + length}) outside its ${buffer.byteLength}-byte memory`,
          { context: { ...this.where(), pointer: start, length, memoryBytes: buffer.byteLength } },
        ),
      );
    }
    return new Uint8Array(buffer, start, length);
  }

  /** Copies the input into guest memory at `ptr` (bounds-checked); returns its size. */
  readInput(ptr: number): number {
    const size = this.inputSize;
    if (size > 0) encoder.encodeInto(this.inputText, this.view(ptr, size));
    return size;
  }

  text(ptr: number, len: number): string {
    return decoder.decode(this.view(ptr, len));
  }

  addOutput(ptr: number, len: number): void {
    const bytes = this.view(ptr, len);
    const total = this.outputBytes + bytes.byteLength;
    if (total > this.maxOutput) this.fail(this.exhausted("output", this.maxOutput, total));
    let chunk = bytes;
    if (this.#pending !== undefined) {
      chunk = new Uint8Array(this.#pending.byteLength + bytes.byteLength);
      chunk.set(this.#pending);
      chunk.set(bytes, this.#pending.byteLength);
      this.#pending = undefined;
    }
    const cut = incompleteTail(chunk);
    if (cut !== 0) {
      this.#pending = chunk.slice(chunk.byteLength - cut);
      chunk = chunk.subarray(0, chunk.byteLength - cut);
    }
    // One-shot decoding is ~10x faster than TextDecoder's streaming mode for small writes.
    this.outputText += decoder.decode(chunk);
    this.outputWrites++;
    this.outputBytes = total;
  }

  addItem(ptr: number, len: number): void {
    const bytes = this.view(ptr, len);
    const total = this.outputBytes + bytes.byteLength;
    if (total > this.maxOutput) this.fail(this.exhausted("output", this.maxOutput, total));
    this.outputBytes = total;
    let item: unknown;
    try {
      item = JSON.parse(decoder.decode(bytes));
    } catch {
      item = decoder.decode(bytes);
    }
    if (this.onItem) this.onItem(item);
    else this.items.push(item);
  }

  addLog(level: number, ptr: number, len: number): void {
    const bytes = this.view(ptr, len);
    const total = this.logBytes + bytes.byteLength;
    if (total > this.maxLog) this.fail(this.exhausted("log", this.maxLog, total));
    this.logBytes = total;
    if (this.onLog) this.onLog({ level: LEVELS[level] ?? "info", message: decoder.decode(bytes) });
  }

  /** The whole output (streamed items excluded) as text. */
  output(): string {
    return this.#pending === undefined ? this.outputText : this.outputText + decoder.decode(this.#pending);
  }

  private exhausted(kind: "output" | "log", limit: number, used: number): ResourceExhaustedError {
    return new ResourceExhaustedError(
      kind,
      limit,
      used,
      `Plugin "${this.site.pluginId}" wrote more than ${limit} bytes of ${kind} in ${this.site.entry}`,
      {
        context: this.where(),
        suggestion: `Raise limits.${kind === "output" ? "maxOutput" : "maxLog"}, or make the plugin write less.`,
      },
    );
  }
}

/** How many bytes at the end of `bytes` start a UTF-8 sequence that is not complete yet (0 to 3). */
function incompleteTail(bytes: Uint8Array): number {
  const n = bytes.byteLength;
  if (n === 0 || bytes[n - 1]! < 0x80) return 0;
  for (let i = 1; i <= 3 && i <= n; i++) {
    const byte = bytes[n - i]!;
    if ((byte & 0xc0) === 0x80) continue;
    if (byte < 0xc0) return 0;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
    return length > i ? i : 0;
  }
  return 0;
}
