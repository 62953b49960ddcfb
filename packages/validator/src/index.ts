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
  GlobalInfo,
  GlobalType,
  ImportInfo,
  MemoryInfo,
  MemoryType,
  ModuleInfo,
  TableInfo,
  TableType,
  ValueType,
} from "./module-info.js";
export type { WasmValidationResult } from "./validate-wasm.js";
export { validateWasm } from "./validate-wasm.js";
