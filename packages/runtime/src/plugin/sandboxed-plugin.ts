import { randomUUID } from "node:crypto";
import {
  ErrorCode,
  NotFoundError,
  PluginError,
  type PluginManifest,
  type ResourceLimits,
  SandboxError,
  TimeoutError,
  TrapError,
  WASM_PAGE_SIZE,
} from "@wasm-sandbox/manifest";
import { CallState } from "../abi/call-state.js";
import type { ResolvedEntry } from "../abi/entries.js";
import { resolveEntries } from "../abi/entries.js";
import { numericResult } from "../abi/numeric.js";
import { checkParams } from "../abi/params.js";
import { schemaProblem } from "../abi/schemas.js";
import { type FailureSite, toSandboxError } from "../errors/map-error.js";
import { type HostCallContext, HostFunctionTable } from "../host/host-functions.js";
import { createNetworkGuard } from "../host/network-guard.js";
import { type LinkedImports, linkImports } from "../link/link.js";
import type { WasiLink } from "../link/wasi-link.js";
import type { PreparedModule } from "../loader/prepare.js";
import { checkCallContext } from "./call-context.js";
import { Emitter } from "./events.js";
import { assessHealth } from "./health.js";
import { invokerFor } from "./invoke.js";
import type { CallMeter, MeterBegin } from "./meter.js";
import type {
  CallContext,
  CallEvent,
  CallUsage,
  ExecutionContext,
  HealthReport,
  HostFunction,
  PluginEvents,
} from "./types.js";

type Fn = (...args: unknown[]) => unknown;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const EMPTY = new Uint8Array(0);

/** The contract every sandboxed plugin fulfils. */
export interface WasmPlugin {
  readonly manifest: PluginManifest;
  readonly instanceId: string;
  /** Instance id, manifest, environment, limits and metadata the plugin runs with. */
  readonly context: ExecutionContext;
  /** Usage of the last call (undefined before the first). */
  readonly lastUsage: CallUsage | undefined;
  /** Applies an execution context (environment, metadata) and creates the first instance. */
  initialize(context?: Partial<ExecutionContext>): Promise<void>;
  /** Throws INVALID_INPUT when the parameters do not fit the entry's signature or inputSchema. */
  validateParameters(entry: string, params: unknown): void;
  execute(entry: string, params?: unknown, context?: CallContext): Promise<unknown>;
  executeWithUsage(
    entry: string,
    params?: unknown,
    context?: CallContext,
  ): Promise<{ value: unknown; usage: CallUsage }>;
  /** The same call without the Promise (for hot loops). */
  executeSync(entry: string, params?: unknown, context?: CallContext): unknown;
  /** Runs a streaming entry and yields each item it emits. */
  stream(entry: string, params?: unknown, context?: CallContext): AsyncIterable<unknown>;
  healthCheck(): HealthReport;
  on<K extends keyof PluginEvents>(event: K, listener: (event: PluginEvents[K]) => void): () => void;
  off<K extends keyof PluginEvents>(event: K, listener: (event: PluginEvents[K]) => void): void;
  /** Drops the instance; later calls fail with INVALID_ARGUMENT. */
  cleanup(): Promise<void>;
}

/** Live state of one wasm instance. */
interface Live {
  exports: Record<string, Fn>;
  memory: WebAssembly.Memory | undefined;
}

export interface PluginParts {
  manifest: PluginManifest;
  limits: ResourceLimits;
  prepared: PreparedModule;
  meter: CallMeter;
  hostFunctions: Record<string, HostFunction>;
  wasi: WasiLink | undefined;
  keepAlive: boolean;
  sliceSize: number;
  metadata: Record<string, unknown>;
  environment: Record<string, string>;
  /** The current call's deadline, shared with WASI so its sleeps stop there. */
  clock: { deadline: number };
}

