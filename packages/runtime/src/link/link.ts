import { LinkError, ResourceExhaustedError, WASM_PAGE_SIZE } from "@wasm-sandbox/manifest";
import { SANDBOX_ABI } from "@wasm-sandbox/validator";
import type { CallState } from "../abi/call-state.js";
import type { HostFunctionTable } from "../host/host-functions.js";
import { RESERVED_FUEL_MODULE } from "../loader/instrumentation.js";
import type { FuncSignature, ModuleShape, ShapeImport } from "../loader/shape.js";
import { sandboxImports } from "./sandbox-imports.js";
import { WASI_MODULE, type WasiLink } from "./wasi-link.js";

export interface LinkInputs {
  shape: ModuleShape;
  pluginId: string;
  state: CallState;
  hosts: HostFunctionTable;
  /** Present when the plugin may use WASI (command entries or WASI imports). */
  wasi: WasiLink | undefined;
  /** The fuel meter's imports under their reserved module, when the module is metered. */
  fuel: { module: string; imports: Record<string, WebAssembly.ImportValue> } | undefined;
  memoryPages: number;
  /** Maximum for an imported memory, from instrumentation (the cap, or the declared maximum if lower). */
  importedMemoryMax: number | undefined;
}

/** The import object of a plugin, built once; `instantiate` swaps in a fresh imported memory. */
export interface LinkedImports {
  imports: WebAssembly.Imports;
  /** Where a fresh capped memory goes for each instance, when the module imports one. */
  memorySlot: { module: string; name: string; initial: number; maximum: number } | undefined;
}

const sameSignature = (a: FuncSignature, b: FuncSignature) =>
  a.params.length === b.params.length &&
  a.results.length === b.results.length &&
  a.params.every((t, i) => t === b.params[i]) &&
  a.results.every((t, i) => t === b.results[i]);

const describe = (s: FuncSignature) => `(${s.params.join(", ")}) -> (${s.results.join(", ")})`;

function refuse(imp: ShapeImport, why: string, grant: string, permission?: string): never {
  throw new LinkError(`Import ${imp.module}.${imp.name} (${imp.kind}) ${why}`, {
    suggestion: grant,
    context: { import: `${imp.module}.${imp.name}`, kind: imp.kind, ...(permission ? { permission } : {}) },
  });
}

/**
 * Resolves every import the module declares, or refuses it with a LinkError that names the import and what
 * would grant it. Nothing is stubbed: an import is provided by the sandbox ABI, a permitted host function,
 * WASI (checked against the permissions), the fuel meter (only for instrumentation), or a capped memory.
 */
export function linkImports(inputs: LinkInputs): LinkedImports {
  const { shape, state, hosts, wasi, fuel, memoryPages } = inputs;
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
  const put = (module: string, name: string, value: WebAssembly.ImportValue) => {
    imports[module] ??= {};
    imports[module]![name] = value;
  };
  let sandbox: Record<string, Function> | undefined;
  let memorySlot: LinkedImports["memorySlot"];
  const wasiNames: string[] = [];

  for (const imp of shape.imports) {
    if (imp.module === RESERVED_FUEL_MODULE || imp.module === fuel?.module) {
      refuse(
        imp,
        "uses the fuel meter's reserved module",
        "A plugin cannot import the sandbox's own meter; remove the import.",
      );
    }
    if (imp.kind === "memory") {
      if (memorySlot) refuse(imp, "is a second imported memory", "Import at most one memory.");
      if (imp.memory.shared) {
        refuse(
          imp,
          "is a shared memory",
          "Threads are not supported; import a non-shared memory.",
          "permissions.maxThreads",
        );
      }
      if (imp.memory.index64) refuse(imp, "is a 64-bit memory", "Use a 32-bit memory.");
      if (imp.memory.initial > memoryPages) {
        throw new ResourceExhaustedError(
          "memory",
          memoryPages * WASM_PAGE_SIZE,
          imp.memory.initial * WASM_PAGE_SIZE,
          `Import ${imp.module}.${imp.name} asks for ${imp.memory.initial} pages, above the cap of ${memoryPages}`,
          { context: { import: `${imp.module}.${imp.name}` } },
        );
      }
      memorySlot = {
        module: imp.module,
        name: imp.name,
        initial: imp.memory.initial,
        maximum: inputs.importedMemoryMax ?? Math.min(memoryPages, imp.memory.maximum ?? memoryPages),
      };
      continue;
    }
    if (imp.kind !== "function") {
      refuse(
        imp,
        "is not provided by the sandbox",
        "Plugins may import functions and one memory only; define the value in the module instead.",
      );
    }
    if (imp.module === "sandbox") {
      // an own key only: a name such as "constructor" must not find Object.prototype's
      const expected = Object.hasOwn(SANDBOX_ABI, imp.name) ? SANDBOX_ABI[imp.name]!.signature : undefined;
      if (!expected) {
        refuse(imp, "is not part of guest ABI v1", `Use one of: ${Object.keys(SANDBOX_ABI).join(", ")}.`);
      }
      if (!sameSignature(expected, imp.type)) {
        refuse(
          imp,
          `has type ${describe(imp.type)}, but the ABI defines ${describe(expected)}`,
          "Declare the import with the ABI's signature.",
        );
      }
      sandbox ??= sandboxImports(state, hosts);
      put("sandbox", imp.name, sandbox[imp.name] as Function);
    } else if (imp.module === "host") {
      put("host", imp.name, hosts.typedImport(imp.name, imp.type));
    } else if (imp.module === WASI_MODULE) {
      if (!wasi) {
        refuse(
          imp,
          "needs WASI, which this runtime build cannot provide yet",
          "Remove the WASI imports, or use a runtime with @wasm-sandbox/wasi support.",
          "permissions.filesystem",
        );
      }
      wasiNames.push(imp.name);
      const fn = wasi.imports[imp.name];
      if (fn) put(WASI_MODULE, imp.name, fn);
    } else {
      refuse(
        imp,
        "is not provided by the sandbox",
        `Register a host function "${imp.name}", list it in permissions.hostFunctions, and import it from module "host" (or use sandbox.host_call).`,
        "permissions.hostFunctions",
      );
    }
  }
  // WASI decides for its own names: unknown ones always, powerless ones in strict mode.
  if (wasi && wasiNames.length > 0) wasi.checkImports(wasiNames);
  if (fuel) imports[fuel.module] = fuel.imports;
  return { imports, memorySlot };
}
