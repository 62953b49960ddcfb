import {
  type ModuleInfo as BinaryModuleInfo,
  detectFeatures,
  readModule,
  readSections,
  SectionId,
  type SectionInfo,
} from "./binary/index.js";
import { parserBlocker, structureFromBinary } from "./binary-structure.js";
import { IssueCode } from "./codes.js";
import { engineVerdict } from "./engine.js";
import { toBytes } from "./input.js";
import { issue, type ValidationWarning } from "./issues.js";
import type { ModuleInfo } from "./module-info.js";
import { type DecodedStructure, decodeWithParser } from "./parser-structure.js";
import { readerIssue } from "./reader-issues.js";
import { declarationsModule } from "./structure-stub.js";

function emptyInfo(size: number): ModuleInfo {
  return {
    size,
    imports: [],
    exports: [],
    memories: [],
    tables: [],
    globals: [],
    startFunction: null,
    customSections: [],
    functionCount: 0,
    importedFunctionCount: 0,
    codeSize: 0,
    features: [],
    decoder: "none",
    issues: [],
  };
}

/** wasm-parser's result must describe the same module the binary reader saw, or we do not trust it. */
function disagreement(a: DecodedStructure, b: BinaryModuleInfo): string | undefined {
  const counts: [string, number, number][] = [
    ["imports", a.imports.length, b.imports.length],
    ["exports", a.exports.length, b.exports.length],
    ["functions", a.functionCount, b.functions.length],
    ["memories", a.memories.length, b.importedMemoryCount + b.memories.length],
    ["tables", a.tables.length, b.importedTableCount + b.tables.length],
    ["globals", a.globals.length, b.importedGlobalCount + b.globals.length],
  ];
  const off = counts.find(([, x, y]) => x !== y);
  return off ? `wasm-parser found ${off[1]} ${off[0]} where the binary reader found ${off[2]}` : undefined;
}

/** The most declaration bytes handed to wasm-parser (real modules need well under 1 MB). */
export const MAX_PARSER_INPUT = 4 * 1024 * 1024;

interface Decoded {
  structure: DecodedStructure | undefined;
  decoder: ModuleInfo["decoder"];
  /** The engine rejected the declarations (so the module is invalid whatever the reader says). */
  declarationsInvalid: boolean;
  fallbackReason: string | undefined;
}

