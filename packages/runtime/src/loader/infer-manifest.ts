import { assertManifest, type PluginManifest } from "@wasm-sandbox/manifest";
import { isNumericSignature } from "../abi/numeric.js";
import type { ModuleShape } from "./shape.js";

/**
 * A manifest for a bare module: every exported function the ABI can call becomes an entry point, with the
 * secure defaults (default limits, no permissions but the host functions the embedder registered). Used when
 * a caller gives bytes without a manifest.
 */
export function inferManifest(
  shape: ModuleShape,
  digest: string,
  hostFunctions: readonly string[] = [],
): PluginManifest {
  const importsSandbox = shape.imports.some((i) => i.module === "sandbox");
  const entryPoints = shape.exports
    .filter((e) => e.kind === "function" && e.type)
    .filter((e) => {
      const { params, results } = e.type!;
      const json = importsSandbox && params.length === 0 && results.length === 1 && results[0] === "i32";
      return json || isNumericSignature(params, results);
    })
    .map((e) => ({ functionName: e.name }));
  return assertManifest({
    id: `anonymous/module-${digest.slice(0, 12)}`,
    name: `Module ${digest.slice(0, 12)}`,
    version: "0.0.0",
    description: "Inferred from the module's exports (no manifest given).",
    entryPoints:
      entryPoints.length > 0 ? entryPoints : [{ functionName: shape.exports[0]?.name ?? "_start" }],
    permissions: { hostFunctions: [...hostFunctions] },
  });
}
