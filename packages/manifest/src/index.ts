export { FORBIDDEN_KEYS, MANIFEST_BOUNDS } from "./bounds.js";
export type { Issue, ResourceKind, SandboxErrorOptions, TrapKind } from "./errors.js";
export {
  ErrorCode,
  IncompatibleReloadError,
  IntegrityError,
  InvalidInputError,
  LinkError,
  ManifestError,
  NotFoundError,
  PluginError,
  ResourceExhaustedError,
  SandboxError,
  SecurityViolationError,
  TimeoutError,
  TrapError,
  ValidationFailedError,
} from "./errors.js";
export { ManifestIssueCode } from "./issue-codes.js";
export { manifestJsonSchema } from "./json-schema.js";
export { LIMIT_ALIASES, toSnakeCaseManifest } from "./keys.js";
export {
  DEFAULT_NETWORK_PORTS,
  isDomainPattern,
  isLoopbackHost,
  isNetworkTargetAllowed,
} from "./network-policy.js";
export type { ParseManifestResult } from "./parse.js";
export { assertManifest, parseManifest } from "./parse.js";
export type {
  ClockPolicy,
  Dependency,
  DependencyType,
  EntryPoint,
  EntryPointAbi,
  ExecutionCategory,
  FilesystemPermissions,
  NetworkPermissions,
  Permissions,
  PluginManifest,
  PluginManifestInput,
  RandomPolicy,
  ResourceLimits,
  ResourceLimitsInput,
} from "./schema.js";
export {
  DEFAULT_LIMITS,
  DependencySchema,
  EntryPointSchema,
  FilesystemPermissionsSchema,
  isGuestPathWithin,
  MAX_DURATION_MS,
  NetworkPermissionsSchema,
  PermissionsSchema,
  PluginIdSchema,
  PluginManifestSchema,
  ResourceLimitsSchema,
  SemverRangeSchema,
  SemverSchema,
} from "./schema.js";
export { closestMatch } from "./suggest.js";
export { MAX_WASM_PAGES, parseDuration, parseSize, WASM_PAGE_SIZE } from "./units.js";
export { SANDBOX_VERSION, satisfiesSandboxVersion } from "./version.js";
