import type { PluginManifest } from "@wasm-sandbox/manifest";
import type { WasmFeature } from "./binary/index.js";
import { IssueCode } from "./codes.js";
import { abiMismatch, importsFrom, inferAbi } from "./entry-abi.js";
import { issue, type ValidationWarning } from "./issues.js";
import type { ModuleInfo } from "./module-info.js";
import { effectiveLimit, type ValidatorOptions } from "./options.js";
import { describeSignature, SANDBOX_MODULE } from "./sandbox-abi.js";
import { WASI_MODULE } from "./wasi-preview1.js";

/** Each entry point against the module's exports and its ABI kind (given or inferred). */
export function entryPointIssues(info: ModuleInfo, manifest: PluginManifest): ValidationWarning[] {
  const out: ValidationWarning[] = [];
  const functionExports = info.exports.filter((e) => e.kind === "function").map((e) => e.name);
  manifest.entryPoints.forEach((entry, i) => {
    const where = ["entryPoints", i, "functionName"];
    const name = entry.functionName;
    const exp = info.exports.find((e) => e.name === name);
    if (!exp) {
      const some = functionExports.slice(0, 8).join(", ");
      out.push(
        issue(
          "error",
          IssueCode.ENTRY_NOT_EXPORTED,
          `Entry point "${name}" is not exported by the module.`,
          where,
          functionExports.length > 0
            ? `Export "${name}" from the plugin, or name one of its exported functions: ${some}${functionExports.length > 8 ? ", ..." : ""}.`
            : "The module exports no functions: export the entry point from the plugin source.",
        ),
      );
      return;
    }
    if (exp.kind !== "function" || !exp.signature) {
      out.push(
        issue(
          "error",
          IssueCode.ENTRY_NOT_FUNCTION,
          `Entry point "${name}" is exported as a ${exp.kind}, not a function.`,
          where,
          "Point the entry point at an exported function.",
        ),
      );
      return;
    }
    const signature = exp.signature;
    let abi = entry.abi;
    if (abi === undefined) {
      const inferred = inferAbi(name, signature, info);
      if (!inferred) {
        out.push(
          issue(
            "error",
            IssueCode.ENTRY_SIGNATURE,
            `Entry point "${name}" has signature ${describeSignature(signature)}, which fits no ABI kind (numeric, json or command).`,
            where,
            "Use only i32/i64/f32/f64 parameters and results (numeric), () -> i32 with sandbox imports (json), or WASI _start (command).",
          ),
        );
        return;
      }
      abi = inferred.abi;
      out.push(
        issue(
          "info",
          IssueCode.ENTRY_ABI_INFERRED,
          `Entry point "${name}" has no abi; inferred "${abi}" because ${inferred.reason}.`,
          ["entryPoints", i, "abi"],
          `Write abi: "${abi}" in the manifest to make this explicit.`,
        ),
      );
    }
    const mismatch = abiMismatch(abi, signature);
    if (mismatch !== undefined) {
      out.push(
        issue(
          "error",
          IssueCode.ENTRY_SIGNATURE,
          `Entry point "${name}" is ${describeSignature(signature)}, which does not fit abi "${abi}": ${mismatch}.`,
          where,
          `Change the export's signature or the entry point's abi.`,
        ),
      );
    }
    if (abi === "json" && !importsFrom(info, SANDBOX_MODULE)) {
      out.push(
        issue(
          "error",
          IssueCode.JSON_WITHOUT_SANDBOX,
          `Entry point "${name}" is a json entry, but the module imports nothing from "sandbox", so it can neither read its input nor write a result.`,
          where,
          "Import sandbox.input_size, sandbox.input_read and sandbox.output_write (see the guest ABI).",
        ),
      );
    }
    if (abi === "command" && !importsFrom(info, WASI_MODULE)) {
      out.push(
        issue(
          "warning",
          IssueCode.COMMAND_WITHOUT_WASI,
          `Entry point "${name}" is a command, but the module imports no WASI functions: it sees no args or stdin and can write no output.`,
          where,
          "Build the command for wasm32-wasip1 so it links WASI, or use a numeric or json entry.",
        ),
      );
    }
    if (
      entry.supportsStreaming &&
      !info.imports.some((imp) => imp.module === SANDBOX_MODULE && imp.name === "emit")
    ) {
      out.push(
        issue(
          "warning",
          IssueCode.STREAMING_WITHOUT_EMIT,
          `Entry point "${name}" supports streaming, but the module does not import sandbox.emit, so it cannot yield items.`,
          ["entryPoints", i, "supportsStreaming"],
          "Import sandbox.emit(ptr, len) and call it once per item, or set supportsStreaming to false.",
        ),
      );
    }
  });
  return out;
}

