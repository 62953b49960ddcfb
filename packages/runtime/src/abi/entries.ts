import {
  type EntryPoint,
  type EntryPointAbi,
  ErrorCode,
  NotFoundError,
  type PluginManifest,
  SandboxError,
} from "@wasm-sandbox/manifest";
import type { ValidateFunction } from "ajv";
import { WASI_MODULE } from "../link/wasi-link.js";
import type { ModuleShape } from "../loader/shape.js";
import { isNumericSignature } from "./numeric.js";
import { compileSchema } from "./schemas.js";

/** An entry point checked against the module, with everything the hot path needs precomputed. */
export interface ResolvedEntry {
  name: string;
  kind: EntryPointAbi;
  entry: EntryPoint;
  params: readonly string[];
  resultCount: number;
  /** Numeric parameters that need no conversion (no i64): the params array is passed as is. */
  plainParams: boolean;
  streaming: boolean;
  input: ValidateFunction | undefined;
  output: ValidateFunction | undefined;
}

function invalid(message: string, suggestion: string, entry: string): SandboxError {
  return new SandboxError(ErrorCode.VALIDATION_FAILED, message, {
    suggestion,
    context: { entryPoint: entry },
  });
}

/** The ABI of an entry: declared in the manifest, or inferred from the export's shape. */
function kindOf(
  entry: EntryPoint,
  params: readonly string[],
  results: readonly string[],
  shape: ModuleShape,
): EntryPointAbi {
  const importsSandbox = shape.imports.some((i) => i.module === "sandbox");
  const importsWasi = shape.imports.some((i) => i.module === WASI_MODULE);
  const name = entry.functionName;
  const fitsJson = params.length === 0 && results.length === 1 && results[0] === "i32";
  const fitsCommand = params.length === 0 && results.length === 0;
  const fitsNumeric = isNumericSignature(params, results);
  const declared = entry.abi;
  if (declared === "json" && !fitsJson) {
    throw invalid(
      `Entry ${name} is declared json but its export is not () -> i32`,
      "Export the entry as a function taking nothing and returning an i32 status.",
      name,
    );
  }
  if (declared === "command" && !fitsCommand) {
    throw invalid(
      `Entry ${name} is declared command but its export is not () -> ()`,
      "Command entries are WASI programs: export _start as () -> ().",
      name,
    );
  }
  if (declared === "numeric" && !fitsNumeric) {
    throw invalid(
      `Entry ${name} is declared numeric but uses non-numeric types`,
      "Numeric entries take and return only i32, i64, f32 and f64.",
      name,
    );
  }
  if (declared) return declared;
  if (fitsCommand && importsWasi && name === "_start") return "command";
  if (fitsJson && importsSandbox) return "json";
  if (fitsNumeric) return "numeric";
  throw invalid(
    `Cannot tell the ABI of entry ${name} from its signature`,
    'Set "abi" on the entry point: numeric, json or command.',
    name,
  );
}

/** Resolves every manifest entry point against the module's exports. */
export function resolveEntries(manifest: PluginManifest, shape: ModuleShape): Map<string, ResolvedEntry> {
  const resolved = new Map<string, ResolvedEntry>();
  for (const entry of manifest.entryPoints) {
    const name = entry.functionName;
    const exp = shape.exports.find((e) => e.name === name);
    if (exp?.kind !== "function" || !exp.type) {
      throw new NotFoundError(`Entry point ${name} is not a function exported by the module`, {
        suggestion: `Export a function named "${name}" or fix entryPoints in the manifest. Exports: ${shape.exports
          .filter((e) => e.kind === "function")
          .map((e) => e.name)
          .join(", ")}`,
        context: { entryPoint: name },
      });
    }
    const { params, results } = exp.type;
    const kind = kindOf(entry, params, results, shape);
    const compile = (schema: Record<string, unknown> | undefined, which: string) => {
      if (!schema) return undefined;
      try {
        return compileSchema(schema);
      } catch (error) {
        throw new SandboxError(
          ErrorCode.INVALID_MANIFEST,
          `The ${which} of entry ${name} is not a valid JSON Schema: ${(error as Error).message}`,
          {
            cause: error,
            suggestion: "Fix the schema; parseManifest reports schema problems with their path.",
            context: { entryPoint: name },
          },
        );
      }
    };
    resolved.set(name, {
      name,
      kind,
      entry,
      params,
      resultCount: results.length,
      plainParams: !params.includes("i64"),
      streaming: entry.supportsStreaming,
      input: compile(entry.inputSchema, "inputSchema"),
      output: compile(entry.outputSchema, "outputSchema"),
    });
  }
  return resolved;
}