export class SandboxedPlugin implements WasmPlugin {
  readonly manifest: PluginManifest;
  readonly instanceId = randomUUID();
  readonly #parts: PluginParts;
  readonly #limits: ResourceLimits;
  readonly #entries: Map<string, ResolvedEntry>;
  readonly #state: CallState;
  readonly #site: FailureSite;
  readonly #linked: LinkedImports;
  readonly #events = new Emitter<PluginEvents>();
  readonly #meterCall: MeterBegin = { budget: 0, deadline: 0, sliceSize: 0, lifetimeRemaining: undefined };
  #live: Live | undefined;
  #closed = false;
  /** True while the guest runs: a host function calling back into the same plugin is refused. */
  #running = false;
  #environment: Record<string, string>;
  #callEnvironment: Record<string, string> = {};
  #metadata: Record<string, unknown>;
  // Lifetime budgets of the current instance (reset when an instance is discarded after a failure).
  #instanceFuel = 0;
  #instanceTime = 0;
  // Usage of the last call, kept as fields so a call allocates no usage object unless someone asks.
  #fuel = 0;
  #wall = 0;
  #fresh = false;
  #io: CallUsage["io"] = undefined;
  #called = false;
  // Metrics for healthCheck.
  #calls = 0;
  #failures = 0;
  #consecutiveFailures = 0;
  #totalDuration = 0;
  #lastErrorCode: ErrorCode | undefined;
  #instancesCreated = 0;