/** Memories and tables against the limits, start function, mutable global exports, shared memory. */
export function resourceIssues(
  info: ModuleInfo,
  manifest: PluginManifest,
  options: ValidatorOptions | undefined,
): ValidationWarning[] {
  const out: ValidationWarning[] = [];
  const pages = effectiveLimit(manifest.limits, "memory", options);
  for (const m of info.memories) {
    const where = { section: m.imported ? "import" : "memory", memoryIndex: m.index };
    const what = `${m.imported ? "Imported" : "Defined"} memory ${m.index}`;
    if (m.memory64) {
      out.push(
        issue(
          "error",
          IssueCode.MEMORY64,
          `${what} is a 64-bit memory (memory64); the sandbox caps only 32-bit memories.`,
          where,
          "Build for wasm32, not wasm64.",
        ),
      );
    }
    if (m.shared && manifest.permissions.maxThreads === 0) {
      out.push(
        issue(
          "error",
          IssueCode.SHARED_MEMORY,
          `${what} is shared (for threads), but permissions.maxThreads is 0.`,
          where,
          "Build without threads (no -pthread / atomics+shared memory); threads are not supported by the sandbox yet.",
        ),
      );
    }
    if (m.min > pages) {
      out.push(
        issue(
          "error",
          IssueCode.MEMORY_MIN_ABOVE_LIMIT,
          `${what} starts at ${m.min} pages (${m.min * 64} KiB), above the memory limit of ${pages} pages: instantiation will fail.`,
          where,
          `Raise limits.memory to at least ${m.min} pages, or lower the plugin's initial memory in its build.`,
        ),
      );
    }
    if (m.max === undefined) {
      out.push(
        issue(
          "warning",
          IssueCode.MEMORY_UNBOUNDED,
          `${what} has no maximum; the runtime caps its growth at ${pages} pages (limits.memory).`,
          where,
          "Set a maximum memory in the plugin's build to document its real need.",
        ),
      );
    } else if (m.max > pages) {
      out.push(
        issue(
          "info",
          IssueCode.MEMORY_MAX_CAPPED,
          `${what} may grow to ${m.max} pages; the runtime lowers that to ${pages} pages (limits.memory).`,
          where,
          "Raise limits.memory if the plugin needs more, or lower its maximum.",
        ),
      );
    }
  }
  const elements = effectiveLimit(manifest.limits, "tableElements", options);
  for (const t of info.tables) {
    const where = { section: t.imported ? "import" : "table", tableIndex: t.index };
    const what = `Table ${t.index}`;
    if (t.min > elements) {
      out.push(
        issue(
          "error",
          IssueCode.TABLE_MIN_ABOVE_LIMIT,
          `${what} starts with ${t.min} elements, above limits.tableElements (${elements}): instantiation will fail.`,
          where,
          `Raise limits.tableElements to at least ${t.min}.`,
        ),
      );
    }
    if (t.max === undefined) {
      out.push(
        issue(
          "warning",
          IssueCode.TABLE_UNBOUNDED,
          `${what} has no maximum; the runtime caps it at ${elements} elements (limits.tableElements).`,
          where,
          "Nothing to do unless the plugin grows tables at run time; then set a maximum.",
        ),
      );
    } else if (t.max > elements) {
      out.push(
        issue(
          "info",
          IssueCode.TABLE_MAX_CAPPED,
          `${what} may grow to ${t.max} elements; the runtime lowers that to ${elements} (limits.tableElements).`,
          where,
          "Raise limits.tableElements if the plugin needs more.",
        ),
      );
    }
  }
  if (info.startFunction !== null) {
    out.push(
      issue(
        "warning",
        IssueCode.START_FUNCTION,
        `The module has a start function (function ${info.startFunction}): it runs during instantiation, before any entry point and on every fresh instance.`,
        { section: "start", functionIndex: info.startFunction },
        "Prefer an exported init entry point; keep start functions short, they count against the first call.",
      ),
    );
  }
  for (const e of info.exports) {
    if (e.kind === "global" && e.global?.mutable) {
      out.push(
        issue(
          "warning",
          IssueCode.MUTABLE_GLOBAL_EXPORT,
          `Export "${e.name}" is a mutable global: the host can read and change guest state through it.`,
          { section: "export", globalIndex: e.index },
          "Export it immutable, or keep it private to the module.",
        ),
      );
    }
  }
  return out;
}

/** Features the host's policy rejects (errors) or flags (warnings). */
export function featureIssues(
  features: readonly string[],
  options: ValidatorOptions | undefined,
): ValidationWarning[] {
  const policy = options?.features;
  if (!policy) return [];
  const out: ValidationWarning[] = [];
  for (const feature of features) {
    const setting = policy[feature as WasmFeature];
    const decision = setting === false ? "reject" : setting === true ? "allow" : setting;
    if (decision === "reject" || decision === "warn") {
      out.push(
        issue(
          decision === "reject" ? "error" : "warning",
          IssueCode.FEATURE_POLICY,
          `The module uses the "${feature}" feature, which this host ${decision === "reject" ? "does not accept" : "flags"}.`,
          undefined,
          `Rebuild the plugin without ${feature} (check the toolchain's target features).`,
        ),
      );
    }
  }
  return out;
}