function decodeDeclarations(
  bytes: Uint8Array,
  sections: SectionInfo[],
  binary: BinaryModuleInfo | undefined,
): Decoded {
  let stub: Uint8Array;
  try {
    stub = declarationsModule(bytes, sections);
  } catch {
    // The function section itself is malformed: nothing can be decoded with confidence.
    return { structure: undefined, decoder: "none", declarationsInvalid: true, fallbackReason: undefined };
  }
  const stubVerdict = engineVerdict(stub);
  if (!stubVerdict.valid && stubVerdict.error.code === IssueCode.IMPLEMENTATION_LIMIT) {
    // Counts beyond what any engine loads (a million imports): describing them would only cost time.
    return { structure: undefined, decoder: "none", declarationsInvalid: true, fallbackReason: undefined };
  }
  const fallback = (reason: string | undefined): Decoded => ({
    structure: binary ? structureFromBinary(binary) : undefined,
    decoder: binary ? "binary-reader" : "none",
    declarationsInvalid: !stubVerdict.valid,
    fallbackReason: binary ? reason : undefined,
  });
  const blocker = binary ? parserBlocker(binary) : undefined;
  if (blocker !== undefined) return fallback(`wasm-parser cannot decode this module: ${blocker}`);
  if (stub.length > MAX_PARSER_INPUT) {
    // wasm-parser copies names byte by byte into JS arrays: megabytes of declarations cost gigabytes.
    return fallback(
      `its declarations take ${stub.length} bytes, more than wasm-parser is given (${MAX_PARSER_INPUT})`,
    );
  }
  if (!stubVerdict.valid) return fallback(undefined);
  try {
    const parsed = decodeWithParser(stub);
    const differs = binary ? disagreement(parsed, binary) : undefined;
    if (differs !== undefined) return fallback(differs);
    return {
      structure: parsed,
      decoder: "wasm-parser",
      declarationsInvalid: false,
      fallbackReason: undefined,
    };
  } catch (error) {
    return fallback(`wasm-parser failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The engine's verdict as an issue, plus the reader's finding when it names a different problem. */
function failureIssues(bytes: Uint8Array, readerError: unknown): ValidationWarning[] {
  const verdict = engineVerdict(bytes);
  const fromReader = readerError === undefined ? undefined : readerIssue(readerError);
  if (verdict.valid) {
    // The engine accepts what the reader rejects: a limit of this validator, not of the module.
    if (!fromReader) return [];
    return [
      issue(
        "warning",
        IssueCode.UNSUPPORTED,
        `The module is valid, but part of it could not be decoded here: ${fromReader.message}`,
        fromReader.location,
        "Structure and features may be incomplete; upgrade wasm-sandbox or report the module.",
      ),
    ];
  }
  const e = verdict.error;
  const out = [issue("error", e.code, e.message, e.location, e.suggestion)];
  if (fromReader && fromReader.code !== e.code && e.code !== IssueCode.EMPTY_MODULE) out.push(fromReader);
  return out;
}

/**
 * Decodes what a module declares: imports, exports, memories, tables, globals, start function, custom
 * sections, function count, code size, and the post-MVP features it uses. Declarations are decoded by
 * @webassemblyjs/wasm-parser (guarded: it only ever sees an engine-validated, declarations-only copy), or by
 * this package's binary reader where wasm-parser cannot represent the module. Never instantiates or runs
 * the module (an invalid one is compiled once, to get the engine's error), never throws for bad bytes (see
 * `issues`); throws INVALID_ARGUMENT only for a non-byte argument.
 * This is not a validity check: use validateWasm for that.
 */
export function inspectModule(input: unknown): ModuleInfo {
  const bytes = toBytes(input);
  const info = emptyInfo(bytes.length);

  let sections: SectionInfo[];
  try {
    sections = readSections(bytes);
  } catch (error) {
    info.issues.push(...failureIssues(bytes, error));
    return info;
  }
  for (const s of sections) {
    if (s.id === SectionId.Custom) {
      info.customSections.push({ name: s.name ?? "", size: s.end - s.start, offset: s.offset });
    } else if (s.id === SectionId.Code) {
      info.codeSize = s.end - s.start;
    }
  }

  let binary: BinaryModuleInfo | undefined;
  let readerError: unknown;
  try {
    binary = readModule(bytes);
  } catch (error) {
    readerError = error;
  }

  const decoded = decodeDeclarations(bytes, sections, binary);
  if (decoded.structure) {
    const s = decoded.structure;
    info.imports = s.imports;
    info.exports = s.exports;
    info.memories = s.memories;
    info.tables = s.tables;
    info.globals = s.globals;
    info.startFunction = s.startFunction;
    info.functionCount = s.functionCount;
    info.importedFunctionCount = s.importedFunctionCount;
  }
  info.decoder = decoded.decoder;

  if (binary) {
    try {
      info.features = detectFeatures(bytes, binary);
    } catch (error) {
      readerError = error;
    }
  }
  if (readerError !== undefined || decoded.declarationsInvalid) {
    info.issues.push(...failureIssues(bytes, readerError));
  }
  if (decoded.fallbackReason !== undefined) {
    info.issues.push(
      issue(
        "info",
        IssueCode.DECODER_FALLBACK,
        `Declarations were decoded by the binary reader because ${decoded.fallbackReason}.`,
        undefined,
        "Nothing to do: the result is complete.",
      ),
    );
  }

  return info;
}
