export type { CapabilityFamily } from "./capabilities.js";
export { CAPABILITIES, capabilitiesOf } from "./capabilities.js";
export { DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT } from "./db/search.js";
export type { PluginPackage } from "./package-format.js";
export {
  MANIFEST_FILE,
  MANIFEST_SECTION,
  packPlugin,
  readPluginDirectory,
  readPluginFile,
  unpackPlugin,
  WASM_FILE,
  writePluginDirectory,
  writePluginFile,
} from "./package-format.js";
export { openRegistry, PluginRegistry } from "./registry.js";
export type {
  DeclaredDependency,
  DependencyProblem,
  DependencyResolution,
  DependencySource,
  ExternalDependency,
  Requirement,
  ResolvedPlugin,
  SkippedDependency,
} from "./resolve.js";
export { assertResolved, resolveDependencies } from "./resolve.js";
export type { PluginFormat } from "./transfer.js";
export { exportPlugin, importPlugin } from "./transfer.js";
export type {
  OpenRegistryOptions,
  PluginQuery,
  PluginSummary,
  PluginVersionInfo,
  RegisteredEvent,
  RegistrationResult,
  RegistryEvents,
  SearchResult,
  UnregisteredEvent,
  UnregisterOptions,
  UnregisterResult,
} from "./types.js";
export type { PluginIssue } from "./validate.js";
export { appendCustomSection, readCustomSections, removeCustomSections } from "./wasm/sections.js";
