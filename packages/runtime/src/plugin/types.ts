import type {
  ErrorCode,
  PluginManifest,
  ResourceLimits,
  ResourceLimitsInput,
  SandboxError,
} from "@wasm-sandbox/manifest";
import type { WasiUsage } from "@wasm-sandbox/wasi";
import type { LogLine } from "../abi/call-state.js";
import type { HostFunction } from "../host/host-functions.js";

/** What one call used. */
export interface CallUsage {
  /** Fuel (metered instructions) consumed, including the start function on a fresh instance. */
  fuel: number;
  /** Bytes of linear memory at the end of the call (memory never shrinks, so this is the peak). */
  peakMemoryBytes: number;
  wallTimeMs: number;
  /** Bytes of output (json output, streamed items, command stdout + stderr). */
  outputBytes: number;
  logBytes: number;
  /** WASI traffic and refusals, for plugins using WASI. */
  io: IoUsage | undefined;
  /** True when the call ran on a newly created instance. */
  freshInstance: boolean;
}

/**
 * What one call did through WASI: bytes, files opened, and the attempts the permissions refused (answered with
 * an errno, not an exception), each with the permission that would have granted it.
 */
export type IoUsage = WasiUsage;

/** What the runtime gives a plugin to run with (and reports in events). */
export interface ExecutionContext {
  instanceId: string;
  manifest: PluginManifest;
  /** Environment variables for WASI guests; only names in permissions.envVars reach the guest. */
  environment: Record<string, string>;
  limits: ResourceLimits;
  metadata: Record<string, unknown>;
}

/**
 * A per-call context (an ExecutionContext, or part of one): values here apply to this call only.
 * `limits` may change fuel, timeout, maxOutput and maxLog per call; the limits fixed when the plugin was loaded
 * (memory, tableElements, instanceFuel, totalTimeout, WASI budgets) must equal the plugin's or the call is
 * refused with INVALID_ARGUMENT. `instanceId` and `manifest`, when given, must be this plugin's.
 */
export interface CallContext {
  instanceId?: string;
  manifest?: PluginManifest;
  environment?: Record<string, string>;
  metadata?: Record<string, unknown>;
  limits?: Partial<ResourceLimits>;
}

export interface CallEvent {
  pluginId: string;
  instanceId: string;
  entry: string;
  ok: boolean;
  durationMs: number;
  usage: CallUsage;
  errorCode: ErrorCode | undefined;
  error: SandboxError | undefined;
  metadata: Record<string, unknown>;
  timestamp: number;
}

export interface LogEvent extends LogLine {
  pluginId: string;
  instanceId: string;
  entry: string;
}

export interface PluginEvents {
  call: CallEvent;
  log: LogEvent;
}

export type HealthStatus = "Healthy" | "Warning" | "Error" | "Unresponsive";

export interface HealthReport {
  status: HealthStatus;
  timestamp: Date;
  resourceUsage: {
    memoryBytes: number;
    memoryLimitBytes: number;
    /** Fuel used by the current instance over its lifetime. */
    instanceFuel: number;
    instanceFuelLimit: number | undefined;
    /** Wall time used by the current instance over its calls. */
    totalTimeMs: number;
    totalTimeoutMs: number;
  };
  messages: string[];
  metrics: {
    calls: number;
    failures: number;
    consecutiveFailures: number;
    averageDurationMs: number;
    lastDurationMs: number | undefined;
    lastErrorCode: ErrorCode | undefined;
    instancesCreated: number;
  };
}

/** Options of `loadPlugin` (and the builder). Every option is honoured or rejected with a typed error. */
export interface PluginOptions {
  /** Overrides of the manifest's limits (units allowed: "64MiB", "2s"). */
  limits?: Partial<ResourceLimitsInput>;
  /** Host functions by name; a plugin reaches only those its manifest lists in permissions.hostFunctions. */
  hostFunctions?: Record<string, HostFunction>;
  /** Guest path -> host directory, for the manifest's filesystem permissions (WASI). */
  mounts?: Record<string, string>;
  /** Environment values; only names in permissions.envVars reach the guest (WASI). */
  env?: Record<string, string>;
  /**
   * Keep one instance across calls (state persists) instead of a fresh instance per call. Faster, and needed
   * by stateful plugins, but one caller's data stays in memory for the next. After a trap, abort or
   * exhaustion the instance is discarded either way.
   */
  keepAlive?: boolean;
  /**
   * Refuse at link time the WASI imports the permissions leave powerless (LINK_ERROR naming the function and
   * the permission). Default false: toolchains import many WASI functions whether or not a program uses them,
   * so every preview1 import links and the permissions are enforced when the guest calls (an errno, counted in
   * `usage.io.securityEvents`).
   */
  strictWasi?: boolean;
  /** Fuel per slice: how often the deadline is checked. Default 100,000. */
  fuelSliceSize?: number;
  /** Metadata attached to the execution context and call events. */
  metadata?: Record<string, unknown>;
}

export type { HostFunction };
