import type { PluginManifest } from "@wasm-sandbox/manifest";
import { IssueCode } from "./codes.js";
import { issue, type ValidationWarning } from "./issues.js";
import type { ImportInfo, ModuleInfo } from "./module-info.js";
import {
  describeSignature,
  HOST_MODULE,
  missingSandboxGrant,
  RESERVED_FUEL_MODULE,
  SANDBOX_ABI,
  SANDBOX_MODULE,
  sameSignature,
  sandboxFunction,
} from "./sandbox-abi.js";
import {
  WASI_MODULE,
  WASI_PERMISSION_NAME,
  WASI_PREVIEW1,
  wasiGrant,
  wasiSignature,
} from "./wasi-preview1.js";

const at = (imp: ImportInfo) => ({ section: "import", importIndex: imp.index });
const label = (imp: ImportInfo) => `${imp.module}.${imp.name}`;

function sandboxImport(imp: ImportInfo, manifest: PluginManifest): ValidationWarning | undefined {
  const fn = sandboxFunction(imp.name);
  if (!fn) {
    return issue(
      "error",
      IssueCode.UNKNOWN_IMPORT,
      `Import ${label(imp)} is not part of guest ABI v1, so linking fails.`,
      at(imp),
      `Use one of: ${Object.keys(SANDBOX_ABI).join(", ")}.`,
    );
  }
  if (imp.signature && !sameSignature(imp.signature, fn.signature)) {
    return issue(
      "error",
      IssueCode.IMPORT_SIGNATURE,
      `Import ${label(imp)} is declared ${describeSignature(imp.signature)} but the ABI defines ${describeSignature(fn.signature)}, so linking fails.`,
      at(imp),
      "Declare the import with the ABI's signature (all i32).",
    );
  }
  const missing = missingSandboxGrant(manifest, fn.grant);
  if (missing === undefined) return undefined;
  return issue(
    "warning",
    IssueCode.SANDBOX_PERMISSION,
    `Import ${label(imp)} links, but without ${missing} every call to it fails or is refused.`,
    at(imp),
    `Add ${missing} to the manifest if the plugin needs ${imp.name}, or remove the import.`,
  );
}

function wasiImport(imp: ImportInfo, manifest: PluginManifest): ValidationWarning | undefined {
  const fn = Object.hasOwn(WASI_PREVIEW1, imp.name) ? WASI_PREVIEW1[imp.name] : undefined;
  const expected = wasiSignature(imp.name);
  if (!fn || !expected) {
    return issue(
      "error",
      IssueCode.UNKNOWN_IMPORT,
      `Import ${label(imp)} is not a wasi_snapshot_preview1 function, so linking fails.`,
      at(imp),
      "Build against WASI preview1 (wasm32-wasip1) and import only its functions.",
    );
  }
  if (imp.signature && !sameSignature(imp.signature, expected)) {
    return issue(
      "error",
      IssueCode.IMPORT_SIGNATURE,
      `Import ${label(imp)} is declared ${describeSignature(imp.signature)} but WASI preview1 defines ${describeSignature(expected)}, so linking fails.`,
      at(imp),
      "Use the WASI preview1 signature (rebuild with a standard wasi-libc).",
    );
  }
  if (fn.capability === "always") return undefined;
  const grant = wasiGrant(manifest.permissions, fn.capability);
  if (grant === "granted") return undefined;
  const permission = WASI_PERMISSION_NAME[fn.capability];
  if (grant === "restricted") {
    const how =
      fn.capability === "clock"
        ? `reads a ${manifest.permissions.clock} clock`
        : "returns a deterministic seeded stream, not secure random bytes";
    return issue(
      "info",
      IssueCode.WASI_PERMISSION,
      `Import ${label(imp)} works but ${how} (${permission}).`,
      at(imp),
      `Set ${permission} differently if the plugin needs the real thing.`,
    );
  }
  return issue(
    "warning",
    IssueCode.WASI_PERMISSION,
    `Import ${label(imp)} links, but the permissions leave it powerless: it needs ${permission}.`,
    at(imp),
    fn.capability === "signals"
      ? "Nothing can grant this; toolchains import it by default, so it is harmless unless the plugin relies on it."
      : `Grant ${permission} if the plugin needs it; toolchains often import it by default, in which case ignore this.`,
  );
}

/**
 * Every import against what the sandbox provides under this manifest: guest ABI v1 (`sandbox`), WASI
 * preview1, typed host functions (`host`, by permissions.hostFunctions) and one imported memory. Imports
 * from any other module are grouped into one error per module.
 */
export function importIssues(info: ModuleInfo, manifest: PluginManifest): ValidationWarning[] {
  const out: ValidationWarning[] = [];
  const unknownModules = new Map<string, ImportInfo[]>();
  let memories = 0;
  for (const imp of info.imports) {
    if (imp.module === RESERVED_FUEL_MODULE) {
      out.push(
        issue(
          "error",
          IssueCode.UNKNOWN_IMPORT_MODULE,
          `Import ${label(imp)} reaches into the sandbox's fuel meter, which no plugin may import.`,
          at(imp),
          "Remove the import: metering is added by the runtime itself.",
        ),
      );
      continue;
    }
    if (imp.kind === "memory") {
      if (++memories > 1) {
        out.push(
          issue(
            "error",
            IssueCode.UNKNOWN_IMPORT,
            `Import ${label(imp)} is a second imported memory; the sandbox provides one.`,
            at(imp),
            "Import at most one memory (or define the memory in the module).",
          ),
        );
      }
      continue;
    }
    if (imp.kind !== "function") {
      out.push(
        issue(
          "error",
          IssueCode.UNKNOWN_IMPORT,
          `Import ${label(imp)} is a ${imp.kind}; the sandbox provides only functions and one memory.`,
          at(imp),
          "Define the value in the module instead of importing it.",
        ),
      );
      continue;
    }
    let found: ValidationWarning | undefined;
    if (imp.module === SANDBOX_MODULE) found = sandboxImport(imp, manifest);
    else if (imp.module === WASI_MODULE) found = wasiImport(imp, manifest);
    else if (imp.module === HOST_MODULE) {
      if (!manifest.permissions.hostFunctions.includes(imp.name)) {
        found = issue(
          "error",
          IssueCode.HOST_FUNCTION_NOT_PERMITTED,
          `Import ${label(imp)} is a host function that permissions.hostFunctions does not list, so linking is refused.`,
          at(imp),
          `Add "${imp.name}" to permissions.hostFunctions (and register it in the host), or remove the import.`,
        );
      }
    } else {
      const list = unknownModules.get(imp.module) ?? [];
      list.push(imp);
      unknownModules.set(imp.module, list);
    }
    if (found) out.push(found);
  }
  for (const [module, imports] of unknownModules) {
    const names = imports.slice(0, 5).map((i) => i.name);
    const more = imports.length > names.length ? ` and ${imports.length - names.length} more` : "";
    out.push(
      issue(
        "error",
        IssueCode.UNKNOWN_IMPORT_MODULE,
        `The module imports ${imports.length} function(s) from "${module}" (${names.join(", ")}${more}), which nothing in the sandbox provides.`,
        at(imports[0]!),
        module === "env"
          ? 'Toolchain runtime imports ("env") are not provided: build a standalone module (e.g. AssemblyScript --use abort=, Emscripten STANDALONE_WASM) or use sandbox/WASI imports.'
          : `Provide these as host functions imported from "host" and listed in permissions.hostFunctions, or remove them.`,
      ),
    );
  }
  return out;
}
