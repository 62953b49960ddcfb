/**
 * @wasm-sandbox/validator: static checks for WebAssembly plugins. Decodes module structure, checks spec
 * validity with the engine, cross-checks a module with its manifest, audits security, benchmarks a
 * running plugin through a structural interface. Never executes a plugin itself (except in benchmark,
 * through the plugin object the host passes in).
 */
export type { SecurityAuditResult, SecurityFinding } from "./audit.js";
export { securityAudit } from "./audit.js";
export { CODE_COST, PRODUCTION_READY_SCORE, SEVERITY_COST } from "./audit-rubric.js";
export type {
  BenchmarkablePlugin,
  BenchmarkOptions,
  BenchmarkResult,
  BenchmarkUsage,
  EntryPointBenchmark,
} from "./benchmark.js";
export { benchmark, CATEGORY_BUDGET_MS } from "./benchmark.js";
// The binary layer: a bounded streaming reader, section splitter and decoders, the instruction walker
// and feature detection, and the LEB128 writer (used by @wasm-sandbox/runtime's instrumentation).
export type {
  ArrayTypeDef,
  CustomSection,
  DataSegment,
  ElementSegment,
  ExprRange,
  ExternKind,
  FieldType,
  FuncTypeDef,
  FunctionBody,
  FunctionLocals,
  GlobalDef,
  GlobalType,
  ImportDesc,
  Limits,
  LocalGroup,
  MemoryType,
  ModuleExport,
  ModuleImport,
  ModuleInfo as BinaryModuleInfo,
  SectionInfo,
  StructTypeDef,
  TableDef,
  TableType,
  TypeDef,
  ValType,
  WasmFeature,
} from "./binary/index.js";
export {
  BinaryReader,
  ByteWriter,
  detectFeatures,
  encodeU32,
  functionType,
  InstructionReader,
  MAX_FUNCTION_LOCALS,
  Op,
  readConstExpr,
  readFunctionBodies,
  readHeader,
  readLocals,
  readModule,
  readSections,
  SECTION_NAMES,
  SectionId,
  WASM_FEATURES,
} from "./binary/index.js";
export type { Severity } from "./codes.js";
export { IssueCode, SEVERITIES } from "./codes.js";
export type { WasmBytes } from "./input.js";
export { inspectModule } from "./inspect.js";
export type { ManifestPath, ModuleLocation, ValidationWarning } from "./issues.js";
export { hasErrors, toIssues } from "./issues.js";
export type {
  CustomSectionInfo,
  ExportInfo,
  ExternalKind,
  FunctionSignature,
  GlobalDecl,
  GlobalInfo,
  ImportInfo,
  MemoryDecl,
  MemoryInfo,
  ModuleInfo,
  TableDecl,
  TableInfo,
  ValueType,
} from "./module-info.js";
export type { FeatureDecision, ValidatorOptions } from "./options.js";
export type { PluginVerdict } from "./plugin-validator.js";
export { PluginValidator } from "./plugin-validator.js";
export { RESERVED_FUEL_MODULE, SANDBOX_ABI } from "./sandbox-abi.js";
export { minimalInstance } from "./schema-instance.js";
export { validateManifest } from "./validate-manifest.js";
export { validatePlugin } from "./validate-plugin.js";
export type { WasmValidationResult } from "./validate-wasm.js";
export { validateWasm } from "./validate-wasm.js";
export { WASI_PREVIEW1 } from "./wasi-preview1.js";
