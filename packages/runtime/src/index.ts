export type { LogLevel, LogLine } from "./abi/call-state.js";
export type { Sandbox } from "./api/builder.js";
export { WasmSandbox, WasmSandboxBuilder } from "./api/builder.js";
export type { ManifestSource } from "./api/load-plugin.js";
export { createPlugin, loadPlugin } from "./api/load-plugin.js";
export { run, runWithTimeout } from "./api/run.js";
export type { HostCallContext, HostFunction } from "./host/host-functions.js";
export { HostCallStatus } from "./host/host-functions.js";
export type { HttpHostFunctionOptions } from "./host/http.js";
export { createHttpHostFunction } from "./host/http.js";
export type { NetworkGuard } from "./host/network-guard.js";
export { RESERVED_FUEL_MODULE } from "./loader/instrumentation.js";
export { compiledModules } from "./loader/module-cache.js";
export { clearModuleCaches } from "./loader/prepare.js";
export type { WasmSource } from "./loader/source.js";
export { SandboxedPlugin, WasmPlugin } from "./plugin/sandboxed-plugin.js";
export type {
  CallContext,
  CallEvent,
  CallUsage,
  ExecutionContext,
  HealthReport,
  HealthStatus,
  IoUsage,
  LogEvent,
  PluginEvents,
  PluginOptions,
} from "./plugin/types.js";
