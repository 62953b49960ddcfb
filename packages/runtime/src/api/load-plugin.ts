import {
  assertManifest,
  ErrorCode,
  type PluginManifest,
  type PluginManifestInput,
  ResourceLimitsSchema,
  SandboxError,
} from "@wasm-sandbox/manifest";
import { checkHostFunctions } from "../host/host-functions.js";
import { createWasiLink, needsWasi } from "../link/wasi-factory.js";
import { inferManifest } from "../loader/infer-manifest.js";
import { prepareModule } from "../loader/prepare.js";
import { readWasmSource, type WasmSource } from "../loader/source.js";
import { resolveLimits } from "../plugin/limits.js";
import { createMeter } from "../plugin/meter.js";
import { SandboxedPlugin, type WasmPlugin } from "../plugin/sandboxed-plugin.js";
import type { PluginOptions } from "../plugin/types.js";

/** A manifest as the schema's input or output, its JSON text, or a plain object to be checked. */
export type ManifestSource =
  | PluginManifest
  | PluginManifestInput
  | string
  | Readonly<Record<string, unknown>>;

const KNOWN_OPTIONS = new Set([
  "limits",
  "hostFunctions",
  "mounts",
  "env",
  "keepAlive",
  "strictWasi",
  "fuelSliceSize",
  "metadata",
]);

function checkOptions(options: PluginOptions): void {
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) {
      throw new SandboxError(ErrorCode.INVALID_ARGUMENT, `Unknown plugin option "${key}"`, {
        suggestion: `Use one of: ${[...KNOWN_OPTIONS].join(", ")}.`,
        context: { option: key },
      });
    }
  }
  const slice = options.fuelSliceSize;
  if (slice !== undefined && (!Number.isSafeInteger(slice) || slice < 1000)) {
    throw new SandboxError(
      ErrorCode.INVALID_ARGUMENT,
      `fuelSliceSize must be an integer of at least 1000, got ${slice}`,
      {
        suggestion: "Leave it unset (100,000) unless deadline checks must be more or less frequent.",
      },
    );
  }
  checkHostFunctions(options.hostFunctions ?? {});
}

/** Mounts and environment values reach a guest only through WASI: for any other plugin they are refused. */
function refuseWasiOnlyOptions(pluginId: string, options: PluginOptions): void {
  if (options.mounts && Object.keys(options.mounts).length > 0) {
    throw new SandboxError(
      ErrorCode.INVALID_ARGUMENT,
      `Plugin "${pluginId}" does not use WASI, so mounts cannot apply`,
      {
        suggestion:
          "Remove the mounts option; only WASI plugins (importing wasi_snapshot_preview1) read files.",
        context: { mounts: Object.keys(options.mounts) },
      },
    );
  }
  if (options.env && Object.keys(options.env).length > 0) {
    throw new SandboxError(
      ErrorCode.INVALID_ARGUMENT,
      `Plugin "${pluginId}" does not use WASI, so environment values cannot reach it`,
      {
        suggestion:
          "Remove the env option; only WASI plugins (importing wasi_snapshot_preview1) read environment variables.",
        context: { env: Object.keys(options.env) },
      },
    );
  }
}

/**
 * Loads a plugin from its manifest and module: checks the manifest and options, applies the limits,
 * instruments and compiles the module (cached), and links every import or refuses it (LINK_ERROR). The
 * first instance is created on the first call (or by `initialize()`).
 */
export async function loadPlugin(
  manifest: ManifestSource | undefined,
  source: WasmSource,
  options: PluginOptions = {},
): Promise<WasmPlugin> {
  checkOptions(options);
  const bytes = await readWasmSource(source);
  return createPlugin(manifest, bytes, options);
}

/** The synchronous core of loadPlugin, for bytes already in memory. */
export function createPlugin(
  manifest: ManifestSource | undefined,
  bytes: Uint8Array,
  options: PluginOptions = {},
): SandboxedPlugin {
  checkOptions(options);
  // Parse once without the caller's limits: they override the manifest below, and caps depend on them.
  const declared = manifest === undefined ? undefined : assertManifest(manifest);
  const limits = resolveLimits(declared?.limits ?? ResourceLimitsSchema.parse({}), options.limits);
  const prepared = prepareModule(bytes, {
    memoryPages: limits.memory,
    tableElements: limits.tableElements,
    meterFuel: true,
  });
  const resolvedManifest =
    declared ??
    inferManifest(prepared.shape, prepared.sourceDigest, Object.keys(options.hostFunctions ?? {}));
  const usesWasi = needsWasi(prepared.shape, resolvedManifest);
  if (!usesWasi) refuseWasiOnlyOptions(resolvedManifest.id, options);
  const clock = { deadline: Number.POSITIVE_INFINITY };
  const wasi = usesWasi
    ? createWasiLink({
        deadline: () => clock.deadline,
        manifest: resolvedManifest,
        limits,
        mounts: options.mounts,
        env: options.env,
        strict: options.strictWasi ?? false,
      })
    : undefined;
  return new SandboxedPlugin({
    manifest: resolvedManifest,
    limits,
    prepared,
    meter: createMeter(prepared.instrumentation),
    hostFunctions: options.hostFunctions ?? {},
    wasi,
    keepAlive: options.keepAlive ?? false,
    sliceSize: options.fuelSliceSize ?? 100_000,
    metadata: options.metadata ?? {},
    environment: options.env ?? {},
    clock,
  });
}