  constructor(parts: PluginParts) {
    this.#parts = parts;
    this.manifest = parts.manifest;
    this.#limits = parts.limits;
    this.#environment = { ...parts.environment };
    this.#metadata = { ...parts.metadata };
    this.#entries = resolveEntries(parts.manifest, parts.prepared.shape);
    this.#site = {
      instanceId: this.instanceId,
      pluginId: parts.manifest.id,
      entry: "(instantiate)",
      memory: undefined,
      memoryPages: parts.limits.memory,
    };
    this.#state = new CallState(this.#site, parts.limits);
    this.#state.onLog = (line) => {
      if (this.#events.has("log")) {
        this.#events.emit("log", {
          ...line,
          pluginId: this.manifest.id,
          instanceId: this.instanceId,
          entry: this.#site.entry,
        });
      }
    };
    const site = this.#site;
    const context: HostCallContext = {
      pluginId: parts.manifest.id,
      instanceId: this.instanceId,
      get entry() {
        return site.entry;
      },
      manifest: parts.manifest,
      network: createNetworkGuard(parts.manifest.permissions.network, () => this.#state.where()),
      get deadline() {
        return parts.clock.deadline;
      },
    };
    const hosts = new HostFunctionTable(parts.hostFunctions, parts.manifest, context, this.#state);
    this.#linked = linkImports({
      shape: parts.prepared.shape,
      pluginId: parts.manifest.id,
      state: this.#state,
      hosts,
      wasi: parts.wasi,
      fuel: parts.meter.link,
      memoryPages: parts.limits.memory,
      importedMemoryMax: parts.prepared.instrumentation.importedMemories[0]?.max,
    });
  }

  get context(): ExecutionContext {
    return {
      instanceId: this.instanceId,
      manifest: this.manifest,
      environment: { ...this.#environment },
      limits: this.#limits,
      metadata: { ...this.#metadata },
    };
  }

  get lastUsage(): CallUsage | undefined {
    return this.#called ? this.#usage() : undefined;
  }

  on<K extends keyof PluginEvents>(event: K, listener: (event: PluginEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  off<K extends keyof PluginEvents>(event: K, listener: (event: PluginEvents[K]) => void): void {
    this.#events.off(event, listener);
  }

  async initialize(context: Partial<ExecutionContext> = {}): Promise<void> {
    this.#assertOpen();
    this.#checkContext(context, "initialize");
    if (context.environment) this.#environment = { ...context.environment };
    if (context.metadata) this.#metadata = { ...this.#metadata, ...context.metadata };
    if (!this.#live) {
      const deadline = performance.now() + this.#limits.timeout;
      this.#parts.clock.deadline = deadline;
      this.#beginMeter(this.#limits.fuel, deadline);
      let fuel = 0;
      let failure: SandboxError | undefined;
      try {
        this.#live = this.#instantiate();
      } catch (error) {
        failure = this.#discard(error);
      } finally {
        fuel = this.#parts.meter.end();
      }
      if (!failure && this.#parts.meter.tripped) failure = this.#discard(this.#parts.meter.tripped);
      if (failure) throw failure;
      this.#instanceFuel += fuel;
    }
  }

  validateParameters(entry: string, params: unknown): void {
    this.#checkParams(this.#entry(entry), params);
  }

  async execute(entry: string, params: unknown = [], context?: CallContext): Promise<unknown> {
    return this.executeSync(entry, params, context);
  }

  async executeWithUsage(
    entry: string,
    params: unknown = [],
    context?: CallContext,
  ): Promise<{ value: unknown; usage: CallUsage }> {
    const value = this.executeSync(entry, params, context);
    return { value, usage: this.#usage() };
  }

  executeSync(entry: string, params: unknown = [], context?: CallContext): unknown {
    this.#assertOpen();
    if (context !== undefined) this.#checkContext(context, "call");
    const resolved = this.#entry(entry);
    const args = this.#checkParams(resolved, params);
    return this.#call(resolved, args, params, context);
  }

  async *stream(entry: string, params: unknown = [], context?: CallContext): AsyncGenerator<unknown> {
    this.#assertOpen();
    if (context !== undefined) this.#checkContext(context, "call");
    const resolved = this.#entry(entry);
    const args = this.#checkParams(resolved, params);
    const items: unknown[] = [];
    let failure: unknown;
    this.#state.onItem = (item) => items.push(item);
    try {
      this.#call(resolved, args, params, context);
    } catch (error) {
      failure = error;
    } finally {
      this.#state.onItem = undefined;
    }
    // The guest runs synchronously on this thread: items arrive in order, then the call's outcome.
    yield* items;
    if (failure !== undefined) throw failure;
  }

  healthCheck(): HealthReport {
    const memoryBytes = this.#site.memory?.buffer.byteLength ?? 0;
    const memoryLimitBytes = this.#limits.memory * WASM_PAGE_SIZE;
    return assessHealth({
      closed: this.#closed,
      lastErrorCode: this.#lastErrorCode,
      resourceUsage: {
        memoryBytes,
        memoryLimitBytes,
        instanceFuel: this.#instanceFuel,
        instanceFuelLimit: this.#limits.instanceFuel,
        totalTimeMs: this.#instanceTime,
        totalTimeoutMs: this.#limits.totalTimeout,
      },
      metrics: {
        calls: this.#calls,
        failures: this.#failures,
        consecutiveFailures: this.#consecutiveFailures,
        averageDurationMs: this.#calls === 0 ? 0 : this.#totalDuration / this.#calls,
        lastDurationMs: this.#called ? this.#wall : undefined,
        lastErrorCode: this.#lastErrorCode,
        instancesCreated: this.#instancesCreated,
      },
    });
  }

  async cleanup(): Promise<void> {
    this.#closed = true;
    this.#live = undefined;
    this.#state.memory = undefined;
    this.#site.memory = undefined;
  }

  // ---- internals ----

  #assertOpen(): void {
    if (this.#running) {
      throw new SandboxError(
        ErrorCode.INVALID_ARGUMENT,
        `Plugin "${this.manifest.id}" is already running a call`,
        {
          suggestion:
            "A host function cannot call back into the plugin that called it; use a second plugin instance.",
          context: { instanceId: this.instanceId },
        },
      );
    }
    if (this.#closed) {
      throw new SandboxError(ErrorCode.INVALID_ARGUMENT, `Plugin "${this.manifest.id}" was cleaned up`, {
        suggestion: "Load the plugin again to call it after cleanup().",
        context: { instanceId: this.instanceId },
      });
    }
  }

  /** Refuses a context that asks for what it cannot have (see checkCallContext). */
  #checkContext(context: CallContext, phase: "call" | "initialize"): void {
    checkCallContext(
      context,
      {
        instanceId: this.instanceId,
        manifest: this.manifest,
        limits: this.#limits,
        usesWasi: this.#parts.wasi !== undefined,
      },
      phase,
    );
  }

  #entry(name: string): ResolvedEntry {
    const resolved = this.#entries.get(name);
    if (resolved) return resolved;
    throw new NotFoundError(`Plugin "${this.manifest.id}" has no entry point "${name}"`, {
      suggestion: `Call one of: ${[...this.#entries.keys()].join(", ")}.`,
      context: { instanceId: this.instanceId, entryPoint: name },
    });
  }

  /** Checks parameters before the guest runs; returns what the guest receives (wasm args or input bytes). */
  #checkParams(entry: ResolvedEntry, params: unknown): readonly unknown[] | string {
    return checkParams(entry, params, this.instanceId);
  }

  /** Starts metering a call with one reused options object (nothing allocated per call). */
  #beginMeter(budget: number, deadline: number): void {
    const call = this.#meterCall;
    call.budget = budget;
    call.deadline = deadline;
    call.sliceSize = this.#parts.sliceSize;
    const limit = this.#limits.instanceFuel;
    call.lifetimeRemaining = limit === undefined ? undefined : Math.max(0, limit - this.#instanceFuel);
    this.#parts.meter.begin(call);
  }

  #instantiate(): Live {
    const { prepared } = this.#parts;
    const linked = this.#linked;
    const slot = linked.memorySlot;
    let imported: WebAssembly.Memory | undefined;
    if (slot) {
      imported = new WebAssembly.Memory({ initial: slot.initial, maximum: slot.maximum });
      linked.imports[slot.module] ??= {};
      linked.imports[slot.module]![slot.name] = imported;
    }
    this.#site.entry = "(start)";
    this.#fresh = true;
    this.#instancesCreated++;
    const instance = new WebAssembly.Instance(prepared.module, linked.imports);
    const exports = instance.exports as Record<string, unknown>;
    const exported = Object.values(exports).find((v) => v instanceof WebAssembly.Memory) as
      | WebAssembly.Memory
      | undefined;
    const memory = (exports.memory instanceof WebAssembly.Memory ? exports.memory : exported) ?? imported;
    this.#state.memory = memory;
    this.#site.memory = memory;
    if (memory && this.#parts.wasi) this.#parts.wasi.bindMemory(memory);
    return { exports: exports as Record<string, Fn>, memory };
  }

  /** Drops the instance after a failure and returns the typed error. */
  #discard(error: unknown): SandboxError {
    const mapped = toSandboxError(this.#state.abort ?? error, this.#site);
    this.#live = undefined;
    this.#instanceFuel = 0;
    this.#instanceTime = 0;
    if (this.#site.entry === "(start)" && mapped instanceof TrapError) {
      return new TrapError(
        "start-function",
        `Plugin "${this.manifest.id}" trapped while starting: ${mapped.message}`,
        {
          cause: mapped,
          context: { ...mapped.context, startTrapKind: mapped.trapKind },
          suggestion: "The module's start function (or a data/element segment) failed; fix the plugin.",
        },
      );
    }
    return mapped;
  }

  #call(
    entry: ResolvedEntry,
    args: readonly unknown[] | string,
    params: unknown,
    context: CallContext | undefined,
  ): unknown {
    const limits = this.#limits;
    const state = this.#state;
    const meter = this.#parts.meter;
    const callLimits = context?.limits;
    this.#callEnvironment = context?.environment
      ? { ...this.#environment, ...context.environment }
      : this.#environment;
    const timeout = callLimits?.timeout ?? limits.timeout;
    const remainingTotal = limits.totalTimeout - this.#instanceTime;
    const totalBound = remainingTotal < timeout;
    const allowed = totalBound ? remainingTotal : timeout;
    state.maxOutput = callLimits?.maxOutput ?? limits.maxOutput;
    state.maxLog = callLimits?.maxLog ?? limits.maxLog;
    state.begin(entry.name, typeof args === "string" ? args : "");
    this.#fresh = false;
    this.#io = undefined;
    const start = performance.now();
    this.#parts.clock.deadline = start + allowed;
    this.#beginMeter(callLimits?.fuel ?? limits.fuel, start + allowed);
    let value: unknown;
    let failure: SandboxError | undefined;
    let raw: unknown;
    let failed = false;
    let fuel = 0;
    this.#running = true;
    try {
      if (allowed <= 0) throw this.#timeout(limits, 0, true);
      this.#live ??= this.#instantiate();
      const live = this.#live;
      state.site.entry = entry.name;
      value = this.#invoke(live, entry, args, params);
      if (state.abort) throw state.abort;
    } catch (error) {
      failed = true;
      raw = error;
    } finally {
      fuel = meter.end();
      this.#running = false;
    }
    const wall = performance.now() - start;
    // The meter's verdict stands even when the guest caught its exception and returned; a call that overran
    // its time without being interrupted (e.g. inside a slow host function) fails too.
    if (failed || meter.tripped || wall > allowed) {
      let error = failed
        ? toSandboxError(state.abort ?? raw, this.#site)
        : (meter.tripped ?? this.#timeout(limits, wall, totalBound, undefined, timeout));
      if (error.code === ErrorCode.TIMEOUT && error.context.kind === undefined) {
        error = this.#timeout(limits, wall, totalBound, error, timeout);
      }
      failure = this.#discard(error);
    } else {
      this.#instanceFuel += fuel;
      this.#instanceTime += wall;
    }
    if (!failure) {
      try {
        value = this.#decode(entry, value);
      } catch (error) {
        failure = error as SandboxError;
      }
    }
    this.#fuel = fuel;
    this.#wall = wall;
    this.#called = true;
    this.#calls++;
    this.#totalDuration += wall;
    if (failure) {
      this.#failures++;
      this.#consecutiveFailures++;
      this.#lastErrorCode = failure.code;
    } else {
      this.#consecutiveFailures = 0;
      if (!this.#parts.keepAlive) this.#live = undefined;
    }
    if (this.#events.has("call")) this.#emitCall(entry.name, wall, failure, context);
    if (failure) throw failure;
    return value;
  }

  #timeout(
    limits: ResourceLimits,
    elapsed: number,
    total: boolean,
    cause?: SandboxError,
    callTimeout = limits.timeout,
  ): TimeoutError {
    const where = this.#state.where();
    if (total) {
      return new TimeoutError(
        limits.totalTimeout,
        this.#instanceTime + elapsed,
        `Plugin "${this.manifest.id}" used up its total time budget of ${limits.totalTimeout} ms`,
        {
          cause,
          context: { ...where, kind: "total" },
          suggestion: "Raise limits.totalTimeout; the next call gets a fresh instance with a fresh budget.",
        },
      );
    }
    return new TimeoutError(callTimeout, elapsed, undefined, {
      cause,
      context: { ...where, kind: "call" },
    });
  }

  #invoke(live: Live, entry: ResolvedEntry, args: readonly unknown[] | string, params: unknown): unknown {
    const fn = live.exports[entry.name]!;
    if (entry.kind === "command") return this.#runCommand(fn, params);
    const wasi = this.#parts.wasi;
    if (wasi === undefined) {
      return entry.kind === "numeric"
        ? invokerFor(entry.params.length)(fn, args as readonly unknown[])
        : fn();
    }
    // A WASI module's other entries get fresh WASI budgets per call; its stdout/stderr become log lines.
    wasi.beginCall({ env: this.#callEnvironment });
    let result: unknown;
    try {
      result =
        entry.kind === "numeric" ? invokerFor(entry.params.length)(fn, args as readonly unknown[]) : fn();
    } finally {
      const { stdout, stderr, usage } = wasi.endCall();
      this.#io = usage;
      if (stdout.byteLength > 0) this.#state.onLog?.({ level: "info", message: decoder.decode(stdout) });
      if (stderr.byteLength > 0) this.#state.onLog?.({ level: "error", message: decoder.decode(stderr) });
    }
    return result;
  }

  #runCommand(fn: Fn, params: unknown): unknown {
    const wasi = this.#parts.wasi!;
    const io = (params ?? {}) as {
      args?: string[];
      env?: Record<string, string>;
      stdin?: string | Uint8Array;
    };
    wasi.beginCall({
      args: io.args ?? [],
      env: { ...this.#callEnvironment, ...io.env },
      stdin: typeof io.stdin === "string" ? encoder.encode(io.stdin) : (io.stdin ?? EMPTY),
    });
    let exitCode = 0;
    try {
      fn();
    } catch (error) {
      const code = (error as { exitCode?: unknown })?.exitCode;
      if (typeof code !== "number") {
        wasi.endCall();
        throw error;
      }
      exitCode = code;
    }
    const { stdout, stderr, usage } = wasi.endCall();
    this.#io = usage;
    this.#state.outputBytes += stdout.byteLength + stderr.byteLength;
    return { exitCode, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
  }

  /** Turns the raw result into the call's value; PLUGIN_ERROR for guest-reported errors and bad output. */
  #decode(entry: ResolvedEntry, raw: unknown): unknown {
    const state = this.#state;
    let value: unknown;
    if (entry.kind === "numeric") {
      value = numericResult(raw, entry.resultCount);
    } else if (entry.kind === "command") {
      value = raw;
    } else {
      if (raw !== 0) {
        throw new PluginError(
          state.errorMessage ?? `Plugin "${this.manifest.id}" returned status ${raw} from ${entry.name}`,
          {
            context: { ...state.where(), status: raw },
          },
        );
      }
      if (entry.streaming && state.onItem === undefined) {
        value = state.items;
      } else if (state.outputWrites === 0) {
        value = null;
      } else {
        const text = state.output();
        try {
          value = JSON.parse(text);
        } catch (error) {
          throw new PluginError(
            `Plugin "${this.manifest.id}" wrote output that is not JSON in ${entry.name}`,
            {
              cause: error,
              context: { ...state.where(), output: text.slice(0, 200) },
              suggestion: "The plugin must write one JSON value as its output; report this to its author.",
            },
          );
        }
      }
    }
    if (entry.output && !entry.output(value)) {
      const problem = schemaProblem(entry.output);
      throw new PluginError(
        `Result of ${entry.name} does not match its outputSchema: ${problem.path} ${problem.message}`,
        {
          context: { ...state.where(), schemaPath: problem.path },
          suggestion: "The plugin broke its own contract (outputSchema); report this to its author.",
        },
      );
    }
    return value;
  }

  #usage(): CallUsage {
    return {
      fuel: this.#fuel,
      peakMemoryBytes: this.#site.memory?.buffer.byteLength ?? 0,
      wallTimeMs: this.#wall,
      outputBytes: this.#state.outputBytes,
      logBytes: this.#state.logBytes,
      io: this.#io,
      freshInstance: this.#fresh,
    };
  }

  #emitCall(
    entry: string,
    durationMs: number,
    error: SandboxError | undefined,
    context: CallContext | undefined,
  ): void {
    const event: CallEvent = {
      pluginId: this.manifest.id,
      instanceId: this.instanceId,
      entry,
      ok: error === undefined,
      durationMs,
      usage: this.#usage(),
      errorCode: error?.code,
      error,
      metadata: context?.metadata ? { ...this.#metadata, ...context.metadata } : this.#metadata,
      timestamp: Date.now(),
    };
    this.#events.emit("call", event);
  }
}

/** The class implementing WasmPlugin, under the contract's name (`plugin instanceof WasmPlugin`). */
export const WasmPlugin = SandboxedPlugin;
